"""Every date decision in one place.

Rules, in order of trust:
1. machine values: ISO 8601 with an offset (feeds, ``abbr[title]``, ``time[datetime]``)
   and epoch milliseconds (Blogger's ``?showComment=``);
2. display strings, read with the blog's language(s) and timezone:
   a. the fast path: the formats Blogger (and most blogs) show, matched by one compiled
      regular expression per language built from CLDR month and weekday names
      ("February 27, 2022 at 9:12 PM", "6. Juni 2015 um 10:23",
      "Mittwoch, Mai 10, 2017 4:14:00 PM", "27 февраля 2022 г., 21:12", "27.2.22", ...);
   b. anything else goes to ``dateparser`` with the language passed (it is slow when it
      has to guess), and, when that fails, without it (an English template on a
      German blog).
   Each distinct (string, languages, timezone) is read once: ``_parse_display_cached``.

How a display string becomes UTC:
* a date without a time ("Sonntag, 27. Februar 2022") is local midnight in the blog's
  timezone;
* a time without a date ("21:00", "9:12 PM") is not a date: it needs a ``reference``
  (the day it belongs to: the post's date header, a machine timestamp) and is read as
  that local day at that time; without a reference it stays unparsed;
* the blog's timezone is an IANA name (read with ``zoneinfo``), a fixed offset
  ``+02:00``, or ``None`` for UTC. A wall-clock time that does not exist (the hour
  skipped when DST starts) or exists twice (the hour repeated when it ends) is read
  with ``fold=0``: with the UTC offset in force *before* the change. So in
  Europe/Berlin 2022-03-27 02:30 is 01:30 UTC and 2022-10-30 02:30 is 00:30 UTC
  (the first of the two). dateparser alone (pytz, ``is_dst=False``) would take the
  second one; both paths here use the fold=0 rule, so a string reads the same
  whichever path reads it;
* numeric dates: ``2022-02-27`` is year-month-day everywhere; ``2/27/2022`` is
  month/day/year in English (as dateparser reads it) and day/month/year in the other
  languages; dotted dates ``27.2.22`` are day.month.year in every language (the
  Blogger header format). When the first reading is impossible (a month 27) the
  other order is taken, as dateparser does. Two-digit years are 20YY unless that is
  more than a year ahead, then 19YY.

Every stored date is UTC in one fixed format, ``2022-02-27T21:12:00+00:00``, with the
original string and the source of the value (``iso``, ``epoch``, ``display``) beside it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"

SOURCE_ISO = "iso"
SOURCE_EPOCH = "epoch"
SOURCE_DISPLAY = "display"

# Where a stored date's UTC offset comes from: how exact the instant is.
ZONE_STATED = "stated"  # the machine value carried its offset (or is an epoch): an exact instant
ZONE_BLOG = "blog"  # a display time read in the zone the blog is known to use (REST, feed, learned offset)
ZONE_UNKNOWN = "unknown"  # a display time and no known zone: the wall clock as shown, written +00:00

# Epoch milliseconds are 13 digits for dates between 2001 and 2286.
_EPOCH_MS = re.compile(r"^\d{12,14}$")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")


@dataclass(frozen=True)
class DateContext:
    """What a display string needs to be read: the blog's languages and timezone.

    ``timezone`` is an IANA name (``Europe/Berlin``) or a fixed offset (``+01:00``)
    learned from the blog's machine timestamps; ``None`` means UTC.
    """

    languages: tuple[str, ...] = ()
    timezone: str | None = None

    @classmethod
    def from_hints(cls, language: str | None = None, timezone: str | None = None) -> "DateContext":
        languages = (language_code(language),) if language_code(language) else ()
        return cls(languages=languages, timezone=timezone)


@dataclass(frozen=True)
class NormalizedDate:
    value: str | None  # UTC, UTC_FORMAT
    raw: str | None  # the original string (display text when shown, else the machine value)
    source: str | None  # SOURCE_*
    zone: str | None = None  # ZONE_*: where the value's offset comes from


def language_code(tag: str | None) -> str | None:
    """``de-DE`` / ``de_DE`` / ``DE`` -> ``de``; ``None`` for empty tags."""
    if not tag:
        return None
    code = re.split(r"[-_]", tag.strip())[0].lower()
    return code or None


def format_utc(moment: datetime) -> str:
    """The one stored format: UTC, whole seconds, explicit +00:00."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: a stored date must know its offset")
    return moment.astimezone(timezone.utc).strftime(UTC_FORMAT)


def from_epoch_ms(value: int | str) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)


# What only a date or a time writes: a year of 19xx/20xx, d.m.y / m/d/y, or a clock time.
_NUMERIC_DATE = r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)"
_CLOCK = r"(?<!\d)\d{1,2}:\d{2}(?!\d)"
_DATE_SHAPE = re.compile(rf"(?<!\d)(?:19|20)\d{{2}}(?!\d)|{_NUMERIC_DATE}|{_CLOCK}")


def looks_like_date(text: str | None) -> bool:
    """True when a text has a date's or a clock time's shape ("29.07.2020 // 12:56", "June 5,
    2015"): such a text is never a person's name ("Michaela 29 Diederichs" is one)."""
    return bool(text and _DATE_SHAPE.search(text))


# In a name, only what no name writes: a clock time, a numeric date, or a year word beside another number.
_TIME_OR_NUMERIC_DATE = re.compile(f"{_CLOCK}|{_NUMERIC_DATE}")
_YEAR_WORD = re.compile(r"\b(?:19|20)\d{2}\b")


def name_reads_as_date(name: str | None) -> bool:
    """Whether a commenter's name is really a date ("Ben 19. Juni 2018 um 15:28 Uhr", "June 5,
    2015"); "dave1984" and "Class of 2012" are names."""
    if not name:
        return False
    if _TIME_OR_NUMERIC_DATE.search(name):
        return True
    year = _YEAR_WORD.search(name)
    return bool(year) and bool(re.search(r"\d", name[: year.start()] + name[year.end():]))


def machine_value_has_time(value: str | None) -> bool:
    """A machine value with a time of day ("2020-07-29T12:56:00+02:00"), not a bare day
    ("2020-07-29"): a bare day is less exact than a shown "29.07.2020 // 12:56"."""
    return bool(value) and bool(re.search(r"\d[T ]\d{1,2}:\d{2}", value.strip()))


def parse_machine_date(value: str | int | float | None) -> datetime | None:
    """An aware datetime from ISO 8601 (with offset) or epoch milliseconds; None if neither.

    An ISO value without an offset is not a machine value: its zone is unknown.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return from_epoch_ms(value)
    text = str(value).strip()
    if not text:
        return None
    if _EPOCH_MS.match(text):
        return from_epoch_ms(text)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # RFC 822, as RSS writes it and some themes put in time[datetime] ("Thu, 30 Oct 2008 07:44:49 -500")
        rfc822 = rfc822_to_iso(text) if _RFC822_START.match(text) else None
        return datetime.fromisoformat(rfc822) if rfc822 else None
    return moment if moment.tzinfo is not None else None


_RFC822_START = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d")


def utc_offset_of(value: str | None) -> str | None:
    """The ``+HH:MM`` offset written in an ISO timestamp, to learn a blog's timezone."""
    if not value:
        return None
    value = value.strip()
    if value.endswith(("Z", "z")):
        return "+00:00"
    match = _OFFSET.search(value)
    if not match or "T" not in value:
        return None
    sign, hours, minutes = match.groups()
    return f"{sign}{hours}:{minutes}"


# -- timezones ---------------------------------------------------------------------------

_FIXED_ZONE = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def zone_of(tz: str | None) -> tzinfo | None:
    """The tzinfo for a timezone: UTC when empty; a fixed offset (``+02:00``, ``UTC+2``) or an
    IANA name (``Europe/Berlin``); None when it is neither."""
    if not tz or tz.strip().upper() in ("UTC", "GMT", "Z"):
        return timezone.utc
    tz = tz.strip()
    match = _FIXED_ZONE.match(tz)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _localize(naive: datetime, zone: tzinfo) -> datetime:
    """A local wall-clock time in ``zone`` as aware UTC; fold=0 for DST gaps and overlaps."""
    return naive.replace(tzinfo=zone, fold=0).astimezone(timezone.utc)


# -- the fast path: per-language names and one compiled grammar per language -------------


@dataclass(frozen=True)
class _Names:
    months: tuple[tuple[str, ...], ...]  # twelve tuples: every accepted spelling, lower case, no final dot
    weekdays: tuple[str, ...]  # wide and short, lower case, no final dot
    month_first: bool = False  # numeric dates with "/" or "-" are month/day/year (English)


def _names(months: str, weekdays: str, month_first: bool = False) -> _Names:
    """``months``: twelve groups separated by ``;``, spellings by spaces."""
    groups = tuple(tuple(group.split()) for group in months.split(";"))
    assert len(groups) == 12, months
    return _Names(groups, tuple(weekdays.split()), month_first)


# CLDR format names (wide and abbreviated), older CLDR spellings and common variants.
_LANGUAGES: dict[str, _Names] = {
    "en": _names(
        "january jan; february feb; march mar; april apr; may; june jun; july jul; august aug;"
        "september sep sept; october oct; november nov; december dec",
        "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun",
        month_first=True,
    ),
    "de": _names(
        "januar jan jänner jän; februar feb feber; märz mär maerz mrz; april apr; mai; juni jun; juli jul;"
        "august aug; september sep sept; oktober okt; november nov; dezember dez",
        "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di mi do fr sa so",
    ),
    "fr": _names(
        "janvier janv; février fevrier févr fevr fév; mars mar; avril avr; mai; juin; juillet juil;"
        "août aout; septembre sept sep; octobre oct; novembre nov; décembre decembre déc dec",
        "lundi mardi mercredi jeudi vendredi samedi dimanche lun mar mer jeu ven sam dim",
    ),
    "es": _names(
        "enero ene; febrero feb; marzo mar; abril abr; mayo may; junio jun; julio jul; agosto ago;"
        "septiembre setiembre sept sep set; octubre oct; noviembre nov; diciembre dic",
        "lunes martes miércoles miercoles jueves viernes sábado sabado domingo lun mar mié mie jue vie sáb sab dom",
    ),
    "it": _names(
        "gennaio gen; febbraio feb; marzo mar; aprile apr; maggio mag; giugno giu; luglio lug; agosto ago;"
        "settembre set; ottobre ott; novembre nov; dicembre dic",
        "lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica"
        " lun mar mer gio ven sab dom",
    ),
    "pt": _names(
        "janeiro jan; fevereiro fev; março marco mar; abril abr; maio mai; junho jun; julho jul; agosto ago;"
        "setembro set; outubro out; novembro nov; dezembro dez",
        "segunda-feira terça-feira terca-feira quarta-feira quinta-feira sexta-feira sábado sabado domingo"
        " segunda terça terca quarta quinta sexta seg ter qua qui sex sáb sab dom",
    ),
    "ru": _names(
        "января январь янв; февраля февраль февр фев; марта март мар; апреля апрель апр; мая май;"
        "июня июнь июн; июля июль июл; августа август авг; сентября сентябрь сент сен;"
        "октября октябрь окт; ноября ноябрь нояб ноя; декабря декабрь дек",
        "понедельник вторник среда четверг пятница суббота воскресенье пн вт ср чт пт сб вс",
    ),
    "nl": _names(
        "januari jan; februari feb; maart mrt mar; april apr; mei; juni jun; juli jul; augustus aug;"
        "september sep sept; oktober okt; november nov; december dec",
        "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di wo do vr za zo",
    ),
}

# Words and marks between the date and the time, in any of the languages above:
# "at", "um", "à", "a las", "alle ore", "às", "om", "в", "@", "-", "/", "|".
_CONNECTIVE = r"(?:at|@|um|à|a|a las|a la|alle ore|alle|ore|às|as|om|в|kl\.?|klo)"
_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?: ?(?P<ampm>[ap])\.? ?m\.?)?(?: ?uhr| ?h| ?ч\.?)?"
)
_TIME_ONLY = re.compile(rf"^(?:{_CONNECTIVE} )?{_TIME}$")
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


@functools.lru_cache(maxsize=None)
def _grammar(language: str) -> tuple[re.Pattern[str], dict[str, int]] | None:
    """One regular expression for the whole display string, and the month lookup."""
    names = _LANGUAGES.get(language)
    if names is None:
        return None
    months = {spelling: number for number, group in enumerate(names.months, 1) for spelling in group}
    month = f"(?:{_alternation(months)})"
    weekday = f"(?:{_alternation(names.weekdays)})"
    day_suffix = r"(?:\.|er|º|°|st|nd|rd|th)?"
    date_part = (
        r"(?:"
        r"(?P<iso_year>\d{4})(?P<iso_sep>[-/.])(?P<iso_month>\d{1,2})(?P=iso_sep)(?P<iso_day>\d{1,2})"
        r"|(?P<num_a>\d{1,2})(?P<num_sep>[-/.])(?P<num_b>\d{1,2})(?P=num_sep)(?P<num_year>\d{4}|\d{2})"
        rf"|(?P<dm_day>\d{{1,2}}){day_suffix} ?(?:de )?(?P<dm_month>{month})\.?,? (?:de )?(?P<dm_year>\d{{4}})"
        rf"|(?P<md_month>{month})\.? (?P<md_day>\d{{1,2}}){day_suffix},? (?P<md_year>\d{{4}})"
        r")(?: ?г\.?| года)?\.?"
    )
    pattern = (
        rf"^(?:{weekday}\.?,? )?{date_part}"
        rf"(?:(?:,? |,|(?: ?[-/|–—·,] ?))(?:{_CONNECTIVE} )?{_TIME})?$"
    )
    return re.compile(pattern), months


def is_time_only(text: str | None) -> bool:
    """A time of day shown without its date ("13:04", "at 9:12 PM", "14:22 Uhr")."""
    return bool(text) and bool(_TIME_ONLY.match(_normalize_text(text)))


def _normalize_text(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


def _two_digit_year(value: str) -> int:
    year = 2000 + int(value)
    return year if year <= datetime.now(timezone.utc).year + 1 else year - 100


def _time_of(match: re.Match[str]) -> tuple[int, int, int] | None:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _fast_local(text: str, languages: tuple[str, ...]) -> datetime | None:
    """The naive local datetime a display string shows, by the fast path; None if no format fits."""
    normalized = _normalize_text(text)
    # The order of numeric dates is the blog's language's, not that of the table that
    # matched; unknown for a language without a table (None: ambiguous ones go to dateparser).
    first = _LANGUAGES.get(languages[0]) if languages else _LANGUAGES["en"]
    month_first = first.month_first if first is not None else None
    for language in _fast_languages(languages):
        grammar = _grammar(language)
        if grammar is None:
            continue
        pattern, months = grammar
        match = pattern.match(normalized)
        if match is None:
            continue
        moment = _build(match, months, month_first)
        if moment is not None:
            return moment
    return None


def _fast_languages(languages: tuple[str, ...]) -> tuple[str, ...]:
    # English last: Blogger templates often stay English on blogs written in other languages.
    if not languages:
        return ("en",)
    return languages if "en" in languages else (*languages, "en")


def _build(match: re.Match[str], months: dict[str, int], month_first: bool | None) -> datetime | None:
    if match["iso_year"]:
        year, month, day = int(match["iso_year"]), int(match["iso_month"]), int(match["iso_day"])
    elif match["num_a"]:
        first, second = int(match["num_a"]), int(match["num_b"])
        if match["num_sep"] == ".":
            month_first = False
        elif month_first is None:
            if first <= 12 and second <= 12 and first != second:
                return None  # order unknown for this language
            month_first = first <= 12
        month, day = (first, second) if month_first else (second, first)
        if month > 12 and day <= 12:
            month, day = day, month
        raw_year = match["num_year"]
        year = int(raw_year) if len(raw_year) == 4 else _two_digit_year(raw_year)
    elif match["dm_month"]:
        year, month, day = int(match["dm_year"]), months[match["dm_month"]], int(match["dm_day"])
    else:
        year, month, day = int(match["md_year"]), months[match["md_month"]], int(match["md_day"])
    hour = minute = second = 0
    if match["hour"]:
        clock = _time_of(match)
        if clock is None:
            return None
        hour, minute, second = clock
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


# -- display strings ---------------------------------------------------------------------


def parse_display_date(
    text: str | None, context: DateContext = DateContext(), reference: object = None
) -> datetime | None:
    """A display string ("February 27, 2022 at 9:12 PM", "6. Juni 2015 um 10:23") as aware UTC.

    A time-only string ("21:00") needs ``reference``, the day it belongs to (see
    ``combine_time_with_date``); without one it is None.
    """
    if not text or not text.strip():
        return None
    text = text.strip()
    if is_time_only(text):
        day = _reference_date(reference, context)
        return combine_time_with_date(text, day, context) if day is not None else None
    moment = _parse_display_cached(text, context.languages, context.timezone)
    if moment is not None and reference is not None and not _YEAR.search(text):
        day = _reference_date(reference, context)
        if day is not None:
            return _in_year_from(moment, day, context)
    return moment


# A year written in a display string: 2019, '19, or the last part of 20.06.19 / 6/20/19.
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)|'\d{2}\b|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _in_year_from(moment: datetime, day: date, context: DateContext) -> datetime:
    """A date shown without its year ("Jun 20th at 2:41 am"): in the reference's year,
    or the next one when that would put it before the reference (a comment is never
    older than its post).  Parsers without a year guess the current one."""
    zone = zone_of(context.timezone) or timezone.utc
    local = moment.astimezone(zone).replace(tzinfo=None)
    try:
        candidate = local.replace(year=day.year)
        if candidate.date() < day:
            candidate = candidate.replace(year=day.year + 1)
    except ValueError:  # 29 February in a year without it
        return moment
    return _localize(candidate, zone).astimezone(timezone.utc)


# Bounded small: the strings that repeat (a day's date header, a template's "Today") repeat soon,
# and a comment's time is mostly its own. 65,536 entries held about 12 MB by 40,000 comments.
@functools.lru_cache(maxsize=4096)
def _parse_display_cached(text: str, languages: tuple[str, ...], tz: str | None) -> datetime | None:
    languages = tuple(code for code in map(language_code, languages) if code)  # "pt-BR" -> "pt"
    zone = zone_of(tz)
    if zone is not None:
        local = _fast_local(text, languages)
        if local is not None:
            return _localize(local, zone)
    machine = parse_machine_date(text) if text[:1].isdigit() and "T" in text else None
    if machine is not None:
        return machine.astimezone(timezone.utc)
    return _dateparser(text, languages, tz, zone)


def _dateparser(text: str, languages: tuple[str, ...], tz: str | None, zone: tzinfo | None) -> datetime | None:
    import dateparser  # imported lazily: it costs ~0.3 s and the fast path rarely needs it

    if zone is not None:
        # Naive results come back as the blog's wall-clock time and are placed with
        # zoneinfo (fold=0) like the fast path; strings that name their own zone come back aware.
        settings = {"TIMEZONE": _dateparser_timezone(tz), "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": _DAY_AND_MONTH}
    else:  # a zone zoneinfo does not know: let dateparser try it
        settings = {
            "TIMEZONE": _dateparser_timezone(tz),
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": _DAY_AND_MONTH,
        }
    cleaned = _strip_connectives(text)
    try:
        parsed = dateparser.parse(cleaned, languages=list(languages) or None, settings=settings)
    except ValueError:  # a language dateparser does not know ("Unknown language(s): 'xx'")
        parsed = None
    if parsed is None and languages:
        # The page language can be wrong (an English template on a German blog).
        parsed = dateparser.parse(cleaned, settings=settings)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return _localize(parsed, zone or timezone.utc)
    return parsed.astimezone(timezone.utc)


# dateparser fills what a string lacks from today: "17.07, 2011" would come back as 17:07 on
# today's day and month of 2011. A date shown without its day and month is no date.
_DAY_AND_MONTH = ["day", "month"]

# Words templates put between the date and the time ("at", "um", "à", "@", ...)
# that dateparser does not always skip.
_CONNECTIVES = re.compile(r"\s+(at|um|à|a las|alle ore|alle|às|om|в|@)\s+(?=\d)", re.IGNORECASE)
# A numeric day and month with the year after a comma ("17.07, 2011": PHP's "d.m, Y").
_DAY_MONTH_COMMA_YEAR = re.compile(r"\b(\d{1,2})\.(\d{1,2}),\s*(\d{4})\b")


def _strip_connectives(text: str) -> str:
    return _DAY_MONTH_COMMA_YEAR.sub(r"\1.\2.\3", _CONNECTIVES.sub(" ", text))


def _dateparser_timezone(tz: str | None) -> str:
    if not tz:
        return "UTC"
    match = _OFFSET.fullmatch(tz) if tz[0] in "+-" else None
    if match:
        sign, hours, minutes = match.groups()
        return f"UTC{sign}{hours}:{minutes}"
    return tz


# -- time-only stamps --------------------------------------------------------------------


def combine_time_with_date(
    time_text: str | None, day: date | None, context: DateContext = DateContext()
) -> datetime | None:
    """A time-only stamp ("21:00", "9:12 PM", "um 10:23") on ``day`` (a local date) as aware UTC."""
    if not time_text or day is None:
        return None
    match = _TIME_ONLY.match(_normalize_text(time_text))
    zone = zone_of(context.timezone)
    if match is None or zone is None:
        return None
    clock = _time_of(match)
    if clock is None:
        return None
    if isinstance(day, datetime):
        day = day.date()
    return _localize(datetime(day.year, day.month, day.day, *clock), zone)


def _reference_date(reference: object, context: DateContext) -> date | None:
    """The local day a time-only stamp belongs to.

    ``reference`` may be a ``date``; an aware ``datetime``, ISO timestamp with offset or
    epoch milliseconds (read as the blog's local day); a naive ``datetime`` or
    ``YYYY-MM-DD`` (a local day as is); or a display date ("Sonntag, 27. Februar 2022").
    """
    if reference is None or reference == "":
        return None
    if isinstance(reference, datetime):
        if reference.tzinfo is None:
            return reference.date()
        zone = zone_of(context.timezone) or timezone.utc
        return reference.astimezone(zone).date()
    if isinstance(reference, date):
        return reference
    machine = parse_machine_date(reference if isinstance(reference, (int, float)) else str(reference))
    if machine is not None:
        return _reference_date(machine, context)
    text = str(reference).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if _TIME_ONLY.match(_normalize_text(text)):
        return None
    moment = parse_display_date(text, context)
    return _reference_date(moment, context) if moment is not None else None


# -- deciding one date -------------------------------------------------------------------


def normalize_date(
    machine: str | int | float | None = None,
    display: str | None = None,
    context: DateContext = DateContext(),
    reference: object = None,
) -> NormalizedDate:
    """Decide one date: the machine value when it parses, else the display string.

    ``reference`` is the day a time-only display ("21:00") belongs to: a date, an
    aware datetime, a machine value or a display date (the post's date header).
    """
    raw = display.strip() if display and display.strip() else None
    moment = parse_machine_date(machine)
    if moment is not None:
        source = SOURCE_EPOCH if _is_epoch(machine) else SOURCE_ISO
        return NormalizedDate(format_utc(moment), raw or str(machine).strip(), source, ZONE_STATED)
    if raw:
        moment = parse_display_date(raw, context, reference)
        if moment is not None:
            # never invent a zone: without one the value is the shown wall clock, and says so
            zone = ZONE_BLOG if context.timezone and zone_of(context.timezone) is not None else ZONE_UNKNOWN
            return NormalizedDate(format_utc(moment), raw, SOURCE_DISPLAY, zone)
    return NormalizedDate(None, raw or (str(machine) if machine is not None else None), None)


def _is_epoch(value: object) -> bool:
    return isinstance(value, (int, float)) or bool(_EPOCH_MS.match(str(value).strip()))


# -- learning a blog's timezone ----------------------------------------------------------


def most_common_offset(values: Iterable[str | None]) -> str | None:
    """The blog's UTC offset as most of its machine timestamps write it."""
    counts: dict[str, int] = {}
    for value in values:
        offset = utc_offset_of(value)
        if offset:
            counts[offset] = counts.get(offset, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


_QUARTER_HOUR = 15 * 60
_DAY = 24 * 3600


def infer_display_offset(
    pairs: Iterable[tuple[str, int | str]], languages: Iterable[str] | str | None = ()
) -> str | None:
    """The blog's UTC offset (``+HH:MM``) from its comments' (display string, epoch ms) pairs.

    Each display is read as naive local time; display minus UTC, rounded to 15 minutes,
    is one vote; the most common wins (None without a readable pair). Blogger pages
    rarely state their timezone except this way. Time-only displays ("21:00") vote too:
    their offset is taken between -12:00 and +11:45. The offset is the one in force at
    those comments' dates (summer time gives +02:00 for Europe/Berlin).
    """
    if isinstance(languages, str):
        languages = (languages,)
    codes = tuple(code for code in (language_code(tag) for tag in languages or ()) if code)
    votes: Counter[int] = Counter()
    for display, epoch in pairs:
        instant = parse_machine_date(epoch)
        if not display or instant is None:
            continue
        utc_naive = instant.astimezone(timezone.utc).replace(tzinfo=None)
        normalized = _normalize_text(display)
        match = _TIME_ONLY.match(normalized)
        if match:
            clock = _time_of(match)
            if clock is None:
                continue
            local = datetime(utc_naive.year, utc_naive.month, utc_naive.day, *clock)
            seconds = (local - utc_naive).total_seconds()
            seconds = (seconds + _DAY / 2) % _DAY - _DAY / 2
        else:
            local = _naive_display(display.strip(), codes)
            if local is None:
                continue
            seconds = (local - utc_naive).total_seconds()
            if abs(seconds) > 14 * 3600 + _QUARTER_HOUR:
                continue  # not the same moment: a wrong reading, not an offset
        votes[round(seconds / _QUARTER_HOUR) * _QUARTER_HOUR] += 1
    if not votes:
        return None
    best = votes.most_common(1)[0][0]
    sign = "-" if best < 0 else "+"
    hours, rest = divmod(abs(best), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"


def _naive_display(text: str, languages: tuple[str, ...]) -> datetime | None:
    """A display string as the wall-clock time it shows (read in UTC, made naive)."""
    moment = _parse_display_cached(text, languages, None)
    return moment.replace(tzinfo=None) if moment is not None else None


def utc_now() -> str:
    return format_utc(datetime.now(timezone.utc))


__all__ = [
    "DateContext",
    "NormalizedDate",
    "combine_time_with_date",
    "format_utc",
    "from_epoch_ms",
    "infer_display_offset",
    "language_code",
    "looks_like_date",
    "machine_value_has_time",
    "most_common_offset",
    "normalize_date",
    "offset_from_hours",
    "page_display_offset",
    "parse_display_date",
    "parse_machine_date",
    "rfc822_to_iso",
    "utc_now",
    "utc_offset_of",
    "wall_clock_of",
    "wordpress_utc",
]


# -- Blogger: a page's display offset ----------------------------------------------------


def page_display_offset(
    comments: Iterable[dict], post_published: str | None, language: str | None = None
) -> str | None:
    """The UTC offset (``+HH:MM``) a Blogger page writes its display dates in, or None.

    Blogger states a page's timezone nowhere, but its comments pair a display string
    (``published_raw``) with an exact epoch from their ``?showComment=`` permalinks
    (``published_machine``): :func:`infer_display_offset` reads the offset from those pairs.
    A page without such a comment falls back on the offset written in the post's own
    machine timestamp (``post_published``, via :func:`most_common_offset`).

    ``comments``: every comment of the page, replies included, as one flat iterable of
    items; ``language``: the blog's language tag, to read the display strings.
    """
    pairs = [
        (c.get("published_raw"), c.get("published_machine"))
        for c in comments
        if c.get("published_raw") and c.get("published_machine")
    ]
    return infer_display_offset(pairs, language) or most_common_offset([post_published])


# -- platform timestamps: WordPress date/date_gmt, RFC 822, wall clocks ---
#
# Values a platform hands over as dates that need a zone decision before they are machine
# values: WordPress's REST date pairs and ``gmt_offset``, RSS ``pubDate``, and markup
# timestamps whose offset is not to be trusted (WordPress before 5.3).


def offset_from_hours(hours: float | int | str | None) -> str | None:
    """A UTC offset given in hours, as WordPress's ``gmt_offset`` gives it (may be fractional:
    5.5, -3.5), as ``+05:30``; None when it is not a number."""
    try:
        value = float(hours)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    minutes = round(abs(value) * 60)
    return f"{'-' if value < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def _site_zone(site_timezone: str | None) -> tzinfo | None:
    """The site's zone (IANA name or fixed offset); None when the site gave none."""
    if not site_timezone or not str(site_timezone).strip():
        return None
    return zone_of(str(site_timezone))


def _naive_rest_date(value: object) -> datetime | None:
    """A WordPress REST date (``2022-03-27T04:30:00``, no offset) as a naive datetime; None
    when empty or zero."""
    if not value or not isinstance(value, str) or value.startswith("0000-00-00"):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace(" ", "T"))
    except ValueError:
        return None
    return moment.replace(tzinfo=None)


def _utc_readings(local: datetime, zone: tzinfo) -> list[datetime]:
    """Every UTC instant (naive) that a site-local wall-clock time can mean in ``zone``:
    one normally, two in the hour repeated when DST ends, and for a time in the hour skipped
    when DST starts, the readings with the offsets before and after the change."""
    readings: list[datetime] = []
    for fold in (0, 1):
        instant = local.replace(tzinfo=zone, fold=fold).astimezone(timezone.utc).replace(tzinfo=None)
        if instant not in readings:
            readings.append(instant)
    return readings


def wordpress_utc(date_local: str | None, date_gmt: str | None, site_timezone: str | None) -> str | None:
    """The UTC machine value (``2022-03-27T02:30:00+00:00``) of a WordPress REST date pair
    (``date`` and ``date_gmt``, ``modified`` and ``modified_gmt``).

    ``date_gmt`` is taken when it is one of the UTC instants ``date`` can mean in the site's
    timezone (IANA name or fixed offset); otherwise UTC is derived from ``date`` and the zone
    (the offset in force before a DST change for a skipped or repeated wall-clock time, as
    display times are read here).  WordPress formats ``date_gmt`` by reading the stored
    GMT wall-clock time in the site's zone, so a GMT time that falls into the skipped hour comes
    out an hour late; ``date`` is right.  Without a zone ``date_gmt`` is all there is.
    """
    gmt = _naive_rest_date(date_gmt)
    local = _naive_rest_date(date_local)
    zone = _site_zone(site_timezone)
    if local is None or zone is None:
        return format_utc(gmt.replace(tzinfo=timezone.utc)) if gmt is not None else None
    readings = _utc_readings(local, zone)
    chosen = gmt if gmt is not None and gmt in readings else readings[0]
    return format_utc(chosen.replace(tzinfo=timezone.utc))


def rfc822_to_iso(value: str | None) -> str | None:
    """An RSS ``pubDate`` (``Thu, 09 Nov 2017 05:00:00 +0000``) as ISO 8601 with its offset;
    None when it is not an RFC 822 date or names no zone."""
    if not value or not value.strip():
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.isoformat()


def wall_clock_of(value: str) -> str | None:
    """The local wall-clock time of a markup timestamp whose offset is not to be trusted
    (``2014-04-02T08:29:59+00:00`` -> ``2014-04-02 08:29:59``): the date pipeline reads it in the
    blog's timezone, like any shown date."""
    moment = parse_machine_date(value)
    return moment.replace(tzinfo=None).isoformat(sep=" ") if moment is not None else None
