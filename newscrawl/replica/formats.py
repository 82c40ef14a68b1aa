"""Blogger's display formats in the replica: month and weekday names, the date-header, timestamp and comment
timestamp formats a blog's settings choose, Java ``SimpleDateFormat`` patterns rendered with our own name tables
(no locale), and the ISO / epoch stamps of feeds and ``showComment`` links.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc

# --------------------------------------------------------------------------------------------------------------
# Display formats: Java SimpleDateFormat-style patterns, as Blogger's settings use them. Own name tables, no locale.
# --------------------------------------------------------------------------------------------------------------

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ru", "nl")

# Month names in format context ("27 февраля 2022 г." uses the genitive in Russian); CLDR-style, as Blogger shows them.
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
}
# Stand-alone month names (a month without a day: archive widget, "LLLL", or "MMMM" in a pattern without "d");
# they differ from MONTHS only where the language declines month names.
MONTHS_STANDALONE = {
    **MONTHS,
    "ru": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
           "ноябрь", "декабрь"],
}
MONTHS_ABBR = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
    "it": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
    "pt": ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."],
    "ru": ["янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."],
    "nl": ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
}
WEEKDAYS = {  # Monday first, like datetime.weekday()
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
    "ru": ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}
WEEKDAYS_ABBR = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "de": ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    "fr": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "it": ["lun", "mar", "mer", "gio", "ven", "sab", "dom"],
    "pt": ["seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom."],
    "ru": ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
    "nl": ["ma", "di", "wo", "do", "vr", "za", "zo"],
}

DATE_HEADER_FORMATS = {
    "en": "EEEE, MMMM d, yyyy",                   # Sunday, February 27, 2022
    "de": "EEEE, d. MMMM yyyy",                   # Sonntag, 27. Februar 2022
    "fr": "EEEE d MMMM yyyy",                     # dimanche 27 février 2022
    "es": "EEEE, d 'de' MMMM 'de' yyyy",          # domingo, 27 de febrero de 2022
    "it": "EEEE d MMMM yyyy",                     # domenica 27 febbraio 2022
    "pt": "EEEE, d 'de' MMMM 'de' yyyy",          # domingo, 27 de fevereiro de 2022
    "ru": "EEEE, d MMMM yyyy 'г.'",               # воскресенье, 27 февраля 2022 г.
    "nl": "EEEE d MMMM yyyy",                     # zondag 27 februari 2022
}
TIMESTAMP_FORMATS = {"en": "h:mm a", "de": "HH:mm", "fr": "HH:mm", "es": "H:mm", "it": "HH:mm", "pt": "HH:mm",
                     "ru": "H:mm", "nl": "HH:mm"}
COMMENT_TIMESTAMP_FORMATS = {
    "en": "MMMM d, yyyy 'at' h:mm a",      # February 27, 2022 at 9:12 PM
    "de": "d. MMMM yyyy 'um' HH:mm",       # 6. Juni 2015 um 10:23
    "fr": "d MMMM yyyy 'à' HH:mm",         # 27 février 2022 à 21:12
    "es": "d 'de' MMMM 'de' yyyy, H:mm",   # 27 de febrero de 2022, 21:12
    "it": "d MMMM yyyy 'alle ore' HH:mm",  # 27 febbraio 2022 alle ore 21:12
    "pt": "d 'de' MMMM 'de' yyyy 'às' HH:mm",  # 27 de fevereiro de 2022 às 21:12
    "ru": "d MMMM yyyy 'г.' 'в' H:mm",     # 27 февраля 2022 г. в 21:12
    "nl": "d MMMM yyyy 'om' HH:mm",        # 27 februari 2022 om 21:12
    "time": "HH:mm",                       # 21:00 (time only: the date must come from elsewhere)
    "us-short": "M/d/yyyy h:mm a",         # 2/27/2022 9:12 PM
    "full": "EEEE, MMMM d, yyyy h:mm:ss a",  # Mittwoch, Mai 10, 2017 4:14:00 PM
    "cldr42": "MMMM d, yyyy 'at' h:mm\u202fa",  # February 27, 2022 at 9:12\u202fPM (narrow no-break space, 2023+)
}

_TOKEN_RE = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|.", re.S)


def resolve_format(fmt: str | None, table: dict[str, str], language: str) -> str:
    """A format name from ``table`` or a raw pattern; None means the language's default."""
    if fmt is None:
        return table.get(language, table["en"])
    return table.get(fmt, fmt)


def format_datetime(dt: datetime, pattern: str, language: str = "en") -> str:
    """Format ``dt`` with a SimpleDateFormat-like pattern (EEEE MMMM MMM MM M dd d yyyy yy HH H hh h mm ss SSS a 'lit').

    ``LLLL`` is the stand-alone month name; like Java's SimpleDateFormat, ``MMMM`` in a pattern without a day
    (``d``) is stand-alone too ("февраль 2022", but "27 февраля 2022 г.").
    """
    lang = language if language in MONTHS else "en"
    tokens = list(_TOKEN_RE.finditer(pattern))
    standalone = not any(m.group(1) and m.group(0)[0] == "d" for m in tokens)
    out = []
    for m in tokens:
        tok = m.group(0)
        if tok.startswith("'"):
            out.append("'" if tok == "''" else tok[1:-1].replace("''", "'"))
            continue
        if not m.group(1):
            out.append(tok)
            continue
        ch, n = tok[0], len(tok)
        if ch == "E":
            out.append((WEEKDAYS if n >= 4 else WEEKDAYS_ABBR)[lang][dt.weekday()])
        elif ch == "M" or ch == "L":
            full = MONTHS_STANDALONE if ch == "L" or standalone else MONTHS
            out.append(full[lang][dt.month - 1] if n >= 4 else MONTHS_ABBR[lang][dt.month - 1] if n == 3
                       else f"{dt.month:0{n}d}")
        elif ch == "d":
            out.append(f"{dt.day:0{n}d}")
        elif ch == "y":
            out.append(f"{dt.year % 100:02d}" if n == 2 else str(dt.year))
        elif ch == "H":
            out.append(f"{dt.hour:0{n}d}")
        elif ch == "h":
            out.append(f"{(dt.hour % 12) or 12:0{n}d}")
        elif ch == "m":
            out.append(f"{dt.minute:0{n}d}")
        elif ch == "s":
            out.append(f"{dt.second:0{n}d}")
        elif ch == "S":
            out.append(f"{dt.microsecond // 1000:03d}"[:n])
        elif ch == "a":
            out.append("AM" if dt.hour < 12 else "PM")
        else:
            out.append(tok)
    return "".join(out)


def iso_ms(dt: datetime, tz: ZoneInfo | None = None) -> str:
    """Blogger feed timestamp: ``2022-02-27T21:12:00.003-08:00`` (milliseconds, offset of ``tz``)."""
    if tz is not None:
        dt = dt.astimezone(tz)
    return dt.isoformat(timespec="milliseconds")


def iso_s(dt: datetime, tz: ZoneInfo | None = None) -> str:
    """``2022-02-27T21:12:00-08:00`` as in ``abbr.published[title]`` and ``updated-max`` links."""
    if tz is not None:
        dt = dt.astimezone(tz)
    return dt.replace(microsecond=0).isoformat()


def epoch_ms(dt: datetime) -> int:
    return int(round(dt.timestamp() * 1000))
