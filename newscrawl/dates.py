"""Every date decision in one place.

Rules, in order of trust:
1. machine values: ISO 8601 with an offset (feeds, ``abbr[title]``, ``time[datetime]``)
   and epoch milliseconds (Blogger's ``?showComment=``);
2. display strings, parsed with the blog's language(s) and timezone: a cached
   ``dateparser`` call (dateparser is slow when it has to guess the language, so
   the language is always passed and each distinct string is parsed once).

Every stored date is UTC in one fixed format, ``2022-02-27T21:12:00+00:00``, with the
original string and the source of the value (``iso``, ``epoch``, ``display``) beside it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

UTC_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"

SOURCE_ISO = "iso"
SOURCE_EPOCH = "epoch"
SOURCE_DISPLAY = "display"

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
        return None
    return moment if moment.tzinfo is not None else None


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


def parse_display_date(text: str | None, context: DateContext = DateContext()) -> datetime | None:
    """A display string ("February 27, 2022 at 9:12 PM", "6. Juni 2015 um 10:23") as aware UTC."""
    if not text or not text.strip():
        return None
    return _parse_display_cached(text.strip(), context.languages, context.timezone)


@functools.lru_cache(maxsize=65536)
def _parse_display_cached(text: str, languages: tuple[str, ...], tz: str | None) -> datetime | None:
    import dateparser  # imported lazily: it costs ~0.3 s and most crawls never need it

    settings = {
        "TIMEZONE": _dateparser_timezone(tz),
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
    }
    parsed = dateparser.parse(
        _strip_connectives(text), languages=list(languages) or None, settings=settings
    )
    if parsed is None and languages:
        # The page language can be wrong (an English template on a German blog).
        parsed = dateparser.parse(_strip_connectives(text), settings=settings)
    if parsed is None:
        return None
    return parsed.astimezone(timezone.utc)


# Words Blogger templates put between the date and the time ("at", "um", "à", ...)
# that dateparser does not always skip.
_CONNECTIVES = re.compile(r"\s+(at|um|à|a las|alle|às|om|в)\s+(?=\d)", re.IGNORECASE)


def _strip_connectives(text: str) -> str:
    return _CONNECTIVES.sub(" ", text)


def _dateparser_timezone(tz: str | None) -> str:
    if not tz:
        return "UTC"
    match = _OFFSET.fullmatch(tz) if tz[0] in "+-" else None
    if match:
        sign, hours, minutes = match.groups()
        return f"UTC{sign}{hours}:{minutes}"
    return tz


def normalize_date(
    machine: str | int | float | None = None,
    display: str | None = None,
    context: DateContext = DateContext(),
) -> NormalizedDate:
    """Decide one date: the machine value when it parses, else the display string."""
    raw = display.strip() if display and display.strip() else None
    moment = parse_machine_date(machine)
    if moment is not None:
        source = SOURCE_EPOCH if _is_epoch(machine) else SOURCE_ISO
        return NormalizedDate(format_utc(moment), raw or str(machine).strip(), source)
    if raw:
        moment = parse_display_date(raw, context)
        if moment is not None:
            return NormalizedDate(format_utc(moment), raw, SOURCE_DISPLAY)
    return NormalizedDate(None, raw or (str(machine) if machine is not None else None), None)


def _is_epoch(value: object) -> bool:
    return isinstance(value, (int, float)) or bool(_EPOCH_MS.match(str(value).strip()))


def most_common_offset(values: Iterable[str | None]) -> str | None:
    """The blog's UTC offset as most of its machine timestamps write it."""
    counts: dict[str, int] = {}
    for value in values:
        offset = utc_offset_of(value)
        if offset:
            counts[offset] = counts.get(offset, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def utc_now() -> str:
    return format_utc(datetime.now(timezone.utc))


__all__ = [
    "DateContext",
    "NormalizedDate",
    "format_utc",
    "from_epoch_ms",
    "language_code",
    "most_common_offset",
    "normalize_date",
    "parse_display_date",
    "parse_machine_date",
    "utc_now",
    "utc_offset_of",
]
