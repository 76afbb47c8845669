"""Computing the figures: the daily job (`refresh`) and a staff member's on-demand
refresh of one region (`refresh_region`). Both write a new Snapshot; pages read the
newest (`selectors.latest`)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bpd.insights import figures, rules, tables
from bpd.insights.models import Snapshot
from bpd.members import regions

# Snapshots kept: a month of days, enough to compare and to audit.
KEEP = 40


def _publish(raw):
    return tables.build(raw, rules.public()), tables.build(raw, rules.staff(), staff=True)


@transaction.atomic
def refresh(*, now=None):
    """Count everything again and publish it."""
    raw = figures.compute(now=now, min_city=rules.staff().k)
    public, staff = _publish(raw)
    snapshot = Snapshot.objects.create(
        computed_at=now or timezone.now(), raw=raw, public=public, staff=staff
    )
    _prune()
    return snapshot


@transaction.atomic
def refresh_region(region, *, now=None):
    """Count the members of one UN M49 region again, per country and city (from one
    index: `figures.members_in`), merge them into the newest figures and publish again.
    Activity, growth, attendance, tickets and money stay as the day's run counted them.
    Without any figures yet, this is a full `refresh`."""
    if region not in tables.REGIONS:
        raise ValueError(f"not a UN M49 region: {region!r}")
    day = Snapshot.objects.select_for_update().order_by("-computed_at", "-pk").first()
    if day is None:
        return refresh(now=now)
    countries = set(regions.countries_in(region, "region"))
    fresh = figures.members_in(countries, min_city=rules.staff().k)
    raw = figures.merge(day.raw, fresh, countries)
    public, staff = _publish(raw)
    snapshot = Snapshot.objects.create(
        computed_at=now or timezone.now(), raw=raw, public=public, staff=staff, scope=region
    )
    _prune()
    return snapshot


def _prune():
    old = Snapshot.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)[KEEP:]
    cutoff = list(old[:1000])
    if cutoff:
        Snapshot.objects.filter(pk__in=cutoff).delete()


def is_stale_at(computed_at, *, now=None):
    """Figures computed at `computed_at` (ISO 8601) are more than two days old: the daily
    job has not run."""
    try:
        moment = dt.datetime.fromisoformat(computed_at)
    except (TypeError, ValueError):
        return True
    return (now or timezone.now()) - moment > dt.timedelta(days=2)
