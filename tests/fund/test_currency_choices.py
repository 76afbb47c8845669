"""Currencies people can choose: in use today, named in the reader's language, the round's first."""

import re

import pytest
from django.utils import translation

from bpd.fund.forms import (
    ApplicationForm,
    BookingForm,
    OutOfPocketForm,
    RateForm,
    RoundForm,
)
from bpd.fund.models import Application
from bpd.ledger import money
from bpd.website.languages import sort_key
from tests.fund.conftest import make_application
from tests.fund.test_trust import accepted

WITHDRAWN = {"ADP", "AFA", "ALK", "DEM", "FRF", "HRK", "ZWD", "VEF"}
NOT_MONEY = {"XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR", "USN", "BOV", "CLF"}
IN_USE = {"USD", "NGN", "KES", "EUR", "BRL", "GHS", "ZAR", "XOF", "XAF", "JMD"}


def codes(field):
    return [code for code, _label in field.choices]


def options(html, name):
    """[(value, selected)] of the select called `name` on a page."""
    select = re.search(rf"<select[^>]*name=\"{name}\"[^>]*>(.*?)</select>", html, re.S).group(1)
    return [
        (value, bool(selected))
        for value, selected in re.findall(r"<option value=\"([^\"]*)\"( selected)?", select)
    ]


def test_currencies_in_use_leave_out_withdrawn_and_non_money_codes():
    in_use = money.in_use()

    assert not in_use & WITHDRAWN
    assert not in_use & NOT_MONEY
    assert in_use >= IN_USE


def test_currency_field_offers_only_currencies_in_use(db):
    offered = set(codes(RoundForm().fields["currency"])) - {""}

    assert offered == money.in_use()


def test_currency_labels_give_name_and_code_in_the_readers_language():
    labels = {
        language: dict(money.currency_choices(language=language))
        for language in ("en", "fr", "ha", "sw")
    }

    assert labels["en"]["USD"] == "US Dollar (USD)"
    assert labels["en"]["NGN"] == "Nigerian Naira (NGN)"
    assert labels["fr"]["USD"] == "Dollar des États-Unis (USD)"
    assert labels["ha"]["NGN"] == "Nairar Najeriya (NGN)"
    assert labels["sw"]["KES"] == "Shilingi ya Kenya (KES)"


def test_currency_labels_follow_the_active_language(db):
    with translation.override("fr"):
        labels = dict(RoundForm().fields["currency"].choices)

    assert labels["EUR"] == "Euro (EUR)"
    assert labels["BRL"] == "Réal brésilien (BRL)"


def test_currencies_sort_by_localised_name_after_the_rounds():
    for language in ("en", "fr", "ha"):
        chosen = money.currency_choices(first="KES", language=language)

        assert chosen[0][0] == "KES"
        rest = [label for _code, label in chosen[1:]]
        assert rest == sorted(rest, key=sort_key)
        assert "KES" not in [code for code, _label in chosen[1:]]


def test_rounds_withdrawn_currency_is_still_offered_first():
    assert money.currency_choices(first="HRK", language="en")[0] == ("HRK", "Croatian Kuna (HRK)")


def test_application_form_selects_the_rounds_currency_first(fund_round):
    fund_round.currency = "EUR"

    form = ApplicationForm(instance=Application(round=fund_round, applicant=None), round=fund_round)

    assert form["currency"].value() == "EUR"
    assert codes(form.fields["currency"])[0] == "EUR"


def test_application_page_selects_the_rounds_currency(leader_client, fund_round):
    client, _user = leader_client
    fund_round.currency = "KES"
    fund_round.save()

    page = client.get("/fund/test-round/apply/").content.decode()

    offered = options(page, "currency")
    assert offered[0] == ("KES", True)
    assert [value for value, selected in offered if selected] == ["KES"]
    assert "Kenyan Shilling (KES)" in page


def test_saved_application_keeps_its_own_currency(fund_round, event):
    application = make_application(fund_round, event, currency="NGN", submit=False)

    form = ApplicationForm(instance=application, round=fund_round)

    assert form["currency"].value() == "NGN"
    assert codes(form.fields["currency"])[0] == "USD"


def test_new_round_form_starts_at_us_dollars_not_the_first_currency(db):
    form = RoundForm()

    assert form["currency"].value() == "USD"
    assert options(str(form["currency"]), "currency")[0] == ("", False)
    assert ("USD", True) in options(str(form["currency"]), "currency")


def test_round_edit_form_leads_with_the_rounds_currency(fund_round):
    form = RoundForm(instance=fund_round)

    assert options(str(form["currency"]), "currency")[0] == ("USD", True)


def test_rate_form_starts_with_a_prompt_and_leaves_out_the_rounds_currency(fund_round):
    form = RateForm(round=fund_round)

    assert codes(form.fields["currency"])[0] == ""
    assert "USD" not in codes(form.fields["currency"])
    assert not any(selected for _value, selected in options(str(form["currency"]), "currency"))


@pytest.mark.parametrize("code", sorted(WITHDRAWN | NOT_MONEY | {"", "usd", "ZZZ"}))
def test_rate_form_refuses_currencies_not_in_the_list(fund_round, code):
    form = RateForm({"currency": code, "rate": "1.1", "as_of": "2026-01-01"}, round=fund_round)

    assert not form.is_valid()
    assert "currency" in form.errors


@pytest.mark.parametrize("form_class", [BookingForm, OutOfPocketForm])
def test_booking_forms_lead_with_the_rounds_currency(fund_round, form_class):
    fund_round.currency = "EUR"

    form = form_class(round=fund_round)

    assert codes(form.fields["currency"])[0] == "EUR"
    assert form["currency"].value() == "EUR"


@pytest.mark.parametrize("form_class", [BookingForm, OutOfPocketForm])
def test_booking_forms_without_a_round_choose_nothing(db, form_class):
    form = form_class()

    assert codes(form.fields["currency"])[0] == ""
    assert not form["currency"].value()


def test_bookings_page_selects_the_rounds_currency(client, fund_round, event, executor, treasurer):
    application = accepted(make_application(fund_round, event), executor)
    client.force_login(treasurer)

    page = client.get(f"/fund/applications/{application.pk}/bookings/").content.decode()

    for name in ("booking-currency", "pocket-currency"):
        offered = options(page, name)
        assert offered[0] == ("USD", True)
        assert [value for value, selected in offered if selected] == ["USD"]
