"""Writes for learning programmes: signing up for a cohort (or its waiting list),
withdrawing (the first person waiting takes the place), recording who came to a session
(which decides completion), and the member's choice to show a completion.

Each function checks the state it starts from under the cohort's row lock, so two
people signing up for the last place at once never both get it, and emails people only
once the change has committed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bpd.audit import services as audit
from bpd.audit.verbs import Verb
from bpd.learning.models import Attendance, Cohort, Enrolment, Programme
from bpd.members import mail
from bpd.members.roles import is_executor

E = Enrolment.Status


class LearningError(Exception):
    """A change refused; the message is for the person who asked, in their language."""


def locked(cohort):
    """The cohort, re-read under its row lock (inside a transaction)."""
    return Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)


def _email(user, name, **context):
    transaction.on_commit(lambda: mail.send(user, f"learning/email/{name}", context))


def may_host(user, cohort) -> bool:
    """Hosts of the cohort and executors run it (attendance, the list of who takes part)."""
    if not user.is_authenticated:
        return False
    return is_executor(user) or cohort.hosts.filter(pk=user.pk).exists()


def sign_up(*, cohort, user, now=None) -> Enrolment:
    """`user` takes a place in `cohort`, or the next place on its waiting list when it is
    full. Someone who withdrew may sign up again, at the back of the list."""
    now = now or timezone.now()
    with transaction.atomic():
        cohort = locked(cohort)
        if cohort.programme.status != Programme.Status.PUBLISHED:
            raise LearningError(_("This programme is not open."))
        if now < cohort.signup_opens_at:
            raise LearningError(_("Sign-up has not opened yet."))
        if now >= cohort.signup_closes_at:
            raise LearningError(_("Sign-up has closed."))
        existing = Enrolment.objects.filter(cohort=cohort, user=user).first()
        if existing is not None and existing.status != E.WITHDRAWN:
            raise LearningError(_("You have already signed up for this cohort."))
        taking_part = cohort.enrolments.filter(status=E.ENROLLED).count()
        status = E.ENROLLED if taking_part < cohort.capacity else E.WAITING
        if existing is None:
            enrolment = Enrolment.objects.create(
                cohort=cohort, user=user, status=status, signed_up_at=now
            )
        else:
            enrolment = existing
            enrolment.status, enrolment.signed_up_at = status, now
            enrolment.save(update_fields=["status", "signed_up_at"])
        _email(user, "enrolled" if status == E.ENROLLED else "waiting", cohort=cohort)
    return enrolment


def withdraw(*, enrolment, user, now=None) -> Enrolment:
    """The member leaves the cohort or its waiting list; a place they free goes to the
    first person waiting."""
    with transaction.atomic():
        cohort = locked(enrolment.cohort)
        enrolment = Enrolment.objects.get(pk=enrolment.pk)
        if enrolment.user_id != user.pk:
            raise LearningError(_("This is not your place."))
        if enrolment.status == E.WITHDRAWN:
            raise LearningError(_("You have already withdrawn."))
        freed = enrolment.status == E.ENROLLED
        enrolment.status = E.WITHDRAWN
        enrolment.save(update_fields=["status"])
        if freed:
            fill_places(cohort)
    return enrolment


def fill_places(cohort):
    """Give the free places of the locked `cohort` to the people waiting, in order (after
    a withdrawal, or when the cohort gets more places)."""
    free = cohort.capacity - cohort.enrolments.filter(status=E.ENROLLED).count()
    if free <= 0:
        return []
    chosen = list(
        cohort.enrolments.filter(status=E.WAITING)
        .select_related("user")
        .order_by("signed_up_at", "pk")[:free]
    )
    for enrolment in chosen:
        enrolment.status = E.ENROLLED
        enrolment.save(update_fields=["status"])
        _email(enrolment.user, "place_given", cohort=cohort)
    return chosen


def record_attendance(*, cohort, occurrence, by, attended: dict, now=None) -> int:
    """The host records, for one session (a date of the cohort's event), who came:
    `attended` maps enrolment ids to True or False. Completion follows: a member who came
    to `sessions_to_complete` sessions has completed the cohort (and is told once); a
    correction below that takes it back. Returns how many rows were recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        cohort = locked(cohort)
        if not may_host(by, cohort):
            raise LearningError(_("Only the cohort's hosts and executors record attendance."))
        if cohort.event_id is None or occurrence.event_id != cohort.event_id:
            raise LearningError(_("That date is not one of this cohort's sessions."))
        if occurrence.cancelled:
            raise LearningError(_("That session was cancelled."))
        if occurrence.starts_at > now:
            raise LearningError(_("Attendance is recorded once the session has started."))
        enrolments = {
            e.pk: e
            for e in cohort.enrolments.filter(
                status=E.ENROLLED, pk__in=list(attended)
            ).select_related("user")
        }
        if set(attended) - set(enrolments):
            raise LearningError(_("Attendance can be recorded only for people taking part."))
        for pk, came in attended.items():
            Attendance.objects.update_or_create(
                enrolment_id=pk,
                occurrence=occurrence,
                defaults={"attended": bool(came), "recorded_by": by, "recorded_at": now},
            )
        for enrolment in enrolments.values():
            _update_completion(cohort, enrolment, now)
        audit.log(
            actor=by,
            verb=Verb.LEARNING_ATTENDANCE,
            subject=cohort,
            session=occurrence.pk,
            came=sum(1 for came in attended.values() if came),
            recorded=len(attended),
        )
    return len(attended)


def _update_completion(cohort, enrolment, now):
    sessions = enrolment.attendance.filter(attended=True, occurrence__event_id=cohort.event_id)
    complete = sessions.count() >= cohort.sessions_to_complete
    if complete and enrolment.completed_at is None:
        enrolment.completed_at = now
        enrolment.save(update_fields=["completed_at"])
        _email(enrolment.user, "completed", cohort=cohort)
    elif not complete and enrolment.completed_at is not None:
        enrolment.completed_at = None
        enrolment.show_completion = False
        enrolment.save(update_fields=["completed_at", "show_completion"])


def show_completion(*, enrolment, user, shown: bool) -> Enrolment:
    """The member chooses whether their completion shows on their profile."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.user_id != user.pk:
            raise LearningError(_("This is not your place."))
        if shown and enrolment.completed_at is None:
            raise LearningError(_("Only a completed cohort can show on your profile."))
        enrolment.show_completion = bool(shown)
        enrolment.save(update_fields=["show_completion"])
    return enrolment
