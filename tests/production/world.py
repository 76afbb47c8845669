"""Sets up the people and data the production-shape tests act on, inside the shape's
own database and cache, and prints their session cookies as JSON. Run by shape.py as
`python tests/production/world.py` with the shape's environment."""

import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from bpd.conferences.models import Conference  # noqa: E402
from bpd.fund import services  # noqa: E402
from bpd.fund.models import Criterion, Round  # noqa: E402
from bpd.members.roles import Role  # noqa: E402
from bpd.members.visibility import Visibility  # noqa: E402
from tests.factories import ProfileFactory, UserFactory  # noqa: E402
from tests.fund.conftest import make_application, review  # noqa: E402

SessionStore = import_string(settings.SESSION_ENGINE + ".SessionStore")


def member(handle, roles=(), **profile):
    user = UserFactory(email=f"{handle}@example.com", roles=list(roles))
    ProfileFactory(user=user, display_name=profile.pop("name", handle.title()), **profile)
    return user


def cookie(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def main():
    now = timezone.now()
    people = {
        "alice": member("alice"),
        "dora": member("dora"),
        "hana": member("hana", name="Hana Visible-Name", name_visibility=Visibility.MEMBERS),
        "viewer": member("viewer"),
        "reviewer": member("reviewer", roles=[Role.REVIEWER]),
        "second": member("second", roles=[Role.REVIEWER]),
        "treasurer": member("treasurer", roles=[Role.TREASURER]),
        "executor": member("executor", roles=[Role.EXECUTOR]),
    }
    editor = people["executor"]
    editor.is_staff = editor.is_superuser = True
    editor.save()
    round = Round.objects.create(
        name="Shape round", slug="shape-round", opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=20), decision_date=(now + dt.timedelta(days=30)).date(),
        budget=1_000_000, currency="USD", covered=["visa", "flight", "hotel"],
    )  # fmt: skip
    round.reviewers.set([people["reviewer"], people["second"]])
    Criterion.objects.create(round=round, name="Impact", weight=1, order=0)
    start = (now + dt.timedelta(days=150)).date()
    event = Conference.objects.create(
        name="EuroPython", url="https://ep.example", city="Prague", country="CZ",
        starts_on=start, ends_on=start + dt.timedelta(days=4), status=Conference.Status.PUBLISHED,
    )  # fmt: skip
    reviewed = make_application(round, event)
    review(reviewed, [people["second"]], values=(4,))
    # An offer whose reply deadline has passed: the worker's schedule must lapse it.
    overdue = make_application(round, event)
    services.stage_decision(
        application=overdue, outcome="award", items={"flight": 80_000}, actor=editor
    )
    services.release_decisions(round=round, actor=editor)
    overdue.decision.offer_deadline = now - dt.timedelta(minutes=1)
    overdue.decision.save()
    print(
        json.dumps(
            {
                "cookies": {handle: cookie(user) for handle, user in people.items()},
                "reviewed": reviewed.pk,
                "overdue": overdue.pk,
                "round": round.slug,
            }
        )
    )


main()
