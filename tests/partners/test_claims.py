"""Claiming an offer (bpd/partners/claims.py): eligibility at its edges, one claim per
member per offer whatever their email, limits per kind, codes never given twice, refusals
that write nothing, the seat's confirmation email, and what a claim from a pool costs."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bpd.partners import claims
from bpd.partners.claims import ClaimError, eligibility
from bpd.partners.models import Claim, Code, Offer
from tests.factories import ProfileFactory, UserFactory
from tests.partners.factories import ClaimFactory, OfferFactory, add_codes

pytestmark = pytest.mark.django_db
K = Offer.Kind
NOW = timezone.now().replace(microsecond=0)
TICK = dt.timedelta(microseconds=1)


def member(**profile):
    return ProfileFactory(**profile).user


def shared(**fields):
    return OfferFactory(kind=K.SHARED_CODE, shared_code="BPD10", **fields)


# --- Eligibility at its edges -------------------------------------------------------------


@pytest.mark.parametrize(
    ("countries", "country", "allowed"),
    [(["NG", "GH"], "NG", True), (["NG", "GH"], "KE", False), ([], "KE", True)],
)
def test_eligibility_by_country(countries, country, allowed):
    offer = shared(countries=countries)
    assert (eligibility(offer, member(country=country), now=NOW) == []) is allowed


@pytest.mark.parametrize(
    ("region", "country", "allowed"),
    [
        ("002", "NG", True),  # Africa (region)
        ("202", "NG", True),  # Sub-Saharan Africa (subregion)
        ("011", "NG", True),  # Western Africa (intermediate)
        ("011", "KE", False),  # Kenya is in Eastern Africa
        ("029", "JM", True),  # the Caribbean
        ("002", "JM", False),
    ],
)
def test_eligibility_by_region_at_every_level(region, country, allowed):
    offer = shared(regions=[region])
    reasons = eligibility(offer, member(country=country), now=NOW)
    assert (reasons == []) is allowed, reasons


def test_eligibility_by_skill_level_and_career_status():
    offer = shared(skill_levels=["beginner"], career_statuses=["student", "looking"])
    assert (
        eligibility(offer, member(skill_level="beginner", career_status="student"), now=NOW) == []
    )
    assert eligibility(offer, member(skill_level="expert", career_status="student"), now=NOW) == [
        "This offer is for members at another level of Python experience."
    ]
    assert eligibility(
        offer, member(skill_level="beginner", career_status="employed"), now=NOW
    ) == ["This offer is for members in another career situation."]


def test_eligibility_window_opens_at_its_start_exactly():
    offer = shared(starts_at=NOW)
    person = member()
    assert eligibility(offer, person, now=NOW - TICK) == ["This offer is not open yet."]
    assert eligibility(offer, person, now=NOW) == []


def test_eligibility_window_closes_at_its_end_exactly():
    offer = shared(ends_at=NOW)
    person = member()
    assert eligibility(offer, person, now=NOW - TICK) == []
    assert eligibility(offer, person, now=NOW) == ["This offer has ended."]


def test_eligibility_first_timers_only_until_the_date():
    offer = shared(first_timers_until=NOW)
    veteran, newcomer = member(), member()
    ClaimFactory(user=veteran, offer=shared())
    before = eligibility(offer, veteran, now=NOW - TICK)
    assert len(before) == 1
    assert before[0].startswith("Until ")
    assert eligibility(offer, newcomer, now=NOW - TICK) == []
    assert eligibility(offer, veteran, now=NOW) == []  # from the date on, everyone


def test_eligibility_without_a_profile_refuses_restricted_offers_only():
    person = UserFactory()  # no profile yet
    assert eligibility(shared(), person, now=NOW) == []
    assert eligibility(shared(countries=["NG"]), person, now=NOW) == [
        "This offer is for members in other countries."
    ]
    assert eligibility(shared(skill_levels=["beginner"]), person, now=NOW) != []


def test_eligibility_refuses_offers_not_approved_or_of_an_ended_partner():
    person = member()
    draft = shared(status=Offer.Status.DRAFT)
    ended = shared()
    ended.partner.status = ended.partner.Status.ENDED
    ended.partner.save()
    assert eligibility(draft, person, now=NOW) == ["This offer is not available."]
    assert eligibility(ended, person, now=NOW) == ["This offer is not available."]


# --- One claim per member per offer -----------------------------------------------------


def test_claim_twice_is_refused():
    offer = shared()
    person = member()
    claims.claim(offer=offer, user=person)
    with pytest.raises(ClaimError, match="already claimed"):
        claims.claim(offer=offer, user=person)
    assert Claim.objects.filter(offer=offer).count() == 1


def test_claim_after_the_member_changes_their_email_is_still_refused():
    offer = OfferFactory(kind=K.SEATS, quantity=5)
    person = member()
    claims.claim(offer=offer, user=person, consent=True)
    person.email = "new-address@example.com"
    person.save()
    with pytest.raises(ClaimError):
        claims.claim(offer=offer, user=person, consent=True)
    assert Claim.objects.filter(offer=offer).count() == 1


@pytest.mark.parametrize("kind", [K.SHARED_CODE, K.LINK])
def test_claim_of_a_shared_code_or_link_has_no_limit(kind):
    offer = OfferFactory(kind=kind, shared_code="BPD10" if kind == K.SHARED_CODE else "")
    for _number in range(15):
        claims.claim(offer=offer, user=member())
    assert offer.claims.count() == 15
    assert claims.remaining(offer) is None


def test_claim_of_seats_stops_at_the_quantity():
    offer = OfferFactory(kind=K.SEATS, quantity=2)
    for _number in range(2):
        claims.claim(offer=offer, user=member(), consent=True)
    with pytest.raises(ClaimError, match="Every seat"):
        claims.claim(offer=offer, user=member(), consent=True)
    assert offer.claims.count() == 2
    assert claims.remaining(offer) == 0


def test_claim_of_a_reclaimed_seat_frees_it_for_another_member():
    offer = OfferFactory(kind=K.SEATS, quantity=1)
    first = claims.claim(offer=offer, user=member(), consent=True)
    Claim.objects.filter(pk=first.pk).update(status=Claim.Status.RECLAIMED)
    claims.claim(offer=offer, user=member(), consent=True)
    assert offer.claims.filter(status=Claim.Status.ACTIVE).count() == 1


def test_claim_of_a_seat_needs_consent_and_keeps_what_was_shared():
    offer = OfferFactory(kind=K.SEATS, quantity=3)
    person = member()
    with pytest.raises(ClaimError, match="agreement"):
        claims.claim(offer=offer, user=person)
    row = claims.claim(offer=offer, user=person, consent=True, now=NOW)
    assert (row.shared_email, row.consented_at) == (person.email, NOW)


def test_claim_of_a_code_or_link_shares_nothing():
    row = claims.claim(offer=shared(), user=member())
    assert (row.shared_email, row.consented_at) == ("", None)


def test_claim_from_a_pool_never_gives_a_code_twice():
    offer = OfferFactory(kind=K.UNIQUE_CODES)
    add_codes(offer, 3)
    given = [claims.claim(offer=offer, user=member()).code.code for _number in range(3)]
    with pytest.raises(ClaimError, match="Every code"):
        claims.claim(offer=offer, user=member())
    assert len(set(given)) == 3
    assert Code.objects.filter(offer=offer, claim__isnull=False).count() == 3


def test_claim_from_a_pool_skips_revoked_codes():
    offer = OfferFactory(kind=K.UNIQUE_CODES)
    add_codes(offer, 2)
    first = Code.objects.filter(offer=offer).order_by("pk").first()
    Code.objects.filter(pk=first.pk).update(revoked=True)
    row = claims.claim(offer=offer, user=member())
    assert row.code.pk != first.pk
    with pytest.raises(ClaimError):
        claims.claim(offer=offer, user=member())


def test_claim_records_the_members_country_and_region():
    row = claims.claim(offer=shared(), user=member(country="GH"))
    assert (row.country, row.region) == ("GH", "002")


@pytest.mark.parametrize(
    "setup",
    ["ineligible", "no_consent", "pool_empty", "twice", "ended"],
)
def test_claim_error_writes_nothing(setup):
    person = member(country="NG")
    offer = OfferFactory(kind=K.UNIQUE_CODES)
    add_codes(offer, 1)
    if setup == "ineligible":
        offer = OfferFactory(kind=K.UNIQUE_CODES, countries=["KE"])
        add_codes(offer, 1)
    elif setup == "no_consent":
        offer = OfferFactory(kind=K.SEATS, quantity=3)
    elif setup == "pool_empty":
        claims.claim(offer=offer, user=member())
    elif setup == "twice":
        claims.claim(offer=offer, user=person)
        add_codes(offer, 1, prefix="MORE")
    elif setup == "ended":
        offer = OfferFactory(kind=K.UNIQUE_CODES, ends_at=NOW - TICK)
        add_codes(offer, 1)
    before = (
        Claim.objects.count(),
        list(Code.objects.order_by("pk").values_list("claim", "given_at")),
    )
    with pytest.raises(ClaimError):
        claims.claim(offer=offer, user=person)
    after = (
        Claim.objects.count(),
        list(Code.objects.order_by("pk").values_list("claim", "given_at")),
    )
    assert after == before


# --- The seat's email --------------------------------------------------------------------


def test_claim_of_a_seat_emails_the_member_what_was_shared(
    mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(kind=K.SEATS, quantity=3, reclaim_days=30, partner__name="Talk Py")
    person = member()
    with django_capture_on_commit_callbacks(execute=True):
        claims.claim(offer=offer, user=person, consent=True)
    (mail,) = mailoutbox
    assert mail.to == [person.email]
    assert "Talk Py" in mail.subject
    assert person.email in mail.body
    assert "Talk Py" in mail.body
    assert "30 days" in mail.body


def test_claim_of_a_seat_emails_in_the_members_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    offer = OfferFactory(kind=K.SEATS, quantity=3)
    person = member()
    person.language = "fr"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        claims.claim(offer=offer, user=person, consent=True)
    (mail,) = mailoutbox
    # Written under the member's language (its words are translated afterwards).
    assert '<html lang="fr">' in mail.alternatives[0][0]


def test_claim_of_a_code_sends_no_email(mailoutbox, django_capture_on_commit_callbacks):
    offer = OfferFactory(kind=K.UNIQUE_CODES)
    add_codes(offer, 1)
    with django_capture_on_commit_callbacks(execute=True):
        claims.claim(offer=offer, user=member())
    assert mailoutbox == []


# --- What a claim from a pool costs -------------------------------------------------------


def _claim_queries(offer):
    person = member()
    with CaptureQueriesContext(connection) as captured:
        claims.claim(offer=offer, user=person)
    return [
        query["sql"]
        for query in captured
        if not query["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.mark.parametrize("size", [10, 10_000])
def test_claim_from_a_pool_costs_five_queries_whatever_its_size(size):
    offer = OfferFactory(kind=K.UNIQUE_CODES)
    add_codes(offer, size)
    queries = _claim_queries(offer)
    assert len(queries) <= 5, "\n".join(queries)


def test_claim_from_a_nearly_empty_pool_costs_five_queries():
    offer = OfferFactory(kind=K.UNIQUE_CODES)
    add_codes(offer, 50)
    taken = Code.objects.filter(offer=offer).order_by("pk")[:49]
    Code.objects.filter(pk__in=list(taken.values_list("pk", flat=True))).update(
        given_at=NOW, revoked=False
    )
    queries = _claim_queries(offer)
    assert len(queries) <= 5, "\n".join(queries)
    assert claims.remaining(offer) == 0
