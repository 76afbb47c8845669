"""The conference list's part of "download my data" and "delete my account"."""

from django.utils.translation import gettext as _

from bpd.conferences.models import Conference, DeadlineReminder, Follow, Speaker
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment

MODELS = {
    "conferences.Follow": "the conferences a member follows are exported; deleted with the account",
    "conferences.Speaker": "talks a member listed (title, whether shown) are exported; deleted "
    "with the account",
    "conferences.DeadlineReminder": "which deadline reminders were emailed and when is exported; "
    "deleted with the account",
    "conferences.Conference": "conferences a member suggested are exported with their state; on "
    "deletion the conference stays on the list (it is public facts) and who suggested it is "
    "cleared",
}


def collect(user):
    return {
        "following": [
            {"conference": f.conference.name, "since": f.created_at}
            for f in Follow.objects.filter(member=user).select_related("conference")
        ],
        "talks": [
            {"conference": s.conference.name, "title": s.title, "shown": s.consent}
            for s in Speaker.objects.filter(member=user).select_related("conference")
        ],
        "deadline_reminders": [
            {
                "conference": r.deadline.conference.name,
                "deadline": r.deadline.kind,
                "days_before": r.days_before,
                "sent_at": r.sent_at,
            }
            for r in DeadlineReminder.objects.filter(member=user).select_related(
                "deadline__conference"
            )
        ],
        "suggested": [
            {
                "conference": c.name,
                "starts_on": c.starts_on,
                "status": c.status,
                "reason": c.rejection_reason,
            }
            for c in Conference.objects.filter(suggested_by=user)
        ],
    }


def forget(user, published_choice):
    """Follows, talks and reminders go with the account (their foreign keys cascade);
    suggested conferences stay, no longer linked to the member."""
    count = Conference.objects.filter(suggested_by=user).update(suggested_by=None)
    Follow.objects.filter(member=user).delete()
    Speaker.objects.filter(member=user).delete()
    DeadlineReminder.objects.filter(member=user).delete()
    return count


def readable(data):
    status = dict(Conference.Status.choices)
    sections = [
        Section(
            _("Conferences you follow"),
            [
                (f["conference"], _("since %(when)s") % {"when": moment(f["since"])})
                for f in data["following"]
            ],
        ),
        Section(
            _("Your talks at conferences"),
            [
                (
                    t["conference"],
                    t["title"],
                    [("", _("Shown on the conference's page") if t["shown"] else _("Not shown"))],
                )
                for t in data["talks"]
            ],
        ),
        Section(
            _("Deadline reminders we emailed you"),
            [
                (
                    r["conference"],
                    _("%(days)s days before, sent %(when)s")
                    % {"days": r["days_before"], "when": moment(r["sent_at"])},
                )
                for r in data["deadline_reminders"]
            ],
        ),
        Section(
            _("Conferences you suggested"),
            [
                (
                    s["conference"],
                    str(status.get(s["status"], s["status"])),
                    [(_("Reason"), s["reason"])] if s["reason"] else [],
                )
                for s in data["suggested"]
            ],
        ),
    ]
    return [section for section in sections if section.rows]
