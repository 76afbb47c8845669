"""Expanding a series on the event's own wall clock: weekly and monthly rules, excluded
dates, the cap, and the daylight-saving edges (a skipped 02:30, a repeated 01:30)."""

import datetime as dt
import time
import zoneinfo

import pytest

from bpd.events import recurrence

UTC = dt.UTC
NY = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_expand_weekly_keeps_the_wall_clock_while_utc_moves():
    # Tuesdays 18:00 in New York from 3 March 2026; clocks go forward on 8 March.
    first = recurrence.wall_to_utc(dt.datetime(2026, 3, 3, 18, 0), NY)
    starts = recurrence.expand(
        rule="FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        starts_at=first,
        time_zone="America/New_York",
        until=utc(2027, 1, 1),
    )
    assert starts == [utc(2026, 3, 3, 23), utc(2026, 3, 10, 22), utc(2026, 3, 17, 22)]
    assert {s.astimezone(NY).hour for s in starts} == {18}


def test_expand_monthly_on_the_second_tuesday():
    rule = recurrence.build_rule(
        repeats=recurrence.MONTHLY_WEEKDAY, first=dt.date(2026, 1, 13), count=3
    )
    assert rule == "FREQ=MONTHLY;BYDAY=+2TU;COUNT=3"
    first = recurrence.wall_to_utc(dt.datetime(2026, 1, 13, 17, 0), LONDON)
    starts = recurrence.expand(
        rule=rule, starts_at=first, time_zone="Europe/London", until=utc(2027, 1, 1)
    )
    assert [s.astimezone(LONDON).date() for s in starts] == [
        dt.date(2026, 1, 13), dt.date(2026, 2, 10), dt.date(2026, 3, 10),
    ]  # fmt: skip


def test_build_rule_uses_the_last_weekday_for_a_fifth_one():
    assert (
        recurrence.build_rule(
            repeats=recurrence.MONTHLY_WEEKDAY,
            first=dt.date(2026, 3, 31),
            until=dt.date(2026, 9, 1),
        )
        == "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20260901T235959"
    )


def test_read_rule_gives_back_what_build_rule_was_given():
    for repeats in recurrence.REPEATS:
        rule = recurrence.build_rule(repeats=repeats, first=dt.date(2026, 5, 5), count=4)
        read = recurrence.read_rule(rule)
        assert read["repeats"] == repeats
        assert read["count"] == (4 if rule else None)
    until = recurrence.build_rule(
        repeats=recurrence.FORTNIGHTLY, first=dt.date(2026, 5, 5), until=dt.date(2026, 8, 1)
    )
    assert recurrence.read_rule(until)["until"] == dt.date(2026, 8, 1)


def test_expand_leaves_out_excluded_dates_and_those_before_after():
    first = utc(2026, 6, 1, 12)
    weekly = {
        "rule": "FREQ=DAILY;COUNT=5",
        "starts_at": first,
        "time_zone": "UTC",
        "until": utc(2027, 1, 1),
    }
    starts = recurrence.expand(**weekly, excluded=[utc(2026, 6, 2, 12)], after=utc(2026, 6, 3))
    assert starts == [utc(2026, 6, 3, 12), utc(2026, 6, 4, 12), utc(2026, 6, 5, 12)]


def test_expand_stops_at_the_cap_counted_from_the_first():
    first = utc(2026, 1, 1, 12)
    starts = recurrence.expand(
        rule="FREQ=DAILY", starts_at=first, time_zone="UTC", until=utc(2030, 1, 1), limit=10
    )
    assert len(starts) == 10
    later = recurrence.expand(
        rule="FREQ=DAILY", starts_at=first, time_zone="UTC", until=utc(2030, 1, 1),
        after=utc(2026, 1, 6), limit=10,
    )  # fmt: skip
    assert later == starts[5:]
    endless = recurrence.expand(
        rule="FREQ=DAILY", starts_at=first, time_zone="UTC", until=utc(2040, 1, 1)
    )
    assert len(endless) == recurrence.MAX_OCCURRENCES


@pytest.mark.parametrize(
    ("zone", "change_day", "wall", "expected", "shown"),
    [
        # New York skips 02:00-03:00: 02:30 is read as 03:30 on the new clock.
        (
            "America/New_York",
            dt.date(2026, 3, 8),
            dt.time(2, 30),
            utc(2026, 3, 8, 7, 30),
            dt.time(3, 30),
        ),
        # London skips 01:00-02:00 (at 01:00 UTC): 02:30 exists and is BST, one hour ahead.
        (
            "Europe/London",
            dt.date(2026, 3, 29),
            dt.time(2, 30),
            utc(2026, 3, 29, 1, 30),
            dt.time(2, 30),
        ),
        # and London's own skipped time, 01:30, becomes 02:30.
        (
            "Europe/London",
            dt.date(2026, 3, 29),
            dt.time(1, 30),
            utc(2026, 3, 29, 1, 30),
            dt.time(2, 30),
        ),
    ],
)
def test_an_event_on_the_day_clocks_go_forward(zone, change_day, wall, expected, shown):
    tz = zoneinfo.ZoneInfo(zone)
    moment = recurrence.wall_to_utc(dt.datetime.combine(change_day, wall), tz)
    assert moment == expected
    assert moment.astimezone(tz).time() == shown
    # A weekly series at that time crossing the day: the wall clock before and after is the
    # same; the UTC instant moves by the hour the clocks moved.
    first = recurrence.wall_to_utc(dt.datetime.combine(change_day, wall) - dt.timedelta(days=7), tz)
    starts = recurrence.expand(
        rule="FREQ=WEEKLY;COUNT=3", starts_at=first, time_zone=zone, until=utc(2027, 1, 1)
    )
    assert [s.astimezone(tz).time() for s in starts] == [wall, shown, wall]
    assert starts[1] == expected
    assert starts[2] - starts[0] == dt.timedelta(days=14, hours=-1)


def test_a_repeated_0130_on_the_fall_back_day_is_the_first_of_the_two():
    # New York, 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 (EST).
    moment = recurrence.wall_to_utc(dt.datetime(2026, 11, 1, 1, 30), NY)
    assert moment == utc(2026, 11, 1, 5, 30)
    first = recurrence.wall_to_utc(dt.datetime(2026, 10, 25, 1, 30), NY)
    starts = recurrence.expand(
        rule="FREQ=WEEKLY;COUNT=3", starts_at=first, time_zone="America/New_York",
        until=utc(2027, 1, 1),
    )  # fmt: skip
    assert starts == [utc(2026, 10, 25, 5, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 8, 6, 30)]
    assert {s.astimezone(NY).strftime("%H:%M") for s in starts} == {"01:30"}


def test_parse_refuses_a_rule_it_cannot_read():
    with pytest.raises(recurrence.RuleError):
        recurrence.parse("FREQ=SOMETIMES", dt.datetime(2026, 1, 1))


def test_expanding_a_weekly_series_over_two_years_is_quick():
    first = utc(2026, 1, 6, 18)
    started = time.perf_counter()
    starts = recurrence.expand(
        rule="FREQ=WEEKLY;BYDAY=TU", starts_at=first, time_zone="America/New_York",
        until=first + dt.timedelta(days=730),
    )  # fmt: skip
    assert len(starts) == 105
    assert time.perf_counter() - started < 0.1  # the benchmark holds it under 10 ms
