from datetime import datetime, timezone

import pytest

from newscrawl.dates import (
    DateContext,
    format_utc,
    language_code,
    most_common_offset,
    normalize_date,
    parse_display_date,
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


# -- the fast path and dateparser agree on the rules -----------------------------------


def test_dst_gap_and_overlap_read_with_fold_0():
    """A time that does not exist or exists twice takes the offset in force before the change."""
    berlin = DateContext(("de",), "Europe/Berlin")
    assert normalize_date(None, "27. März 2022 um 02:30", berlin).value == "2022-03-27T01:30:00+00:00"
    assert normalize_date(None, "30. Oktober 2022 um 02:30", berlin).value == "2022-10-30T00:30:00+00:00"
    assert normalize_date(None, "30. Oktober 2022 um 03:30", berlin).value == "2022-10-30T02:30:00+00:00"


def test_dateparser_fallback_follows_the_same_dst_rule():
    # "30.10.2022, 02:30 Uhr MEZ"-like strings outside the fast path still use zoneinfo's fold=0
    from newscrawl.dates import _dateparser, zone_of

    moment = _dateparser("2022 10 30 02:30", ("de",), "Europe/Berlin", zone_of("Europe/Berlin"))
    assert format_utc(moment) == "2022-10-30T00:30:00+00:00"


def test_strings_outside_the_fast_path_go_to_dateparser():
    # Hungarian has no fast-path table; a string naming its own zone keeps that zone.
    assert normalize_date(None, "2022. február 27. 21:12", DateContext(("hu",), "+01:00")).value == "2022-02-27T20:12:00+00:00"
    assert normalize_date(None, "27 February 2022 21:12 +0500", DateContext(("en",), "Europe/Berlin")).value == (
        "2022-02-27T16:12:00+00:00"
    )


def test_english_template_on_a_german_blog():
    assert normalize_date(None, "April 18, 2012 at 9:13 PM", DateContext(("de",), "+02:00")).value == (
        "2012-04-18T19:13:00+00:00"
    )


def test_numeric_dates_follow_the_language_order():
    def read(text, language):
        return normalize_date(None, text, DateContext((language,))).value[:10]

    assert read("2/3/2022", "en") == "2022-02-03"  # month/day in English
    assert read("2/3/2022", "fr") == "2022-03-02"
    assert read("27.2.22", "en") == "2022-02-27"
    assert read("1.3.18", "en") == "2018-03-01"  # dotted dates are day.month.year (Blogger's header format)
    assert read("2/27/2022", "de") == "2022-02-27"  # impossible month: the other order, as dateparser does
    assert read("2022-02-03", "ru") == "2022-02-03"
    assert read("5.6.99", "de") == "1999-06-05"


def test_unknown_words_are_not_guessed_by_the_fast_path():
    # a weekday/month that is not in the language's table leaves the string to dateparser
    assert normalize_date(None, "Blursday, Frobuary 27, 2022", DateContext(("en",))).value is None


# -- time-only stamps ----------------------------------------------------------------


def test_time_only_stamp_needs_a_reference_day():
    context = DateContext(("de",), "Europe/Berlin")
    alone = normalize_date(None, "21:00", context)
    assert alone.value is None and alone.raw == "21:00" and alone.source is None
    with_header = normalize_date(None, "21:00", context, reference="Mittwoch, 10. Mai 2017")
    assert with_header.value == "2017-05-10T19:00:00+00:00"
    assert with_header.source == "display"


@pytest.mark.parametrize(
    "reference",
    [
        "2017-05-10",
        "Mittwoch, 10. Mai 2017",
        "2017-05-10T23:30:00+02:00",  # a machine value: its local day in the blog's zone
        "2017-05-09T22:30:00Z",  # 00:30 on May 10 in Berlin
        1494412200000,  # epoch ms, 2017-05-10T10:30:00Z
    ],
)
def test_time_only_reference_forms(reference):
    context = DateContext(("de",), "Europe/Berlin")
    assert normalize_date(None, "21:00", context, reference=reference).value == "2017-05-10T19:00:00+00:00"


def test_time_only_reference_is_the_local_day_of_a_machine_value():
    context = DateContext(("en",), "America/Los_Angeles")
    # 2022-02-28T03:00Z is still Feb 27 in Los Angeles
    assert normalize_date(None, "9:12 PM", context, reference=1646017200000).value == "2022-02-28T05:12:00+00:00"


def test_machine_value_wins_over_time_only_display():
    result = normalize_date(1505059956197, "18:12", DateContext(("de",), "+02:00"), reference="2017-09-09")
    assert result.value == "2017-09-10T16:12:36+00:00"
    assert result.source == "epoch"


def test_combine_time_with_date():
    from datetime import date

    from newscrawl.dates import combine_time_with_date

    context = DateContext(("en",), "America/New_York")
    assert format_utc(combine_time_with_date("12:55 AM", date(2016, 5, 8), context)) == "2016-05-08T04:55:00+00:00"
    assert format_utc(combine_time_with_date("um 10:23", date(2015, 6, 6), DateContext((), "+02:00"))) == (
        "2015-06-06T08:23:00+00:00"
    )
    assert combine_time_with_date("25:00", date(2016, 5, 8), context) is None
    assert combine_time_with_date("May 8, 2016", date(2016, 5, 8), context) is None
    assert combine_time_with_date("21:00", None, context) is None


# -- learning the blog's offset from (display, epoch) pairs ----------------------------


def _comment_pairs(path):
    import re

    text = path.read_text(encoding="utf-8")
    return [(display, int(epoch)) for epoch, display in re.findall(r"showComment=(\d+)[^>]*>\s*([^<]*?)\s*</a>", text) if display]


def test_infer_display_offset_from_real_blogger_pages(real_pages):
    from newscrawl.dates import infer_display_offset

    papierplanet = _comment_pairs(real_pages / "blogger" / "derpapierplanet.de.juni.html")
    assert len(papierplanet) == 13
    assert infer_display_offset(papierplanet, ["de"]) == "+02:00"  # June: CEST
    twoality = _comment_pairs(real_pages / "blogger" / "2ality.com.2011-06-ecmascript.html")
    assert twoality[0] == ("April 18, 2012 at 9:13 PM", 1334776401466)
    assert infer_display_offset(twoality, ["en"]) == "+02:00"
    weinlachgummis = _comment_pairs(real_pages / "blogger" / "weinlachgummis.blogspot.com.rezi.html")
    assert infer_display_offset(weinlachgummis, "de-DE") == "+02:00"


def test_infer_display_offset_rounding_time_only_and_nothing():
    from newscrawl.dates import infer_display_offset

    # 2022-02-28T05:12:40Z shown in Los Angeles (-08:00) and in India (+05:30)
    assert infer_display_offset([("February 27, 2022 at 9:12 PM", 1646025160000)], ["en"]) == "-08:00"
    assert infer_display_offset([("28/02/2022 10:42", 1646025160000)], ["fr"]) == "+05:30"
    # time-only stamps vote with the offset nearest to zero across midnight
    assert infer_display_offset([("21:12", 1646025160000)], ["de"]) == "-08:00"
    assert infer_display_offset([("10:42", 1646025160000), ("nonsense", 1646025160000)], ["de"]) == "+05:30"
    # majority wins; unreadable and missing pairs are skipped
    pairs = [("6. Juni 2015 um 10:23", 1433578985419)] * 2 + [("6. Juni 2015 um 09:23", 1433578985419), ("", 1)]
    assert infer_display_offset(pairs, ["de"]) == "+02:00"
    assert infer_display_offset([], ["de"]) is None
    assert infer_display_offset([("gestern", 1433578985419)], ["xx"]) is None


def test_numeric_order_of_a_language_without_tables_is_left_to_dateparser(monkeypatch):
    import newscrawl.dates as dates

    calls = []
    monkeypatch.setattr(dates, "_dateparser", lambda text, *args: calls.append(text))
    dates._parse_display_cached.cache_clear()
    try:
        assert dates.parse_display_date("27/02/2022", DateContext(("pl",))) == datetime(2022, 2, 27, tzinfo=timezone.utc)
        assert calls == []
        dates.parse_display_date("03/02/2022", DateContext(("pl",)))
        assert calls == ["03/02/2022"]
    finally:
        dates._parse_display_cached.cache_clear()


def test_language_tags_and_unknown_languages():
    assert normalize_date(None, "27 de fevereiro de 2022 às 21:12", DateContext(("pt-BR",), "-03:00")).value == (
        "2022-02-28T00:12:00+00:00"
    )
    # dateparser refuses unknown language codes; the string is then read without one
    assert normalize_date(None, "February 27, 2022 9:12 PM EST", DateContext(("xx",))).value == "2022-02-28T02:12:00+00:00"


def test_a_date_shown_without_its_year_takes_the_reference_year():
    from newscrawl.dates import DateContext, normalize_date

    context = DateContext(("en",), "+00:00")
    same_year = normalize_date(None, "Jun 20th at 2:41 am", context, reference="2019-06-19T19:38:08+00:00")
    assert same_year.value == "2019-06-20T02:41:00+00:00"
    # a comment is never older than its post: "Jan 3" under a December post is next January
    next_year = normalize_date(None, "Jan 3 at 10:00 am", context, reference="2019-12-28T10:00:00+00:00")
    assert next_year.value == "2020-01-03T10:00:00+00:00"
    # a year in the text is never overridden
    explicit = normalize_date(None, "June 20, 2021 at 2:41 am", context, reference="2019-06-19T19:38:08+00:00")
    assert explicit.value == "2021-06-20T02:41:00+00:00"


def test_a_date_without_day_and_month_is_not_filled_in_from_today():
    # dateparser reads "17.07, 2011" as 17:07 on today's day and month of 2011 when nothing stops it
    german = DateContext(languages=("de",))
    assert parse_display_date("17.07, 2011 @ 13:04", german) == datetime(2011, 7, 17, 13, 4, tzinfo=timezone.utc)
    assert parse_display_date("17.07, 2011", german) == datetime(2011, 7, 17, tzinfo=timezone.utc)
    assert parse_display_date("Juli 2011", german) is None
    assert parse_display_date("2011", german) is None


def test_rfc822_machine_values_as_themes_write_them():
    # a theme's time[datetime] in RSS's form, with PHP's unpadded hour offset
    assert parse_machine_date("Thu, 30 Oct 2008 07:44:49 -500") == datetime(2008, 10, 30, 12, 44, 49, tzinfo=timezone.utc)
    assert parse_machine_date("Fri, 12 Jun 2009 16:03:00 +0000") == datetime(2009, 6, 12, 16, 3, tzinfo=timezone.utc)
    assert parse_machine_date("Thu, 30 Oct 2008 07:44:49") is None  # no zone: not a machine value
