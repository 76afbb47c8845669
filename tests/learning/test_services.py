"""Learning programmes: signing up (places, the waiting list, the window), withdrawing
(the first person waiting takes the place), attendance and completion, and the member's
choice to show a completion."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.learning import services
from bpd.learning.models import Attendance, Enrolment, Programme
from bpd.members.roles import Role
from tests.events.public_factories import make_date, make_event
from tests.factories import ProfileFactory, UserFactory
from tests.learning.factories import CohortFactory

pytestmark = pytest.mark.django_db
E = Enrolment.Status


def member(**user):
    return ProfileFactory(user=UserFactory(**user)).user


def test_places_go_in_order_and_the_rest_wait(mailoutbox, django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=2)
    people = [member() for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [services.sign_up(cohort=cohort, user=p).status for p in people]

    assert statuses == [E.ENROLLED, E.ENROLLED, E.WAITING]
    assert "waiting list" in mailoutbox[2].subject
    with pytest.raises(services.LearningError, match="already"):
        services.sign_up(cohort=cohort, user=people[0])


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [(1, 2, "not opened"), (-2, 0, "closed"), (-2, -1, "closed")],
)
def test_sign_up_only_inside_the_window(opens, closes, message):
    now = timezone.now()
    cohort = CohortFactory(
        signup_opens_at=now + dt.timedelta(days=opens),
        signup_closes_at=now + dt.timedelta(days=closes),
    )
    with pytest.raises(services.LearningError, match=message):
        services.sign_up(cohort=cohort, user=member(), now=now)
    assert not Enrolment.objects.exists()


def test_a_draft_programme_takes_no_sign_ups():
    cohort = CohortFactory(programme__status=Programme.Status.DRAFT)
    with pytest.raises(services.LearningError):
        services.sign_up(cohort=cohort, user=member())


def test_withdrawing_gives_the_place_to_the_first_waiting(
    mailoutbox, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(capacity=1)
    first, second, third = member(), member(), member()
    taking = services.sign_up(cohort=cohort, user=first)
    services.sign_up(cohort=cohort, user=second)
    services.sign_up(cohort=cohort, user=third)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(enrolment=taking, user=first)

    statuses = dict(cohort.enrolments.values_list("user_id", "status"))
    assert statuses == {first.pk: E.WITHDRAWN, second.pk: E.ENROLLED, third.pk: E.WAITING}
    assert [m.to for m in mailoutbox] == [[second.email]]
    with pytest.raises(services.LearningError):
        services.withdraw(enrolment=taking, user=second)  # not theirs


def test_someone_who_withdrew_signs_up_again_at_the_back():
    cohort = CohortFactory(capacity=1)
    first, second = member(), member()
    taking = services.sign_up(cohort=cohort, user=first)
    services.sign_up(cohort=cohort, user=second)
    services.withdraw(enrolment=taking, user=first)

    again = services.sign_up(cohort=cohort, user=first)

    assert (again.pk, again.status) == (taking.pk, E.WAITING)


def _with_sessions(count=3, **cohort):
    host = member()
    event = make_event(title="Weekly session")
    past = timezone.now() - dt.timedelta(days=30)
    dates = [make_date(event, past + dt.timedelta(days=7 * n)) for n in range(count)]
    cohort = CohortFactory(event=event, **cohort)
    cohort.hosts.add(host)
    return cohort, host, dates


def test_attendance_decides_completion_and_a_correction_takes_it_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    cohort, host, (one, two, _three) = _with_sessions(sessions_to_complete=2)
    enrolment = services.sign_up(cohort=cohort, user=member())

    services.record_attendance(
        cohort=cohort, occurrence=one, by=host, attended={enrolment.pk: True}
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.record_attendance(
            cohort=cohort, occurrence=two, by=host, attended={enrolment.pk: True}
        )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert "completed" in mailoutbox[-1].subject
    services.show_completion(enrolment=enrolment, user=enrolment.user, shown=True)

    services.record_attendance(
        cohort=cohort, occurrence=two, by=host, attended={enrolment.pk: False}
    )

    enrolment.refresh_from_db()
    assert (enrolment.completed_at, enrolment.show_completion) == (None, False)
    assert Attendance.objects.filter(enrolment=enrolment).count() == 2  # corrected, not added
    assert Entry.objects.filter(verb=Verb.LEARNING_ATTENDANCE).count() == 3


def test_only_hosts_and_executors_record_and_only_for_their_sessions():
    cohort, host, (one, *_rest) = _with_sessions()
    enrolment = services.sign_up(cohort=cohort, user=member())
    other_event_date = make_date(make_event(), timezone.now() - dt.timedelta(days=1))
    executor = member(roles=[Role.EXECUTOR])

    with pytest.raises(services.LearningError, match="hosts"):
        services.record_attendance(
            cohort=cohort, occurrence=one, by=member(), attended={enrolment.pk: True}
        )
    with pytest.raises(services.LearningError, match="sessions"):
        services.record_attendance(
            cohort=cohort, occurrence=other_event_date, by=host, attended={enrolment.pk: True}
        )
    with pytest.raises(services.LearningError, match="taking part"):
        services.record_attendance(cohort=cohort, occurrence=one, by=host, attended={999999: True})
    assert (
        services.record_attendance(
            cohort=cohort, occurrence=one, by=executor, attended={enrolment.pk: True}
        )
        == 1
    )


def test_a_session_to_come_cannot_be_recorded():
    cohort, host, _dates = _with_sessions()
    enrolment = services.sign_up(cohort=cohort, user=member())
    later = make_date(cohort.event, timezone.now() + dt.timedelta(days=3))
    with pytest.raises(services.LearningError, match="started"):
        services.record_attendance(
            cohort=cohort, occurrence=later, by=host, attended={enrolment.pk: True}
        )
    assert not Attendance.objects.exists()


def test_only_a_completed_cohort_shows_on_the_profile():
    cohort = CohortFactory()
    enrolment = services.sign_up(cohort=cohort, user=member())
    with pytest.raises(services.LearningError):
        services.show_completion(enrolment=enrolment, user=enrolment.user, shown=True)
    with pytest.raises(services.LearningError):
        services.show_completion(enrolment=enrolment, user=member(), shown=False)


def test_the_export_holds_enrolments_and_deletion_passes_the_place_on():
    from bpd.members import services as members
    from bpd.members.exports import collect

    cohort, host, (one, *_rest) = _with_sessions(capacity=1)
    leaving, waiting = member(), member()
    enrolment = services.sign_up(cohort=cohort, user=leaving)
    services.sign_up(cohort=cohort, user=waiting)
    services.record_attendance(
        cohort=cohort, occurrence=one, by=host, attended={enrolment.pk: True}
    )

    data = collect(leaving)["learning"]
    assert data["enrolments"][0]["sessions"][0]["came"] is True
    assert collect(host)["learning"]["cohorts_hosted"] == [f"{cohort.programme.title}: Spring"]

    members.delete_account(user=leaving)

    assert not Enrolment.objects.filter(user_id=leaving.pk).exists()
    assert cohort.enrolments.get(user=waiting).status == E.ENROLLED
