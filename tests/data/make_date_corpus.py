"""Write ``date_corpus.json``: display date strings with their expected UTC values.

The expected values never come from ``newscrawl.dates``.  They come from

* known datetimes formatted here with this file's own month and weekday tables
  (CLDR "format" names, wide and abbreviated, as Blogger shows them) in the
  display formats a Blogger owner can choose, converted to UTC with ``zoneinfo``;
* hand-written daylight-saving cases, each with its UTC value worked out by hand;
* real strings from saved pages in ``/work/shared/real-pages``, whose exact instant is
  on the same page (Blogger's ``?showComment=EPOCH_MS``, ``abbr.published[title]``,
  WordPress and Drupal ``time[datetime]``).  There the blog's UTC offset is the display
  time minus the machine time.

Rules the expected values follow (the same ones ``newscrawl.dates`` documents):
a date without a time means local midnight in the blog's timezone; a local time that
does not exist or exists twice (DST changes) is read with ``fold=0``, i.e. with the
UTC offset in force *before* the change; a time-only string takes its date from the
record's ``reference`` (a local date).

Run ``python tests/data/make_date_corpus.py`` from the project root to rewrite the JSON.
"""

from __future__ import annotations

import html
import json
import random
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent
REAL_PAGES = HERE.resolve().parents[1].parent / "shared" / "real-pages"  # ../shared beside the project
OUT = HERE / "date_corpus.json"

# -- names (CLDR, format context) -------------------------------------------------------
# months: January..December; weekdays: Monday..Sunday (datetime.weekday() order)

NAMES = {
    "en": {
        "MMMM": "January February March April May June July August September October November December".split(),
        "MMM": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
        "EEEE": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
        "EEE": "Mon Tue Wed Thu Fri Sat Sun".split(),
    },
    "de": {
        "MMMM": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
        "MMM": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split(),
        "EEEE": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
        "EEE": "Mo. Di. Mi. Do. Fr. Sa. So.".split(),
    },
    "fr": {
        "MMMM": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
        "MMM": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
        "EEEE": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
        "EEE": "lun. mar. mer. jeu. ven. sam. dim.".split(),
    },
    "es": {
        "MMMM": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
        "MMM": "ene. feb. mar. abr. may. jun. jul. ago. sept. oct. nov. dic.".split(),
        "EEEE": "lunes martes miércoles jueves viernes sábado domingo".split(),
        "EEE": "lun. mar. mié. jue. vie. sáb. dom.".split(),
    },
    "it": {
        "MMMM": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(),
        "MMM": "gen feb mar apr mag giu lug ago set ott nov dic".split(),
        "EEEE": "lunedì martedì mercoledì giovedì venerdì sabato domenica".split(),
        "EEE": "lun mar mer gio ven sab dom".split(),
    },
    "pt": {
        "MMMM": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(),
        "MMM": "jan. fev. mar. abr. mai. jun. jul. ago. set. out. nov. dez.".split(),
        "EEEE": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo".split(),
        "EEE": "seg. ter. qua. qui. sex. sáb. dom.".split(),
    },
    "ru": {
        # genitive: the form used with a day number ("27 февраля")
        "MMMM": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
        "MMM": "янв. февр. мар. апр. мая июн. июл. авг. сент. окт. нояб. дек.".split(),
        "EEEE": "понедельник вторник среда четверг пятница суббота воскресенье".split(),
        "EEE": "пн вт ср чт пт сб вс".split(),
    },
    "nl": {
        "MMMM": "januari februari maart april mei juni juli augustus september oktober november december".split(),
        "MMM": "jan. feb. mrt. apr. mei jun. jul. aug. sep. okt. nov. dec.".split(),
        "EEEE": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split(),
        "EEE": "ma di wo do vr za zo".split(),
    },
}

# -- formats ------------------------------------------------------------------------------
# {EEEE} {EEE} weekday, {MMMM} {MMM} month, {d} {dd} {M} {MM} {yyyy} {yy} date,
# {H} {HH} {h} {mm} {ss} {a} (AM/PM) {a_lower} (am/pm) {a_es} (a. m./p. m.) time.
# The "US pattern" ("Mittwoch, Mai 10, 2017 4:14:00 PM") is Blogger's en-US comment
# format filled with the blog language's names.
US_PATTERN = "{EEEE}, {MMMM} {d}, {yyyy} {h}:{mm}:{ss} {a}"

FORMATS = {
    "en": {
        "date-header": [
            "{EEEE}, {MMMM} {d}, {yyyy}", "{M}/{d}/{yyyy}", "{M}/{d}/{yy}", "{yyyy}-{MM}-{dd}",
            "{MMMM} {d}, {yyyy}", "{MMM} {d}, {yyyy}", "{d} {MMMM} {yyyy}", "{EEEE}, {d} {MMMM} {yyyy}",
            "{d}.{M}.{yy}", "{EEE}, {MMM} {d}, {yyyy}", "{MM}/{dd}/{yyyy}",
        ],
        "comment": [
            "{MMMM} {d}, {yyyy} at {h}:{mm} {a}", "{d} {MMMM} {yyyy} at {HH}:{mm}", "{M}/{d}/{yyyy} {h}:{mm} {a}",
            "{M}/{d}/{yyyy} {h}:{mm}:{ss} {a}", US_PATTERN, "{MMM} {d}, {yyyy}, {h}:{mm} {a}",
            "{MMMM} {d}, {yyyy} {h}:{mm} {a}", "{MMMM} {d}, {yyyy} at {h}:{mm}\u202f{a}",
            "{MMMM} {d}, {yyyy} at {h}:{mm} {a_lower}", "{d} {MMM} {yyyy}, {HH}:{mm}", "{M}/{d}/{yyyy} {HH}:{mm}",
        ],
    },
    "de": {
        "date-header": [
            "{EEEE}, {d}. {MMMM} {yyyy}", "{dd}.{MM}.{yyyy}", "{d}.{M}.{yy}", "{yyyy}-{MM}-{dd}",
            "{d}. {MMMM} {yyyy}", "{d}. {MMM} {yyyy}", "{EEE}, {d}. {MMM} {yyyy}", "{EEEE}, {MMMM} {d}, {yyyy}",
        ],
        "comment": [
            "{d}. {MMMM} {yyyy} um {HH}:{mm}", "{dd}.{MM}.{yyyy} {HH}:{mm}", "{d}.{M}.{yy} {HH}:{mm}", US_PATTERN,
            "{d}. {MMMM} {yyyy} {HH}:{mm}", "{EEEE}, {d}. {MMMM} {yyyy} um {HH}:{mm}:{ss}",
            "{d}. {MMMM} {yyyy} um {H}:{mm} Uhr", "{d}. {MMM} {yyyy}, {HH}:{mm}",
        ],
    },
    "fr": {
        "date-header": [
            "{EEEE} {d} {MMMM} {yyyy}", "{dd}/{MM}/{yyyy}", "{d} {MMMM} {yyyy}", "{d} {MMM} {yyyy}",
            "{yyyy}-{MM}-{dd}", "{dd}/{MM}/{yy}", "{EEEE}, {d} {MMMM} {yyyy}",
        ],
        "comment": [
            "{d} {MMMM} {yyyy} à {HH}:{mm}", "{dd}/{MM}/{yyyy} {HH}:{mm}", "{EEEE} {d} {MMMM} {yyyy} à {HH}:{mm}:{ss}",
            "{d} {MMM} {yyyy}, {HH}:{mm}", US_PATTERN, "{d} {MMMM} {yyyy} {HH}:{mm}",
        ],
    },
    "es": {
        "date-header": [
            "{EEEE}, {d} de {MMMM} de {yyyy}", "{d}/{M}/{yyyy}", "{dd}/{MM}/{yy}", "{d} de {MMMM} de {yyyy}",
            "{d} {MMM} {yyyy}", "{yyyy}-{MM}-{dd}", "{EEE}, {d} de {MMM} de {yyyy}",
        ],
        "comment": [
            "{d} de {MMMM} de {yyyy}, {HH}:{mm}", "{d} de {MMMM} de {yyyy} a las {HH}:{mm}", "{d}/{M}/{yyyy} {HH}:{mm}",
            "{d} de {MMMM} de {yyyy}, {h}:{mm} {a_es}", US_PATTERN, "{dd}/{MM}/{yyyy} {HH}:{mm}:{ss}",
        ],
    },
    "it": {
        "date-header": [
            "{EEEE} {d} {MMMM} {yyyy}", "{dd}/{MM}/{yyyy}", "{d}/{M}/{yy}", "{d} {MMMM} {yyyy}",
            "{d} {MMM} {yyyy}", "{yyyy}-{MM}-{dd}", "{EEEE}, {d} {MMMM} {yyyy}",
        ],
        "comment": [
            "{d} {MMMM} {yyyy} alle ore {HH}:{mm}", "{d} {MMMM} {yyyy} {HH}:{mm}", "{dd}/{MM}/{yyyy} {HH}:{mm}",
            "{d} {MMM} {yyyy}, {HH}:{mm}", US_PATTERN, "{d} {MMMM} {yyyy} alle {HH}:{mm}",
        ],
    },
    "pt": {
        "date-header": [
            "{EEEE}, {d} de {MMMM} de {yyyy}", "{dd}/{MM}/{yyyy}", "{d} de {MMMM} de {yyyy}",
            "{d} de {MMM} de {yyyy}", "{yyyy}-{MM}-{dd}", "{dd}/{MM}/{yy}",
        ],
        "comment": [
            "{d} de {MMMM} de {yyyy} às {HH}:{mm}", "{dd}/{MM}/{yyyy} {HH}:{mm}", "{d} de {MMMM} de {yyyy} {HH}:{mm}",
            US_PATTERN, "{d} de {MMM} de {yyyy}, {HH}:{mm}", "{dd}/{MM}/{yyyy} {HH}:{mm}:{ss}",
        ],
    },
    "ru": {
        "date-header": [
            "{EEEE}, {d} {MMMM} {yyyy} г.", "{dd}.{MM}.{yyyy}", "{dd}.{MM}.{yy}", "{d} {MMMM} {yyyy} г.",
            "{d} {MMM} {yyyy} г.", "{yyyy}-{MM}-{dd}", "{EEE}, {d} {MMM} {yyyy} г.",
        ],
        "comment": [
            "{d} {MMMM} {yyyy} г., {HH}:{mm}", "{d} {MMMM} {yyyy} г. в {HH}:{mm}", "{dd}.{MM}.{yyyy}, {HH}:{mm}",
            "{dd}.{MM}.{yyyy} {HH}:{mm}", "{d} {MMM} {yyyy} г., {HH}:{mm}", "{dd}.{MM}.{yyyy}, {HH}:{mm}:{ss}",
        ],
    },
    "nl": {
        "date-header": [
            "{EEEE} {d} {MMMM} {yyyy}", "{d}-{M}-{yyyy}", "{dd}-{MM}-{yy}", "{d} {MMMM} {yyyy}",
            "{d} {MMM} {yyyy}", "{yyyy}-{MM}-{dd}", "{EEEE}, {d} {MMMM} {yyyy}",
        ],
        "comment": [
            "{d} {MMMM} {yyyy} om {HH}:{mm}", "{d}-{M}-{yyyy} {HH}:{mm}", "{d} {MMMM} {yyyy} {HH}:{mm}",
            "{EEEE} {d} {MMMM} {yyyy} om {HH}:{mm}:{ss}", US_PATTERN, "{dd}-{MM}-{yyyy} {HH}:{mm}",
        ],
    },
}

TIMEZONES = {
    "en": ["America/Los_Angeles", "America/New_York", "Europe/London", "-08:00", None, "Australia/Sydney"],
    "de": ["Europe/Berlin", "Europe/Vienna", "+01:00", "+02:00", "Europe/Zurich"],
    "fr": ["Europe/Paris", "America/Toronto", "+01:00", "Europe/Brussels"],
    "es": ["Europe/Madrid", "America/Mexico_City", "America/Argentina/Buenos_Aires", "-05:00"],
    "it": ["Europe/Rome", "+01:00", "+02:00"],
    "pt": ["America/Sao_Paulo", "Europe/Lisbon", "-03:00"],
    "ru": ["Europe/Moscow", "Asia/Yekaterinburg", "+03:00"],
    "nl": ["Europe/Amsterdam", "Europe/Brussels", "+01:00"],
}

SAMPLES_PER_FORMAT = 3


def fmt(pattern: str, lang: str, moment: datetime) -> str:
    names = NAMES[lang]
    hour12 = moment.hour % 12 or 12
    pm = moment.hour >= 12
    fields = {
        "EEEE": names["EEEE"][moment.weekday()],
        "EEE": names["EEE"][moment.weekday()],
        "MMMM": names["MMMM"][moment.month - 1],
        "MMM": names["MMM"][moment.month - 1],
        "d": str(moment.day),
        "dd": f"{moment.day:02d}",
        "M": str(moment.month),
        "MM": f"{moment.month:02d}",
        "yyyy": str(moment.year),
        "yy": f"{moment.year % 100:02d}",
        "H": str(moment.hour),
        "HH": f"{moment.hour:02d}",
        "h": str(hour12),
        "mm": f"{moment.minute:02d}",
        "ss": f"{moment.second:02d}",
        "a": "PM" if pm else "AM",
        "a_lower": "pm" if pm else "am",
        "a_es": "p.\u00a0m." if pm else "a.\u00a0m.",
    }
    return pattern.format(**fields)


def has_time(pattern: str) -> bool:
    return "{H" in pattern or "{h}" in pattern


def has_seconds(pattern: str) -> bool:
    return "{ss}" in pattern


def to_utc(local: datetime, tz: str | None) -> str:
    """Local wall-clock time in ``tz`` -> UTC text; fold=0 for gaps and overlaps."""
    if tz is None:
        aware = local.replace(tzinfo=timezone.utc)
    elif tz[0] in "+-":
        sign = 1 if tz[0] == "+" else -1
        hours, minutes = int(tz[1:3]), int(tz[4:6])
        aware = local.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    else:
        aware = local.replace(tzinfo=ZoneInfo(tz), fold=0)
    return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def generated() -> list[dict]:
    rng = random.Random(20240531)
    records = []
    for lang, kinds in FORMATS.items():
        step = 0
        for kind, patterns in kinds.items():
            for pattern in patterns:
                for _ in range(SAMPLES_PER_FORMAT):
                    step += 1
                    # months cycle so every name (wide and short) turns up; days cover <= 12
                    # (numeric order matters) and > 12; years span Blogger's life.
                    month = (step * 7) % 12 + 1
                    day = rng.choice([1, 2, 3, 5, 9, 10, 11, 12, 13, 17, 21, 24, 28, 30, 31])
                    year = rng.randint(2004, 2024)
                    while True:
                        try:
                            day_date = date(year, month, day)
                            break
                        except ValueError:
                            day -= 1
                    if has_time(pattern):
                        local = datetime(
                            year, month, day_date.day, rng.randint(0, 23), rng.randint(0, 59),
                            rng.randint(0, 59) if has_seconds(pattern) else 0,
                        )
                    else:
                        local = datetime(year, month, day_date.day)
                    tz = TIMEZONES[lang][step % len(TIMEZONES[lang])]
                    records.append({
                        "text": fmt(pattern, lang, local),
                        "language": lang,
                        "timezone": tz,
                        "expected": to_utc(local, tz),
                        "kind": kind,
                        "format": pattern,
                        "origin": "generated",
                    })
    return records


# -- time-only comment stamps: the date comes from the record's reference (local date) ----

TIME_ONLY = [
    # text, language, timezone, reference (local date), expected (worked out by hand)
    ("21:00", "de", "Europe/Berlin", "2017-05-10", "2017-05-10T19:00:00+00:00"),
    ("9:12 PM", "en", "America/Los_Angeles", "2022-02-27", "2022-02-28T05:12:00+00:00"),
    ("12:55 AM", "en", "-07:00", "2016-05-08", "2016-05-08T07:55:00+00:00"),
    ("00:40", "fr", "Europe/Paris", "2020-04-11", "2020-04-10T22:40:00+00:00"),
    ("23:59", "ru", "Europe/Moscow", "2013-01-15", "2013-01-15T19:59:00+00:00"),  # Moscow was UTC+4 2011-2014
    ("10:52", "nl", "Europe/Amsterdam", "2021-12-01", "2021-12-01T09:52:00+00:00"),
    ("7:05 pm", "en", None, "2009-07-04", "2009-07-04T19:05:00+00:00"),
    ("18:30", "pt", "America/Sao_Paulo", "2015-01-10", "2015-01-10T20:30:00+00:00"),  # Brazil DST -02:00 then
]

# -- DST edges, worked out by hand (fold=0: the offset in force before the change) -------

DST_CASES = [
    # Europe/Berlin: CET +01:00 -> CEST +02:00 at 2022-03-27 02:00 local; back at 2022-10-30 03:00 local.
    ("27. März 2022 um 01:59", "de", "Europe/Berlin", "2022-03-27T00:59:00+00:00", "before the spring gap"),
    ("27. März 2022 um 02:30", "de", "Europe/Berlin", "2022-03-27T01:30:00+00:00", "in the spring gap: +01:00"),
    ("27. März 2022 um 03:30", "de", "Europe/Berlin", "2022-03-27T01:30:00+00:00", "after the spring gap"),
    ("30. Oktober 2022 um 02:30", "de", "Europe/Berlin", "2022-10-30T00:30:00+00:00", "twice that night: first, +02:00"),
    ("30. Oktober 2022 um 03:30", "de", "Europe/Berlin", "2022-10-30T02:30:00+00:00", "after the overlap: +01:00"),
    ("Sonntag, 30. Oktober 2022", "de", "Europe/Berlin", "2022-10-29T22:00:00+00:00", "midnight still CEST"),
    ("Sonntag, 27. März 2022", "de", "Europe/Berlin", "2022-03-26T23:00:00+00:00", "midnight still CET"),
    # America/New_York: EST -05:00 -> EDT -04:00 at 2021-03-14 02:00; back at 2021-11-07 02:00.
    ("March 14, 2021 at 2:30 AM", "en", "America/New_York", "2021-03-14T07:30:00+00:00", "in the spring gap: -05:00"),
    ("March 14, 2021 at 3:30 AM", "en", "America/New_York", "2021-03-14T07:30:00+00:00", "after the gap: -04:00"),
    ("November 7, 2021 at 1:30 AM", "en", "America/New_York", "2021-11-07T05:30:00+00:00", "twice: first, -04:00"),
    ("November 7, 2021 at 2:30 AM", "en", "America/New_York", "2021-11-07T07:30:00+00:00", "after the overlap: -05:00"),
    ("11/6/2021 11:59 PM", "en", "America/New_York", "2021-11-07T03:59:00+00:00", "evening before, EDT"),
    # Europe/London: BST ends 2021-10-31 02:00 local (01:00 UTC).
    ("31 October 2021 at 01:30", "en", "Europe/London", "2021-10-31T00:30:00+00:00", "twice: first, +01:00"),
    ("28 March 2021 at 01:30", "en", "Europe/London", "2021-03-28T01:30:00+00:00", "in the spring gap: +00:00"),
    # America/Sao_Paulo: DST began at midnight on 2018-11-04, so that midnight did not exist.
    ("domingo, 4 de novembro de 2018", "pt", "America/Sao_Paulo", "2018-11-04T03:00:00+00:00", "midnight in the gap: -03:00"),
    ("4 de novembro de 2018 às 12:00", "pt", "America/Sao_Paulo", "2018-11-04T14:00:00+00:00", "-02:00 after the change"),
    ("17 de fevereiro de 2018 às 23:30", "pt", "America/Sao_Paulo", "2018-02-18T01:30:00+00:00", "twice (DST ended at midnight): first, -02:00"),
    # Europe/Moscow: +04:00 from 2011-03-27 to 2014-10-26, +03:00 since, DST +04:00 summers before 2011.
    ("1 июня 2012 г., 12:00", "ru", "Europe/Moscow", "2012-06-01T08:00:00+00:00", "+04:00 all year"),
    ("1 июня 2015 г., 12:00", "ru", "Europe/Moscow", "2015-06-01T09:00:00+00:00", "+03:00 all year"),
    ("1 января 2010 г., 12:00", "ru", "Europe/Moscow", "2010-01-01T09:00:00+00:00", "winter +03:00"),
    # Europe/Paris, Europe/Madrid, Europe/Rome, Europe/Amsterdam follow the EU rule like Berlin.
    ("26 mars 2023 à 02:15", "fr", "Europe/Paris", "2023-03-26T01:15:00+00:00", "in the spring gap: +01:00"),
    ("29 de octubre de 2023, 02:15", "es", "Europe/Madrid", "2023-10-29T00:15:00+00:00", "twice: first, +02:00"),
    ("31 marzo 2024 alle ore 02:45", "it", "Europe/Rome", "2024-03-31T01:45:00+00:00", "in the spring gap: +01:00"),
    ("27 oktober 2024 om 02:05", "nl", "Europe/Amsterdam", "2024-10-27T00:05:00+00:00", "twice: first, +02:00"),
    # Australia/Sydney (southern hemisphere): AEDT +11:00 ends 2022-04-03 03:00 local.
    ("April 3, 2022 at 2:30 AM", "en", "Australia/Sydney", "2022-04-02T15:30:00+00:00", "twice: first, +11:00"),
]


# -- real strings from saved pages ---------------------------------------------------------


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _offset_text(seconds: float) -> str:
    quarter = round(seconds / 900) * 900
    sign = "-" if quarter < 0 else "+"
    quarter = abs(quarter)
    return f"{sign}{quarter // 3600:02d}:{quarter % 3600 // 60:02d}"


def real_blogger_comments() -> list[dict]:
    """(display, epoch) pairs of Blogger comment links; offset = display - epoch."""
    pages = {
        "blogger/derpapierplanet.de.juni.html": "de",
        "blogger/2ality.com.2011-06-ecmascript.html": "en",
        "blogger/weinlachgummis.blogspot.com.rezi.html": "de",
    }
    records = []
    for name, lang in pages.items():
        text = (REAL_PAGES / name).read_text(encoding="utf-8")
        for epoch, display in re.findall(r"showComment=(\d+)[^>]*>\s*([^<]*?)\s*</a>", text):
            if not display:
                continue
            local = _naive_local(display, lang)
            instant = datetime.fromtimestamp(int(epoch) / 1000, tz=timezone.utc)
            offset = _offset_text((local - instant.replace(tzinfo=None)).total_seconds())
            expected = instant.replace(second=0, microsecond=0)  # the display shows minutes
            records.append({
                "text": display, "language": lang, "timezone": offset, "expected": _utc_text(expected),
                "kind": "comment", "origin": f"real:{name}", "machine": epoch,
            })
    return records


def _naive_local(display: str, lang: str) -> datetime:
    """Read the two real comment formats by hand (independent of newscrawl.dates)."""
    if lang == "de":  # "6. Juni 2015 um 10:23"
        m = re.fullmatch(r"(\d+)\. (\w+) (\d{4}) um (\d+):(\d+)", display)
        day, month, year, hour, minute = m.groups()
        return datetime(int(year), NAMES["de"]["MMMM"].index(month) + 1, int(day), int(hour), int(minute))
    m = re.fullmatch(r"(\w+) (\d+), (\d{4}) at (\d+):(\d+) (AM|PM)", display)  # "April 18, 2012 at 9:13 PM"
    month, day, year, hour, minute, ampm = m.groups()
    hour = int(hour) % 12 + (12 if ampm == "PM" else 0)
    return datetime(int(year), NAMES["en"]["MMMM"].index(month) + 1, int(day), hour, int(minute))


# Blogger posts: the date header, the abbr.published display time and its title (ISO).
REAL_POSTS = [
    # page, language, date header, display time, abbr title
    ("blogger/bumsbutzener-gumpfen.blogspot.com.tach-auch.html", "de", "Dienstag, 28. April 2020", "21:11", "2020-04-28T21:11:00+02:00"),
    ("blogger/emacspeak.blogspot.com.meta.html", "en", "Wednesday, October 16, 2019", "2:33 PM", "2019-10-16T14:33:00-07:00"),
    ("blogger/siliconexposed.blogspot.com.greenpak4.html", "en", "Sunday, May 8, 2016", "12:55 AM", "2016-05-08T00:55:00-07:00"),
    ("blogger/weinlachgummis.blogspot.com.rezi.html", "de", "Samstag, 9. September 2017", "10:52", "2017-09-09T10:52:00+02:00"),
]
# Date headers whose zone is known from the same blog's comments (display - epoch): +02:00 in summer.
REAL_HEADERS = [
    ("blogger/derpapierplanet.de.juni.html", "de", "Freitag, 5. Juni 2015", "+02:00", "2015-06-04T22:00:00+00:00"),
    ("blogger/2ality.com.2011-06-ecmascript.html", "en", "2011-06-27", "+02:00", "2011-06-26T22:00:00+00:00"),
]


def real_blogger_posts() -> list[dict]:
    records = []
    for page, lang, header, shown_time, title in REAL_POSTS:
        page_text = (REAL_PAGES / page).read_text(encoding="utf-8")
        assert header in page_text and title in page_text, (page, header, title)
        moment = datetime.fromisoformat(title)
        offset = title[-6:]
        origin = f"real:{page}"
        records.append({"text": header, "language": lang, "timezone": offset,
                        "expected": _utc_text(moment.replace(hour=0, minute=0)), "kind": "date-header", "origin": origin})
        # what the Blogger parser stores as the post's display date: header + time
        records.append({"text": f"{header} {shown_time}", "language": lang, "timezone": offset,
                        "expected": _utc_text(moment), "kind": "post-timestamp", "origin": origin, "machine": title})
        records.append({"text": shown_time, "language": lang, "timezone": offset, "reference": moment.date().isoformat(),
                        "expected": _utc_text(moment), "kind": "time-only", "origin": origin, "machine": title})
    for page, lang, header, offset, expected in REAL_HEADERS:
        assert header in (REAL_PAGES / page).read_text(encoding="utf-8"), (page, header)
        records.append({"text": header, "language": lang, "timezone": offset, "expected": expected,
                        "kind": "date-header", "origin": f"real:{page}"})
    return records


# WordPress and Drupal comments with time[datetime] beside the display text.
REAL_TIME_ELEMENTS = {
    "wordpress/anchor.ch.lanka.html": "de",
    "wordpress/businessjargons.com.leadership.html": "en",
    "wordpress/de.creativecommons.org.endlich.html": "de",
    "wordpress/foxyfolksy.com.buttercream.html": "en",
    "wordpress/frolleinherr.com.lost.html": "de",
    "wordpress/gormulus.wordpress.com.durfen.html": "de",
    "wordpress/insubordinant.wordpress.com.speed.html": "de",
    "wordpress/lemire.me.json.html": "en",
    "wordpress/verfassungsblog.de.expertinnen.html": "de",
    "other/hpd.de.drupal7-comments.html": "de",
}
PER_PAGE = 4


def real_time_elements() -> list[dict]:
    records = []
    for page, lang in REAL_TIME_ELEMENTS.items():
        text = (REAL_PAGES / page).read_text(encoding="utf-8")
        taken = 0
        for machine, inner in re.findall(r"<time[^>]*datetime=['\"]([^'\"]+)['\"][^>]*>(.*?)</time>", text, re.S):
            display = html.unescape(re.sub(r"<[^>]+>", " ", inner))
            display = re.sub(r"[ \t\r\n]+", " ", display).strip()
            try:
                moment = datetime.fromisoformat(machine)
            except ValueError:
                continue
            if moment.tzinfo is None or not re.search(r"\d:\d\d", display):
                continue  # date-only displays belong to posts whose time is not shown
            if f"{moment.minute:02d}" not in display:
                continue
            records.append({
                "text": display, "language": lang, "timezone": machine[-6:],
                "expected": _utc_text(moment.replace(second=0)), "kind": "comment",
                "origin": f"real:{page}", "machine": machine,
            })
            taken += 1
            if taken == PER_PAGE:
                break
    return records


def main() -> None:
    records = generated()
    records += [
        {"text": t, "language": lang, "timezone": tz, "reference": ref, "expected": exp, "kind": "time-only", "origin": "hand"}
        for t, lang, tz, ref, exp in TIME_ONLY
    ]
    records += [
        {"text": t, "language": lang, "timezone": tz, "expected": exp, "kind": "dst", "origin": "hand", "note": note}
        for t, lang, tz, exp, note in DST_CASES
    ]
    records += real_blogger_comments() + real_blogger_posts() + real_time_elements()
    seen = set()
    unique = []
    for record in records:
        key = (record["text"], record["language"], record["timezone"], record.get("reference"))
        if key not in seen:
            seen.add(key)
            unique.append(record)
    OUT.write_text(json.dumps(unique, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for record in unique:
        counts[record["language"]] = counts.get(record["language"], 0) + 1
    print(f"{len(unique)} records -> {OUT}: {counts}")


if __name__ == "__main__":
    main()
