"""The partner portal: who sees which partner, the small-count rule (attacked), the CSVs,
never a name or an unshared email, the redemptions upload, the hub, and what pages cost."""

import csv
import datetime as dt
import io
import itertools
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.members.roles import Role
from bpd.partners import portal
from bpd.partners.models import Claim, Code, Offer, Redemption
from bpd.website import registry
from tests.factories import ProfileFactory, UserFactory
from tests.partners.factories import (
    ClaimFactory,
    CodeFactory,
    OfferFactory,
    PartnerFactory,
    PartnerPersonFactory,
)

pytestmark = pytest.mark.django_db
K = Offer.Kind
FEWER = "fewer than 10"


def person_of(partner, client=None):
    user = PartnerPersonFactory(partner=partner).user
    if client is not None:
        client.force_login(user)
    return user


def seats_offer(partner=None, **extra):
    extra.setdefault("quantity", 50)
    return OfferFactory(kind=K.SEATS, partner=partner or PartnerFactory(), **extra)


def seat(offer, **extra):
    user = extra.pop("user", None) or ProfileFactory().user
    return ClaimFactory(offer=offer, user=user, shared_email=user.email, **extra)


def pages_of(offer):
    return [
        f"/partners/portal/offers/{offer.pk}/",
        f"/partners/portal/offers/{offer.pk}/use.csv",
        f"/partners/portal/offers/{offer.pk}/redemptions/",
        f"/partners/portal/offers/{offer.pk}/seats/",
        f"/partners/portal/offers/{offer.pk}/seats.csv",
    ]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- Who sees what ----------------------------------------------------------------------


def test_portal_pages_of_another_partner_are_404(client):
    offer = seats_offer()
    person_of(PartnerFactory(), client)

    assert [client.get(url).status_code for url in pages_of(offer)] == [404] * 5
    assert client.get("/partners/portal/").status_code == 200


def test_portal_pages_are_403_for_a_member_even_with_the_partner_role(client):
    offer = seats_offer()
    client.force_login(ProfileFactory(user=UserFactory(roles=[Role.PARTNER])).user)

    urls = ["/partners/portal/", *pages_of(offer)]
    assert [client.get(url).status_code for url in urls] == [403] * 6


def test_portal_pages_send_visitors_to_sign_in(client):
    offer = seats_offer()

    assert all(client.get(url).status_code == 302 for url in pages_of(offer))


def test_portal_pages_open_for_the_partner_and_executors(client):
    offer = seats_offer()
    seat(offer)
    person_of(offer.partner, client)
    assert [client.get(url).status_code for url in pages_of(offer)] == [200] * 5

    client.force_login(ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user)
    assert [client.get(url).status_code for url in pages_of(offer)] == [200] * 5


def test_portal_index_lists_only_the_persons_partners(client):
    mine, theirs = PartnerFactory(name="Mine Ltd"), PartnerFactory(name="Theirs Ltd")
    OfferFactory(partner=mine, title="My offer")
    OfferFactory(partner=theirs, title="Their offer")
    person_of(mine, client)

    page = client.get("/partners/portal/").text

    assert "My offer" in page
    assert "Mine Ltd" in page
    assert "Their offer" not in page
    assert "Theirs Ltd" not in page


def test_seats_page_is_404_for_an_offer_without_seats(client):
    offer = OfferFactory()
    person_of(offer.partner, client)

    assert client.get(f"/partners/portal/offers/{offer.pk}/seats/").status_code == 404


# --- The small-count rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"), [(0, FEWER), (1, FEWER), (9, FEWER), (10, "10"), (11, "11")]
)
def test_suppress_hides_every_count_below_ten(count, shown):
    assert str(portal.count_cell(count)) == shown
    cells, _rows, _columns, _grand = portal.suppress([[count]], row_totals=False)
    assert str(cells[0][0]) == shown


def _recoverable(cells, row_totals, column_totals, grand):
    """Cells an attacker works out: a line (row or column with its total) with exactly one
    unknown term gives it away as the total minus the others."""
    rows = [[*row, total] for row, total in zip(cells, row_totals, strict=True)]
    rows.append([*column_totals, grand])
    found = []
    lines = [rows[r] for r in range(len(rows))]
    lines += [[row[c] for row in rows] for c in range(len(rows[0]))]
    for line in lines:
        terms, total = line[:-1], line[-1]
        if total is None or total.hidden:
            continue
        unknown = [cell for cell in terms if cell is not None and cell.hidden]
        if len(unknown) == 1:
            found.append(line)
    return found


def test_suppress_never_leaves_one_hidden_cell_in_a_row_or_column():
    table = [[5, 20, 30], [40, 50, 60], [12, 13, 3]]

    cells, rows, columns, grand = portal.suppress(table)

    assert cells[0][0].small
    assert cells[2][2].small
    assert _recoverable(cells, rows, columns, grand) == []
    assert str(grand) == str(sum(map(sum, table)))  # the grand total can stay


def test_suppress_hides_a_second_cell_so_the_total_gives_nothing_away():
    cells, _rows, columns, _grand = portal.suppress([[3], [25], [40]], row_totals=False)

    shown = [str(row[0]) for row in cells]
    assert shown == [FEWER, "withheld", "40"]
    assert str(columns[0]) == "68"  # 68 - 40 = 28: the sum of two hidden cells, not either


def test_suppress_hides_a_lone_cells_total_when_nothing_else_can_be_hidden():
    cells, rows, _columns, _grand = portal.suppress([[4, 30]], column_totals=False)

    assert [str(c) for c in cells[0]] == [FEWER, "withheld"]
    assert not rows[0].hidden  # two hidden in the row: their sum is known, not each


def test_suppress_withstands_every_small_table_an_attacker_tries():
    values = [0, 1, 9, 10, 11, 25]
    for a, b, c, d in itertools.product(values, repeat=4):
        for with_rows in (True, False):
            cells, rows, columns, grand = portal.suppress([[a, b], [c, d]], row_totals=with_rows)
            if not with_rows:
                rows, grand = [None, None], None
            assert _recoverable(cells, rows, columns, grand) == [], (a, b, c, d, with_rows)
            for cell in itertools.chain(*cells):
                assert cell.hidden or cell.count >= portal.SMALL


def _month(day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def test_offer_page_hides_a_small_month_and_a_second_one_beside_it(client):
    offer = seats_offer(quantity=500)
    months = {dt.date(2025, 1, 15): 3, dt.date(2025, 2, 15): 25, dt.date(2025, 3, 15): 40}
    for day, n in months.items():
        for _i in range(n):
            seat(offer, claimed_at=_month(day))
    person_of(offer.partner, client)

    page = unescape(client.get(f"/partners/portal/offers/{offer.pk}/").text)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', page))

    assert rows["2025-01"] == FEWER
    assert rows["2025-02"] == "withheld"
    assert rows["2025-03"] == "40"
    assert rows["Total"] == "68"


def test_offer_csv_has_the_same_cells_as_the_page(client):
    offer = seats_offer(quantity=500)
    for day, n in {
        dt.date(2025, 1, 3): 1,
        dt.date(2025, 2, 3): 12,
        dt.date(2025, 4, 3): 30,
    }.items():
        for i in range(n):
            region = "002" if i % 3 else "019"
            seat(offer, claimed_at=_month(day), region=region)
    person_of(offer.partner, client)

    page = unescape(client.get(f"/partners/portal/offers/{offer.pk}/").text)
    rows = list(
        csv.reader(io.StringIO(body(client.get(f"/partners/portal/offers/{offer.pk}/use.csv"))))
    )

    on_page = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td><td class="num">([^<]+)</td>',
        page,
    )
    assert [tuple(row[1:]) for row in rows[1:]] == on_page
    assert ("Africa", "28", FEWER) in on_page
    assert ("Americas", "15", FEWER) in on_page


def test_offer_csv_cells_cannot_become_formulas(client):
    partner = PartnerFactory()
    offer = seats_offer(partner, title="=HYPERLINK(1)")
    person_of(partner, client)

    text = body(client.get(f"/partners/portal/offers/{offer.pk}/use.csv"))

    assert not any(line.startswith(("=", "+", "-", "@")) for line in text.splitlines())


# --- Never a name or an unshared email --------------------------------------------------


def test_portal_never_shows_a_name_or_an_email_the_member_did_not_share(client):
    offer = seats_offer()
    shown = ProfileFactory(
        display_name="MARK-NAME-ONE", user=UserFactory(email="shared@example.com")
    )
    seat(offer, user=shown.user)
    hidden = ProfileFactory(
        display_name="MARK-NAME-TWO", user=UserFactory(email="account@example.com")
    )
    # Ended seats: their email is no longer for the partner.
    seat(offer, user=hidden.user, status=Claim.Status.RECLAIMED)
    codes = OfferFactory(partner=offer.partner)
    coder = ProfileFactory(
        display_name="MARK-NAME-THREE", user=UserFactory(email="coder@example.com")
    )
    claim = ClaimFactory(offer=codes, user=coder.user)
    CodeFactory(offer=codes, code="MARK-SECRET-CODE", claim=claim, given_at=timezone.now())
    person_of(offer.partner, client)

    urls = ["/partners/portal/", *pages_of(offer), *pages_of(codes)[:3]]
    text = "".join(body(client.get(url)) for url in urls)

    assert "shared@example.com" in text
    for marker in ("MARK-NAME", "account@example.com", "coder@example.com", "MARK-SECRET-CODE"):
        assert marker not in text


# --- Redemptions reported back ----------------------------------------------------------


def upload(client, offer, text, name="redemptions.csv"):
    data = text.encode() if isinstance(text, str) else text
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(f"/partners/portal/offers/{offer.pk}/redemptions/", {"file": file})


@pytest.fixture
def pool(client):
    """An offer of codes with three codes given and one still free; its partner signed in."""
    offer = OfferFactory(created_at=timezone.now() - dt.timedelta(days=60))
    for n in range(3):
        claim = ClaimFactory(offer=offer, claimed_at=timezone.now() - dt.timedelta(days=30))
        CodeFactory(offer=offer, code=f"GIVEN-{n}", claim=claim, given_at=claim.claimed_at)
    CodeFactory(offer=offer, code="FREE-0")
    person_of(offer.partner, client)
    return offer


def day(days=0):
    return (timezone.now() + dt.timedelta(days=days)).date().isoformat()


def nothing_written(offer):
    return (
        not Redemption.objects.filter(offer=offer).exists()
        and not Code.objects.filter(offer=offer, redeemed_at__isnull=False).exists()
        and not Claim.objects.filter(offer=offer, used_at__isnull=False).exists()
    )


def test_redemptions_upload_records_codes_and_reports_counts(client, pool):
    response = upload(client, pool, f"code,date\nGIVEN-0,{day(-2)}\nGIVEN-1,{day()}\n")

    assert response.status_code == 302
    assert Redemption.objects.filter(offer=pool).count() == 2
    assert Code.objects.filter(offer=pool, redeemed_at__isnull=False).count() == 2
    assert Claim.objects.filter(offer=pool, used_at__isnull=False).count() == 2
    entry = Entry.objects.get(verb=Verb.REDEMPTIONS_REPORTED)
    assert entry.detail["recorded"] == 2
    assert "GIVEN-0" not in str(entry.detail)
    assert "2 recorded, 0 already known" in client.get(response.url).text


def test_redemptions_reupload_skips_what_is_known(client, pool):
    upload(client, pool, f"code,date\nGIVEN-0,{day(-2)}\n")

    response = upload(client, pool, f"code,date\nGIVEN-0,{day(-2)}\nGIVEN-2,{day(-1)}\n")

    assert Redemption.objects.filter(offer=pool).count() == 2
    assert "1 recorded, 1 already known" in client.get(response.url).text


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("code,date\nGIVEN-0,2025-13-01\n", "line 2, date: Write the date as YYYY-MM-DD."),
        ("code,date\nGIVEN-0,12/01/2025\n", "line 2, date: Write the date as YYYY-MM-DD."),
        ("code,date\nGIVEN-0,{future}\n", "line 2, date: This date is in the future."),
        ("code,date\nGIVEN-0,2001-01-01\n", "line 2, date: This date is before the offer started."),
        (
            "code,date\nGIVEN-0,{today}\nNOPE,{today}\n",
            "line 3, code: This offer has no such code.",
        ),
        ("code,date\nFREE-0,{today}\n", "line 2, code: This code was never given to a member."),
        ("code,date\nGIVEN-0,{today}\nGIVEN-0,{today}\n", "line 3, code: Already on line 2."),
        ("code\nGIVEN-0\n", "line 1, date: This column is missing."),
        ("when,date\nGIVEN-0,{today}\n", "line 1, code: This column is missing"),
        ("code,date\nGIVEN-0,{today},extra\n", "line 2: This line has a different number"),
        ("code,date\n", "The file has no redemptions."),
    ],
)
def test_redemptions_upload_refuses_a_bad_file_and_writes_nothing(client, pool, text, error):
    text = text.format(today=day(), future=day(3))
    response = upload(client, pool, text)

    assert response.status_code == 200
    assert error in unescape(response.text)
    assert nothing_written(pool)


def test_redemptions_upload_refuses_a_file_over_2_mb(client, pool):
    text = "code,date\n" + f"GIVEN-0,{day()}\n" + "x" * (2 * 1024 * 1024)

    response = upload(client, pool, text)

    assert "larger than 2 MB" in response.text
    assert nothing_written(pool)


def test_redemptions_upload_refuses_more_than_100000_rows(pool):
    text = "code,date\n" + "".join(f"C-{n},{day()}\n" for n in range(portal.MAX_ROWS + 1))

    report = portal.report_redemptions(offer=pool, by=None, file=text.encode())

    assert report.errors[0][1:] == ("", "More than 100,000 rows.")
    assert nothing_written(pool)


def test_redemptions_upload_refuses_a_file_that_is_not_utf8(client, pool):
    response = upload(client, pool, b"code,date\n\xff\xfe,2025-01-01\n")

    assert "not UTF-8" in response.text
    assert nothing_written(pool)


def test_redemptions_of_seats_use_their_reference(client):
    offer = seats_offer(created_at=timezone.now() - dt.timedelta(days=10))
    held = seat(offer, claimed_at=timezone.now() - dt.timedelta(days=5))
    ended = seat(offer, status=Claim.Status.REVOKED)
    person_of(offer.partner, client)

    refused = upload(client, offer, f"reference,date\nS-{held.pk},{day()}\nS-{ended.pk},{day()}\n")
    assert "line 3, reference: This offer has no active seat" in unescape(refused.text)
    assert nothing_written(offer)

    upload(client, offer, f"reference,date\ns-{held.pk},{day()}\n")
    held.refresh_from_db()
    assert held.used_at is not None


def test_redemptions_page_has_no_form_for_a_shared_code(client):
    offer = OfferFactory(kind=K.SHARED_CODE, shared_code="BPD10")
    person_of(offer.partner, client)

    page = client.get(f"/partners/portal/offers/{offer.pk}/redemptions/").text

    assert "<form" not in page.split("<main", 1)[1]


# --- The hub ----------------------------------------------------------------------------


def test_hub_shows_partner_people_their_offers_and_seats_to_provision():
    offer = seats_offer()
    for _i in range(3):
        seat(offer)
    seat(offer, provisioned_at=timezone.now())
    user = person_of(offer.partner)

    tasks, cards = registry.hub(user)

    assert "3 seats to provision: " + offer.title in [task.text for task in tasks]
    card = next(card for card in cards if card.title == "Your offers")
    assert "fewer than 10" in card.summary


def test_hub_shows_executors_nothing_of_the_portal():
    seat(seats_offer())
    executor = ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR])).user

    tasks, cards = registry.hub(executor)

    assert "Your offers" not in [card.title for card in cards]
    assert not [task for task in tasks if "to provision" in task.text]


# --- What the pages cost ----------------------------------------------------------------


def queries(client, url):
    """The SQL of a GET of `url`, a streamed CSV read to its end (after one GET that
    creates the site's settings, so both sizes are counted alike)."""
    body(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        body(response)
    return [query["sql"] for query in captured]


def _fill(partner, n):
    for i in range(n):
        offer = seats_offer(partner, title=f"Seats {partner.pk}-{i}")
        for _j in range(3):
            seat(offer, region="002")
        codes = OfferFactory(partner=partner)
        claim = ClaimFactory(offer=codes, region="150")
        CodeFactory(offer=codes, claim=claim, given_at=timezone.now())
        Redemption.objects.create(
            offer=codes, claim=claim, reference=f"R-{claim.pk}", redeemed_on=timezone.now().date()
        )
    return partner


def test_portal_index_costs_the_same_at_two_sizes(client, uncached):
    partner = _fill(PartnerFactory(), 1)
    person_of(partner, client)
    few = queries(client, "/partners/portal/")
    _fill(partner, 6)
    PartnerPersonFactory(partner=_fill(PartnerFactory(), 2), user=partner.people.get().user)
    many = queries(client, "/partners/portal/")

    assert len(many) == len(few), "\n".join(many)


@pytest.mark.parametrize("page", ["", "use.csv", "seats/", "seats.csv", "redemptions/"])
def test_offer_pages_cost_the_same_at_two_sizes(client, uncached, page):
    offer = seats_offer(quantity=1000)
    for _i in range(2):
        seat(offer, region="002")
    person_of(offer.partner, client)
    url = f"/partners/portal/offers/{offer.pk}/{page}"
    few = queries(client, url)
    for i in range(30):
        claim = seat(
            offer,
            region=["002", "019", "142"][i % 3],
            claimed_at=_month(dt.date(2025, 1 + i % 12, 2)),
        )
        Redemption.objects.create(
            offer=offer, claim=claim, reference=f"S-{claim.pk}", redeemed_on=dt.date(2025, 6, 1)
        )
    many = queries(client, url)

    assert len(many) == len(few), "\n".join(many)
