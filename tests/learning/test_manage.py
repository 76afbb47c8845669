"""The pages of the people who run learning programmes: executors write programmes
(with their descriptions in other languages) and cohorts with their hosts; a cohort's
hosts change their cohort and the programme's materials. Refusals name the field and
write nothing; every change is in the audit log; each page is reached by a link."""

import pytest
from django.core import mail
from django.urls import reverse

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.learning import services
from bpd.learning.models import Cohort, Enrolment, Material, Programme, ProgrammeText
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory
from tests.learning.factories import CohortFactory, ProgrammeFactory
from tests.partners.factories import OfferFactory
from tests.queries import get_with_queries

pytestmark = pytest.mark.django_db
E = Enrolment.Status
MANAGE = reverse("learning:manage")


def person(client=None, roles=()):
    user = ProfileFactory(user=UserFactory(roles=list(roles))).user
    if client is not None:
        client.force_login(user)
    return user


def executor(client=None):
    return person(client, roles=[Role.EXECUTOR])


PROGRAMME = {
    "kind": "study_group",
    "title": "Django study group",
    "slug": "",
    "language": "en",
    "description": "We build a Django site together.",
    "status": "published",
    "text_fr": "Nous construisons un site Django ensemble.",
}


def cohort_form(**changes):
    return {
        "name": "Spring 2027",
        "capacity": "10",
        "signup_opens_at": "2027-01-01T09:00",
        "signup_closes_at": "2027-02-01T09:00",
        "sessions_to_complete": "3",
        "hosts": "",
        **changes,
    }


def test_the_hub_links_executors_to_the_programmes_they_run(client):
    executor(client)
    assert f'href="{MANAGE}"' in client.get(reverse("members:home")).text
    person(client)
    assert f'href="{MANAGE}"' not in client.get(reverse("members:home")).text
    assert client.get(MANAGE).status_code == 403


def test_an_executor_writes_a_programme_with_a_french_description(client):
    by = executor(client)
    assert "No programme yet" in client.get(MANAGE).text

    response = client.post(reverse("learning:programme_new"), PROGRAMME)

    programme = Programme.objects.get()
    assert response.url == reverse("learning:programme_edit", args=["django-study-group"])
    assert (programme.slug, programme.created_by, programme.status) == (
        "django-study-group",
        by,
        "published",
    )
    assert ProgrammeText.objects.get(programme=programme, language="fr").description.startswith(
        "Nous construisons"
    )
    entry = Entry.objects.get(verb=Verb.LEARNING_CHANGED)
    assert entry.detail["what"] == "programme"
    assert entry.after["title"] == "Django study group"
    assert "Django study group" in client.get(MANAGE).text
    assert "Nous construisons" in client.get("/fr/learning/django-study-group/").text


def test_a_programme_may_not_take_an_address_the_pages_use_or_another_has(client):
    executor(client)
    ProgrammeFactory(slug="taken")
    for slug, words in (("manage", "cannot be used"), ("taken", "has this address already")):
        response = client.post(reverse("learning:programme_new"), PROGRAMME | {"slug": slug})
        assert response.status_code == 200
        assert words in response.text
    assert Programme.objects.count() == 1
    assert not Entry.objects.filter(verb=Verb.LEARNING_CHANGED).exists()


def test_changing_a_programme_blanks_a_translation_and_keeps_its_address(client):
    executor(client)
    programme = ProgrammeFactory(slug="club")
    ProgrammeText.objects.create(programme=programme, language="fr", description="Texte.")
    url = reverse("learning:programme_edit", args=["club"])
    assert "Texte." in client.get(url).text

    client.post(url, PROGRAMME | {"slug": "club", "title": "New title", "text_fr": ""})

    programme.refresh_from_db()
    assert (programme.title, programme.slug) == ("New title", "club")
    assert not programme.texts.exists()


def test_a_cohort_needs_sign_up_to_close_after_it_opens_and_hosts_with_accounts(client):
    executor(client)
    programme = ProgrammeFactory(slug="club")
    url = reverse("learning:cohort_new", args=["club"])
    assert client.get(reverse("learning:programme_edit", args=["club"])).text.count(url) == 1

    early = client.post(url, cohort_form(signup_closes_at="2026-12-01T09:00"))
    unknown = client.post(url, cohort_form(hosts="nobody@example.org"))
    huge = client.post(url, cohort_form(capacity="1001"))

    assert "Sign-up must close after it opens." in early.text
    assert "No account has this address: nobody@example.org" in unknown.text
    assert "1000" in huge.text or "1,000" in huge.text
    assert not Cohort.objects.exists()

    host = person()
    response = client.post(url, cohort_form(hosts=f"  {host.email.upper()}\n"))
    assert response.status_code == 302
    cohort = Cohort.objects.get(programme=programme)
    assert list(cohort.hosts.all()) == [host]
    assert (cohort.capacity, cohort.sessions_to_complete) == (10, 3)
    assert Entry.objects.get(verb=Verb.LEARNING_CHANGED).detail["hosts"] == [host.pk]


def test_a_host_changes_their_cohort_and_more_places_go_to_the_people_waiting(
    client, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(capacity=1)
    first, second = person(), person()
    services.sign_up(cohort=cohort, user=first)
    services.sign_up(cohort=cohort, user=second)
    host = person(client)
    cohort.hosts.add(host)
    mail.outbox.clear()
    url = reverse("learning:cohort_edit", args=[cohort.pk])
    assert url in client.get(reverse("learning:host", args=[cohort.pk])).text
    page = client.get(url).text
    assert 'name="hosts"' not in page  # who hosts is the executors' choice

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            cohort_form(
                capacity="2",
                signup_opens_at=f"{cohort.signup_opens_at:%Y-%m-%dT%H:%M}",
                signup_closes_at=f"{cohort.signup_closes_at:%Y-%m-%dT%H:%M}",
                hosts="someone@example.org",
            ),
        )

    assert response.url == reverse("learning:host", args=[cohort.pk])
    assert list(cohort.enrolments.values_list("status", flat=True)) == [E.ENROLLED, E.ENROLLED]
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert list(cohort.hosts.all()) == [host]


def test_someone_who_does_not_host_it_finds_nothing(client):
    cohort = CohortFactory()
    material = Material.objects.create(programme=cohort.programme, title="A book")
    other = CohortFactory()
    other.hosts.add(person(client))
    for url in (
        reverse("learning:cohort_edit", args=[cohort.pk]),
        reverse("learning:materials", args=[cohort.programme.slug]),
        reverse("learning:material_edit", args=[material.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("learning:material_remove", args=[material.pk])).status_code == 404
    assert Material.objects.exists()
    for url in (MANAGE, reverse("learning:cohort_new", args=[cohort.programme.slug])):
        assert client.get(url).status_code == 403


def test_a_host_keeps_the_reading_list_with_a_partner_offer(client):
    cohort = CohortFactory()
    cohort.hosts.add(person(client))
    offer = OfferFactory()
    url = reverse("learning:materials", args=[cohort.programme.slug])
    assert url in client.get(reverse("learning:host", args=[cohort.pk])).text
    assert "No material yet." in client.get(url).text

    client.post(url, {"kind": "book", "title": "Fluent Python", "author": "L. Ramalho",
                      "position": "1", "offer": offer.pk})  # fmt: skip
    again = client.post(url, {"kind": "book", "title": "Fluent Python", "author": "L. Ramalho",
                              "position": "2"})  # fmt: skip

    assert "lists this title by this author already" in again.text
    material = Material.objects.get()
    assert (material.offer, material.position) == (offer, 1)
    public = client.get(reverse("learning:detail", args=[cohort.programme.slug])).text
    assert "Fluent Python" in public
    assert offer.partner.name in public

    edit = reverse("learning:material_edit", args=[material.pk])
    client.post(edit, {"kind": "course", "title": "Fluent Python, 2nd ed.", "position": "0"})
    material.refresh_from_db()
    assert (material.kind, material.title, material.offer) == (
        "course",
        "Fluent Python, 2nd ed.",
        None,
    )

    response = client.post(reverse("learning:material_remove", args=[material.pk]))
    assert response.url == url
    assert not Material.objects.exists()
    assert Entry.objects.filter(verb=Verb.LEARNING_CHANGED).count() == 3


@pytest.mark.parametrize("url_name", ["manage", "programme_edit", "materials"])
def test_the_executors_lists_cost_the_same_whatever_their_size(client, uncached, url_name):
    executor(client)
    programme = ProgrammeFactory(slug="club")
    url = reverse(f"learning:{url_name}", args=[] if url_name == "manage" else ["club"])

    def grow(count):
        for _number in range(count):
            CohortFactory(programme=programme)
            ProgrammeFactory()
            Material.objects.create(
                programme=programme, title=f"Book {Material.objects.count()}", offer=OfferFactory()
            )

    grow(2)
    client.get(url)
    _response, few = get_with_queries(client, url)
    grow(12)
    _response, many = get_with_queries(client, url)
    assert len(many) == len(few)


def test_a_host_is_found_whatever_the_case_of_their_stored_address(client):
    executor(client)
    ProgrammeFactory(slug="club")
    host = person()
    host.email = "Ada.Host@Example.org"
    host.save(update_fields=["email"])

    client.post(
        reverse("learning:cohort_new", args=["club"]), cohort_form(hosts="ada.host@example.org")
    )

    assert list(Cohort.objects.get().hosts.all()) == [host]


def test_a_title_that_is_another_learning_page_gets_an_address_of_its_own(client):
    executor(client)

    client.post(reverse("learning:programme_new"), PROGRAMME | {"title": "Manage"})
    client.post(reverse("learning:programme_new"), PROGRAMME | {"title": "Manage"})

    assert sorted(Programme.objects.values_list("slug", flat=True)) == [
        "manage-programme",
        "manage-programme-2",
    ]
