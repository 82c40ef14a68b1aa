"""Every real saved page (../shared/real-pages, listed in its INDEX.md) against the output a crawl
should store from it: ``expected/<subdir>/<page>.json`` beside the page, compared field by field.

The fixtures were written from the output of ``newscrawl extract`` and then corrected where that
output is wrong: from the hand-made answer keys in ../shared/real-pages/keys/ (paired by position,
as ../shared/tools/score_real_pages.py pairs them) and from the markup. The pages whose output is
still wrong are listed in XFAIL with what is wrong; their tests are strict expected failures, so a
page that starts to extract right fails as XPASS until its entry goes. README.md here describes
the fixtures; regenerate.py rewrites them when a change of output is intended and reviewed.
"""

from __future__ import annotations

import pytest

from newscrawl.extraction import extract_file

from real_page_fixtures import compare, error_text, fixture_files, fixture_path, index_pages, load_fixture, stored_form

# Pages whose output is wrong today, with what is wrong; their fixtures hold the right values (see
# each fixture's "corrections"). The issue after this one makes them extract right and removes them.
XFAIL: dict[str, str] = {
}


def _cases():
    for path in fixture_files():
        page = load_fixture(path)["page"]
        # raises: only a wrong field is the expected failure, not a crash or missing pages
        marks = [pytest.mark.xfail(reason=XFAIL[page], raises=AssertionError, strict=True)] if page in XFAIL else []
        yield pytest.param(path, id=page, marks=marks)


@pytest.mark.parametrize("fixture_file", list(_cases()))
def test_expected_output(real_pages, fixture_file):
    fixture = load_fixture(fixture_file)
    page, want = fixture["page"], fixture["expected"]
    body = (real_pages / page).read_bytes()
    if "error" in want:
        try:
            result = extract_file(body, fixture["url"], fixture["platform"])
        except Exception as exc:
            got = error_text(exc)
            assert got.startswith(want["error"]), f"{page}: expected the error {want['error']!r}..., got {got!r}"
            return
        pytest.fail(f"{page}: expected the error {want['error']!r}..., but the page extracted "
                    f"({len(result.get('comments') or [])} comments): regenerate its fixture and review it")
    problems = compare(page, want, stored_form(extract_file(body, fixture["url"], fixture["platform"])))
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems[:40])


def test_every_indexed_page_has_a_fixture(real_pages):
    index = index_pages(real_pages)
    fixtures = {load_fixture(path)["page"]: path for path in fixture_files()}
    assert sorted(set(index) - set(fixtures)) == [], "pages in INDEX.md without a fixture (see regenerate.py)"
    assert sorted(set(fixtures) - set(index)) == [], "fixtures of pages INDEX.md does not list"
    for page, path in fixtures.items():
        fixture = load_fixture(path)
        assert path == fixture_path(page), f"{path}: its page is {page}"
        if index[page] and "://" in index[page]:
            assert fixture["url"] == index[page], f"{page}: the fixture's url is not INDEX.md's"
        else:
            assert fixture.get("url_note"), f"{page}: INDEX.md gives no absolute url: say where this one comes from"


def test_xfail_names_pages_with_fixtures():
    pages = {load_fixture(path)["page"] for path in fixture_files()}
    assert sorted(set(XFAIL) - pages) == []
    assert all(reason.strip() for reason in XFAIL.values())
