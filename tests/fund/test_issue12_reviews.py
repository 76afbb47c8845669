"""Issue 12 item 7: a round sets how many reviews an application needs; with fewer, the
committee table flags it and the proposal leaves it out, unless an executor allows it
with a reason (in the audit log)."""

import pytest

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.fund import selectors, services
from bpd.fund.services import FundError
from tests.fund.conftest import make_application, review


@pytest.fixture
def once_reviewed(fund_round, event, reviewers):
    application = make_application(fund_round, event)
    review(application, reviewers[:1])  # the round needs 2 (the default)
    return application


def test_7_the_committee_table_flags_an_application_with_too_few_reviews(
    client, fund_round, once_reviewed, executor
):
    client.force_login(executor)

    html = client.get(f"/fund/{fund_round.slug}/committee/").text

    assert "too few" in html


def test_7_the_proposal_leaves_it_out_until_an_executor_allows_it(
    fund_round, event, once_reviewed, executor, reviewers
):
    fully = make_application(fund_round, event)
    review(fully, reviewers)

    proposal, _left = selectors.allocation_proposal(fund_round, executor)
    assert set(proposal.chosen) == {fully.pk}

    services.allow_few_reviews(
        application=once_reviewed, actor=executor, reason="Both know the field"
    )

    proposal, _left = selectors.allocation_proposal(fund_round, executor)
    assert set(proposal.chosen) == {fully.pk, once_reviewed.pk}
    entry = Entry.objects.get(verb=Verb.FEW_REVIEWS_ALLOWED)
    assert entry.reason == "Both know the field"
    assert entry.actor == executor


def test_7_allowing_needs_a_reason(once_reviewed, executor):
    with pytest.raises(FundError):
        services.allow_few_reviews(application=once_reviewed, actor=executor, reason="  ")

    once_reviewed.refresh_from_db()
    assert once_reviewed.few_reviews_reason == ""


def test_7_the_decide_page_offers_it_and_explains_a_refusal(client, once_reviewed, executor):
    client.force_login(executor)
    page = f"/fund/applications/{once_reviewed.pk}/decide/"

    assert "1 review so far; this round needs 2" in client.get(page).text

    refused = client.post(f"/fund/applications/{once_reviewed.pk}/few-reviews/", {})
    assert refused.status_code == 200
    assert 'class="error-summary"' in refused.text
    once_reviewed.refresh_from_db()
    assert once_reviewed.few_reviews_reason == ""

    allowed = client.post(
        f"/fund/applications/{once_reviewed.pk}/few-reviews/", {"few_reviews_reason": "Urgent"}
    )
    assert allowed.status_code == 302
    once_reviewed.refresh_from_db()
    assert once_reviewed.few_reviews_reason == "Urgent"
    assert "An executor allowed it into the proposal all the same" in client.get(page).text


def test_7_a_round_asks_for_at_least_one_review(fund_round):
    from django.core.exceptions import ValidationError

    from bpd.fund.forms import RoundForm

    assert "min_reviews" in RoundForm(instance=fund_round).fields
    fund_round.min_reviews = 0
    with pytest.raises(ValidationError):
        fund_round.full_clean()
