"""Comments of real pages of sites that are neither Blogger nor WordPress (``real-pages/other``):
Drupal 7, SPIP 3 and Disqus's noscript copy, read by ``comment_markup`` as a crawl reads them.

Expected values were read off the saved pages, not from the parser: Drupal's comment ids from
the ``<a id="comment-ID">`` anchors, threads from the ``div.indented`` nesting, dates from
``time[datetime]`` (converted to UTC by their own offset); SPIP's ids from the Crayons classes
``forum-texte-ID``, threads from the nested ``ul``, dates from ``abbr.date[title]`` (UTC);
Disqus's authors from ``div.comment-author``.

INDEX.md lists 0 comments for the Drupal and Disqus pages (it counted ``li.comment``) and 0
nested for SPIP; the pages hold 10 (5 replies), 86 and 11 (2 replies)."""

from __future__ import annotations

import pytest

from newscrawl.dates import DateContext
from newscrawl.extraction import extract_file
from newscrawl.prepare import normalize_item_dates
from newscrawl.platforms import comment_markup
from newscrawl.platforms.markup import walk_comments

POST = "feed:example:/post"
BLOG = "feed:example"

HPD_URL = ("https://hpd.de/artikel/sie-wissen-nicht-sie-tun-identitaetspolitische-linke-unterschlaegt-den-"
           "homosexuellenhass-neuer-21664")
REGARDS_URL = ("http://www.regards.fr/politique/article/deux-ans-et-demi-en-macronie-9-mises-en-examen-"
               "10-enquetes-en-cours-et-2")
TOPTAL_URL = "https://www.toptal.com/python/top-10-mistakes-that-python-programmers-make"


def read(real_pages, name: str, url: str, language: str):
    page = comment_markup.parse_comments((real_pages / "other" / name).read_bytes(), url, POST, BLOG)
    context = DateContext.from_hints(language, None)
    comments = [normalize_item_dates(c, context) for c in walk_comments(page.comments)]
    assert all(c["id"] == comment_markup.comment_key(POST, c["platform_id"]) for c in comments)
    assert len({c["id"] for c in comments}) == len(comments)
    return page, comments


def parent_of(comment) -> str | None:
    return comment["parent_id"].rsplit(":c", 1)[1] if comment.get("parent_id") else None


def rows(comments):
    return [(c["platform_id"], c.get("author"), c.get("published"), parent_of(c)) for c in comments]


# -- Drupal 7 (hpd.de) ---------------------------------------------------------------------

HPD = [
    ("82775", "Gerhard Baierlein", "2023-10-18T11:11:26+00:00", None),
    ("82781", "David Z", "2023-10-18T15:40:21+00:00", None),
    ("82784", "malte", "2023-10-18T17:48:26+00:00", None),
    ("82811", "David Z", "2023-10-22T09:20:11+00:00", "82784"),
    ("82822", "malte", "2023-10-23T17:49:08+00:00", "82811"),
    ("82837", "David Z", "2023-10-25T10:23:50+00:00", "82822"),
    ("82798", "Antimodes", "2023-10-19T13:18:23+00:00", None),
    ("82812", "David Z", "2023-10-22T09:26:42+00:00", "82798"),
    ("82825", "Antimodes", "2023-10-23T20:48:52+00:00", "82812"),
    ("82808", "Dirk Schöllgen", "2023-10-21T13:31:57+00:00", None),
]


def test_drupal7_comments_threads_and_dates(real_pages):
    page, comments = read(real_pages, "hpd.de.drupal7-comments.html", HPD_URL, "de")
    assert page.system == comment_markup.SYSTEM_DRUPAL and page.hosted_by is None
    assert page.expected == page.found == 10  # "10 Kommentare"
    assert rows(comments) == HPD
    first = comments[0]
    assert first["published_raw"] == "18. Oktober 2023 - 13:11" and first["published_source"] == "iso"
    assert first["url"] == "https://hpd.de/comment/82775#comment-82775"
    assert first["content_text"].startswith("Dieser Spruch von Siegmund Freud trifft auf alle extremen")
    assert all(c["is_blog_author"] is False for c in comments)  # comment-by-anonymous, not by-node-author
    assert all(c["comment_type"] == "comment" and c["source"] == "html" for c in comments)


def test_drupal7_collapsed_comment_is_read_whole(real_pages):
    """The Expanding Formatter module shows the first paragraph and folds the rest away: both are
    the comment, its "…" and "Aufklappen" button are not."""
    _, comments = read(real_pages, "hpd.de.drupal7-comments.html", HPD_URL, "de")
    text = next(c for c in comments if c["platform_id"] == "82781")["content_text"]
    assert text.startswith('"Stattdessen wurde der Islam- und/oder Migrationshintergrund')
    assert "MMn geht es weit über das" in text and text.endswith('in allen Ländern des "Westens".')
    assert "Aufklappen" not in text and "…" not in text


# -- SPIP 3.1 (regards.fr) -----------------------------------------------------------------

REGARDS = [
    ("37729", "gabriel sempéré", "2018-09-11T10:57:27+00:00", None),
    ("39138", "lebrec jacques", "2019-09-13T20:30:51+00:00", "37729"),
    ("39218", "un citoyen", "2019-12-07T12:45:37+00:00", None),
    ("39223", "rageul", "2019-12-10T18:24:56+00:00", "39218"),
    ("39219", "lafolie", "2019-12-09T03:27:29+00:00", None),
    ("39222", "rageul", "2019-12-10T18:23:05+00:00", None),
    ("39255", "carlos", "2020-01-09T12:06:44+00:00", None),
    ("39297", "karo", "2020-01-30T19:51:29+00:00", None),
    ("39303", "Pierre Manon", "2020-02-05T20:27:55+00:00", None),
    ("39331", "Philippe Gorce", "2020-02-17T14:30:52+00:00", None),
    ("39337", "marc day day", "2020-02-19T07:50:57+00:00", None),
]


def test_spip_forum_messages_threads_and_dates(real_pages):
    page, comments = read(real_pages, "regards.fr.spip-comments.html", REGARDS_URL, "fr")
    assert page.system == comment_markup.SYSTEM_SPIP and page.hosted_by is None
    assert rows(comments) == REGARDS
    # shown in Paris time, without the year for comments of the current year: the title is exact
    assert comments[0]["published_raw"] == "Le 11 septembre 2018 à 12:57"
    assert comments[6]["published_raw"] == "Le 9 janvier à 13:06"
    assert comments[0]["url"] == f"{REGARDS_URL}#forum37729"
    assert comments[0]["content_text"] == "très bien vos infos."
    assert comments[3]["content_text"] == "Qu elle belle france gouvernee par une bande de mafieux !"
    assert all("Répondre" not in (c["content_text"] or "") for c in comments)  # the reply link is not the comment
    assert all(c.get("is_blog_author") is None for c in comments)  # SPIP does not mark the author


# -- Disqus's noscript copy (toptal.com) ---------------------------------------------------------


def test_disqus_noscript_comments_are_read_and_reported(real_pages):
    page, comments = read(real_pages, "toptal.com.python-mistakes.disqus-static.html", TOPTAL_URL, "en")
    assert page.hosted_by == "disqus" and page.system == comment_markup.SYSTEM_DISQUS
    assert len(comments) == 86
    assert [c["author"] for c in comments[:5]] == ["sumathi s", "Leop0ld", "naayak", "Yaw", "Guest"]
    assert comments[-1]["author"] == "Gocht Guerrero"
    assert comments[-1]["content_text"] == "About Mistake #5: Why use `numbers[:] = ...` instead of `numbers = ...`"
    # the page declares no charset: its UTF-8 is read as UTF-8, not as Latin-1 mojibake
    assert comments[0]["content_text"].startswith("It’s great to come across a blog every once in a while")
    assert sum(c["author"] == "Martin Chikilian" for c in comments) == 6
    # the copy has no ids and no dates: ids from author and text, dates left empty
    assert all(c["platform_id"].startswith("h") for c in comments)
    assert all(c.get("published") is None and c.get("published_machine") is None for c in comments)
    assert all(c.get("parent_id") is None for c in comments)


def test_disqus_embed_without_copy_is_still_reported(real_pages):
    """Only the embed script left: no comments in the page, and the page says where they are."""
    html = (real_pages / "other" / "toptal.com.python-mistakes.disqus-static.html").read_text("utf-8")
    start = html.index('<div class="d-noscript-comments">')
    end = html.index("</div></div><script", start) + len("</div>")
    page = comment_markup.parse_comments(html[:start] + html[end:], TOPTAL_URL, POST, BLOG)
    assert page.hosted_by == "disqus" and page.found == 0


# -- newscrawl extract -------------------------------------------------------------------------


@pytest.mark.parametrize("name, url, comments, hosted", [
    ("hpd.de.drupal7-comments.html", HPD_URL, 10, None),
    ("regards.fr.spip-comments.html", REGARDS_URL, 11, None),
    ("toptal.com.python-mistakes.disqus-static.html", TOPTAL_URL, 86, "disqus"),
])
def test_extract_reads_other_sites_as_plain_feed_blogs(real_pages, name, url, comments, hosted):
    result = extract_file((real_pages / "other" / name).read_bytes(), url)
    assert result["blog"]["platform"] == "feed" and result["blog"]["comments_hosted_by"] == hosted
    assert len(result["comments"]) == comments
    assert all(c["post_id"] == result["post"]["id"] for c in result["comments"])
    assert result["post"]["url"] == url and result["post"]["content_text"]
    # the body is the article, not the comments under it
    first_comment = result["comments"][0]["content_text"][:40]
    assert first_comment not in result["post"]["content_text"]


def test_an_hatom_date_inside_the_comments_is_not_the_posts():
    from newscrawl.platforms import feed
    html = ("<html><head><title>Post</title></head><body><article><h1>Post</h1><p>Text of the post.</p></article>"
            "<div id='comments'><div class='comment' id='comment-1'><span class='fn'>Ann</span>"
            "<abbr class='published' title='2020-01-02T03:04:05+00:00'>Jan 2</abbr><p>First!</p></div></div>"
            "</body></html>")
    post = feed.parse_html(html, "https://example.org/2020/01/post.html").posts[0]
    assert post.get("published_machine") is None
    dated = html.replace("<h1>Post</h1>", "<h1>Post</h1><abbr class='published' title='2020-01-01T10:00:00Z'>Jan 1</abbr>")
    assert feed.parse_html(dated, "https://example.org/2020/01/post.html").posts[0]["published_machine"] == \
        "2020-01-01T10:00:00Z"


def test_a_post_date_declared_in_json_ld_is_read():
    from newscrawl.platforms import feed
    ld = ('{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "Blog"},'
          ' {"@type": "BlogPosting", "headline": "Post", "datePublished": "2021-03-04T05:06:07+01:00",'
          ' "author": {"@type": "Person", "name": "Ann"}}]}')
    html = (f"<html><head><title>Post</title><script type='application/ld+json'>{ld}</script>"
            "<script type='application/ld+json'>{not json</script></head>"
            "<body><article><h1>Post</h1><p>Text of the post.</p></article></body></html>")
    post = feed.parse_html(html, "https://example.org/post.html").posts[0]
    assert post["published_machine"] == "2021-03-04T05:06:07+01:00"
