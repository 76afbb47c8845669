"""A deadline in the reader's zone with the original beside it, for three reader zones
(AoE among them) and across a daylight-saving change."""

import datetime as dt
import zoneinfo

from django.utils import timezone, translation

from bpd.conferences.models import Conference, Deadline
from bpd.conferences.templatetags.conferences import both_zones, original


def deadline(due_at, zone):
    conference = Conference(name="X", url="https://x.org", starts_on=dt.date(2027, 5, 1))
    return Deadline(conference=conference, kind="cfp_closes", due_at=due_at, zone=zone)


AOE_DUE = dt.datetime(2027, 3, 16, 11, 59, tzinfo=dt.UTC)  # 15 March 2027, 23:59 AoE


def shown(item, reader):
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo(reader)):
        return both_zones(item)


def test_aoe_deadline_for_a_reader_in_lagos():
    assert shown(deadline(AOE_DUE, "AoE"), "Africa/Lagos") == (
        "March 16, 2027, 12:59\u202fPM WAT (March 15, 2027, 11:59\u202fPM AoE)"
    )


def test_aoe_deadline_for_a_reader_in_new_york_after_the_clocks_went_forward():
    # US clocks moved on 14 March 2027: EDT, UTC-4.
    assert shown(deadline(AOE_DUE, "AoE"), "America/New_York") == (
        "March 16, 2027, 7:59\u202fAM EDT (March 15, 2027, 11:59\u202fPM AoE)"
    )


def test_a_reader_on_aoe_sees_one_time():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Etc/GMT+12")):
        text = both_zones(deadline(AOE_DUE, "AoE"))
    assert text.startswith("March 15, 2027, 11:59\u202fPM")
    assert "AoE" in text


def test_a_deadline_in_a_zone_on_its_daylight_saving_day():
    # 31 March 2030 02:30 does not exist in London; 01:30 UTC is 02:30 BST that day.
    due = dt.datetime(2030, 3, 31, 1, 30, tzinfo=dt.UTC)
    with translation.override("en"):
        assert original(deadline(due, "Europe/London")) == "March 31, 2030, 2:30\u202fAM BST"
        earlier = dt.datetime(2030, 3, 31, 0, 30, tzinfo=dt.UTC)
        assert original(deadline(earlier, "Europe/London")) == "March 31, 2030, 12:30\u202fAM GMT"
    assert shown(deadline(due, "Europe/London"), "Africa/Nairobi") == (
        "March 31, 2030, 4:30\u202fAM EAT (March 31, 2030, 2:30\u202fAM BST)"
    )


def test_french_readers_read_their_own_format():
    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Africa/Abidjan")):
        assert (
            both_zones(deadline(AOE_DUE, "AoE"))
            == "16 mars 2027, 11:59 GMT (15 mars 2027, 23:59 AoE)"
        )
