"""Learning programmes' pages: the public list and a programme's page, signing up and
withdrawing through them, the member's programmes and the completion they choose to
show on their profile, the host's pages; query counts at two sizes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bpd.learning import services
from bpd.learning.models import Enrolment, Programme
from tests.events.public_factories import make_date, make_event
from tests.factories import ProfileFactory, UserFactory
from tests.learning.factories import CohortFactory, ProgrammeFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
E = Enrolment.Status


def member(client=None, **profile):
    person = ProfileFactory(user=UserFactory(), **profile).user
    if client is not None:
        client.force_login(person)
    return person


def test_the_list_shows_published_programmes_only(client):
    CohortFactory(programme__title="Open club")
    ProgrammeFactory(title="Hidden club", status=Programme.Status.DRAFT)

    page = client.get(reverse("learning:index")).text

    assert "Open club" in page
    assert "1 cohort open for sign-up" in page
    assert "Hidden club" not in page
    assert client.get("/learning/book-club-x/").status_code == 404


def test_a_member_signs_up_from_the_programme_page_and_the_next_waits(client):
    cohort = CohortFactory(capacity=1)
    url = reverse("learning:detail", args=[cohort.programme.slug])
    assert "Sign in to sign up" in client.get(url).text

    member(client)
    assert "1 of 1 left" in client.get(url).text
    client.post(reverse("learning:sign_up", args=[cohort.pk]))
    assert "Taking part" in client.get(url).text

    member(client)
    assert "Join the waiting list" in client.get(url).text
    client.post(reverse("learning:sign_up", args=[cohort.pk]))
    assert list(cohort.enrolments.values_list("status", flat=True)) == [E.ENROLLED, E.WAITING]


def test_withdrawing_from_my_programmes_passes_the_place_on(client):
    cohort = CohortFactory(capacity=1)
    first, second = member(), member()
    mine = services.sign_up(cohort=cohort, user=first)
    services.sign_up(cohort=cohort, user=second)
    client.force_login(first)

    assert "Withdraw" in client.get(reverse("learning:mine")).text
    client.post(reverse("learning:withdraw", args=[mine.pk]))

    assert cohort.enrolments.get(user=second).status == E.ENROLLED
    client.force_login(second)
    assert client.post(reverse("learning:withdraw", args=[mine.pk])).status_code == 404


def _running(host, *, sessions=2):
    event = make_event(title="Weekly session")
    past = timezone.now() - dt.timedelta(days=20)
    dates = [make_date(event, past + dt.timedelta(days=7 * n)) for n in range(sessions)]
    cohort = CohortFactory(event=event, sessions_to_complete=sessions)
    cohort.hosts.add(host)
    return cohort, dates


def test_the_host_records_attendance_and_a_completion_can_show_on_the_profile(client):
    host = member()
    cohort, dates = _running(host)
    person = member(display_name="Ada Mwangi")
    enrolment = services.sign_up(cohort=cohort, user=person)
    client.force_login(host)

    hub = client.get(reverse("members:home")).text
    assert "Record who came" in hub
    assert "Ada Mwangi" in client.get(reverse("learning:host", args=[cohort.pk])).text
    for session in dates:
        url = reverse("learning:attendance", args=[cohort.pk, session.pk])
        client.post(url, {"attended": [str(enrolment.pk)]})
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None

    client.force_login(person)
    profile = reverse("members:profile", args=[person.profile.pk])
    assert "Completed" not in client.get(profile).text  # not until they choose
    client.post(reverse("learning:show_completion", args=[enrolment.pk]), {"shown": "on"})
    assert f"Completed {cohort.programme.title}" in client.get(profile).text


def test_only_the_cohorts_hosts_and_executors_reach_its_pages(client):
    cohort, (session, _later) = _running(member())
    member(client)
    assert client.get(reverse("learning:host", args=[cohort.pk])).status_code == 404
    url = reverse("learning:attendance", args=[cohort.pk, session.pk])
    assert client.get(url).status_code == 404


def _fill(count):
    host = member()
    for _ in range(count):
        cohort, _dates = _running(host)
        for _ in range(2):
            services.sign_up(cohort=cohort, user=member())
    return host


@pytest.mark.parametrize("name", ["index", "mine", "host", "detail"])
def test_query_counts_do_not_grow(client, name):
    counts = []
    for size in (1, 4):
        host = _fill(size)
        cohort = host.hosted_cohorts.order_by("pk").last()
        services.sign_up(cohort=cohort, user=host)
        client.force_login(host)
        url = {
            "index": reverse("learning:index"),
            "mine": reverse("learning:mine"),
            "host": reverse("learning:host", args=[cohort.pk]),
            "detail": reverse("learning:detail", args=[cohort.programme.slug]),
        }[name]
        client.get(url)  # warm the shared caches (menus, settings) first
        response, queries = get_with_queries(client, url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
