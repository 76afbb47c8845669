"""Issue 10 findings 7 and 8: every model that refers to a member is exported or
explicitly excluded, and deletion leaves none of the member's own words behind."""

import json

import pytest
from django.apps import apps
from django.conf import settings

from bpd.fund import services
from bpd.members import services as members
from bpd.members.exports import collect
from bpd.website import registry
from tests.fund.conftest import make_application, review


def models_referring_to_members():
    user = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            direct = field.is_relation and not field.auto_created
            if direct and field.related_model is user and model is not user:
                found.add(model._meta.label)
    return found


def test_7_8_every_model_that_refers_to_a_member_is_handled():
    handled = registry.personal_data_models()
    found = models_referring_to_members()

    assert "fund.Review" in found  # the introspection sees the Fund's models
    assert sorted(found - set(handled)) == [], "say how export and deletion treat these"
    assert all(len(reason) > 20 for reason in handled.values())


@pytest.fixture
def travelled(fund_round, event, executor, treasurer):
    application = make_application(fund_round, event)
    services.record_visa_check(
        application=application, actor=executor, verdict="feasible", source="Consulate page"
    )  # an award is released only once its visa check is settled
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=fund_round, actor=executor)
    application.refresh_from_db()
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    application.refresh_from_db()
    services.record_out_of_pocket(
        application=application, actor=treasurer, description="Taxi, call Ama on +233 555 0100",
        amount=2_000, currency="USD",
    )  # fmt: skip
    services.submit_report(
        application=application, actor=application.applicant,
        summary="I met Kwame Mensah at the sprint", brought_back="A talk for PyAccra",
    )  # fmt: skip
    return application


def test_7_deleting_an_account_removes_the_members_words_and_keeps_the_money(travelled):
    user = travelled.applicant

    members.delete_account(user=user)

    travelled.refresh_from_db()
    stored = json.dumps(
        [
            travelled.purpose, travelled.give_back, travelled.report.summary,
            travelled.report.brought_back, [o.description for o in travelled.out_of_pocket.all()],
        ]
    )  # fmt: skip
    for words in ("Kwame", "PyAccra", "+233", "Speak", "Teach"):
        assert words not in stored
    assert travelled.out_of_pocket.get().amount == 2_000
    assert travelled.decision.items.get().amount == 80_000


def test_8_the_export_holds_reviews_conflicts_and_trip_reports(
    travelled, fund_round, event, reviewers
):
    other = make_application(fund_round, event)
    review(other, reviewers)
    other.conflicts.create(reviewer=reviewers[0], reason="my sister")
    reviewer_data = collect(reviewers[1])["fund"]
    applicant_data = collect(travelled.applicant)["fund"]

    assert [r["application"] for r in reviewer_data["reviews_written"]] == [other.pk]
    assert reviewer_data["rounds_reviewing"] == [fund_round.name]
    assert collect(reviewers[0])["fund"]["conflicts_declared"][0]["reason"] == "my sister"
    assert applicant_data["applications"][0]["trip_report"]["summary"].startswith("I met")
    assert applicant_data["applications"][0]["out_of_pocket"][0]["amount_minor"] == 2_000
