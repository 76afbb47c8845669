"""Learning programmes' part of "download my data" and "delete my account".

A member's enrolments are exported with the programme, cohort, status, completion and
the sessions they came to. On deletion they go (the foreign key cascades): a place they
held goes to the first person waiting first, so the cohort does not lose it."""

from django.utils.translation import gettext as _

from bpd.learning import services
from bpd.learning.models import Enrolment
from bpd.website.registry import Section
from bpd.website.templatetags.bpd import moment

MODELS = {
    "learning.Enrolment": (
        "every enrolment is exported (programme, cohort, status, completion, sessions "
        "attended); deleted with the account, after a place they held goes to the first "
        "person waiting"
    ),
    "learning.Attendance": (
        "attendance is exported with its enrolment and deleted with it; who recorded "
        "someone's attendance is cleared when the recorder's account is deleted"
    ),
    "learning.Programme": (
        "programmes a member created stay (they are the community's); who created them is "
        "cleared on deletion"
    ),
    "learning.Cohort": (
        "cohorts a member hosts are exported by name; on deletion they stop being a host "
        "and the cohort stays"
    ),
}


def collect(user):
    rows = (
        Enrolment.objects.filter(user=user)
        .select_related("cohort__programme")
        .prefetch_related("attendance__occurrence")
        .order_by("signed_up_at", "pk")
    )
    return {
        "enrolments": [
            {
                "programme": e.cohort.programme.title,
                "cohort": e.cohort.name,
                "status": e.status,
                "signed_up_at": e.signed_up_at,
                "completed_at": e.completed_at,
                "completion_shown": e.show_completion,
                "sessions": [
                    {"session": a.occurrence.starts_at, "came": a.attended}
                    for a in e.attendance.all()
                ],
            }
            for e in rows
        ],
        "cohorts_hosted": [
            f"{c.programme.title}: {c.name}"
            for c in user.hosted_cohorts.select_related("programme").order_by("pk")
        ],
    }


def forget(user, published_choice):
    count = 0
    for enrolment in Enrolment.objects.filter(user=user, status=Enrolment.Status.ENROLLED):
        services.withdraw(enrolment=enrolment, user=user)
        count += 1
    user.hosted_cohorts.clear()
    return count


def readable(data):
    statuses = dict(Enrolment.Status.choices)
    rows = []
    for e in data["enrolments"]:
        came = sum(1 for s in e["sessions"] if s["came"])
        text = f"{statuses.get(e['status'], e['status'])}; " + _("sessions attended: %(count)d") % {
            "count": came
        }
        if e["completed_at"]:
            text += "; " + _("completed %(when)s") % {"when": moment(e["completed_at"])}
        rows.append((f"{e['programme']}: {e['cohort']}", text))
    for name in data["cohorts_hosted"]:
        rows.append((_("You host"), name))
    return [Section(_("Learning programmes"), rows=rows)] if rows else []
