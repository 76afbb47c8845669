"""Demo data for the Fund: an open round with submitted, reviewed applications from many
countries, and an earlier round already decided, with bookings, a refused visa and a report.
Development only; built through the same services people use, so the audit trail is real."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bpd.conferences.models import Conference
from bpd.fund import imports, ledger_sync, services
from bpd.fund.models import Application, Criterion, ExchangeRate, Round
from bpd.ledger import money
from bpd.members.demo import demo_email
from bpd.members.models import Profile, User
from bpd.members.roles import Role

RATES = {"NGN": "0.00065", "KES": "0.0077", "GHS": "0.065", "ZAR": "0.055", "EUR": "1.08", "GBP": "1.27",
         "BRL": "0.18", "XOF": "0.0016", "UGX": "0.00027", "TZS": "0.00037", "RWF": "0.00073", "JMD": "0.0064",
         "CAD": "0.73", "ETB": "0.0079", "XAF": "0.0016", "ZMW": "0.037", "MWK": "0.00058", "ZWL": "0.0031",
         "TTD": "0.15", "CDF": "0.00035", "MZN": "0.016", "EGP": "0.02"}  # fmt: skip
CURRENCY_OF = {"NG": "NGN", "KE": "KES", "GH": "GHS", "ZA": "ZAR", "US": "USD", "GB": "GBP", "UG": "UGX",
               "TZ": "TZS", "RW": "RWF", "CM": "XAF", "ET": "ETB", "BR": "BRL", "CA": "CAD", "FR": "EUR",
               "SN": "XOF", "ZM": "ZMW", "CI": "XOF", "JM": "JMD", "TT": "TTD", "MW": "MWK", "CD": "CDF",
               "BJ": "XOF", "TG": "XOF", "MZ": "MZN", "EG": "EGP", "DE": "EUR", "NL": "EUR", "ZW": "USD"}  # fmt: skip
WAITS_US = "post,country,visa_category,wait_days\nLagos,NG,visitor,420\nAbuja,NG,visitor,300\nAccra,GH,visitor,150\nNairobi,KE,visitor,90\nKampala,UG,visitor,60\nJohannesburg,ZA,visitor,45\nKingston,JM,visitor,200\nDakar,SN,visitor,closed\n"
WAITS_DE = "post,country,visa_category,wait_days\nLagos,NG,short stay,75\nAbuja,NG,short stay,60\nAccra,GH,short stay,25\nNairobi,KE,short stay,20\nKampala,UG,short stay,35\nJohannesburg,ZA,short stay,15\n"
CRITERIA = [
    ("Impact on the local community", 3),
    ("Leadership growth", 2),
    ("Plan to share back", 2),
    ("Need", 1),
]


def _events(today):
    specs = [
        ("PyCon US (demo)", "https://us.pycon.org/", "Pittsburgh", "US", 150),
        ("EuroPython (demo)", "https://ep2027.europython.eu/", "Prague", "CZ", 220),
        ("PyCon Africa (demo)", "https://pycon.africa/", "Accra", "GH", 120),
        ("DjangoCon Europe (demo)", "https://djangocon.eu/", "Dublin", "IE", 60),
    ]
    events = []
    for name, url, city, country, days in specs:
        start = today + dt.timedelta(days=days)
        event, _created = Conference.objects.get_or_create(
            name=name,
            defaults={
                "url": url,
                "city": city,
                "country": country,
                "starts_on": start,
                "ends_on": start + dt.timedelta(days=4),
                "status": Conference.Status.PUBLISHED,
            },
        )
        events.append(event)
    return events


def _round(name, slug, *, opens, closes, reviewers):
    round, created = Round.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "description": "Funding for community leaders to attend global Python events. Demo round.",
            "opens_at": opens,
            "closes_at": closes,
            "decision_date": (closes + dt.timedelta(days=14)).date(),
            "budget": 4_000_000,
            "currency": "USD",
            "covered": ["visa", "flight", "hotel", "ground", "ticket", "per_diem"],
            "cap_per_person": 400_000,
            "max_per_country": 3,
        },
    )
    if created:
        for order, (criterion, weight) in enumerate(CRITERIA):
            Criterion.objects.create(round=round, name=criterion, weight=weight, order=order)
        for code, rate in RATES.items():
            ExchangeRate.objects.create(
                round=round, currency=code, rate=Decimal(rate), as_of=timezone.now().date()
            )
        round.reviewers.set(reviewers)
        ledger_sync.sync_round(round)  # its pool in the ledger, as save_round makes it
    return round, created


def _apply(rng, round, user, events, now):
    profile = Profile.objects.filter(user=user).first()
    country = profile.country if profile and profile.country else "NG"
    currency = CURRENCY_OF.get(country, "USD")
    event = rng.choice(events)
    usd = {
        "visa": rng.randint(160, 260),
        "flight": rng.randint(600, 1600),
        "hotel": rng.randint(400, 900),
        "ticket": rng.randint(100, 300),
    }
    rate = Decimal(RATES.get(currency, "1"))
    draft = services.Draft(
        fields={
            "purpose": "Speak about our local Python community and meet other organisers.",
            "give_back": "A meetup talk and a written guide for our members.",
            "event_grant": rng.choice(Application.EventGrant.values),
            "event_grant_notes": "",
            "currency": currency,
        },
        listed_event=event,
        origin_country=country,
        origin_city=profile.city if profile else None,
        passport_country=country,
        costs={k: money.to_minor(Decimal(v) / rate, currency) for k, v in usd.items()},
    )
    application = services.save_draft(round=round, applicant=user, draft=draft, now=now)
    return services.submit(application=application, actor=user, consent=True, now=now)


def _review_all(rng, round, reviewers):
    criteria = list(round.criteria.all())
    for application in round.applications.filter(status="submitted"):
        for reviewer in reviewers:
            if (
                reviewer.pk == application.applicant_id
                or application.conflicts.filter(reviewer=reviewer).exists()
            ):
                continue
            scores = {c.pk: (rng.randint(2, 5), "") for c in criteria}
            services.submit_review(
                application=application, reviewer=reviewer, scores=scores, comment="Demo review."
            )


def create_demo_fund(seed=7):
    """Create the demo rounds once; returns how many applications were created."""
    if Round.objects.filter(slug__in=["demo-open", "demo-decided"]).exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = now.date()
    executor = User.objects.get(email=demo_email(Role.EXECUTOR.value))
    treasurer = User.objects.get(email=demo_email(Role.TREASURER.value))
    leader_group = Group.objects.get(name=Role.LEADER)
    reviewer_group = Group.objects.get(name=Role.REVIEWER)
    members = list(User.objects.filter(email__startswith="demo-member0").order_by("email")[:60])
    leaders = [User.objects.get(email=demo_email(Role.LEADER.value)), *members[:40]]
    for user in leaders:
        user.groups.add(leader_group)
    reviewers = [User.objects.get(email=demo_email(Role.REVIEWER.value)), *members[50:52]]
    for user in reviewers:
        user.groups.add(reviewer_group)
    with transaction.atomic():
        imports.import_wait_times(
            content=WAITS_US,
            kind="csv",
            destination="US",
            as_of=today - dt.timedelta(days=20),
            source="Demo table",
            imported_by=executor,
        )
        imports.import_wait_times(
            content=WAITS_DE,
            kind="csv",
            destination="DE",
            as_of=today - dt.timedelta(days=75),
            source="Demo table (old)",
            imported_by=executor,
        )
        events = _events(today)

        # An earlier round, decided: awards accepted, bookings made, one visa refused, one report in.
        past, _ = _round(
            "Spring round (demo)",
            "demo-decided",
            opens=now - dt.timedelta(days=60),
            closes=now - dt.timedelta(days=1),
            reviewers=reviewers,
        )
        Round.objects.filter(pk=past.pk).update(
            opens_at=now - dt.timedelta(days=60), closes_at=now + dt.timedelta(hours=1)
        )
        past.refresh_from_db()
        decided = [
            _apply(rng, past, user, events, now - dt.timedelta(days=30)) for user in leaders[:10]
        ]
        Round.objects.filter(pk=past.pk).update(
            closes_at=now - dt.timedelta(days=1),
            signatory=executor,
            signatory_title="Executive Director",
        )
        past.refresh_from_db()
        _review_all(rng, past, reviewers)
        for index, application in enumerate(decided):
            outcome = "award" if index < 6 else ("waitlist" if index < 8 else "decline")
            items = (
                {"visa": 20_000, "flight": 90_000, "hotel": 60_000} if outcome == "award" else {}
            )
            if outcome == "award" and application.verdict not in {"feasible", "at_risk"}:
                # An executor settles the check before awarding (issue 12, item 2).
                services.record_visa_check(
                    application=application,
                    actor=executor,
                    verdict="feasible",
                    source="Demo: the applicant showed a valid multiple-entry visa.",
                )
                application.refresh_from_db()
            services.stage_decision(
                application=application,
                outcome=outcome,
                items=items,
                actor=executor,
                reason="Demo decision.",
            )
        services.release_decisions(round=past, actor=executor, now=now - dt.timedelta(days=5))
        for index, application in enumerate(decided[:6]):
            application.refresh_from_db()
            profile = getattr(application.applicant, "profile", None)
            services.reply_to_offer(
                application=application,
                actor=application.applicant,
                accept=True,
                # One traveller accepted before the passport name was asked for: the
                # application page asks them for it before the letter.
                passport_name=""
                if index == 3 or not profile
                else profile.display_name.split(" (")[0].upper(),
                now=now - dt.timedelta(days=4),
            )
            application.refresh_from_db()
            event = application.event
            services.add_booking(
                application=application,
                actor=treasurer,
                category="visa",
                vendor="Visa application centre",
                reference=f"VAC-{application.pk}",
                amount=18_500,
                currency="USD",
                status="booked",
                starts_at=now + dt.timedelta(days=10),
            )
            services.add_booking(
                application=application,
                actor=treasurer,
                category="flight",
                vendor="Demo Airways",
                reference=f"DA{application.pk:04d}",
                amount=money.to_minor(Decimal("780"), "EUR"),
                currency="EUR",
                refundable=index % 2 == 0,
                status="booked",
                starts_at=dt.datetime.combine(
                    event.starts_on - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC
                ),
            )
            services.add_booking(
                application=application,
                actor=treasurer,
                category="hotel",
                vendor="Conference Hotel",
                reference=f"H-{application.pk}",
                amount=52_000,
                currency="USD",
                refundable=True,
                status="quoted",
            )
            if index == 4:
                services.record_visa_outcome(
                    application=application,
                    actor=application.applicant,
                    appointment_date=today - dt.timedelta(days=2),
                    decision="refused",
                )
                services.cancel_after_refusal(application=application, actor=treasurer)
            elif index == 5:
                services.submit_report(
                    application=application,
                    actor=application.applicant,
                    summary="Met organisers from six countries.",
                    brought_back="Two workshops planned.",
                    people_reached=45,
                )
            else:
                services.record_visa_outcome(
                    application=application,
                    actor=application.applicant,
                    appointment_date=today + dt.timedelta(days=12),
                    decision="pending",
                )

        # The open round: submitted applications from many countries, reviewed, one conflict.
        current, _ = _round(
            "Leadership round (demo)",
            "demo-open",
            opens=now - dt.timedelta(days=10),
            closes=now + dt.timedelta(days=20),
            reviewers=reviewers,
        )
        open_apps = [
            _apply(rng, current, user, events, now - dt.timedelta(days=2))
            for user in leaders[10:40]
        ]
        services.declare_conflict(
            application=open_apps[0], reviewer=reviewers[0], reason="Same local community."
        )
        _review_all(rng, current, reviewers)
    return len(decided) + len(open_apps)
