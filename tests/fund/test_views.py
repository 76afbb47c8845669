import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from bpd.conferences.models import Conference
from bpd.fund import services
from bpd.fund.models import Application, WaitTime
from bpd.members.roles import Role
from tests.factories import CityFactory, UserFactory
from tests.fund.conftest import make_application, make_overdue_offer, review
from tests.queries import get_with_queries

S = Application.Status


def apply_form(event, **overrides):
    data = {
        "event_choice": event.pk,
        "country": "NG",
        "passport_country": "NG",
        "purpose": "Give a talk on our meetup",
        "give_back": "Workshops at home",
        "event_grant": "not_applied",
        "currency": "NGN",
        "cost_flight": "900000",
        "cost_visa": "150000.50",
    }
    data.update(overrides)
    return data


def test_leader_saves_draft_then_submits(leader_client, fund_round, event):
    client, user = leader_client

    response = client.post("/fund/test-round/apply/", apply_form(event, save="1"))

    assert response.status_code == 302
    application = Application.objects.get(applicant=user)
    assert application.status == S.DRAFT
    assert {c.category: c.amount for c in application.costs.all()} == {
        "flight": 90_000_000,
        "visa": 15_000_050,
    }
    response = client.post("/fund/test-round/apply/", apply_form(event, **{"continue": "1"}))
    assert response.headers["Location"] == "/fund/test-round/apply/check/"
    response = client.post("/fund/test-round/apply/check/", {"consent": "on"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert response.headers["Location"] == f"/fund/applications/{application.pk}/submitted/"
    page = client.get(response.headers["Location"]).text
    assert "Visa check" in page


def test_submission_problems_are_explained(leader_client, fund_round, event):
    """Continuing with answers missing keeps the draft (nothing typed is lost) and names
    what is missing; nothing is submitted."""
    client, user = leader_client

    response = client.post(
        "/fund/test-round/apply/",
        apply_form(event, purpose="", give_back="Run a sprint", **{"continue": "1"}),
    )

    assert response.status_code == 200
    assert "Say what you will do there" in response.text
    assert "Run a sprint" in response.text
    assert Application.objects.get(applicant=user).status == S.DRAFT


def test_new_event_needs_its_details(leader_client, fund_round, event):
    client, _user = leader_client

    response = client.post(
        "/fund/test-round/apply/", apply_form(event, event_choice="", new_event_name="PyCon Kenya")
    )

    assert response.status_code == 200
    assert "Needed for an event that is not in the list." in response.text
    assert not Conference.objects.filter(name="PyCon Kenya").exists()


def test_non_leader_sees_why_they_cannot_apply(client, fund_round):
    client.force_login(UserFactory())

    response = client.get("/fund/test-round/apply/")

    assert response.status_code == 403
    assert "community leaders" in response.text


def withdraw(client, application):
    """The applicant presses "Withdraw"; returns the page they land on."""
    client.force_login(application.applicant)
    return client.post(f"/fund/applications/{application.pk}/withdraw/", follow=True)


@pytest.mark.parametrize("decision", ["none yet", "staged, not released"])
def test_withdraw_allowed_until_a_decision_is_released(
    client, fund_round, event, executor, decision
):
    application = make_application(fund_round, event)
    if decision == "staged, not released":
        services.stage_decision(
            application=application, outcome="award", items={"flight": 80_000}, actor=executor
        )

    page = withdraw(client, application)

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert "Your application has been withdrawn." in page.text


@pytest.mark.parametrize(
    ("outcome", "reply", "status"),
    [
        ("award", None, S.OFFERED),
        ("award", "accept", S.ACCEPTED),
        ("decline", None, S.DECLINED),
    ],
)
def test_withdraw_refused_once_an_award_or_decline_is_released(
    client, fund_round, event, executor, outcome, reply, status
):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application,
        outcome=outcome,
        items={"flight": 80_000} if outcome == "award" else None,
        actor=executor,
    )
    services.release_decisions(round=fund_round, actor=executor)
    if reply:
        application.refresh_from_db()
        services.reply_to_offer(application=application, actor=application.applicant, accept=True)

    page = withdraw(client, application)

    application.refresh_from_db()
    assert application.status == status
    assert "cannot be changed this way" in page.text
    assert "Your application has been withdrawn." not in page.text


def test_withdraw_from_the_waiting_list_is_allowed(client, fund_round, event, executor):
    # Leaving the waiting list frees the place for the next person: the page offers it.
    application = make_application(fund_round, event)
    services.stage_decision(application=application, outcome="waitlist", actor=executor)
    services.release_decisions(round=fund_round, actor=executor)
    client.force_login(application.applicant)
    assert "Withdraw this application" in client.get(f"/fund/applications/{application.pk}/").text

    withdraw(client, application)

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_reviewer_sees_others_scores_only_after_scoring(client, fund_round, event, reviewers):
    application = make_application(fund_round, event)
    services.submit_review(
        application=application,
        reviewer=reviewers[1],
        scores={c.pk: (5, "SECRET-NOTE") for c in fund_round.criteria.all()},
        comment="OTHER-COMMENT",
    )
    client.force_login(reviewers[0])

    before = client.get(f"/fund/applications/{application.pk}/review/").text
    assert "Impact" in before  # the review form, with the round's criteria
    assert "OTHER-COMMENT" not in before
    assert "SECRET-NOTE" not in before
    form = {f"score_{c.pk}": "3" for c in fund_round.criteria.all()}
    client.post(f"/fund/applications/{application.pk}/review/", form)
    after = client.get(f"/fund/applications/{application.pk}/review/").text
    assert "OTHER-COMMENT" in after
    assert reviewers[1].email not in after  # identities stay hidden


def test_conflict_removes_application_from_queue_and_committee(
    client, fund_round, event, reviewers
):
    application = make_application(fund_round, event)
    other = make_application(fund_round, event)
    client.force_login(reviewers[0])

    client.post(
        f"/fund/applications/{application.pk}/conflict/", {"reason": "cousin", "confirm": "on"}
    )

    assert client.get(f"/fund/applications/{application.pk}/review/").status_code == 404
    queue = client.get("/fund/test-round/review/").text
    assert linked_applications(queue, "review") == [other.pk]
    committee = client.get("/fund/test-round/committee/").text
    assert linked_applications(committee, "review") == [other.pk]


def test_applicant_never_sees_reviewers_or_comments(client, fund_round, event, reviewers, executor):
    application = make_application(fund_round, event)
    review(application, reviewers)
    application.reviews.update(comment="PRIVATE-COMMENT")
    client.force_login(application.applicant)

    response = client.get(f"/fund/applications/{application.pk}/")

    assert response.status_code == 200
    assert "Test round" in response.text  # their own application page
    assert "PRIVATE-COMMENT" not in response.text
    assert all(r.email not in response.text for r in reviewers)


def test_staged_decision_is_invisible_until_released(client, fund_round, event, executor):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application, outcome="decline", reason="STAGED-REASON", actor=executor
    )
    client.force_login(application.applicant)

    assert "STAGED-REASON" not in client.get(f"/fund/applications/{application.pk}/").text
    services.release_decisions(round=fund_round, actor=executor)
    assert "STAGED-REASON" in client.get(f"/fund/applications/{application.pk}/").text


def test_executor_allocates_stages_and_releases(client, fund_round, event, reviewers, executor):
    strong = make_application(fund_round, event, costs={"flight": 150_000})
    weak = make_application(fund_round, event, costs={"flight": 150_000})
    best = make_application(fund_round, event, costs={"flight": 150_000})
    review(strong, reviewers, values=(4, 4))
    review(weak, reviewers, values=(2, 2))
    review(best, reviewers, values=(5, 5))
    client.force_login(executor)

    page = client.get("/fund/test-round/allocate/")
    assert set(page.context["proposal"].chosen) == {strong.pk, best.pk}
    assert "dynamic programming" in page.text
    client.post("/fund/test-round/allocate/stage/", {"confirm": "on"})
    client.post("/fund/test-round/allocate/release/", {"confirm": "on"})

    statuses = {a.pk: Application.objects.get(pk=a.pk).status for a in (strong, weak, best)}
    assert statuses == {strong.pk: S.OFFERED, weak.pk: S.WAITLISTED, best.pk: S.OFFERED}


def test_accepted_award_itinerary_and_letter_pdf(client, fund_round, event, executor, treasurer):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application,
        outcome="award",
        items={"flight": 80_000, "visa": 20_000},
        actor=executor,
    )
    services.release_decisions(round=fund_round, actor=executor)
    client.force_login(application.applicant)
    client.post(
        f"/fund/applications/{application.pk}/reply/",
        {"answer": "accept", "passport_name": "Ada Obi"},
    )
    application.refresh_from_db()
    services.add_booking(
        application=application, actor=treasurer, category="flight", vendor="Kenya Airways",
        reference="KQ123", amount=75_000, currency="USD", status="booked",
    )  # fmt: skip

    page = client.get(f"/fund/applications/{application.pk}/").text
    assert "Kenya Airways" in page
    assert "KQ123" in page
    response = client.get(f"/fund/applications/{application.pk}/letter.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Funding confirmation" in text
    assert "EuroPython" in text
    assert "pays the following costs directly" in text
    assert "Flight: USD 800.00" in text
    assert "Kenya Airways (KQ123" in text


def test_treasurer_records_booking_and_out_of_pocket(
    client, fund_round, event, executor, treasurer
):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=fund_round, actor=executor)
    application.refresh_from_db()
    services.reply_to_offer(application=application, actor=application.applicant, accept=True)
    client.force_login(treasurer)

    client.post(
        f"/fund/applications/{application.pk}/bookings/add/",
        {"booking-category": "flight", "booking-vendor": "Air", "booking-cost": "700",
         "booking-currency": "USD", "booking-rate": "1", "booking-status": "booked"},
    )  # fmt: skip
    client.post(
        f"/fund/applications/{application.pk}/out-of-pocket/",
        {"pocket-description": "Visa fee at the counter", "pocket-amount": "30", "pocket-currency": "USD"},
    )  # fmt: skip

    assert application.bookings.get().amount_in_round_currency == 70_000
    money = client.get("/fund/test-round/money/").text
    assert "problem to fix" in money
    client.force_login(application.applicant)
    assert (
        "You have paid something yourself"
        in client.get(f"/fund/applications/{application.pk}/").text
    )


def test_report_csv(client, fund_round, event, executor, treasurer):
    application = make_application(fund_round, event)
    services.stage_decision(
        application=application, outcome="award", items={"flight": 80_000}, actor=executor
    )
    services.release_decisions(round=fund_round, actor=executor)
    client.force_login(treasurer)

    response = client.get("/fund/test-round/report/?format=csv")

    lines = response.content.decode().splitlines()
    assert lines[0] == "Section,Item,Committed,Spent,Currency,Count,Section code,Item code"
    assert (
        "Awarded and spent by category,Flight,800.00,0.00,USD,,awarded_by_category,flight" in lines
    )
    assert "By region (UN M49),Western Africa,800.00,0.00,USD,,by_region," in lines


def test_wait_time_import_checks_everything_first(client, db, treasurer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(treasurer)
    bad = SimpleUploadedFile(
        "waits.csv",
        b"post,country,visa_category,wait_days\nLagos,NG,visitor,10\nAbuja,Nigeria,visitor,5\n",
    )

    response = client.post(
        "/fund/visa/wait-times/",
        {"kind": "csv", "destination": "US", "as_of": "2026-11-01", "source": "Test", "file": bad},
    )

    assert "line 3" in response.text
    assert not WaitTime.objects.exists()


def test_state_department_table_import_finds_post_countries(client, db, treasurer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    CityFactory(name="Lagos", ascii_name="lagos", country="NG")
    client.force_login(treasurer)
    html = b"<table><tr><th>City/Post</th><th>Visitors</th></tr><tr><td>Lagos</td><td>3.5 Months</td></tr></table>"

    client.post(
        "/fund/visa/wait-times/",
        {"kind": "state_department_html", "destination": "US", "as_of": "2026-11-01", "source": "travel.state.gov",
         "file": SimpleUploadedFile("waits.html", html)},
    )  # fmt: skip

    wait = WaitTime.objects.get()
    assert (wait.post_country, wait.wait_days) == ("NG", 105)


def linked_applications(html, action):
    """Ids of the applications a page links to with `action` ("review", "decide", "bookings")."""
    return [int(pk) for pk in re.findall(rf'href="/fund/applications/(\d+)/{action}/"', html)]


def ranked_applications(round, event, reviewers, executor, n, *, release=False):
    """`n` submitted applications, each scored by every reviewer; three in four get a
    staged decision (an award, the waiting list, a decline), released if `release`."""
    created = []
    for i in range(n):
        application = make_application(round, event, country=("NG", "KE", "GH", "BR")[i // 4 % 4])
        review(application, reviewers, values=(1 + i % 5, 3))
        outcome = ("award", "waitlist", "decline", None)[i % 4]
        if outcome:
            services.stage_decision(
                application=application,
                outcome=outcome,
                items={"flight": 1_000, "visa": 500} if outcome == "award" else None,
                actor=executor,
            )
        created.append(application)
    if release:
        services.release_decisions(round=round, actor=executor)
    return created


def assert_same_cost(small, large):
    extra = [sql for sql in large if sql not in small]
    assert len(large) == len(small), extra or large


@pytest.mark.parametrize("viewer", ["reviewer", "executor"])
def test_committee_query_count_does_not_grow_with_ranked_applications(
    client, uncached, fund_round, event, reviewers, executor, viewer
):
    client.force_login(reviewers[0] if viewer == "reviewer" else executor)
    action = "review" if viewer == "reviewer" else "decide"
    shown = ranked_applications(fund_round, event, reviewers, executor, 2, release=True)
    client.get("/fund/test-round/committee/")  # the first page view creates the site settings

    small, small_sql = get_with_queries(client, "/fund/test-round/committee/")
    shown += ranked_applications(fund_round, event, reviewers, executor, 12, release=True)
    shown += ranked_applications(fund_round, event, reviewers, executor, 4)
    large, large_sql = get_with_queries(client, "/fund/test-round/committee/")

    assert len(linked_applications(small.text, action)) == 2
    assert sorted(linked_applications(large.text, action)) == sorted(a.pk for a in shown)
    assert_same_cost(small_sql, large_sql)


def test_committee_table_from_the_cache_costs_only_the_request_lookups(
    client, fund_round, event, reviewers, executor
):
    ranked_applications(fund_round, event, reviewers, executor, 6, release=True)
    client.force_login(reviewers[0])
    client.get("/fund/test-round/committee/")

    page, queries = get_with_queries(client, "/fund/test-round/committee/")

    assert len(linked_applications(page.text, "review")) == 6
    # the session's user, their roles, the round and "is a reviewer of it"
    assert len(queries) <= 4, queries


def test_review_queue_query_count_does_not_grow(client, uncached, fund_round, event, reviewers):
    def add(n):
        added = [make_application(fund_round, event) for _ in range(n)]
        for application in added[::2]:  # half already reviewed by the viewer
            review(application, reviewers)
        return added

    client.force_login(reviewers[0])
    queued = add(2)
    client.get("/fund/test-round/review/")

    small, small_sql = get_with_queries(client, "/fund/test-round/review/")
    queued += add(15)
    large, large_sql = get_with_queries(client, "/fund/test-round/review/")

    assert len(linked_applications(small.text, "review")) == 2
    assert sorted(linked_applications(large.text, "review")) == sorted(a.pk for a in queued)
    assert large.text.count("EuroPython") == len(queued)
    assert_same_cost(small_sql, large_sql)


def test_allocate_query_count_does_not_grow_with_waiting_applications(
    client, uncached, fund_round, event, reviewers, executor
):
    client.force_login(executor)
    waiting = ranked_applications(fund_round, event, reviewers, executor, 2)
    client.get("/fund/test-round/allocate/")

    small, small_sql = get_with_queries(client, "/fund/test-round/allocate/")
    waiting += ranked_applications(fund_round, event, reviewers, executor, 14)
    large, large_sql = get_with_queries(client, "/fund/test-round/allocate/")

    assert len(linked_applications(small.text, "decide")) == 2
    assert sorted(linked_applications(large.text, "decide")) == sorted(a.pk for a in waiting)
    assert "$15.00" in large.text  # a staged award's total, from its items
    assert_same_cost(small_sql, large_sql)


@pytest.mark.parametrize("url", ["/fund/test-round/money/", "/fund/test-round/report/"])
def test_money_pages_query_count_does_not_grow(
    client, uncached, fund_round, event, reviewers, executor, treasurer, url
):
    def add(n):
        added = ranked_applications(fund_round, event, reviewers, executor, n, release=True)
        offered = [a for a in added if Application.objects.get(pk=a.pk).status == S.OFFERED]
        for application in offered:
            services.reply_to_offer(
                application=application, actor=application.applicant, accept=True
            )
            services.add_booking(
                application=Application.objects.get(pk=application.pk),
                actor=treasurer,
                category="flight",
                vendor="Air",
                amount=900,
                currency="USD",
                status="booked",
            )
        return offered

    client.force_login(executor)
    funded = add(4)
    client.get(url)

    small, small_sql = get_with_queries(client, url)
    funded += add(24)
    large, large_sql = get_with_queries(client, url)

    if url.endswith("/money/"):
        assert len(linked_applications(small.text, "bookings")) == 1
        assert sorted(linked_applications(large.text, "bookings")) == sorted(a.pk for a in funded)
    else:
        assert "Western Africa" in small.text
        assert {"Kenya", "Brazil"} <= set(re.findall(r"<td>([A-Z][a-z]+)</td>", large.text))
    assert_same_cost(small_sql, large_sql)


def test_visa_verdict_uses_requirements_and_waits(db, fund_round, now):
    from bpd.fund import feasibility
    from bpd.fund.models import VisaDataset, VisaRequirement

    VisaDataset.objects.create(source="test", as_of=now.date(), rows=1)
    VisaRequirement.objects.create(passport="NG", destination="CZ", requirement="required")
    start = (now + dt.timedelta(days=60)).date()
    event = Conference.objects.create(
        name="E",
        url="https://e.example",
        city="Prague",
        country="CZ",
        starts_on=start,
        ends_on=start,
    )

    application = make_application(fund_round, event, verdict=None)

    assert application.verdict == "unknown"  # no wait data, no default
    assert application.verdict_details["requirement"] == "required"
    assert feasibility.assess_application(application, now.date()).verdict == "unknown"


def test_overdue_offer_lapses_on_schedule_with_nobody_loading_a_page(
    client, fund_round, event, executor
):
    from bpd.background import tasks

    application = make_overdue_offer(fund_round, event, executor)

    tasks.every_few_minutes.call_local()  # what the worker's scheduler runs

    application.refresh_from_db()
    assert application.status == S.LAPSED
    client.force_login(application.applicant)
    assert "Offer expired" in client.get(f"/fund/applications/{application.pk}/").text


def test_committee_table_refreshes_when_a_review_arrives(client, fund_round, event, reviewers):
    application = make_application(fund_round, event)
    client.force_login(reviewers[0])
    assert "4.00" not in client.get("/fund/test-round/committee/").text

    review(application, reviewers[1:], values=(4,))

    assert "4.00" in client.get("/fund/test-round/committee/").text


def test_executor_translates_the_round_description_on_its_page(client, fund_round, executor):
    client.force_login(executor)
    page = client.get("/fund/test-round/edit/")
    assert page.status_code == 200
    data = {}
    data.update(
        {
            "name": "Test round", "slug": "test-round", "currency": "USD", "budget_amount": "3000",
            "opens_at": "2026-11-01T00:00", "closes_at": "2026-12-31T00:00", "decision_date": "2027-01-15",
            "covered": ["visa", "flight"], "offer_reply_days": "10", "min_reviews": "2",
            "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0",
            "texts-TOTAL_FORMS": "1", "texts-INITIAL_FORMS": "0",
            "texts-0-language": "sw", "texts-0-description": "Maelezo ya awamu",
        }
    )  # fmt: skip

    response = client.post("/fund/test-round/edit/", data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    fund_round.refresh_from_db()
    assert fund_round.localised_description("sw") == "Maelezo ya awamu"
    client.force_login(UserFactory(roles=[Role.LEADER]))
    assert "Maelezo ya awamu" in client.get("/sw/fund/").text


def test_round_edit_saves_without_filling_the_empty_translation_row(client, fund_round, executor):
    client.force_login(executor)
    page = client.get("/fund/test-round/edit/")
    data = {
        "name": "Renamed round", "slug": "test-round", "currency": "USD", "budget_amount": "3000",
        "opens_at": "2026-11-01T00:00", "closes_at": "2026-12-31T00:00", "decision_date": "2027-01-15",
        "covered": ["visa", "flight"], "offer_reply_days": "10", "min_reviews": "2",
        "criteria-TOTAL_FORMS": "0", "criteria-INITIAL_FORMS": "0",
        # The blank row as a browser sends it: the select's first option, an empty description.
        "texts-TOTAL_FORMS": "1", "texts-INITIAL_FORMS": "0",
        "texts-0-language": "", "texts-0-description": "",
    }  # fmt: skip
    assert '<option value="" selected>' in page.text

    response = client.post("/fund/test-round/edit/", data)

    assert response.status_code == 302
    fund_round.refresh_from_db()
    assert fund_round.name == "Renamed round"
