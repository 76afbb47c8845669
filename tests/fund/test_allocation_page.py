"""Issue 12 item 8: the allocation page says what it proposes in plain words; the
method's name is folded away for whoever wants it."""

import re

from tests.fund.conftest import make_application, review


def test_8_the_proposal_is_explained_in_plain_words(client, fund_round, event, executor, reviewers):
    review(make_application(fund_round, event), reviewers)
    client.force_login(executor)

    html = client.get(f"/fund/{fund_round.slug}/allocate/").text

    assert "The best set of awards that fits the budget: 1 award, total score" in html
    assert re.search(r"No other choice could score more than [\d.,]+% higher", html)
    folded = html.split('<details class="measure">', 1)[1].split("</details>", 1)[0]
    assert "knapsack" in folded
    assert "knapsack" not in html.replace(folded, "")


def test_8_the_explanation_is_in_the_readers_language(
    client, fund_round, event, executor, reviewers
):
    review(make_application(fund_round, event), reviewers)
    client.force_login(executor)

    html = client.get(f"/fr/fund/{fund_round.slug}/allocate/").text

    assert "0\u00a0%" in html or "0%" in html
    assert "The best set of awards" not in html
