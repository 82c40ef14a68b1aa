"""Write the expected-output fixtures of real pages from today's ``extract_file`` output.

A tool for when a change of output is intended: run it for the pages whose output changed, read
the diff of their fixtures (``git diff tests/real_pages/expected``) against the page's markup and,
where there is one, its answer key in ../shared/real-pages/keys/, and commit the fixtures with the
change. The tests never run it, and it is not a way to make a failing test pass.

    python tests/real_pages/regenerate.py wordpress/lemire.me.json.html [PAGE ...]
    python tests/real_pages/regenerate.py --all

Pages listed in XFAIL (test_expected_output.py) are left alone unless --include-xfail is given:
their fixtures hold values corrected from the answer keys and the markup, which today's output
does not produce. When such a page starts to extract right (its test then fails as XPASS),
regenerate it with --include-xfail, check that the new fixture keeps every corrected value, and
remove its XFAIL entry.

A page's URL is the one its fixture already has; for a new page, INDEX.md's ``url:``, or the
address in URLS below where INDEX.md gives none (or a relative one); --url overrides both.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_page_fixtures import (  # noqa: E402
    REAL_PAGES, error_start, extract, fixture_path, index_pages, load_fixture, write_fixture,
)

# Where INDEX.md gives no url (or a relative one): the address the document names for itself —
# a feed's rel="self" link, an export's blog (WXR: the channel link), the page's og:url, the API
# path INDEX.md names under "template", the post an email links to.
URLS = {
    "blogger/export.atom.jjsfavoritethings.blogger-sample2.xml": "http://www.blogger.com/feeds/3113891067179933828/archive",
    "blogger/export.atom.pelican-constructed.bloggerexport.xml": "https://www.blogger.com/feeds/6303278419262689239/archive",
    "blogger/feed.atom.4fsodonline.atom": "http://www.blogger.com/feeds/3905741845175603023/posts/default",
    "blogger/feed.atom.GilesBowkett.xml": "http://gilesbowkett.blogspot.com/feeds/posts/default",
    "blogger/feed.atom.NikoCunningham.xml": "http://nikocunningham.blogspot.com/feeds/posts/default",
    "blogger/feed.atom.OnRuby.xml": "http://on-ruby.blogspot.com/feeds/posts/default",
    "blogger/feed.atom.Technoblog.feedburner.xml": "http://feeds.feedburner.com/rufytech",
    "blogger/feed.atom.cornetdesign.com.CoryFoy.xml": "http://www.blogger.com/feeds/9251785/posts/default",
    "blogger/feed.atom.onelesstravelled.xml": "http://oneless.blogspot.com/feeds/posts/default",
    "other/feed.atom.TypePadNews.xml": "http://feeds.feedburner.com/TypePadNews",
    "other/hpd.de.drupal7-comments.html": "https://hpd.de/artikel/sie-wissen-nicht-sie-tun-identitaetspolitische-linke-unterschlaegt-den-homosexuellenhass-neuer-21664",
    "substack/api.v1.posts.by-id.167180194.json": "https://angelsant.substack.com/api/v1/posts/by-id/167180194",
    "substack/api.v1.profile.posts.profile_user_id-27968736.json": "https://karozieminski.substack.com/api/v1/profile/posts?profile_user_id=27968736&limit=50",
    "substack/api.v1.reader.comment.131648795.json": "https://substack.com/api/v1/reader/comment/131648795",
    "substack/email.lennysnewsletter.chatgpt-pm.html": "https://www.lennysnewsletter.com/p/how-to-use-chatgpt-in-your-pm-work",
    "wordpress/export.wxr.pelican-constructed.wordpressexport.xml": "http://thisisa.test/",
    "wordpress/feed.atom.OneFootTsunami.atom": "http://onefoottsunami.com/feed/atom/",
    "wordpress/feed.rss2.TenderLovemaking.wp27.xml": "http://tenderlovemaking.com/feed/",
    "wordpress/feed.rss2.dcrainmaker.xml": "https://www.dcrainmaker.com/feed",
    "wordpress/feed.rss2.natasha.xml": "https://www.natashatherobot.com/feed/",
}
URL_NOTE = "INDEX.md gives no absolute url for this page; this is the address the document names for itself"


def url_of(page: str, index: dict[str, str | None]) -> tuple[str, str | None]:
    """The page's URL and, where it is not INDEX.md's, a note saying where it comes from."""
    path = fixture_path(page)
    if path.exists():
        old = load_fixture(path)
        return old["url"], old.get("url_note")
    if page in URLS:
        return URLS[page], URL_NOTE
    url = index.get(page)
    if not url or "://" not in url:
        sys.exit(f"{page}: INDEX.md gives no absolute url; pass --url (and add it to URLS in {__file__})")
    return url, None


def regenerate(page: str, url: str, note: str | None, platform: str = "auto") -> Path:
    fixture = {"page": page, "url": url, "platform": platform}
    if note:
        fixture["url_note"] = note
    try:
        fixture["expected"] = extract(REAL_PAGES, fixture)
    except Exception as exc:  # recorded: the test expects the same error until the page extracts
        fixture["expected"] = {"error": error_start(exc)}
    return write_fixture(fixture)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="pages as INDEX.md names them, e.g. wordpress/lemire.me.json.html")
    parser.add_argument("--all", action="store_true", help="every page INDEX.md lists")
    parser.add_argument("--url", help="the URL to extract the (single) page with")
    parser.add_argument("--include-xfail", action="store_true", help="also pages listed in XFAIL (see above)")
    args = parser.parse_args(argv)
    if not REAL_PAGES.is_dir():
        sys.exit(f"real pages not found at {REAL_PAGES} (they live in ../shared beside the project)")
    index = index_pages(REAL_PAGES)
    pages = sorted(index) if args.all else args.pages
    if not pages or (args.url and len(pages) != 1):
        parser.error("name the pages to regenerate (or --all); --url goes with one page")
    unknown = [p for p in pages if p not in index]
    if unknown:
        parser.error(f"not in INDEX.md: {', '.join(unknown)}")
    from test_expected_output import XFAIL

    for page in pages:
        if page in XFAIL and not args.include_xfail:
            print(f"skipped (in XFAIL, its fixture holds corrected values): {page}")
            continue
        if args.url:
            url, note = args.url, None if args.url == index[page] else "not INDEX.md's url: given with --url"
        else:
            url, note = url_of(page, index)
        print(f"wrote {regenerate(page, url, note)}")


if __name__ == "__main__":
    main()
