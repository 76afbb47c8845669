"""Local communities' part of "download my data" and "delete my account": the
communities a member proposed, leads, joined or follows.

Deleting an account removes the member's memberships and leaderships (the leaderships
with an audit entry, so each community's history says its leader left) and the
proposals of theirs that never became a community (their own words); communities that
were approved stay, as the community's, with who proposed them cleared."""

from django.db import transaction
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.communities.models import Community, Leadership, Membership
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment

S = Community.Status

MODELS = {
    "communities.Community": (
        "the communities a member proposed are exported with their state, the note they were "
        "sent and what they wrote; on deletion proposals never approved (waiting or declined) "
        "are deleted, and approved communities stay with who proposed or decided them cleared"
    ),
    "communities.Leadership": (
        "the communities a member leads are exported with the date; on deletion each "
        "leadership is removed (recorded in the audit log, without the person's name)"
    ),
    "communities.Membership": (
        "the communities a member joined or follows are exported with the date; the rows "
        "are deleted with the account"
    ),
}


def collect(user):
    proposed = Community.objects.filter(proposed_by=user).order_by("created_at", "pk")
    led = Leadership.objects.filter(user=user).select_related("community").order_by("added_at")
    joined = Membership.objects.filter(user=user).select_related("community").order_by("joined_at")
    return {
        "proposed": [
            {
                "name": row.name,
                "status": row.status,
                "proposed_at": row.created_at,
                "description": row.description,
                "website": row.website,
                "links": row.links,
                "note_to_you": row.decision_note,
                "decided_at": row.decided_at,
            }
            for row in proposed
        ],
        "leads": [{"community": row.community.name, "since": row.added_at} for row in led],
        "memberships": [
            {"community": row.community.name, "kind": row.kind, "since": row.joined_at}
            for row in joined
        ],
    }


def forget(user, published_choice):
    """Remove the member's leaderships (audited), memberships and proposals never
    approved; the rest goes with the account (foreign keys)."""
    count = 0
    for leadership in Leadership.objects.filter(user=user).select_related("community"):
        audit.log(
            actor=user,
            verb=Verb.LEADER_REMOVED,
            subject=leadership.community,
            person=user,
            reason="account deleted",
        )
        leadership.delete()
        count += 1
    deleted, _rows = Membership.objects.filter(user=user).delete()
    count += deleted
    # Never approved, so nothing hangs on them (no events hosted, no requests).
    gone = list(
        Community.objects.filter(proposed_by=user, status__in=(S.PROPOSED, S.DECLINED))
        .filter(hosted__isnull=True, requests__isnull=True)
        .distinct()
    )
    for community in gone:
        if community.logo:
            storage, name = community.logo.storage, community.logo.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    deleted, _rows = Community.objects.filter(pk__in=[c.pk for c in gone]).delete()
    return count + deleted


# --- For people (data.md) ----------------------------------------------------------------


def readable(data):
    statuses = dict(S.choices)
    kinds = {"member": _("Member"), "follower": _("Follower")}
    sections = []
    if data.get("proposed"):
        rows = []
        for row in data["proposed"]:
            lines = [(_("Proposed"), moment(row["proposed_at"]))]
            if row.get("note_to_you"):
                lines.append((_("Note to you"), row["note_to_you"]))
            lines.append((_("What you wrote"), row["description"]))
            rows.append((row["name"], str(statuses.get(row["status"], row["status"])), lines))
        sections.append(Section(_("Communities you proposed"), rows))
    if data.get("leads"):
        sections.append(
            Section(
                _("Communities you lead"),
                [(row["community"], _("since %(date)s") % {"date": moment(row["since"])})
                 for row in data["leads"]],
            )
        )  # fmt: skip
    if data.get("memberships"):
        sections.append(
            Section(
                _("Communities you joined or follow"),
                [(row["community"], str(kinds.get(row["kind"], row["kind"])))
                 for row in data["memberships"]],
            )
        )  # fmt: skip
    return sections
