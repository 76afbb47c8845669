"""Expanding a series: an RFC 5545 rule (through dateutil's rrule) read on the event's
own wall clock, so "Tuesdays at 18:00 in New York" stays 18:00 in New York across
daylight-saving changes while its UTC time moves.

Pure functions: no database. `expand` is what the daily job and the organiser's
form use; bench/events.py measures it."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from dateutil import rrule

# How far ahead occurrences are made, and the most any series may have: a rule with no
# end ("every week") is still bounded.
HORIZON_DAYS = 730
MAX_OCCURRENCES = 500


class RuleError(ValueError):
    """The rule cannot be read (the message is for the organiser)."""


def parse(rule: str, start: dt.datetime) -> rrule.rrule:
    """The rule anchored at `start` (a naive wall-clock time). Raises RuleError."""
    text = rule.strip().removeprefix("RRULE:")
    if not text:
        raise RuleError("empty rule")
    try:
        return rrule.rrulestr(text, dtstart=start, forceset=False, ignoretz=True)
    except (ValueError, TypeError) as error:
        raise RuleError(str(error)) from error


def wall_to_utc(local: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time in `zone` as UTC. A time that does not exist (the hour skipped
    when clocks go forward, e.g. 02:30) moves forward by the gap, as calendar programs
    do; a time that happens twice (clocks go back) is the first of the two."""
    # fold=0 reads a skipped time with the offset before the change (so it lands that
    # much later on the new clock) and a repeated time as its first occurrence.
    aware = local.replace(tzinfo=zone, fold=0)
    return aware.astimezone(dt.UTC)


def expand(
    *,
    rule: str,
    starts_at: dt.datetime,
    time_zone: str,
    until: dt.datetime,
    after: dt.datetime | None = None,
    excluded: Iterable[dt.datetime] = (),
    limit: int = MAX_OCCURRENCES,
) -> list[dt.datetime]:
    """The UTC start of every occurrence of a series from its first (`starts_at`, UTC)
    up to `until`, at most `limit` of them (counting from the first, so a cap is the
    same whatever window is asked for), leaving out `excluded` starts (UTC) and those
    before `after`. A blank rule is a one-off: just `starts_at`."""
    if not rule:
        return [starts_at] if starts_at <= until and (after is None or starts_at >= after) else []
    zone = zoneinfo.ZoneInfo(time_zone)
    wall_start = starts_at.astimezone(zone).replace(tzinfo=None)
    wall_until = until.astimezone(zone).replace(tzinfo=None)
    skip = {moment.astimezone(dt.UTC) for moment in excluded}
    found = []
    for count, wall in enumerate(parse(rule, wall_start)):
        if count >= limit or wall > wall_until:
            break
        moment = wall_to_utc(wall, zone)
        if moment in skip or (after is not None and moment < after):
            continue
        found.append(moment)
    return found


def describe_rule(rule: str) -> dict:
    """The parts of a rule the organiser's form edits (frequency, interval, weekdays,
    count, until), for showing the rule back in words."""
    parts = {}
    for item in rule.strip().removeprefix("RRULE:").split(";"):
        key, _sep, value = item.partition("=")
        if key:
            parts[key.upper()] = value
    return parts
