"""Partners' services: partners and their people (the role granted and taken back),
offers written, sent, approved, rejected and withdrawn (who may, from which state),
their validation, the pool of codes (all or nothing), and revoking and re-issuing
claims (a revoked code is never given again)."""

import datetime as dt

import pytest
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.members.roles import Role, has_role
from bpd.partners import claims, services
from bpd.partners.models import Claim, Code, Offer, OfferText, Partner, PartnerPerson, PartnerText
from tests.factories import ProfileFactory, UserFactory
from tests.partners.factories import (
    ClaimFactory,
    OfferFactory,
    PartnerFactory,
    PartnerPersonFactory,
    add_codes,
)

pytestmark = pytest.mark.django_db
K, S = Offer.Kind, Offer.Status


@pytest.fixture
def executor():
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user


@pytest.fixture
def partner():
    return PartnerFactory(name="Talk Python", slug="talk-python")


@pytest.fixture
def person(partner):
    user = ProfileFactory(user=UserFactory(roles=[Role.PARTNER])).user
    PartnerPersonFactory(partner=partner, user=user)
    return user


@pytest.fixture
def outsider():
    """Acts for another partner."""
    user = ProfileFactory(user=UserFactory(roles=[Role.PARTNER])).user
    PartnerPersonFactory(partner=PartnerFactory(name="Other Org"), user=user)
    return user


def member():
    return ProfileFactory().user


def offer_data(**changes):
    return {
        "kind": K.SHARED_CODE, "title": "10% off courses", "language": "en",
        "description": "All courses.", "value": "10% off", "shared_code": "BPD10",
        "url": "https://talk.example.com/bpd", "audience": Offer.Audience.PUBLIC,
        **changes,
    }  # fmt: skip


def verbs(verb):
    return Entry.objects.filter(verb=verb)


# --- Partners -----------------------------------------------------------------------------


def test_save_partner_creates_with_unique_slug_and_audits(executor):
    PartnerFactory(name="Talk", slug="talk-python")
    partner = services.save_partner(
        by=executor, data={"name": "Talk  Python", "language": "en", "texts": {"fr": "Cours"}}
    )
    assert partner.name == "Talk Python"
    assert partner.slug == "talk-python-2"
    assert PartnerText.objects.get(partner=partner).description == "Cours"
    entry = verbs(Verb.PARTNER_CHANGED).get()
    assert entry.after["name"] == "Talk Python"


def test_save_partner_refuses_name_taken_in_another_case(executor, partner):
    with pytest.raises(services.PartnerError):
        services.save_partner(by=executor, data={"name": "TALK PYTHON"})
    assert Partner.objects.count() == 1


def test_save_partner_refuses_non_executor(person, partner):
    with pytest.raises(services.PartnerError):
        services.save_partner(partner=partner, by=person, data={"name": "Renamed"})
    partner.refresh_from_db()
    assert partner.name == "Talk Python"


def test_save_partner_edit_records_only_what_changed(executor, partner):
    services.save_partner(
        partner=partner, by=executor, data={"gives_back": "All of it", "name": partner.name}
    )
    entry = verbs(Verb.PARTNER_CHANGED).get()
    assert set(entry.after) == {"gives_back"}


def test_save_partner_refuses_slug_of_another(executor, partner):
    other = PartnerFactory(slug="other")
    with pytest.raises(services.PartnerError):
        services.save_partner(partner=other, by=executor, data={"slug": "talk-python"})


# --- People ---------------------------------------------------------------------------------


def test_add_person_grants_role_and_emails(
    executor, partner, mailoutbox, django_capture_on_commit_callbacks
):
    user = member()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_person(partner=partner, email=user.email.upper(), by=executor)
    user.refresh_from_db()
    assert has_role(user, Role.PARTNER)
    assert verbs(Verb.PARTNER_PERSON_ADDED).get().detail["role_granted"] is True
    assert verbs(Verb.ROLE_GRANTED).filter(person=user).exists()
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_add_person_refuses_unknown_email_and_twice(executor, partner, person):
    with pytest.raises(services.PartnerError):
        services.add_person(partner=partner, email="nobody@example.com", by=executor)
    with pytest.raises(services.PartnerError):
        services.add_person(partner=partner, email=person.email, by=executor)
    assert PartnerPerson.objects.count() == 1


def test_remove_person_takes_role_back_only_when_acting_gave_it(
    executor, partner, mailoutbox, django_capture_on_commit_callbacks
):
    user = member()
    other = PartnerFactory(name="Other")
    services.add_person(partner=partner, email=user.email, by=executor)
    services.add_person(partner=other, email=user.email, by=executor)
    first = PartnerPerson.objects.get(partner=partner, user=user)
    services.remove_person(person=first, by=executor, reason="left the company")
    user = type(user).objects.get(pk=user.pk)
    assert has_role(user, Role.PARTNER)  # still acts for the other partner
    second = PartnerPerson.objects.get(partner=other, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_person(person=second, by=executor, reason="left")
    user = type(user).objects.get(pk=user.pk)
    assert not has_role(user, Role.PARTNER)
    assert verbs(Verb.PARTNER_PERSON_REMOVED).count() == 2
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_remove_person_keeps_role_given_another_way(executor, partner, person):
    services.remove_person(person=person.partner_roles.get(), by=executor, reason="gone")
    person = type(person).objects.get(pk=person.pk)
    assert has_role(person, Role.PARTNER)


def test_remove_person_needs_a_reason(executor, person):
    with pytest.raises(services.PartnerError):
        services.remove_person(person=person.partner_roles.get(), by=executor, reason="  ")
    assert PartnerPerson.objects.count() == 1


# --- Writing offers ---------------------------------------------------------------------------


def test_save_offer_by_person_creates_draft_with_texts(partner, person):
    offer = services.save_offer(
        partner=partner, by=person, data=offer_data(texts={"fr": "Tous les cours", "en": "x"})
    )
    assert offer.status == S.DRAFT
    assert offer.created_by == person
    assert list(OfferText.objects.values_list("language", flat=True)) == ["fr"]
    assert verbs(Verb.OFFER_CHANGED).get().parent_id == str(partner.pk)


def test_save_offer_refuses_other_partner_and_plain_member(partner, outsider):
    for user in (outsider, member()):
        with pytest.raises(services.PartnerError):
            services.save_offer(partner=partner, by=user, data=offer_data())
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shared_code": ""}, "shared_code"),
        ({"shared_code": "BPD\x0010"}, "shared_code"),
        ({"kind": K.LINK, "url": ""}, "url"),
        ({"kind": K.SEATS, "quantity": None}, "quantity"),
        ({"kind": K.SEATS, "quantity": 0}, "quantity"),
        ({"kind": K.SEATS, "quantity": 5, "reclaim_days": 400}, "reclaim_days"),
        ({"title": ""}, "title"),
        ({"value": "x" * 121}, "value"),
        ({"countries": ["GH", "QQ"]}, "countries"),
        ({"countries": ["EU"]}, "countries"),
        ({"regions": ["999"]}, "regions"),
        ({"skill_levels": ["guru"]}, "skill_levels"),
        ({"career_statuses": ["retired"]}, "career_statuses"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"language": "xx"}, "language"),
    ],
)
def test_save_offer_refuses_invalid_field(partner, person, changes, field):
    with pytest.raises(services.OfferInvalid) as refused:
        services.save_offer(partner=partner, by=person, data=offer_data(**changes))
    assert field in refused.value.errors
    assert not Offer.objects.exists()


def test_save_offer_refuses_end_before_start(partner, person):
    now = timezone.now()
    with pytest.raises(services.OfferInvalid) as refused:
        services.save_offer(partner=partner, by=person, data=offer_data(starts_at=now, ends_at=now))
    assert "ends_at" in refused.value.errors


def test_save_offer_accepts_known_regions_countries_and_choices(partner, person):
    offer = services.save_offer(
        partner=partner, by=person,
        data=offer_data(countries=["GH", "XK"], regions=["002", "202"], skill_levels=["new"],
                        career_statuses=["student"]),
    )  # fmt: skip
    assert offer.regions == ["002", "202"]


def test_save_offer_forces_members_for_codes_and_seats_and_empties_unused_fields(partner, person):
    offer = services.save_offer(
        partner=partner, by=person,
        data=offer_data(kind=K.SEATS, quantity=20, reclaim_days=30, audience="public"),
    )  # fmt: skip
    assert offer.audience == Offer.Audience.MEMBERS
    assert offer.shared_code == ""
    link = services.save_offer(
        partner=partner, by=person, data=offer_data(kind=K.LINK, quantity=5, reclaim_days=3)
    )
    assert link.quantity is None
    assert link.reclaim_days is None
    assert link.audience == "public"


def test_save_offer_codes_quantity_never_below_codes_given(partner, executor):
    offer = OfferFactory(partner=partner, quantity=10)
    add_codes(offer, 3)
    for _n in range(2):
        claims.claim(offer=offer, user=member())
    with pytest.raises(services.OfferInvalid) as refused:
        services.save_offer(offer=offer, partner=partner, by=executor, data={"quantity": 1})
    assert "quantity" in refused.value.errors
    services.save_offer(offer=offer, partner=partner, by=executor, data={"quantity": 2})
    offer.refresh_from_db()
    assert offer.quantity == 2


def test_save_offer_person_may_not_change_pending_or_approved(partner, person):
    for status in (S.PENDING, S.APPROVED, S.WITHDRAWN):
        offer = OfferFactory(partner=partner, status=status, title="Before")
        with pytest.raises(services.PartnerError):
            services.save_offer(offer=offer, partner=partner, by=person, data={"title": "After"})
        offer.refresh_from_db()
        assert offer.title == "Before"


def test_save_offer_person_changes_rejected(partner, person):
    offer = OfferFactory(partner=partner, status=S.REJECTED, kind=K.LINK)
    services.save_offer(offer=offer, partner=partner, by=person, data={"title": "Better"})
    offer.refresh_from_db()
    assert offer.title == "Better"
    assert offer.status == S.REJECTED


def test_save_offer_after_approval_staff_change_dates_only(partner, executor):
    offer = OfferFactory(partner=partner, quantity=10)
    ends = timezone.now() + dt.timedelta(days=30)
    services.save_offer(
        offer=offer, partner=partner, by=executor, data={"ends_at": ends, "countries": ["GH"]}
    )
    offer.refresh_from_db()
    assert offer.ends_at == ends
    assert offer.countries == ["GH"]
    with pytest.raises(services.PartnerError):
        services.save_offer(offer=offer, partner=partner, by=executor, data={"title": "New title"})
    entry = verbs(Verb.OFFER_CHANGED).get()
    assert set(entry.after) == {"ends_at", "countries"}


def test_save_offer_refuses_kind_change_once_codes_exist(partner, person):
    offer = services.save_offer(partner=partner, by=person, data=offer_data(kind=K.UNIQUE_CODES))
    add_codes(offer, 1)
    with pytest.raises(services.OfferInvalid):
        services.save_offer(offer=offer, partner=partner, by=person, data={"kind": K.LINK})


# --- The lifecycle ---------------------------------------------------------------------------


def test_submit_offer_moves_to_pending_and_emails_executors(
    partner, person, executor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = services.save_offer(partner=partner, by=person, data=offer_data())
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_offer(offer=offer, by=person)
    offer.refresh_from_db()
    assert offer.status == S.PENDING
    assert [m.to for m in mailoutbox] == [[executor.email]]
    assert verbs(Verb.OFFER_SUBMITTED).get().after == {"status": S.PENDING}


@pytest.mark.parametrize("status", [S.PENDING, S.APPROVED, S.WITHDRAWN])
def test_submit_offer_refused_from_other_states(partner, person, status):
    offer = OfferFactory(partner=partner, status=status)
    with pytest.raises(services.PartnerError):
        services.submit_offer(offer=offer, by=person)
    offer.refresh_from_db()
    assert offer.status == status


def test_submit_offer_refused_for_other_partner(partner, outsider):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    with pytest.raises(services.PartnerError):
        services.submit_offer(offer=offer, by=outsider)
    assert Offer.objects.get().status == S.DRAFT


def test_approve_offer_by_executor_emails_people(
    partner, person, executor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(partner=partner, status=S.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_offer(offer=offer, by=executor, note="Great")
    offer.refresh_from_db()
    assert (offer.status, offer.decided_by, offer.decision_note) == (S.APPROVED, executor, "Great")
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert verbs(Verb.OFFER_APPROVED).exists()


def test_approve_offer_refused_for_partner_and_from_draft(partner, person, executor):
    pending = OfferFactory(partner=partner, status=S.PENDING)
    with pytest.raises(services.PartnerError):
        services.approve_offer(offer=pending, by=person)
    draft = OfferFactory(partner=partner, status=S.DRAFT)
    with pytest.raises(services.PartnerError):
        services.approve_offer(offer=draft, by=executor)
    assert set(Offer.objects.values_list("status", flat=True)) == {S.PENDING, S.DRAFT}


def test_reject_offer_needs_note_then_person_may_resubmit(partner, person, executor):
    offer = OfferFactory(partner=partner, status=S.PENDING)
    with pytest.raises(services.PartnerError):
        services.reject_offer(offer=offer, by=executor, note=" ")
    services.reject_offer(offer=offer, by=executor, note="Say what the discount is")
    offer.refresh_from_db()
    assert offer.status == S.REJECTED
    assert verbs(Verb.OFFER_REJECTED).get().reason
    services.submit_offer(offer=offer, by=person)
    assert Offer.objects.get().status == S.PENDING


@pytest.mark.parametrize("status", [S.PENDING, S.APPROVED])
def test_withdraw_offer_by_person(partner, person, status):
    offer = OfferFactory(partner=partner, status=status)
    services.withdraw_offer(offer=offer, by=person)
    assert Offer.objects.get().status == S.WITHDRAWN
    assert verbs(Verb.OFFER_WITHDRAWN).exists()


def test_withdraw_offer_refused_from_draft_and_for_others(partner, outsider, person):
    draft = OfferFactory(partner=partner, status=S.DRAFT)
    with pytest.raises(services.PartnerError):
        services.withdraw_offer(offer=draft, by=person)
    approved = OfferFactory(partner=partner)
    with pytest.raises(services.PartnerError):
        services.withdraw_offer(offer=approved, by=outsider)
    assert not Offer.objects.filter(status=S.WITHDRAWN).exists()


# --- The pool of codes ------------------------------------------------------------------------


def test_add_codes_lines_and_csv(partner, person):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    assert services.add_codes(offer=offer, by=person, text="A1\r\nA2\n\n A3 \n") == 3
    assert services.add_codes(offer=offer, by=person, text="\ufeffid,code\n1,B1\n2,B2\n") == 2
    assert sorted(Code.objects.values_list("code", flat=True)) == ["A1", "A2", "A3", "B1", "B2"]
    entries = verbs(Verb.CODES_ADDED)
    assert [e.detail["count"] for e in entries.order_by("pk")] == [3, 2]
    assert "A1" not in str(list(entries.values()))  # never the codes


@pytest.mark.parametrize(
    "text",
    [
        "A1\nA2\nA1\n",  # twice in the file
        "OLD-1\nNEW-1\n",  # already in the pool
        "A1\nA\x07B\n",  # a control character
        "A1\n" + "x" * 201 + "\n",  # too long
        "",  # nothing
    ],
)
def test_add_codes_all_or_nothing(partner, person, text):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    Code.objects.create(offer=offer, code="OLD-1")
    with pytest.raises(services.PartnerError):
        services.add_codes(offer=offer, by=person, text=text)
    assert list(Code.objects.values_list("code", flat=True)) == ["OLD-1"]
    assert not verbs(Verb.CODES_ADDED).exists()


def test_add_codes_names_duplicates(partner, person):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    Code.objects.create(offer=offer, code="OLD-1")
    with pytest.raises(services.PartnerError, match="OLD-1"):
        services.add_codes(offer=offer, by=person, text="NEW\nOLD-1\n")
    with pytest.raises(services.PartnerError, match="TWICE"):
        services.add_codes(offer=offer, by=person, text="TWICE\nTWICE\n")


def test_add_codes_refuses_too_many_and_too_big(partner, person, monkeypatch):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    with pytest.raises(services.PartnerError, match="100,000"):
        services.add_codes(offer=offer, by=person, text="\n".join(f"C{n}" for n in range(100_001)))
    with pytest.raises(services.PartnerError, match="2 MB"):
        services.add_codes(offer=offer, by=person, text=("y" * 199 + "\n") * 11_000)
    assert not Code.objects.exists()


def test_add_codes_accepts_exactly_the_limit(partner, person):
    offer = OfferFactory(partner=partner, status=S.DRAFT)
    assert (
        services.add_codes(offer=offer, by=person, text="\n".join(f"C{n}" for n in range(100_000)))
        == 100_000
    )


def test_add_codes_refused_beyond_quantity(partner, person):
    offer = OfferFactory(partner=partner, status=S.DRAFT, quantity=3)
    services.add_codes(offer=offer, by=person, text="A\nB\n")
    with pytest.raises(services.PartnerError):
        services.add_codes(offer=offer, by=person, text="C\nD\n")
    services.add_codes(offer=offer, by=person, text="C\n")
    assert Code.objects.count() == 3


def test_add_codes_refused_for_other_kind_other_partner_and_withdrawn(partner, person, outsider):
    link = OfferFactory(partner=partner, kind=K.LINK)
    with pytest.raises(services.PartnerError):
        services.add_codes(offer=link, by=person, text="A\n")
    pool = OfferFactory(partner=partner)
    with pytest.raises(services.PartnerError):
        services.add_codes(offer=pool, by=outsider, text="A\n")
    gone = OfferFactory(partner=partner, status=S.WITHDRAWN)
    with pytest.raises(services.PartnerError):
        services.add_codes(offer=gone, by=person, text="A\n")
    assert not Code.objects.exists()


# --- Revoking and re-issuing -------------------------------------------------------------------


def test_revoke_code_claim_never_gives_the_code_again(
    partner, executor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(partner=partner)
    add_codes(offer, 2)
    holder = member()
    claim = claims.claim(offer=offer, user=holder)
    first = claim.code.code
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_claim(claim=claim, by=executor, reason="shared the code publicly")
    claim.refresh_from_db()
    assert (claim.status, claim.ended_by, claim.end_reason) == (
        Claim.Status.REVOKED, executor, "shared the code publicly",
    )  # fmt: skip
    assert Code.objects.get(code=first).revoked
    other = claims.claim(offer=offer, user=member())
    assert other.code.code != first
    with pytest.raises(claims.ClaimError):  # the pool is empty now: the revoked one stays out
        claims.claim(offer=offer, user=member())
    assert [m.to for m in mailoutbox] == [[holder.email]]
    entry = verbs(Verb.CLAIM_REVOKED).get()
    assert entry.person == holder
    assert entry.detail["claim"] == claim.pk


def test_revoke_seat_goes_back_to_pool(partner, executor):
    offer = OfferFactory(partner=partner, kind=K.SEATS, quantity=1)
    claim = claims.claim(offer=offer, user=member(), consent=True)
    with pytest.raises(claims.ClaimError):
        claims.claim(offer=offer, user=member(), consent=True)
    services.revoke_claim(claim=claim, by=executor, reason="never used")
    assert claims.claim(offer=offer, user=member(), consent=True).status == Claim.Status.ACTIVE


def test_revoke_refused_without_reason_twice_and_for_partner(partner, person, executor):
    offer = OfferFactory(partner=partner, kind=K.SEATS, quantity=2)
    claim = ClaimFactory(offer=offer)
    with pytest.raises(services.PartnerError):
        services.revoke_claim(claim=claim, by=executor, reason="")
    with pytest.raises(services.PartnerError):
        services.revoke_claim(claim=claim, by=person, reason="no")
    assert Claim.objects.get().status == Claim.Status.ACTIVE
    services.revoke_claim(claim=claim, by=executor, reason="yes")
    with pytest.raises(services.PartnerError):
        services.revoke_claim(claim=claim, by=executor, reason="again")
    assert verbs(Verb.CLAIM_REVOKED).count() == 1


def test_reissue_code_gives_new_code_and_burns_the_old(
    partner, executor, mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(partner=partner)
    add_codes(offer, 3)
    holder = member()
    claim = claims.claim(offer=offer, user=holder)
    old = claim.code
    with django_capture_on_commit_callbacks(execute=True):
        services.reissue_claim(claim=claim, by=executor, reason="code did not work")
    claim.refresh_from_db()
    old.refresh_from_db()
    assert claim.status == Claim.Status.ACTIVE
    assert claim.code.pk != old.pk
    assert old.revoked
    assert old.claim is None
    assert claims.remaining(offer) == 1
    later = claims.claim(offer=offer, user=member())
    assert later.code.pk not in (old.pk, claim.code.pk)
    assert verbs(Verb.CLAIM_REISSUED).get().detail["old_code"] == old.pk
    assert [m.to for m in mailoutbox] == [[holder.email]]
    assert old.code not in mailoutbox[0].body


def test_reissue_code_refused_when_pool_is_empty(partner, executor):
    offer = OfferFactory(partner=partner)
    add_codes(offer, 1)
    claim = claims.claim(offer=offer, user=member())
    with pytest.raises(services.PartnerError):
        services.reissue_claim(claim=claim, by=executor, reason="broken")
    assert not Code.objects.filter(revoked=True).exists()


def test_reissue_revoked_seat_only_while_one_is_free(partner, executor):
    offer = OfferFactory(partner=partner, kind=K.SEATS, quantity=1)
    claim = claims.claim(offer=offer, user=member(), consent=True)
    Claim.objects.filter(pk=claim.pk).update(provisioned_at=timezone.now())
    services.revoke_claim(claim=claim, by=executor, reason="mistake")
    taker = claims.claim(offer=offer, user=member(), consent=True)
    with pytest.raises(services.PartnerError):
        services.reissue_claim(claim=claim, by=executor, reason="sorry")
    services.revoke_claim(claim=taker, by=executor, reason="duplicate")
    services.reissue_claim(claim=claim, by=executor, reason="sorry")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ACTIVE
    assert claim.provisioned_at is None
    assert not claim.end_reason


def test_reissue_refused_for_active_seat_shared_code_and_partner(partner, person, executor):
    seats = OfferFactory(partner=partner, kind=K.SEATS, quantity=3)
    seat = ClaimFactory(offer=seats)
    with pytest.raises(services.PartnerError):
        services.reissue_claim(claim=seat, by=executor, reason="x")
    shared = OfferFactory(partner=partner, kind=K.SHARED_CODE, shared_code="X")
    with pytest.raises(services.PartnerError):
        services.reissue_claim(claim=ClaimFactory(offer=shared), by=executor, reason="x")
    pool = OfferFactory(partner=partner)
    add_codes(pool, 2)
    held = claims.claim(offer=pool, user=member())
    with pytest.raises(services.PartnerError):
        services.reissue_claim(claim=held, by=person, reason="x")
    assert not verbs(Verb.CLAIM_REISSUED).exists()
