"""The date corpus: display strings in eight languages with their expected UTC values.

``tests/data/date_corpus.json`` is written by ``tests/data/make_date_corpus.py`` from
known datetimes, hand-worked DST cases and real strings of saved pages (never from
``newscrawl.dates``). Every record must normalize to its expected value; failures are
collected and reported together, with a summary per language.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from newscrawl.dates import DateContext, _parse_display_cached, normalize_date

CORPUS = json.loads((Path(__file__).parent / "data" / "date_corpus.json").read_text(encoding="utf-8"))
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ru", "nl")


def normalize(record):
    context = DateContext((record["language"],), record["timezone"])
    return normalize_date(None, record["text"], context, reference=record.get("reference"))


def test_corpus_covers_the_languages_and_kinds():
    assert len(CORPUS) >= 200
    per_language = Counter(record["language"] for record in CORPUS)
    assert set(per_language) == set(LANGUAGES)
    assert min(per_language.values()) >= 25, per_language
    kinds = Counter(record["kind"] for record in CORPUS)
    assert {"date-header", "comment", "post-timestamp", "time-only", "dst"} <= set(kinds), kinds
    assert sum(record["origin"].startswith("real:") for record in CORPUS) >= 30


def test_every_corpus_string_normalizes_to_its_utc_value():
    _parse_display_cached.cache_clear()
    failures = []
    totals, failed = Counter(), Counter()
    for record in CORPUS:
        totals[record["language"]] += 1
        result = normalize(record)
        if result.value != record["expected"] or result.source != "display" or result.raw != record["text"].strip():
            failed[record["language"]] += 1
            failures.append(
                f"  [{record['language']}] {record['text']!r} tz={record['timezone']} ({record['kind']}, {record['origin']}):"
                f" expected {record['expected']}, got {result.value} ({result.source})"
            )
    summary = ", ".join(f"{lang} {totals[lang] - failed[lang]}/{totals[lang]}" for lang in LANGUAGES)
    assert not failures, f"{len(failures)} of {len(CORPUS)} corpus strings wrong ({summary}):\n" + "\n".join(failures)


def test_corpus_does_not_depend_on_the_cache():
    """A second round, read from the cache, gives the same answers."""
    first = [normalize(record).value for record in CORPUS]
    assert [normalize(record).value for record in CORPUS] == first


@pytest.mark.parametrize("language", LANGUAGES)
def test_fast_path_reads_the_generated_formats_without_dateparser(language, monkeypatch):
    """The Blogger formats must not need dateparser (it is ~50x slower)."""
    import newscrawl.dates as dates

    def refuse(text, *args):
        raise AssertionError(f"dateparser called for {text!r}")

    monkeypatch.setattr(dates, "_dateparser", refuse)
    _parse_display_cached.cache_clear()
    try:
        for record in CORPUS:
            if record["language"] == language:
                assert normalize(record).value == record["expected"], record
    finally:
        _parse_display_cached.cache_clear()
