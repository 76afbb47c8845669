"""Emails the Fund sends. Called after the transaction that caused them has committed."""

from bpd.members import mail
from bpd.members.models import User
from bpd.members.roles import Role


def decisions_released(decisions):
    for decision in decisions:
        application = decision.application
        mail.send(
            application.applicant,
            f"fund/email/decision_{decision.outcome}",
            {"application": application, "decision": decision},
        )


def submitted(application):
    """The applicant's receipt: what they applied for and what happens next, with dates."""
    mail.send(application.applicant, "fund/email/submitted", {"application": application})


def report_reminder(application, number):
    """The traveller's reminder to write their trip report (`number` 1 or 2)."""
    mail.send(
        application.applicant,
        "fund/email/report_reminder",
        {"application": application, "last": number >= 2},
    )


def promoted_from_waitlist(decision):
    mail.send(
        decision.application.applicant,
        "fund/email/decision_award",
        {"application": decision.application, "decision": decision, "from_waitlist": True},
    )
    _tell_executors(
        "fund/email/waitlist_moved", {"decision": decision, "round": decision.application.round}
    )


def waitlist_exhausted(round):
    _tell_executors("fund/email/waitlist_exhausted", {"round": round})


def _tell_executors(name, context):
    executors = User.objects.filter(groups__name=Role.EXECUTOR, is_active=True).distinct()
    for user in executors:
        mail.send(user, name, context)
