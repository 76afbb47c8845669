"""Sponsorship's part of "download my data" and "delete my account": the requests a
member wrote for their community, the steps they took on requests (as a leader or an
executor, with their comments) and the policy versions they wrote.

Requests belong to the community, not to the person: they stay when an account is
deleted, with who wrote them, took a step or decided cleared (the foreign keys are
SET_NULL), so the community's record and the public list stay whole."""

from django.utils.translation import gettext as _

from bpd.communities.models import Policy, SponsorshipRequest, Transition
from bpd.communities.templatetags.sponsorship import step_label
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import day, moment

MODELS = {
    "communities.SponsorshipRequest": (
        "requests a member wrote (created_by) and those they decided (decided_by) are "
        "exported; the requests stay with their community on deletion, the person cleared"
    ),
    "communities.Transition": (
        "every step a member took on a request is exported with its comment; the steps stay "
        "in the request's history on deletion, who took them cleared"
    ),
    "communities.Policy": (
        "the policy versions a member wrote are exported; they stay (decisions refer to "
        "them) with their author cleared on deletion"
    ),
}


def collect(user):
    written = SponsorshipRequest.objects.filter(created_by=user).select_related("community")
    decided = SponsorshipRequest.objects.filter(decided_by=user).select_related("community")
    steps = Transition.objects.filter(by=user).select_related("request").order_by("at", "pk")
    return {
        "requests_written": [
            {
                "community": row.community.name,
                "event": row.title,
                "starts_on": row.starts_on,
                "status": row.status,
                "amount": row.amount,
                "organiser": row.organiser_name,
                "justification": row.justification,
                "outcome_report": row.outcome_report,
                "created_at": row.created_at,
            }
            for row in written.order_by("created_at", "pk")
        ],
        "requests_decided": [
            {
                "community": row.community.name,
                "event": row.title,
                "status": row.status,
                "decided_at": row.decided_at,
                "override_reason": row.override_reason,
            }
            for row in decided.order_by("decided_at", "pk")
        ],
        "steps_taken": [
            {
                "request": step.request.title,
                "step": step.name,
                "comment": step.comment,
                "at": step.at,
            }
            for step in steps
        ],
        "policy_versions_written": list(
            Policy.objects.filter(created_by=user)
            .order_by("version")
            .values("version", "note", "created_at")
        ),
    }


def readable(data):
    statuses = dict(SponsorshipRequest.Status.choices)
    sections = []
    if data["requests_written"]:
        sections.append(
            Section(
                _("Sponsorship requests you wrote"),
                [
                    (f"{row['event']} ({row['community']}), {day(row['starts_on'])}",
                     str(statuses.get(row["status"], row["status"])))
                    for row in data["requests_written"]
                ],
            )
        )  # fmt: skip
    if data["requests_decided"]:
        sections.append(
            Section(
                _("Sponsorship requests you decided"),
                [
                    (f"{row['event']} ({row['community']})", str(statuses.get(row["status"], row["status"])))
                    for row in data["requests_decided"]
                ],
            )
        )  # fmt: skip
    if data["steps_taken"]:
        sections.append(
            Section(
                _("Steps you took on sponsorship requests"),
                [
                    (f"{row['request']}, {moment(row['at'])}", step_label(row["step"]),
                     [("", row["comment"])] if row["comment"] else [])
                    for row in data["steps_taken"]
                ],
            )
        )  # fmt: skip
    if data["policy_versions_written"]:
        sections.append(
            Section(
                _("Sponsorship policy versions you wrote"),
                [
                    (_("Version %(version)s") % {"version": row["version"]}, row["note"])
                    for row in data["policy_versions_written"]
                ],
            )
        )
    return sections
