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


# The repeats the organiser's form offers, and the RRULE each one is.
NONE, WEEKLY, FORTNIGHTLY, MONTHLY_WEEKDAY, MONTHLY_DATE = (
    "none",
    "weekly",
    "fortnightly",
    "monthly_weekday",
    "monthly_date",
)
REPEATS = (NONE, WEEKLY, FORTNIGHTLY, MONTHLY_WEEKDAY, MONTHLY_DATE)
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def week_of_month(day: dt.date) -> int:
    """Which of its weekday the date is in its month: 1 to 4, or -1 for a fifth (the last)."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number


def build_rule(
    *, repeats: str, first: dt.date, count: int | None = None, until: dt.date | None = None
) -> str:
    """The RRULE for one of REPEATS from a series' first date (on its own wall clock),
    ending after `count` times or on `until` (that whole day). Blank for a one-off."""
    if repeats == NONE:
        return ""
    day = _DAYS[first.weekday()]
    parts = {
        WEEKLY: ["FREQ=WEEKLY", f"BYDAY={day}"],
        FORTNIGHTLY: ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={day}"],
        MONTHLY_WEEKDAY: ["FREQ=MONTHLY", f"BYDAY={week_of_month(first):+d}{day}"],
        MONTHLY_DATE: ["FREQ=MONTHLY", f"BYMONTHDAY={first.day}"],
    }[repeats]
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def read_rule(rule: str) -> dict:
    """What build_rule was given, read back from a rule it made: {"repeats", "count",
    "until"}; a rule it cannot have made reads as {"repeats": None}."""
    if not rule:
        return {"repeats": NONE, "count": None, "until": None}
    parts = describe_rule(rule)
    freq, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    if freq == "WEEKLY" and "BYDAY" in parts:
        repeats = WEEKLY if interval == "1" else FORTNIGHTLY if interval == "2" else None
    elif freq == "MONTHLY" and interval == "1":
        repeats = MONTHLY_DATE if "BYMONTHDAY" in parts else MONTHLY_WEEKDAY
    else:
        repeats = None
    until = None
    if "UNTIL" in parts:
        try:
            until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        except ValueError:
            until = None
    count = int(parts["COUNT"]) if parts.get("COUNT", "").isdigit() else None
    return {"repeats": repeats, "count": count, "until": until}
