from datetime import datetime, timezone

import pytest

from newscrawl.dates import (
    DateContext,
    format_utc,
    language_code,
    most_common_offset,
    normalize_date,
    parse_machine_date,
)


def test_feed_timestamp_with_offset_and_milliseconds():
    result = normalize_date("2022-02-27T21:12:00.003-08:00")
    assert result.value == "2022-02-28T05:12:00+00:00"
    assert result.source == "iso"
    assert result.raw == "2022-02-27T21:12:00.003-08:00"


def test_epoch_milliseconds_win_over_display_text():
    result = normalize_date(1334776401466, "April 18, 2012 at 9:13 PM", DateContext(("en",), "+05:00"))
    assert result.value == "2012-04-18T19:13:21+00:00"
    assert result.source == "epoch"
    assert result.raw == "April 18, 2012 at 9:13 PM"


@pytest.mark.parametrize(
    "display, languages, tz, expected",
    [
        ("April 18, 2012 at 9:13 PM", ("en",), "America/Los_Angeles", "2012-04-19T04:13:00+00:00"),
        ("6. Juni 2015 um 10:23", ("de",), "+02:00", "2015-06-06T08:23:00+00:00"),
        ("Mittwoch, Mai 10, 2017 4:14:00 PM", ("de",), "Europe/Berlin", "2017-05-10T14:14:00+00:00"),
        ("Sunday, February 27, 2022", ("en",), None, "2022-02-27T00:00:00+00:00"),
    ],
)
def test_display_strings_use_language_and_timezone(display, languages, tz, expected):
    result = normalize_date(None, display, DateContext(languages, tz))
    assert result.value == expected
    assert result.source == "display"


def test_unparseable_display_is_kept_raw_without_value():
    result = normalize_date(None, "sometime last spring-ish?", DateContext(("en",)))
    assert result.value is None
    assert result.raw == "sometime last spring-ish?"
    assert result.source is None


def test_iso_without_offset_is_not_a_machine_value():
    assert parse_machine_date("2022-02-27T21:12:00") is None
    assert parse_machine_date("2022-02-27T21:12:00Z") == datetime(2022, 2, 27, 21, 12, tzinfo=timezone.utc)


def test_one_fixed_format():
    moment = datetime(2022, 2, 27, 21, 12, 0, 999999, tzinfo=timezone.utc)
    assert format_utc(moment) == "2022-02-27T21:12:00+00:00"
    with pytest.raises(ValueError):
        format_utc(datetime(2022, 2, 27))


def test_language_and_offset_hints():
    assert language_code("de-DE") == "de"
    assert language_code("pt_BR") == "pt"
    assert language_code("") is None
    assert most_common_offset(["2022-01-01T00:00:00-08:00", "2022-07-01T00:00:00-07:00", "2021-01-01T00:00:00-08:00"]) == "-08:00"
