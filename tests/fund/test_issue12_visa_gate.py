"""Issue 12 item 2: nobody is approved for a trip they cannot make. The proposal never
awards a "not feasible" trip, an "unknown" one must be settled before release, and an
override needs a recorded source, kept in the audit log."""

import pytest

from bpd.audit.models import Entry
from bpd.fund import selectors, services
from bpd.fund.models import Application
from bpd.fund.services import FundError
from bpd.members.roles import Role
from tests.factories import UserFactory
from tests.fund.conftest import make_application, review

S = Application.Status


def scored(fund_round, event, reviewers, verdict):
    application = make_application(fund_round, event, costs={"flight": 50_000}, verdict=verdict)
    review(application, reviewers, values=(5, 5))
    return application


def test_2_the_proposal_never_awards_a_trip_whose_visa_is_not_feasible(
    fund_round, event, reviewers, executor
):
    blocked = scored(fund_round, event, reviewers, "not_feasible")
    fine = scored(fund_round, event, reviewers, "feasible")

    proposal, _left = selectors.allocation_proposal(fund_round, executor)
    services.stage_proposal(round=fund_round, actor=executor)

    assert fine.pk in proposal.chosen
    assert blocked.pk not in proposal.chosen
    blocked.refresh_from_db()
    assert blocked.decision.outcome != "award"


def test_2_an_award_for_a_not_feasible_trip_cannot_be_staged(
    fund_round, event, reviewers, executor
):
    blocked = scored(fund_round, event, reviewers, "not_feasible")

    with pytest.raises(FundError, match="not feasible"):
        services.stage_decision(
            application=blocked, outcome="award", items={"flight": 50_000}, actor=executor
        )


def test_2_an_unknown_verdict_blocks_the_release_and_names_the_application(
    fund_round, event, reviewers, executor
):
    unknown = scored(fund_round, event, reviewers, "unknown")
    services.stage_decision(
        application=unknown, outcome="award", items={"flight": 50_000}, actor=executor
    )

    with pytest.raises(FundError, match=f"#{unknown.pk}"):
        services.release_decisions(round=fund_round, actor=executor)

    unknown.refresh_from_db()
    assert unknown.status == S.SUBMITTED


def test_2_a_staff_check_with_its_source_settles_it_and_is_audited(
    fund_round, event, reviewers, executor
):
    unknown = scored(fund_round, event, reviewers, "unknown")
    services.stage_decision(
        application=unknown, outcome="award", items={"flight": 50_000}, actor=executor
    )

    services.record_visa_check(
        application=unknown, actor=executor, verdict="feasible",
        source="Czech embassy in Abuja: appointments in 12 days (seen 3 Dec)",
    )  # fmt: skip
    services.release_decisions(round=fund_round, actor=executor)

    unknown.refresh_from_db()
    assert unknown.status == S.OFFERED
    entry = Entry.objects.get(verb="fund.visa_checked")
    assert entry.reason.startswith("Czech embassy in Abuja")
    assert entry.before == {"verdict": "unknown"}
    assert entry.after == {"verdict": "feasible"}


def test_2_overriding_not_feasible_needs_a_source(fund_round, event, reviewers, executor):
    blocked = scored(fund_round, event, reviewers, "not_feasible")

    with pytest.raises(FundError, match="where the answer comes from"):
        services.record_visa_check(
            application=blocked, actor=executor, verdict="feasible", source="  "
        )
    services.record_visa_check(
        application=blocked,
        actor=executor,
        verdict="feasible",
        source="Holds a valid Schengen visa",
    )
    services.stage_decision(
        application=blocked, outcome="award", items={"flight": 50_000}, actor=executor
    )

    blocked.refresh_from_db()
    assert blocked.decision.outcome == "award"


def test_2_new_data_does_not_undo_a_staff_check(fund_round, event, reviewers, executor):
    application = scored(fund_round, event, reviewers, None)  # computed: unknown (no data)
    services.record_visa_check(
        application=application, actor=executor, verdict="at_risk", source="Called the consulate"
    )

    services.refresh_verdicts()

    application.refresh_from_db()
    assert application.verdict == "at_risk"
    assert application.verdict_details["computed"] == "unknown"


def test_2_nobody_checks_their_own_application(fund_round, event):
    executor = UserFactory(roles=[Role.EXECUTOR, Role.LEADER])
    own = make_application(fund_round, event, applicant=executor, verdict="unknown")

    with pytest.raises(FundError, match="your own application"):
        services.record_visa_check(application=own, actor=executor, verdict="feasible", source="Me")


def test_2_the_waiting_list_never_offers_an_unsettled_trip(fund_round, event, reviewers, executor):
    unknown = scored(fund_round, event, reviewers, "feasible")
    services.stage_decision(application=unknown, outcome="waitlist", actor=executor)
    services.release_decisions(round=fund_round, actor=executor)
    Application.objects.filter(pk=unknown.pk).update(verdict="unknown")

    assert services.offer_next_from_waitlist(round=fund_round, actor=executor) is None


def test_2_the_pages_show_the_block_and_take_a_check(
    client, fund_round, event, reviewers, executor
):
    unknown = scored(fund_round, event, reviewers, "unknown")
    services.stage_decision(
        application=unknown, outcome="award", items={"flight": 50_000}, actor=executor
    )
    client.force_login(executor)

    allocate = client.get(f"/fund/{fund_round.slug}/allocate/").text
    refused = client.post(
        f"/fund/applications/{unknown.pk}/visa-check/", {"verdict": "feasible", "source": ""}
    )
    done = client.post(
        f"/fund/applications/{unknown.pk}/visa-check/",
        {"verdict": "feasible", "source": "Embassy site"},
    )
    decide = client.get(f"/fund/applications/{unknown.pk}/decide/").text

    assert "Settle the visa check of these awards before releasing" in allocate
    assert f'href="/fund/applications/{unknown.pk}/decide/#visa-check-h"' in allocate
    assert refused.status_code == 200
    assert "This field is required." in refused.text
    assert done.status_code == 302
    assert "Visa check recorded by staff" in decide  # the history
    assert "Embassy site" in decide
