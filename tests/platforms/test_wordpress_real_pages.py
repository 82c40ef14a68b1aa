"""WordPress parsers on real saved pages and feeds: the post, and every comment's author, UTC date,
parent and type.

Expected values were read off the saved pages, not from the parser: comment ids, names and
``time[datetime]`` values from the markup, each comment's parent from the ``depth-N`` class
WordPress writes on it (the latest comment one level up; Epoch: its ``child-of-ID`` class), the
display strings as shown.  ``time[datetime]`` values are converted to UTC by their own offset.
Display strings are checked twice: as ``published_raw``, and as what the date pipeline makes of
them with the page's language and the timezone the page states (none of these pages states one
beside its display dates, so the wall-clock time is read as UTC; a crawl that read the REST index
knows the blog's zone).

The counts differ from ``real-pages/INDEX.md`` in two places, both checked here: scilogs has 54
comments (INDEX's 59 counted the five entries of the "recent comments" widget, which carry
``li-comment-ID`` ids too), and wptavern's 13 Epoch comments are read (INDEX: 0 as ``li.comment``).
"""

from __future__ import annotations

import pytest

from newscrawl.dates import DateContext, normalize_date
from newscrawl.prepare import context_of, prepare
from newscrawl.platforms import wordpress


def extract(real_pages, name: str, url: str):
    """The page, its post and its comments as the rows a crawl stores (``prepare``)."""
    page = wordpress.parse_html((real_pages / "wordpress" / name).read_bytes(), url)
    assert page.is_wordpress and page.is_post_page and len(page.posts) == 1
    context = context_of(page.blog)
    rows = prepare(page.posts[0], context)  # what a crawl stores
    post, comments = rows.posts[0], rows.comments
    assert all(c["post_id"] == post["id"] and c["blog_id"] == page.blog["id"] for c in comments)
    assert all(c["id"] == f"{page.blog['id']}:c{c['platform_id']}" for c in comments)
    return page, post, comments, context


def parent_of(comment) -> str | None:
    return comment["parent_id"].rsplit(":c", 1)[1] if comment.get("parent_id") else None


def machine_rows(comments):
    """(id, author, UTC, parent id, type) for pages whose comments carry time[datetime]."""
    return [(c["platform_id"], c.get("author"), c.get("published"), parent_of(c), c["comment_type"]) for c in comments]


def display_rows(comments):
    """(id, author, shown date, UTC from the date pipeline, parent id, type) for display-only dates."""
    return [
        (c["platform_id"], c.get("author"), c.get("published_raw"), c.get("published"), parent_of(c), c["comment_type"])
        for c in comments
    ]


def assert_counts(page, comments, total: int, nested: int, pingbacks: int = 0):
    assert page.comments_found == len(comments) == total
    assert sum(1 for c in comments if c.get("parent_id")) == nested
    assert sum(1 for c in comments if c["comment_type"] in ("pingback", "trackback")) == pingbacks
    assert page.status == wordpress.STATUS_OK and not page.comments_by_script


# -- core comment markup, WordPress 5.3+ (time[datetime] is a machine value) --------------------

LEMIRE = [
    ('421882', 'degski', '2019-08-03T04:11:57+00:00', None, 'comment'),
    ('422154', 'degski', '2019-08-05T02:51:17+00:00', None, 'comment'),
    ('422230', 'Daniel Lemire', '2019-08-05T13:46:09+00:00', '422154', 'comment'),
    ('422240', 'wmu', '2019-08-05T16:43:48+00:00', None, 'comment'),
    ('422257', 'Daniel Lemire', '2019-08-05T20:28:59+00:00', '422240', 'comment'),
]


def test_lemire_twenty_fifteen(real_pages):
    page, post, comments, _ = extract(
        real_pages, "lemire.me.json.html", "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/"
    )
    assert page.blog["id"] == "wordpress:lemire.me/blog"  # the REST root https://lemire.me/blog/wp-json/
    assert page.rest_root == "https://lemire.me/blog/wp-json/"
    assert page.post_comments_feed == "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/feed/"
    assert (page.blog["language"], page.generator, page.machine_dates_trusted) == ("en", "WordPress 5.3", True)
    assert post["id"] == "wordpress:lemire.me/blog:17725"
    assert post["title"] == "JSON parsing: simdjson vs. JSON for Modern C++"
    assert (post["published"], post["published_source"]) == ("2019-08-02T15:57:41+00:00", "iso")
    assert (post["author"], post["comment_count"]) == ("Daniel Lemire", 5)
    assert post["content_text"].startswith("JSON is the ubiquitous data format on the Internet.")
    assert machine_rows(comments) == LEMIRE
    assert_counts(page, comments, total=5, nested=2)
    first = comments[0]
    assert (first["author_url"], first["published_raw"], first["published_source"]) == (
        "http://example.com", "August 3, 2019 at 4:11 am", "iso")
    assert first["url"] == "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/#comment-421882"
    assert first["content_text"].startswith("Thanks, for posting this.")
    assert "Reply" not in first["content_text"]
    assert [c["is_blog_author"] for c in comments] == [False, False, True, False, True]  # li.bypostauthor


ANCHOR = [
    ('25278', 'Gitta Peyn', '2019-12-22T11:16:28+00:00', None, 'comment'),
    ('25279', 'Peter Addor', '2019-12-22T11:24:19+00:00', '25278', 'comment'),
    ('25280', 'Thomas (sphericon auf twitter)', '2019-12-22T11:27:38+00:00', None, 'comment'),
    ('25281', 'Peter Addor', '2019-12-22T11:52:19+00:00', '25280', 'comment'),
    ('25282', 'Elisabeth Walder', '2019-12-22T13:17:55+00:00', None, 'comment'),
    ('25285', 'Peter Addor', '2019-12-22T15:19:33+00:00', '25282', 'comment'),
    ('25283', 'Claudia Zwyssig', '2019-12-22T13:27:38+00:00', None, 'comment'),
    ('25284', 'Peter Addor', '2019-12-22T15:18:12+00:00', '25283', 'comment'),
    ('25287', 'Sigi', '2019-12-23T14:32:06+00:00', None, 'comment'),
    ('25292', 'Peter Addor', '2019-12-24T03:51:07+00:00', '25287', 'comment'),
    ('25288', 'Martin Müller', '2019-12-23T15:08:36+00:00', None, 'comment'),
    ('25291', 'Peter Addor', '2019-12-24T03:49:55+00:00', '25288', 'comment'),
]


def test_anchor_twenty8teen_german(real_pages):
    url = "https://www.anchor.ch/gesellschaft/ein-tag-aus-dem-leben-eines-taugenichts-oder-die-leute-von-sri-lanka/"
    page, post, comments, _ = extract(real_pages, "anchor.ch.lanka.html", url)
    assert page.blog["id"] == "wordpress:anchor.ch"
    assert (page.blog["language"], page.blog["timezone"]) == ("de", "+00:00")
    assert post["id"] == "wordpress:anchor.ch:5255"
    assert post["title"] == "Ein Tag aus dem Leben eines Taugenichts oder die Leute von Sri Lanka"
    assert post["published"] == "2019-12-22T10:59:48+00:00"
    assert post["published_raw"] == "22. Dezember 2019"
    assert post["author"] == "Peter Addor"
    assert post["labels"] == ["Gesellschaft", "Länder", "Menschen", "Sri Lanka", "Alltag", "Religionen", "Tiere"]
    assert machine_rows(comments) == ANCHOR
    assert_counts(page, comments, total=12, nested=6)
    assert comments[0]["published_raw"] == "22. Dezember 2019 um 11:16 Uhr"
    assert comments[0]["author_url"] == "http://gitta-peyn.de"
    assert comments[2].get("author_url") is None  # no link on "Thomas (sphericon auf twitter)"
    assert "sagt" not in " ".join(c["author"] for c in comments)


BUSINESSJARGONS = [
    ('96', 'Chris Anamani', '2017-02-23T07:03:18+00:00', None, 'comment'),
    ('467', 'Amna', '2018-03-26T07:39:00+00:00', None, 'comment'),
    ('733', 'Jacinta', '2018-09-09T16:10:15+00:00', None, 'comment'),
    ('938', 'Sabrina K.', '2018-12-02T16:20:49+00:00', None, 'comment'),
    ('939', 'Megha M', '2018-12-03T04:30:06+00:00', '938', 'comment'),
    ('1639', 'Chinedum O.', '2019-07-14T13:15:17+00:00', '939', 'comment'),
    ('1641', 'Surbhi S', '2019-07-15T05:07:17+00:00', '1639', 'comment'),
    ('1408', 'Kwame B. Kissi', '2019-05-10T02:03:18+00:00', None, 'comment'),
    ('1999', 'Boluwatife A.', '2019-09-28T06:59:27+00:00', None, 'comment'),
]


def test_businessjargons_rockwall_author_not_in_fn(real_pages):
    page, post, comments, _ = extract(
        real_pages, "businessjargons.com.leadership.html", "https://businessjargons.com/leadership-styles.html"
    )
    assert page.blog["id"] == "wordpress:businessjargons.com"
    assert page.blog["timezone"] == "+05:30"  # from the comments' time[datetime]
    assert post["id"] == "wordpress:businessjargons.com:3080"
    assert post["title"] == "Leadership Styles"
    # no time[datetime] on the post: Yoast's JSON-LD / article:published_time
    assert (post["published"], post["published_source"]) == ("2016-02-08T11:04:42+00:00", "iso")
    assert post.get("author") is None  # the page names no author
    assert machine_rows(comments) == BUSINESSJARGONS
    assert_counts(page, comments, total=9, nested=3)
    assert comments[0]["published_raw"] == "February 23, 2017 at 12:33 pm"  # 12:33 +05:30


FOXYFOLKSY = [
    ('67526', 'Kristine', '2020-10-22T09:17:43+00:00', None, 'comment'),
    ('67806', 'Bebs', '2020-10-26T17:18:05+00:00', '67526', 'comment'),
    ('62336', 'Gemma', '2020-07-12T08:39:48+00:00', None, 'comment'),
    ('64025', 'Bebs', '2020-08-12T02:53:35+00:00', '62336', 'comment'),
    ('60036', 'Stella', '2020-06-11T01:37:53+00:00', None, 'comment'),
    ('60215', 'Bebs', '2020-06-13T15:37:43+00:00', '60036', 'comment'),
    ('58352', 'sarah Paulson', '2020-05-18T00:48:37+00:00', None, 'comment'),
    ('58424', 'Armin', '2020-05-18T09:24:41+00:00', '58352', 'comment'),
    ('58177', 'Clare', '2020-05-15T04:42:36+00:00', None, 'comment'),
    ('58220', 'Bebs', '2020-05-15T17:16:40+00:00', '58177', 'comment'),
    ('59254', 'Matthew Haber', '2020-05-31T08:05:23+00:00', '58177', 'comment'),
    ('58053', 'Pye', '2020-05-13T10:05:40+00:00', None, 'comment'),
    ('58076', 'Bebs', '2020-05-13T18:16:22+00:00', '58053', 'comment'),
    ('57224', 'Tracy Ed', '2020-05-02T13:58:18+00:00', None, 'comment'),
    ('57625', 'Bebs', '2020-05-08T06:11:27+00:00', '57224', 'comment'),
    ('56875', 'Bethany Wang', '2020-04-28T13:20:50+00:00', None, 'comment'),
    ('56883', 'Bebs', '2020-04-28T15:12:15+00:00', '56875', 'comment'),
    ('56885', 'Bethany Wang', '2020-04-28T15:53:01+00:00', '56883', 'comment'),
    ('56650', 'Mick', '2020-04-25T21:46:57+00:00', None, 'comment'),
    ('56785', 'Bebs', '2020-04-27T16:47:11+00:00', '56650', 'comment'),
    ('56566', 'tara', '2020-04-24T18:53:07+00:00', None, 'comment'),
    ('56677', 'Bebs', '2020-04-26T06:24:24+00:00', '56566', 'comment'),
    ('56471', 'Alethea', '2020-04-23T19:54:16+00:00', None, 'comment'),
    ('56545', 'Bebs', '2020-04-24T12:39:57+00:00', '56471', 'comment'),
    ('61164', 'Alethea', '2020-06-29T20:59:49+00:00', '56471', 'comment'),
    ('63018', 'Bebs', '2020-07-27T10:18:26+00:00', '61164', 'comment'),
    ('56328', 'Alethea', '2020-04-21T18:20:26+00:00', None, 'comment'),
    ('56380', 'Bebs', '2020-04-22T12:33:57+00:00', '56328', 'comment'),
    ('56130', 'Bless', '2020-04-19T14:16:17+00:00', None, 'comment'),
    ('56185', 'Bebs', '2020-04-20T10:07:22+00:00', '56130', 'comment'),
    ('56067', 'Christie Ryan', '2020-04-18T19:48:28+00:00', None, 'comment'),
    ('56099', 'Bebs', '2020-04-19T09:08:07+00:00', '56067', 'comment'),
    ('55843', 'Paige', '2020-04-15T23:20:12+00:00', None, 'comment'),
    ('55867', 'Bebs', '2020-04-16T08:39:28+00:00', '55843', 'comment'),
    ('55136', 'Nika', '2020-04-04T17:49:08+00:00', None, 'comment'),
    ('55169', 'Bebs', '2020-04-05T06:55:32+00:00', '55136', 'comment'),
    ('54967', 'Fiona', '2020-04-02T00:24:27+00:00', None, 'comment'),
    ('54995', 'Bebs', '2020-04-02T11:47:50+00:00', '54967', 'comment'),
    ('53661', 'Heather', '2020-03-06T19:21:37+00:00', None, 'comment'),
    ('53683', 'Bebs', '2020-03-07T03:36:45+00:00', '53661', 'comment'),
    ('53288', 'Susan', '2020-02-25T17:07:56+00:00', None, 'comment'),
    ('53322', 'Bebs', '2020-02-26T16:00:15+00:00', '53288', 'comment'),
    ('53287', 'Susan', '2020-02-25T17:00:54+00:00', None, 'comment'),
    ('50675', 'Merricat', '2019-12-25T15:49:06+00:00', None, 'comment'),
    ('50967', 'Bebs', '2020-01-02T07:32:09+00:00', '50675', 'comment'),
    ('50174', 'Rohini Roy', '2019-12-16T08:36:47+00:00', None, 'comment'),
    ('50226', 'Bebs', '2019-12-17T04:30:55+00:00', '50174', 'comment'),
    ('47749', 'kat', '2019-11-24T16:00:06+00:00', None, 'comment'),
    ('47794', 'Bebs', '2019-11-25T10:59:08+00:00', '47749', 'comment'),
    ('46279', 'Liz', '2019-10-31T19:18:13+00:00', None, 'comment'),
    ('46428', 'Bebs', '2019-11-03T01:04:05+00:00', '46279', 'comment'),
    ('37472', 'Char', '2019-08-16T02:58:55+00:00', None, 'comment'),
    ('34812', 'Erica', '2019-06-25T00:58:25+00:00', None, 'comment'),
    ('34820', 'Bebs', '2019-06-25T08:40:39+00:00', '34812', 'comment'),
    ('33872', 'Kati', '2019-05-28T16:55:18+00:00', None, 'comment'),
    ('33995', 'Bebs', '2019-05-31T05:20:20+00:00', '33872', 'comment'),
    ('33600', 'Anne', '2019-05-22T01:39:47+00:00', None, 'comment'),
    ('33603', 'Bebs', '2019-05-22T03:30:32+00:00', '33600', 'comment'),
    ('31977', 'Judie', '2019-04-16T19:17:27+00:00', None, 'comment'),
    ('32041', 'Bebs', '2019-04-17T13:15:11+00:00', '31977', 'comment'),
    ('31694', 'Ashley', '2019-04-12T02:34:30+00:00', None, 'comment'),
    ('30965', 'Raven', '2019-03-31T10:03:13+00:00', None, 'comment'),
    ('31018', 'Bebs', '2019-04-01T11:59:55+00:00', '30965', 'comment'),
    ('28390', 'Toni', '2019-02-12T03:15:36+00:00', None, 'comment'),
    ('28409', 'Bebs', '2019-02-12T15:29:23+00:00', '28390', 'comment'),
    ('27031', 'KIMBERLY PAYTON', '2019-01-13T20:29:41+00:00', None, 'comment'),
    ('27069', 'Bebs', '2019-01-15T01:30:21+00:00', '27031', 'comment'),
    ('26883', 'GC', '2019-01-09T17:34:48+00:00', None, 'comment'),
    ('26906', 'Bebs', '2019-01-10T00:59:37+00:00', '26883', 'comment'),
    ('26731', 'Bellanira Bello', '2019-01-05T10:41:49+00:00', None, 'comment'),
    ('26766', 'Bebs', '2019-01-06T01:42:46+00:00', '26731', 'comment'),
    ('26580', 'Jessica', '2019-01-01T20:16:59+00:00', None, 'comment'),
    ('26631', 'Bebs', '2019-01-03T04:05:23+00:00', '26580', 'comment'),
    ('25160', 'Courtney', '2018-12-03T18:50:50+00:00', None, 'comment'),
    ('25176', 'Bebs', '2018-12-04T02:36:54+00:00', '25160', 'comment'),
    ('23459', 'Amna', '2018-10-07T23:34:21+00:00', None, 'comment'),
    ('23471', 'Bebs', '2018-10-08T06:37:08+00:00', '23459', 'comment'),
    ('55883', 'sheanne joseph', '2020-04-16T16:13:21+00:00', '23471', 'comment'),
    ('55886', 'Bebs', '2020-04-16T16:25:55+00:00', '55883', 'comment'),
    ('18905', 'Amber', '2018-04-20T03:44:44+00:00', None, 'comment'),
]


def test_foxyfolksy_total_theme_80_comments(real_pages):
    url = "https://www.foxyfolksy.com/chocolate-buttercream-frosting-without-powdered-sugar-ermine-icing/"
    page, post, comments, _ = extract(real_pages, "foxyfolksy.com.buttercream.html", url)
    assert page.blog["id"] == "wordpress:foxyfolksy.com"
    assert page.generator == "WordPress 5.4.4"  # not the theme's "Total WordPress Theme 4.9.9.2"
    assert page.blog["timezone"] == "+08:00"
    assert post["id"] == "wordpress:foxyfolksy.com:10742"
    assert post["title"] == "Chocolate Buttercream Frosting without Powdered Sugar (Ermine Icing)"
    # time[datetime] is a bare date; Yoast's JSON-LD says 03:38:45Z.  The page's
    # article:published_time 11:38:45+00:00 is the local (+08:00) wall-clock time mislabelled.
    assert post["published"] == "2018-01-28T03:38:45+00:00"
    assert post["published_raw"] == "January 28, 2018"
    assert post["author"] == "Bebs"
    assert post["comment_count"] == 80  # "This Post Has 80 Comments"
    assert machine_rows(comments) == FOXYFOLKSY
    assert_counts(page, comments, total=80, nested=41)
    assert {c["author"] for c in comments if c["is_blog_author"]} == {"Bebs"}


FROLLEINHERR = [
    ('44137', 'Aylin', '2022-11-20T09:36:03+00:00', None, 'comment'),
    ('44138', 'Karoline Herr', '2022-11-20T10:08:38+00:00', '44137', 'comment'),
    ('44140', 'Birgit', '2022-11-20T11:12:41+00:00', None, 'comment'),
    ('44143', 'Karoline Herr', '2022-11-20T13:13:59+00:00', '44140', 'comment'),
    ('44144', 'Saskia', '2022-11-20T14:48:26+00:00', None, 'comment'),
    ('44145', 'Karoline Herr', '2022-11-20T14:52:57+00:00', '44144', 'comment'),
    ('44156', 'Sarah', '2022-11-20T20:39:22+00:00', None, 'comment'),
    ('44157', 'Karoline Herr', '2022-11-20T20:44:36+00:00', '44156', 'comment'),
    ('44211', 'Sarah', '2022-11-23T06:46:06+00:00', '44157', 'comment'),
    ('44310', 'Johanna', '2022-11-27T12:14:59+00:00', None, 'comment'),
    ('44326', 'Karoline Herr', '2022-11-28T08:14:03+00:00', '44310', 'comment'),
]


def test_frolleinherr_custom_theme(real_pages):
    url = "https://frolleinherr.com/thoughts/kolumne-lost-aber-immer-noch-da/"
    page, post, comments, _ = extract(real_pages, "frolleinherr.com.lost.html", url)
    assert page.blog["id"] == "wordpress:frolleinherr.com"
    assert page.blog["timezone"] == "+01:00"
    assert post["id"] == "wordpress:frolleinherr.com:36179"
    assert post["title"] == "Sunday Thoughts: Ein wenig lost, aber immer noch da!"
    # The page shows no date.  AIOSEO's JSON-LD says 05:00+01:00, its og tag 05:00+00:00: one of
    # them mislabels the wall-clock time.  JSON-LD (first, as on foxyfolksy where it is right) wins.
    assert post["published"] == "2022-11-20T04:00:00+00:00"
    assert post["labels"] == ["Content Creator", "Influencer", "Instagram", "Kolumne", "Mental Health",
                              "Sunday Thoughts", "Thoughts"]
    assert machine_rows(comments) == FROLLEINHERR
    assert_counts(page, comments, total=11, nested=6)
    assert comments[0]["published_raw"] == "20. November 2022 um 10:36 Uhr"


VERFASSUNGSBLOG = [
    ('801015', 'Josef Franz Lindner', '2020-04-09T06:34:03+00:00', None, 'comment'),
    ('801057', 'Roberto Roberto', '2020-04-09T18:50:40+00:00', '801015', 'comment'),
    ('801120', 'Hella', '2020-04-10T22:40:22+00:00', '801057', 'comment'),
    ('801017', 'Markus Rau', '2020-04-09T06:59:19+00:00', None, 'comment'),
    ('801044', 'Gentman', '2020-04-09T16:18:00+00:00', None, 'comment'),
]


def test_verfassungsblog_names_end_with_comma(real_pages):
    page, post, comments, _ = extract(
        real_pages, "verfassungsblog.de.expertinnen.html", "https://verfassungsblog.de/expertinnen-in-der-krise/"
    )
    assert page.blog["id"] == "wordpress:verfassungsblog.de"
    assert post["id"] == "wordpress:verfassungsblog.de:47622"
    assert post["title"] == "Expert*innen in der Krise"  # the header sits in a div#sidebar
    assert (post["published"], post["published_raw"]) == ("2020-04-09T05:59:57+00:00", "Do 9 Apr 2020")
    assert post["author"] == "Heiko Sauer"
    assert machine_rows(comments) == VERFASSUNGSBLOG
    assert_counts(page, comments, total=5, nested=2)
    assert comments[0]["published_raw"] == "Do 9 Apr 2020 / 08:34"


LADY50PLUS = [
    ('7568', 'Beate', '19. Juni 2019 / 6:16', '2019-06-19T06:16:00+00:00', None, 'comment'),
    ('7571', 'Martina Berg', '19. Juni 2019 / 13:20', '2019-06-19T13:20:00+00:00', '7568', 'comment'),
    ('7569', 'Astrid', '19. Juni 2019 / 6:37', '2019-06-19T06:37:00+00:00', None, 'comment'),
    ('7572', 'Martina Berg', '19. Juni 2019 / 13:22', '2019-06-19T13:22:00+00:00', '7569', 'comment'),
    ('7570', 'Rowi', '19. Juni 2019 / 9:36', '2019-06-19T09:36:00+00:00', None, 'comment'),
    ('7573', 'Martina Berg', '19. Juni 2019 / 13:24', '2019-06-19T13:24:00+00:00', '7570', 'comment'),
    ('7574', 'Evi', '19. Juni 2019 / 16:28', '2019-06-19T16:28:00+00:00', None, 'comment'),
    ('7576', 'Martina Berg', '19. Juni 2019 / 19:00', '2019-06-19T19:00:00+00:00', '7574', 'comment'),
    ('7575', 'Astrid S.', '19. Juni 2019 / 17:29', '2019-06-19T17:29:00+00:00', None, 'comment'),
    ('7577', 'Martina Berg', '19. Juni 2019 / 19:02', '2019-06-19T19:02:00+00:00', '7575', 'comment'),
]


def test_lady50plus_pipdig_badge_and_display_dates(real_pages):
    page, post, comments, context = extract(
        real_pages, "lady50plus.de.sekre.html", "https://lady50plus.de/2019/06/19/sekre-mystery-bag/"
    )
    assert page.blog["id"] == "wordpress:lady50plus.de"
    assert post["id"] == "wordpress:lady50plus.de:32513"
    assert post["title"] == "SEKRÈ MYSTERY BAG – jede Frau braucht ein Geheimnis!"
    assert post["published"] == "2019-06-19T04:00:56+00:00"  # Yoast JSON-LD (time[datetime] is "2019-06")
    assert post["author"] == "Martina Berg"
    # "Martina Berg<br><span>Autor</span>": the badge is not part of the name; the date is a
    # span of its own, not glued to the name
    assert display_rows(comments) == LADY50PLUS
    assert_counts(page, comments, total=10, nested=5)
    assert all(c.get("published_source") == "display" for c in comments)
    assert normalize_date(None, "19. Juni 2019 / 6:16", context).value == "2019-06-19T06:16:00+00:00"


# -- pingbacks and trackbacks: kept, typed ---------------------------------------------------------

CREATIVECOMMONS = [
    ('825', 'LG Köln zur BY-NC Creative-Commons-Lizenz | RECHTSANWALT JAKOB WAHLERS', None, None, None, 'pingback'),
    ('826', 'Michael Blahm', '2014-04-02 08:29:59', '2014-04-02T08:29:59+00:00', None, 'comment'),
    ('827', 'IT LawCamp 2014, 5.4.2014, Frankfurt am Main | Offene Netze und Recht', None, None, None, 'pingback'),
    ('828', 'GoldKind', '2014-07-10 12:58:42', '2014-07-10T12:58:42+00:00', None, 'comment'),
    ('829', 'Robbinho', '2014-07-29 13:38:42', '2014-07-29T13:38:42+00:00', None, 'comment'),
]


def test_creativecommons_twenty_sixteen_pingbacks_before_wp_5_3(real_pages):
    url = ("https://de.creativecommons.org/index.php/2014/03/20/"
           "endlich-wird-es-spannend-die-nc-einschraenkung-nach-deutschem-recht/")
    page, post, comments, context = extract(real_pages, "de.creativecommons.org.endlich.html", url)
    # REST root .../index.php/wp-json/ ("almost pretty" permalinks): the blog is the host
    assert page.blog["id"] == "wordpress:de.creativecommons.org"
    assert page.rest_root == "https://de.creativecommons.org/index.php/wp-json/"
    # WordPress 4.8.9 wrote time[datetime] as local wall-clock time + "+00:00": not a machine value
    assert (page.generator, page.machine_dates_trusted) == ("WordPress 4.8.9", False)
    assert "timezone" not in page.blog
    assert post["id"] == "wordpress:de.creativecommons.org:1185"
    assert post["title"] == "Endlich wird es spannend: Die NC-Einschränkug nach deutschem Recht"
    assert (post["published_raw"], post["published"], post["published_source"]) == (
        "2014-03-20 15:27:05", "2014-03-20T15:27:05+00:00", "display")
    assert post["author"] == "john"
    assert post["comment_count"] == 5  # "5 Gedanken zu ...": pingbacks included
    assert display_rows(comments) == CREATIVECOMMONS
    assert_counts(page, comments, total=5, nested=0, pingbacks=2)
    pingback = comments[0]
    assert pingback["author_url"] == "http://www.rechtsanwaltwahlers.de/lg-koeln-zur-by-nc-creative-commons-lizenz/"
    # the markup is "Pingback: <a>title</a>": no excerpt, no date (the comment feed has both)
    assert pingback.get("content_html") is None and pingback.get("published") is None
    # with the blog's zone (as the REST index would tell a crawl) the wall-clock time becomes UTC
    berlin = DateContext.from_hints("de", "Europe/Berlin")
    assert normalize_date(None, comments[1]["published_raw"], berlin).value == "2014-04-02T06:29:59+00:00"


GORMULUS = [
    ('154', 'photobix', '2012-12-11T10:07:17+00:00', None, 'comment'),
    ('155', 'Israel: Von Grabenkämpfen und dem Wert wahrer Freundschaft | Gormulus', None, None, 'pingback'),
    ('156', 'jeuys', '2012-12-11T11:57:50+00:00', None, 'comment'),
    ('157', 'Mathias', '2012-12-11T12:19:41+00:00', '156', 'comment'),
    ('167', 'yoonar', '2012-12-11T14:03:40+00:00', '156', 'comment'),
    ('160', 'Tobias Raff', '2012-12-11T12:58:20+00:00', None, 'comment'),
    ('161', '@kpeterlka', '2012-12-11T13:11:53+00:00', None, 'comment'),
    ('162', 'Tobias Raff', '2012-12-11T13:48:48+00:00', None, 'comment'),
    ('173', 'Owner', '2012-12-11T21:40:36+00:00', '162', 'comment'),
    ('174', 'hardy', '2012-12-11T23:18:47+00:00', '173', 'comment'),
    ('175', 'Denkmalüberdenscheißnach Dendudaschreibst', '2012-12-12T01:26:20+00:00', '173', 'comment'),
    ('178', 'Mathias', '2012-12-12T11:17:39+00:00', '173', 'comment'),
    ('163', 'jeuys', '2012-12-11T13:50:25+00:00', None, 'comment'),
    ('164', '»Das wird man ja wohl noch sagen dürfen« | Popcorn Piraten', None, None, 'pingback'),
    ('165', 'm', '2012-12-11T13:53:55+00:00', None, 'comment'),
    ('166', 'Peter', '2012-12-11T13:55:18+00:00', None, 'comment'),
    ('168', 'Kand.in.Sky', '2012-12-11T14:40:26+00:00', None, 'comment'),
    ('169', 'jeuys', '2012-12-11T14:50:00+00:00', None, 'comment'),
    ('170', 'Mathias', '2012-12-11T15:10:42+00:00', '169', 'comment'),
    ('190', 'Yuppiedeadhead', '2012-12-14T18:31:01+00:00', '170', 'comment'),
    ('191', 'jeuys', '2012-12-15T09:14:43+00:00', '170', 'comment'),
    ('193', 'Mathias', '2012-12-15T12:19:42+00:00', '170', 'comment'),
    ('197', 'jeuys', '2012-12-15T13:13:46+00:00', '170', 'comment'),
    ('172', '“Das wird man ja wohl noch sagen dürfen!” | Piraten | Scoop.it', None, None, 'pingback'),
    ('176', 'Jo Menschenfreund', '2012-12-12T08:35:42+00:00', None, 'comment'),
    ('179', 'Mathias', '2012-12-12T11:33:22+00:00', '176', 'comment'),
    ('180', 'Jo', '2012-12-12T12:23:25+00:00', '179', 'comment'),
    ('181', 'Mathias', '2012-12-12T12:35:34+00:00', '179', 'comment'),
    ('177', 'ooo', '2012-12-12T10:11:57+00:00', None, 'comment'),
    ('182', 'Jo', '2012-12-12T13:04:25+00:00', None, 'comment'),
    ('183', 'Mathias', '2012-12-12T13:43:07+00:00', '182', 'comment'),
    ('184', 'Jo', '2012-12-12T14:53:09+00:00', '183', 'comment'),
    ('185', 'Mathias', '2012-12-12T16:28:22+00:00', '183', 'comment'),
    ('186', 'Volker Melchers', '2012-12-12T21:34:31+00:00', None, 'comment'),
    ('189', 'Owner', '2012-12-13T00:33:57+00:00', '186', 'comment'),
    ('195', 'Mathias', '2012-12-15T12:41:07+00:00', '189', 'comment'),
    ('196', 'Owner', '2012-12-15T13:09:29+00:00', '189', 'comment'),
    ('198', 'Mathias', '2012-12-15T13:17:45+00:00', '189', 'comment'),
    ('199', 'Owner', '2012-12-15T13:20:46+00:00', '189', 'comment'),
    ('200', 'Owner', '2012-12-15T13:26:19+00:00', '189', 'comment'),
    ('187', 'Jo Menschenfreund', '2012-12-12T22:17:16+00:00', None, 'comment'),
    ('188', 'Mathias', '2012-12-12T22:27:20+00:00', '187', 'comment'),
    ('205', 'Lusru', '2013-01-09T12:19:23+00:00', '187', 'comment'),
    ('207', 'Heckenschützen | Es fährt kein Schiff nach Denver', None, None, 'pingback'),
    ('208', 'VIII. Heckenschützen | Es fährt kein Schiff nach Denver', None, None, 'pingback'),
]


def test_gormulus_wordpress_com_deep_threads_and_pingbacks(real_pages):
    url = "https://gormulus.wordpress.com/2012/12/11/das-wird-man-ja-wohl-noch-sagen-durfen/"
    page, post, comments, _ = extract(real_pages, "gormulus.wordpress.com.durfen.html", url)
    assert page.blog["id"] == "wordpress:gormulus.wordpress.com"  # from the /feed/ link: no REST link on WordPress.com
    assert (page.generator, page.machine_dates_trusted, page.blog["timezone"]) == ("WordPress.com", True, "+01:00")
    assert post["id"] == "wordpress:gormulus.wordpress.com:339"
    assert post["title"] == "„Das wird man ja wohl noch sagen dürfen!“"
    assert post["published"] == "2012-12-11T10:00:53+00:00"
    assert post["author"] == "Mathias"
    assert post["labels"] == ["Inland", "Politik", "Rant", "Antisemitismus", "Piraten"]
    assert post["comment_count"] == 45  # "45 Gedanken zu ..."
    assert machine_rows(comments) == GORMULUS
    assert_counts(page, comments, total=45, nested=25, pingbacks=5)
    assert {c["author"] for c in comments if c["is_blog_author"]} == {"Mathias"}
    assert all(c.get("published") is None for c in comments if c["comment_type"] == "pingback")


# -- display-only dates (no machine value in the markup) -------------------------------------------

ELAVEGAN = [
    ('133575', 'Julia', '16. March, 2023 at 16:59', '2023-03-16T16:59:00+00:00', None, 'comment'),
    ('133581', 'Ela', '16. March, 2023 at 18:04', '2023-03-16T18:04:00+00:00', '133575', 'comment'),
    ('78828', 'Deborah wesselman', '27. March, 2021 at 18:33', '2021-03-27T18:33:00+00:00', None, 'comment'),
    ('78829', 'Ela', '27. March, 2021 at 18:46', '2021-03-27T18:46:00+00:00', '78828', 'comment'),
    ('76918', 'KHEEMAH', '9. February, 2021 at 15:24', '2021-02-09T15:24:00+00:00', None, 'comment'),
    ('76921', 'Ela', '9. February, 2021 at 16:10', '2021-02-09T16:10:00+00:00', '76918', 'comment'),
    ('74325', 'Elaine', '18. December, 2020 at 08:04', '2020-12-18T08:04:00+00:00', None, 'comment'),
    ('74340', 'Ela', '18. December, 2020 at 09:20', '2020-12-18T09:20:00+00:00', '74325', 'comment'),
    ('71651', 'Be', '28. November, 2020 at 13:06', '2020-11-28T13:06:00+00:00', None, 'comment'),
    ('71657', 'Ela', '28. November, 2020 at 16:26', '2020-11-28T16:26:00+00:00', '71651', 'comment'),
    ('71637', 'Alwxis', '27. November, 2020 at 19:01', '2020-11-27T19:01:00+00:00', None, 'comment'),
    ('71647', 'Ela', '28. November, 2020 at 10:46', '2020-11-28T10:46:00+00:00', '71637', 'comment'),
    ('68796', 'Luise', '25. September, 2020 at 06:15', '2020-09-25T06:15:00+00:00', None, 'comment'),
    ('68801', 'Ela', '25. September, 2020 at 13:44', '2020-09-25T13:44:00+00:00', '68796', 'comment'),
    ('68789', 'Annabelle', '24. September, 2020 at 14:17', '2020-09-24T14:17:00+00:00', None, 'comment'),
    ('68790', 'Ela', '24. September, 2020 at 14:48', '2020-09-24T14:48:00+00:00', '68789', 'comment'),
    ('68743', 'Tina', '22. September, 2020 at 06:02', '2020-09-22T06:02:00+00:00', None, 'comment'),
    ('68751', 'Ela', '22. September, 2020 at 13:55', '2020-09-22T13:55:00+00:00', '68743', 'comment'),
]


def test_elavegan_foodie_pro_display_dates(real_pages):
    page, post, comments, context = extract(real_pages, "elavegan.com-Peanut.html", "https://elavegan.com/peanut-butter-truffles/")
    assert page.blog["id"] == "wordpress:elavegan.com"
    assert post["id"] == "wordpress:elavegan.com:13131"  # article.post-13131 has no id attribute
    assert post["title"] == "Peanut Butter Truffles"
    assert (post["published"], post["published_raw"]) == ("2023-10-31T14:23:21+00:00", "31. October, 2023")
    assert post["author"] == "Ela"
    assert post["comment_count"] == 18  # the header's "18 Comments" link
    assert display_rows(comments) == ELAVEGAN
    assert_counts(page, comments, total=18, nested=9)
    assert comments[1]["author_url"] == "https://elavegan.com/about/"


HAPPYFACE = [
    ('22203', 'dottoressa', 'März 7, 2018', '2018-03-07T00:00:00+00:00', None, 'comment'),
    ('22208', 'happyface313', 'März 7, 2018', '2018-03-07T00:00:00+00:00', '22203', 'comment'),
    ('22207', 'Miriam', 'März 7, 2018', '2018-03-07T00:00:00+00:00', None, 'comment'),
    ('22209', 'happyface313', 'März 7, 2018', '2018-03-07T00:00:00+00:00', '22207', 'comment'),
    ('22211', 'Lisa', 'März 7, 2018', '2018-03-07T00:00:00+00:00', None, 'comment'),
    ('22212', 'happyface313', 'März 7, 2018', '2018-03-07T00:00:00+00:00', '22211', 'comment'),
    ('22218', 'Natascha', 'März 8, 2018', '2018-03-08T00:00:00+00:00', None, 'comment'),
    ('22219', 'happyface313', 'März 8, 2018', '2018-03-08T00:00:00+00:00', '22218', 'comment'),
    ('22223', 'Sabine Gimm', 'März 9, 2018', '2018-03-09T00:00:00+00:00', None, 'comment'),
    ('22226', 'happyface313', 'März 9, 2018', '2018-03-09T00:00:00+00:00', '22223', 'comment'),
    ('22261', 'Petra', 'März 12, 2018', '2018-03-12T00:00:00+00:00', None, 'comment'),
    ('22264', 'happyface313', 'März 12, 2018', '2018-03-12T00:00:00+00:00', '22261', 'comment'),
    ('23211', 'renate kaiser', 'Juni 29, 2018', '2018-06-29T00:00:00+00:00', None, 'comment'),
    ('23221', 'happyface313', 'Juni 30, 2018', '2018-06-30T00:00:00+00:00', '23211', 'comment'),
    ('23722', 'Jessi', 'August 24, 2018', '2018-08-24T00:00:00+00:00', None, 'comment'),
    ('23797', 'happyface313', 'September 1, 2018', '2018-09-01T00:00:00+00:00', '23722', 'comment'),
    ('23813', 'Jessica', 'September 1, 2018', '2018-09-01T00:00:00+00:00', '23797', 'comment'),
    ('23816', 'happyface313', 'September 2, 2018', '2018-09-02T00:00:00+00:00', '23797', 'comment'),
    ('25439', 'Jessica', 'März 9, 2019', '2019-03-09T00:00:00+00:00', '23797', 'comment'),
    ('25446', 'happyface313', 'März 9, 2019', '2019-03-09T00:00:00+00:00', '23797', 'comment'),
    ('24420', 'Monika', 'Oktober 24, 2018', '2018-10-24T00:00:00+00:00', None, 'comment'),
]


def test_happyface_buzzblog_loose_date_text(real_pages):
    url = "https://happyface313.com/2018/03/07/im-test-plantur-39-color-braun-phyto-coffein-shampoo-und-pflege-spulung/"
    page, post, comments, _ = extract(real_pages, "happyface313.com.plantur.html", url)
    assert page.blog["id"] == "wordpress:happyface313.com"
    assert post["id"] == "wordpress:happyface313.com:19378"
    assert post["title"] == "Im Test: Plantur 39 Color Braun Phyto-Coffein-Shampoo und Pflege-Spülung"
    assert (post["published"], post["published_raw"]) == ("2018-03-07T06:30:43+00:00", "Mittwoch, März 7, 2018")
    assert post["labels"] == ["Braun", "Color-Shampoo", "Haare färben", "Haarfarbe", "Pflegespülung"]
    # names in span.author (not .fn); the date is loose text after the name; dates without a
    # time are local midnight; replies past the theme's depth limit sit beside their parent
    assert display_rows(comments) == HAPPYFACE
    assert_counts(page, comments, total=21, nested=12)
    assert comments[0]["content_text"].startswith("Liebe Claudia,")
    assert "März 7, 2018" not in comments[0]["content_text"]


HOBBY_WERKSTATT = [
    ('57873', 'Erkan', '15. Dezember 2015 at 11:21', '2015-12-15T11:21:00+00:00', None, 'comment'),
    ('57887', 'Martin', '16. Dezember 2015 at 21:50', '2015-12-16T21:50:00+00:00', None, 'comment'),
    ('57889', 'Heiner', '17. Dezember 2015 at 07:50', '2015-12-17T07:50:00+00:00', '57887', 'comment'),
    ('59630', 'Lukas', '27. Mai 2016 at 16:55', '2016-05-27T16:55:00+00:00', None, 'comment'),
    ('59676', 'Heiner', '30. Mai 2016 at 05:49', '2016-05-30T05:49:00+00:00', '59630', 'comment'),
    ('59721', 'Lukas', '3. Juni 2016 at 12:53', '2016-06-03T12:53:00+00:00', None, 'comment'),
    ('59744', 'Heiner', '6. Juni 2016 at 05:27', '2016-06-06T05:27:00+00:00', '59721', 'comment'),
    ('59939', 'Lukas', '25. Juni 2016 at 18:13', '2016-06-25T18:13:00+00:00', None, 'comment'),
    ('60030', 'Heiner', '7. Juli 2016 at 07:51', '2016-07-07T07:51:00+00:00', '59939', 'comment'),
]


def test_hobby_werkstatt_atahualpa_mixed_language_dates(real_pages):
    url = "http://www.hobby-werkstatt-blog.de/arduino/424-eine-arduino-virtual-wall-fuer-den-irobot-roomba.php"
    page, post, comments, _ = extract(real_pages, "hobby-werkstatt-blog.de.roomba.html", url)
    assert page.blog["id"] == "wordpress:hobby-werkstatt-blog.de"  # from the /feed link (no generator, no REST link)
    assert post["id"] == "wordpress:hobby-werkstatt-blog.de:424"
    assert post["title"] == "Eine Arduino-Virtual-Wall für den IRobot Roomba"
    assert post["author"] == "Heiner"
    # the date is only inside a sentence in the post footer ("Dieser Artikel wurde am 14. Dezember
    # 2015 um 14:48 von Heiner geschrieben"): not read
    assert post.get("published") is None
    assert display_rows(comments) == HOBBY_WERKSTATT
    assert_counts(page, comments, total=9, nested=4)
    assert comments[0]["content_text"].startswith("Das ist eine sehr beeindruckende Lösung.")
    assert "Antwort" not in comments[0]["content_text"]


SCILOGS = [
    ('2772', 'Dietmar Hilsebein', '8. April 2019 @ 11:38', '2019-04-08T11:38:00+00:00', None, 'comment'),
    ('2812', 'Henning Lobin', '10. April 2019 @ 16:29', '2019-04-10T16:29:00+00:00', '2772', 'comment'),
    ('2773', 'ajki', '8. April 2019 @ 11:40', '2019-04-08T11:40:00+00:00', None, 'comment'),
    ('2774', 'bote19', '8. April 2019 @ 11:43', '2019-04-08T11:43:00+00:00', None, 'comment'),
    ('2775', 'Martin Holzherr', '8. April 2019 @ 12:20', '2019-04-08T12:20:00+00:00', None, 'comment'),
    ('2776', 'zabki', '8. April 2019 @ 12:33', '2019-04-08T12:33:00+00:00', None, 'comment'),
    ('2777', 'Dr. Webbaer', '8. April 2019 @ 12:48', '2019-04-08T12:48:00+00:00', None, 'comment'),
    ('2778', 'MayaZi', '8. April 2019 @ 12:51', '2019-04-08T12:51:00+00:00', None, 'comment'),
    ('2779', 'Dr. Webbaer', '8. April 2019 @ 13:06', '2019-04-08T13:06:00+00:00', None, 'comment'),
    ('2780', 'Dr. Webbaer', '8. April 2019 @ 13:34', '2019-04-08T13:34:00+00:00', None, 'comment'),
    ('2781', 'Dr. Webbaer', '8. April 2019 @ 13:41', '2019-04-08T13:41:00+00:00', None, 'comment'),
    ('2782', 'bote19', '8. April 2019 @ 13:42', '2019-04-08T13:42:00+00:00', None, 'comment'),
    ('2783', 'Dietmar Hilsebein', '8. April 2019 @ 14:01', '2019-04-08T14:01:00+00:00', None, 'comment'),
    ('2784', 'Dr. Webbaer', '8. April 2019 @ 14:19', '2019-04-08T14:19:00+00:00', None, 'comment'),
    ('2785', 'Dr. Webbaer', '8. April 2019 @ 14:42', '2019-04-08T14:42:00+00:00', None, 'comment'),
    ('2786', 'Schumann', '8. April 2019 @ 17:06', '2019-04-08T17:06:00+00:00', None, 'comment'),
    ('2787', 'Dr. Webbaer', '8. April 2019 @ 17:34', '2019-04-08T17:34:00+00:00', None, 'comment'),
    ('2788', 'Martin Holzherr', '8. April 2019 @ 17:48', '2019-04-08T17:48:00+00:00', None, 'comment'),
    ('2789', 'Martin Holzherr', '8. April 2019 @ 18:02', '2019-04-08T18:02:00+00:00', None, 'comment'),
    ('2790', 'Dr. Webbaer', '8. April 2019 @ 18:03', '2019-04-08T18:03:00+00:00', None, 'comment'),
    ('2791', 'Dietmar Hilsebein', '8. April 2019 @ 21:23', '2019-04-08T21:23:00+00:00', None, 'comment'),
    ('2792', 'Dietmar Hilsebein', '8. April 2019 @ 21:43', '2019-04-08T21:43:00+00:00', None, 'comment'),
    ('2793', 'demolog', '8. April 2019 @ 22:51', '2019-04-08T22:51:00+00:00', None, 'comment'),
    ('2794', 'demolog', '9. April 2019 @ 00:14', '2019-04-09T00:14:00+00:00', None, 'comment'),
    ('2795', 'bote19', '9. April 2019 @ 08:38', '2019-04-09T08:38:00+00:00', None, 'comment'),
    ('2796', 'Jocelyne Lopez', '9. April 2019 @ 08:51', '2019-04-09T08:51:00+00:00', None, 'comment'),
    ('2797', 'Dr. Webbaer', '9. April 2019 @ 09:29', '2019-04-09T09:29:00+00:00', None, 'comment'),
    ('2798', 'Dr. Webbaer', '9. April 2019 @ 09:34', '2019-04-09T09:34:00+00:00', None, 'comment'),
    ('2799', 'Jocelyne Lopez', '9. April 2019 @ 12:25', '2019-04-09T12:25:00+00:00', None, 'comment'),
    ('2800', 'Dr. Webbaer', '9. April 2019 @ 12:53', '2019-04-09T12:53:00+00:00', None, 'comment'),
    ('2801', 'bote19', '9. April 2019 @ 14:28', '2019-04-09T14:28:00+00:00', None, 'comment'),
    ('2802', 'llamaz', '9. April 2019 @ 15:03', '2019-04-09T15:03:00+00:00', None, 'comment'),
    ('2803', 'Ingo Herzke', '9. April 2019 @ 15:09', '2019-04-09T15:09:00+00:00', None, 'comment'),
    ('2804', 'Ingo Herzke', '9. April 2019 @ 15:14', '2019-04-09T15:14:00+00:00', None, 'comment'),
    ('2806', 'Wortklauber', '9. April 2019 @ 17:54', '2019-04-09T17:54:00+00:00', None, 'comment'),
    ('2807', 'Dirk Freyling', '9. April 2019 @ 21:17', '2019-04-09T21:17:00+00:00', None, 'comment'),
    ('2808', 'Jade', '9. April 2019 @ 21:40', '2019-04-09T21:40:00+00:00', None, 'comment'),
    ('2809', 'Dr. Webbaer', '10. April 2019 @ 07:48', '2019-04-10T07:48:00+00:00', None, 'comment'),
    ('2810', 'Dr. Webbaer', '10. April 2019 @ 08:06', '2019-04-10T08:06:00+00:00', None, 'comment'),
    ('2811', 'irgendwer', '10. April 2019 @ 16:08', '2019-04-10T16:08:00+00:00', None, 'comment'),
    ('2813', 'zabki', '10. April 2019 @ 16:41', '2019-04-10T16:41:00+00:00', None, 'comment'),
    ('2814', 'irgendwer', '10. April 2019 @ 16:54', '2019-04-10T16:54:00+00:00', None, 'comment'),
    ('2815', 'Ingo Herzke', '10. April 2019 @ 18:03', '2019-04-10T18:03:00+00:00', None, 'comment'),
    ('2817', 'Dietmar Hilsebein', '10. April 2019 @ 22:58', '2019-04-10T22:58:00+00:00', None, 'comment'),
    ('2818', 'Dietmar Hilsebein', '10. April 2019 @ 23:05', '2019-04-10T23:05:00+00:00', None, 'comment'),
    ('2819', 'Dietmar Hilsebein', '10. April 2019 @ 23:13', '2019-04-10T23:13:00+00:00', None, 'comment'),
    ('2821', 'Dr. Webbaer', '11. April 2019 @ 08:17', '2019-04-11T08:17:00+00:00', None, 'comment'),
    ('2822', 'bote19', '11. April 2019 @ 08:36', '2019-04-11T08:36:00+00:00', None, 'comment'),
    ('2823', 'Dr. Webbaer', '11. April 2019 @ 09:09', '2019-04-11T09:09:00+00:00', None, 'comment'),
    ('2824', 'Chrys', '11. April 2019 @ 09:11', '2019-04-11T09:11:00+00:00', None, 'comment'),
    ('2825', 'Dr. Webbaer', '11. April 2019 @ 09:43', '2019-04-11T09:43:00+00:00', None, 'comment'),
    ('2826', 'Jocelyne Lopez', '11. April 2019 @ 11:50', '2019-04-11T11:50:00+00:00', None, 'comment'),
    ('2827', 'Dirk Freyling', '11. April 2019 @ 13:16', '2019-04-11T13:16:00+00:00', None, 'comment'),
    ('2828', 'Martin Holzherr', '11. April 2019 @ 13:25', '2019-04-11T13:25:00+00:00', None, 'comment'),
]


def test_scilogs_sdw_theme_ignores_recent_comments_widget(real_pages):
    url = "https://scilogs.spektrum.de/engelbart-galaxis/die-ablehnung-der-gendersprache/"
    page, post, comments, _ = extract(real_pages, "scilogs.spektrum.de.engelbart.html", url)
    assert page.blog["id"] == "wordpress:scilogs.spektrum.de/engelbart-galaxis"
    assert post["id"] == "wordpress:scilogs.spektrum.de/engelbart-galaxis:1568"
    assert post["title"] == "Die Ablehnung von “Gendersprache” – medial produziert"
    assert post["published"] == "2019-04-08T01:30:15+00:00"  # article:published_time
    assert post["author"] == "Henning Lobin"
    assert post["comment_count"] == 54  # the header's "54 Kommentare"
    assert display_rows(comments) == SCILOGS
    assert_counts(page, comments, total=54, nested=1)
    # .comment-content wraps the meta list; the text is .comment-text
    assert comments[2]["content_text"].startswith("Naja… das “produziert” im Titel")
    assert "Antworten" not in comments[2]["content_text"]


MUFFINREZEPT = [
    ('143', 'sarah', 'Juli 30, 2013 um 2:33 pm', '2013-07-30T14:33:00+00:00', None, 'comment'),
    ('144', 'admin', 'Juli 30, 2013 um 5:53 pm', '2013-07-30T17:53:00+00:00', '143', 'comment'),
    ('206', 'Mariahm', 'November 30, 2013 um 5:10 pm', '2013-11-30T17:10:00+00:00', '144', 'comment'),
    ('148', 'Teodora', 'August 13, 2013 um 3:28 pm', '2013-08-13T15:28:00+00:00', None, 'comment'),
    ('150', 'Jo', 'August 20, 2013 um 6:11 pm', '2013-08-20T18:11:00+00:00', '148', 'comment'),
    ('152', 'Lisa', 'August 29, 2013 um 7:23 am', '2013-08-29T07:23:00+00:00', None, 'comment'),
    ('316', 'Sarah', 'Februar 8, 2015 um 4:03 pm', '2015-02-08T16:03:00+00:00', '152', 'comment'),
    ('160', 'Lauraleincheeen', 'September 7, 2013 um 9:44 am', '2013-09-07T09:44:00+00:00', None, 'comment'),
    ('245', 'Laraa', 'März 21, 2014 um 2:19 pm', '2014-03-21T14:19:00+00:00', '160', 'comment'),
    ('161', 'Anna', 'September 7, 2013 um 3:56 pm', '2013-09-07T15:56:00+00:00', None, 'comment'),
    ('162', 'Anna', 'September 7, 2013 um 3:56 pm', '2013-09-07T15:56:00+00:00', '161', 'comment'),
    ('174', 'Der Auto', 'September 25, 2013 um 1:51 pm', '2013-09-25T13:51:00+00:00', None, 'comment'),
    ('181', 'Muffin', 'Oktober 4, 2013 um 4:14 pm', '2013-10-04T16:14:00+00:00', None, 'comment'),
    ('190', 'AlJoMi', 'November 1, 2013 um 2:25 pm', '2013-11-01T14:25:00+00:00', None, 'comment'),
    ('200', 'Tonita', 'November 17, 2013 um 9:33 am', '2013-11-17T09:33:00+00:00', '190', 'comment'),
    ('199', 'Tonita', 'November 17, 2013 um 9:33 am', '2013-11-17T09:33:00+00:00', None, 'comment'),
    ('201', 'annii', 'November 18, 2013 um 3:45 pm', '2013-11-18T15:45:00+00:00', None, 'comment'),
    ('205', 'Manda', 'November 24, 2013 um 2:11 pm', '2013-11-24T14:11:00+00:00', None, 'comment'),
    ('210', 'evin', 'Dezember 9, 2013 um 12:33 pm', '2013-12-09T12:33:00+00:00', None, 'comment'),
    ('212', 'leni', 'Dezember 12, 2013 um 2:26 pm', '2013-12-12T14:26:00+00:00', None, 'comment'),
    ('213', 'leni', 'Dezember 12, 2013 um 2:29 pm', '2013-12-12T14:29:00+00:00', None, 'comment'),
    ('214', 'Kiki', 'Januar 4, 2014 um 12:01 pm', '2014-01-04T12:01:00+00:00', None, 'comment'),
    ('282', '1rexy1', 'August 31, 2014 um 2:37 pm', '2014-08-31T14:37:00+00:00', '214', 'comment'),
    ('215', 'OLAF', 'Januar 5, 2014 um 3:54 pm', '2014-01-05T15:54:00+00:00', None, 'comment'),
    ('217', 'Jan', 'Januar 21, 2014 um 1:05 pm', '2014-01-21T13:05:00+00:00', None, 'comment'),
    ('277', 'teeniekram4you', 'August 25, 2014 um 8:21 am', '2014-08-25T08:21:00+00:00', '217', 'comment'),
    ('219', 'Michael', 'Februar 1, 2014 um 12:28 pm', '2014-02-01T12:28:00+00:00', None, 'comment'),
    ('220', 'leni', 'Februar 1, 2014 um 2:03 pm', '2014-02-01T14:03:00+00:00', None, 'comment'),
    ('229', 'Maria', 'Februar 21, 2014 um 7:40 pm', '2014-02-21T19:40:00+00:00', None, 'comment'),
    ('233', 'Nina', 'März 1, 2014 um 10:48 am', '2014-03-01T10:48:00+00:00', None, 'comment'),
    ('234', 'Sarah Pfeuti', 'März 3, 2014 um 3:27 pm', '2014-03-03T15:27:00+00:00', None, 'comment'),
    ('238', 'Dori', 'März 6, 2014 um 6:19 pm', '2014-03-06T18:19:00+00:00', None, 'comment'),
    ('242', 'Melli', 'März 19, 2014 um 8:45 pm', '2014-03-19T20:45:00+00:00', None, 'comment'),
    ('248', 'Inga', 'April 5, 2014 um 6:42 pm', '2014-04-05T18:42:00+00:00', None, 'comment'),
    ('251', 'Tinchen', 'April 12, 2014 um 1:56 pm', '2014-04-12T13:56:00+00:00', None, 'comment'),
    ('258', 'muffin.princess', 'Mai 28, 2014 um 12:34 pm', '2014-05-28T12:34:00+00:00', None, 'comment'),
    ('260', 'Libby', 'Juni 8, 2014 um 12:17 pm', '2014-06-08T12:17:00+00:00', None, 'comment'),
    ('271', 'MrsMuffin', 'August 3, 2014 um 2:58 pm', '2014-08-03T14:58:00+00:00', None, 'comment'),
    ('286', 'Jenny', 'September 21, 2014 um 10:29 am', '2014-09-21T10:29:00+00:00', None, 'comment'),
    ('296', 'ChantiAvanti', 'November 1, 2014 um 7:51 pm', '2014-11-01T19:51:00+00:00', None, 'comment'),
    ('300', 'calari', 'November 6, 2014 um 5:24 pm', '2014-11-06T17:24:00+00:00', None, 'comment'),
    ('305', 'lisaMausi♡', 'November 30, 2014 um 5:59 pm', '2014-11-30T17:59:00+00:00', None, 'comment'),
    ('317', 'Franziska', 'Februar 11, 2015 um 4:04 pm', '2015-02-11T16:04:00+00:00', None, 'comment'),
    ('332', 'Dolphin Lover', 'April 7, 2015 um 12:48 pm', '2015-04-07T12:48:00+00:00', None, 'comment'),
    ('335', 'Kiwi', 'April 13, 2015 um 8:41 pm', '2015-04-13T20:41:00+00:00', None, 'comment'),
    ('344', 'Muffinjunkie', 'Mai 30, 2015 um 4:03 pm', '2015-05-30T16:03:00+00:00', None, 'comment'),
    ('348', 'Christa Pecher', 'Juni 17, 2015 um 12:50 pm', '2015-06-17T12:50:00+00:00', None, 'comment'),
    ('360', 'Maria', 'August 17, 2015 um 3:30 pm', '2015-08-17T15:30:00+00:00', None, 'comment'),
    ('368', 'Bernadette', 'September 10, 2015 um 9:11 am', '2015-09-10T09:11:00+00:00', None, 'comment'),
    ('371', 'Emily Jahn', 'Oktober 8, 2015 um 4:33 pm', '2015-10-08T16:33:00+00:00', None, 'comment'),
    ('373', 'Markus', 'Oktober 13, 2015 um 4:00 pm', '2015-10-13T16:00:00+00:00', None, 'comment'),
]


def test_muffinrezept_wayback_copy_wordpress_3_8(real_pages):
    url = "https://web.archive.org/web/20160330101229/http://muffinrezept.net/muffin-grundrezept/"
    page, post, comments, _ = extract(real_pages, "web.archive.org.muffinrezept.net.grundrezept.html", url)
    # the archived site, not web.archive.org
    assert page.blog["id"] == "wordpress:muffinrezept.net"
    assert page.posts_feed == "http://muffinrezept.net/feed/"
    assert post["id"] == "wordpress:muffinrezept.net:239"
    assert post["url"] == "http://muffinrezept.net/muffin-grundrezept/"
    assert post["title"] == "Muffin Grundrezept"
    assert post.get("published") is None  # the page shows no post date
    assert post["comment_count"] == 51
    assert display_rows(comments) == MUFFINREZEPT
    assert_counts(page, comments, total=51, nested=9)
    assert comments[0]["url"] == "http://muffinrezept.net/muffin-grundrezept/#comment-143"
    assert comments[1]["content_text"].startswith("Danke für den Hinweis!")


WPTAVERN = [
    ('215101', 'Sallie Goetsch (rhymes with sketch)', 'March 10, 2017 at 12:20 AM', '2017-03-10T00:20:00+00:00', None, 'comment'),
    ('215114', 'Rarst', 'March 10, 2017 at 1:26 AM', '2017-03-10T01:26:00+00:00', None, 'comment'),
    ('215125', 'Barry Kooij', 'March 10, 2017 at 2:56 AM', '2017-03-10T02:56:00+00:00', '215114', 'comment'),
    ('215173', 'Ahmad Awais', 'March 10, 2017 at 11:55 AM', '2017-03-10T11:55:00+00:00', '215125', 'comment'),
    ('215254', 'Barry Kooij', 'March 13, 2017 at 6:30 AM', '2017-03-13T06:30:00+00:00', '215173', 'comment'),
    ('215219', 'Ammon', 'March 11, 2017 at 8:41 PM', '2017-03-11T20:41:00+00:00', '215114', 'comment'),
    ('215302', 'Ashiquzzaman', 'March 14, 2017 at 7:36 AM', '2017-03-14T07:36:00+00:00', '215114', 'comment'),
    ('215128', 'djsteveb', 'March 10, 2017 at 3:19 AM', '2017-03-10T03:19:00+00:00', None, 'comment'),
    ('215138', 'Slava Abakumov', 'March 10, 2017 at 4:51 AM', '2017-03-10T04:51:00+00:00', '215128', 'comment'),
    ('215176', 'Rick Rottman', 'March 10, 2017 at 2:18 PM', '2017-03-10T14:18:00+00:00', None, 'comment'),
    ('215180', 'Sallie Goetsch', 'March 10, 2017 at 3:50 PM', '2017-03-10T15:50:00+00:00', '215176', 'comment'),
    ('215186', 'Rick Rottman', 'March 10, 2017 at 6:16 PM', '2017-03-10T18:16:00+00:00', '215180', 'comment'),
    ('215190', 'Sallie Goetsch (rhymes with sketch)', 'March 10, 2017 at 11:43 PM', '2017-03-10T23:43:00+00:00', '215186', 'comment'),
]


def test_wptavern_epoch_plugin(real_pages):
    url = ("https://wptavern.com/stack-overflow-jobs-data-shows-reactjs-skills-in-high-demand-"
           "wordpress-market-oversaturated-with-developers")
    page, post, comments, _ = extract(real_pages, "wptavern.com.stackoverflow-jobs-data.html", url)
    assert page.blog["id"] == "wordpress:wptavern.com"
    assert page.comments_system == "epoch"
    assert post["id"] == "wordpress:wptavern.com:67202"
    assert post["title"] == ("Stack Overflow Jobs Data Shows ReactJS Skills in High Demand, "
                             "WordPress Market Oversaturated with Developers")
    # WordPress 4.8-alpha printed time[datetime] "2017-03-09T18:16:02-04:00": the offset in force
    # when the page was rendered (EDT), not on March 9 (EST, -05:00).  Jetpack's og tag is right.
    assert (page.generator, page.machine_dates_trusted) == ("WordPress 4.8-alpha-40290", False)
    assert post["published"] == "2017-03-09T23:16:02+00:00"
    assert post["author"] == "Sarah Gooding"
    assert post["labels"] == ["News", "jobs", "stack overflow"]
    assert post["comment_count"] == 13  # "There are 13 comments"
    # Epoch writes time[datetime]="comment_date" (a template placeholder): display only
    assert display_rows(comments) == WPTAVERN
    assert_counts(page, comments, total=13, nested=9)
    ammon = next(c for c in comments if c["platform_id"] == "215219")
    assert ammon.get("author_url") is None  # no website: the name is loose text
    assert comments[0]["author_url"] == "https://wpfangirl.com"
    assert "Report" not in comments[0]["content_text"]


WORDPRESS_COM_BLOG = [
    ('411811', 'JanBeek', 'Jun 20th at 2:41 am', '2019-06-20T02:41:00+00:00', None, 'comment'),
    ('411829', 'Andrea Middleton', 'Jun 20th at 12:50 pm', '2019-06-20T12:50:00+00:00', '411811', 'comment'),
    ('411831', 'JanBeek', 'Jun 20th at 1:38 pm', '2019-06-20T13:38:00+00:00', '411829', 'comment'),
    ('411817', 'Jess Kitching, The Good In Every Day', 'Jun 20th at 7:29 am', '2019-06-20T07:29:00+00:00', None, 'comment'),
    ('411821', 'Mia Winhertt', 'Jun 20th at 7:41 am', '2019-06-20T07:41:00+00:00', None, 'comment'),
    ('411834', 'Gianna', 'Jun 20th at 3:34 pm', '2019-06-20T15:34:00+00:00', '411821', 'comment'),
    ('411839', 'Nathan AM Smith', 'Jun 20th at 6:43 pm', '2019-06-20T18:43:00+00:00', None, 'comment'),
    ('411842', 'Britt-Cole', 'Jun 21st at 1:22 am', '2019-06-21T01:22:00+00:00', None, 'comment'),
    ('411851', 'deepanilamani', 'Jun 21st at 12:40 pm', '2019-06-21T12:40:00+00:00', None, 'comment'),
    ('411853', 'BOOKSABELLA', 'Jun 21st at 3:07 pm', '2019-06-21T15:07:00+00:00', None, 'comment'),
    ('411856', 'motherhoodnmedia', 'Jun 21st at 10:38 pm', '2019-06-21T22:38:00+00:00', None, 'comment'),
    ('411868', 'I-AM-SEO (@i_am_seo_london)', 'Jun 23rd at 8:55 am', '2019-06-23T08:55:00+00:00', None, 'comment'),
    ('411872', 'amazinggraceandpersonalspace', 'Jun 23rd at 7:02 pm', '2019-06-23T19:02:00+00:00', None, 'comment'),
]


def test_wordpress_com_blog_h4_theme_year_less_dates(real_pages):
    url = "https://en.blog.wordpress.com/2019/06/19/want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/"
    page, post, comments, _ = extract(real_pages, "en.blog.wordpress.com.diverse.html", url)
    assert page.blog["id"] == "wordpress:en.blog.wordpress.com"
    assert post["id"] == "wordpress:en.blog.wordpress.com:41513"  # div#post-41513; no postid- body class
    assert post["title"] == "Want to See a More Diverse WordPress Contributor Community? So Do We."
    assert post["published"] == "2019-06-19T19:38:08+00:00"
    assert post["author"] == "Andrea Middleton"
    assert post["labels"] == ["Diversity & Inclusion", "WordCamp", "WordPress"]
    # the theme closes each parent's </li> before its <ul class="children">: replies still get their parent
    assert [(i, a, raw, parent, kind) for i, a, raw, _, parent, kind in display_rows(comments)] == [
        (i, a, raw, parent, kind) for i, a, raw, _, parent, kind in WORDPRESS_COM_BLOG]
    assert_counts(page, comments, total=13, nested=3)
    assert comments[0]["content_text"] == ("Are there workshops available for an 80 year-old WordPress enthusiast "
                                           "participant to learn how to share her joy in blog sharing with other "
                                           "seniors who have something worthwhile to share?")  # no "Liked by 21 people"


def test_wordpress_com_blog_year_less_dates_take_the_post_year(real_pages):
    url = "https://en.blog.wordpress.com/2019/06/19/want-to-see-a-more-diverse-wordpress-contributor-community-so-do-we/"
    _, post, comments, context = extract(real_pages, "en.blog.wordpress.com.diverse.html", url)
    got = [normalize_date(None, c["published_raw"], context, reference=post["published"]).value for c in comments]
    assert got == [utc for _, _, _, utc, _, _ in WORDPRESS_COM_BLOG]


INSUBORDINANT = [
    ('3277', 'dasmanuel', '2015-08-12T07:13:16+00:00', None, 'comment'),
    ('3278', 'Feli', '2015-08-13T16:46:50+00:00', None, 'comment'),
    ('3279', 'keloph', '2015-08-14T06:20:37+00:00', None, 'comment'),
]


def test_insubordinant_wordpress_com_cite_fn(real_pages):
    url = "https://insubordinant.wordpress.com/2015/08/11/need-for-speed/"
    page, post, comments, _ = extract(real_pages, "insubordinant.wordpress.com.speed.html", url)
    assert page.blog["id"] == "wordpress:insubordinant.wordpress.com"
    assert post["id"] == "wordpress:insubordinant.wordpress.com:2669"
    assert post["title"] == "Need for Speed"
    assert post["published"] == "2015-08-11T15:22:37+00:00"
    assert machine_rows(comments) == INSUBORDINANT
    assert_counts(page, comments, total=3, nested=0)
    # the like button inside .comment-content is not the comment
    assert comments[0]["content_text"] == "Das ist ein wirklich gut geschriebener Text."


# -- feeds ---------------------------------------------------------------------------------------------


def test_dcrainmaker_rss2_posts_feed(real_pages):
    body = (real_pages / "wordpress" / "feed.rss2.dcrainmaker.xml").read_bytes()
    key = wordpress.blog_key("https://www.dcrainmaker.com")  # the channel <link>
    assert key == "wordpress:dcrainmaker.com"
    page = wordpress.parse_feed(body, "https://www.dcrainmaker.com/feed", key)
    assert (page.kind, page.format, page.entries, page.site_url) == ("posts", "rss2", 8, "https://www.dcrainmaker.com")
    assert page.generator == "https://wordpress.org/?v=4.7.5"
    assert (page.blog["title"], page.blog["language"], page.blog["feed_mode"]) == ("DC Rainmaker", "en", "full")
    got = [(p["platform_id"], p["published"], p["comment_count"]) for p in
           (prepare(p).posts[0] for p in page.posts)]
    assert got == [
        ("81603", "2017-11-09T05:00:00+00:00", 148),
        ("81638", "2017-11-08T22:07:07+00:00", 57),
        ("81582", "2017-11-07T16:13:07+00:00", 130),
        ("81396", "2017-11-06T05:00:00+00:00", 44),
        ("81361", "2017-11-05T19:35:55+00:00", 42),
        ("81352", "2017-11-03T16:54:05+00:00", 18),
        ("81286", "2017-11-02T04:00:00+00:00", 37),
        ("81098", "2017-10-31T11:00:49+00:00", 159),
    ]
    assert sum(p["comment_count"] for p in page.posts) == 635
    first = page.posts[0]
    assert first["id"] == "wordpress:dcrainmaker.com:81603"
    assert first["title"] == ("Huge Fall Sale: 20% of All Trainers & Most Power Meters, $100 off Fenix 5, "
                              "GoPro Hero6 deal!")
    assert first["url"] == "https://www.dcrainmaker.com/2017/11/trainers-power-meters-fenix5-sale.html"
    assert (first["author"], first["published_raw"]) == ("DC Rainmaker", "Thu, 09 Nov 2017 05:00:00 +0000")
    assert first["labels"] == ["Blog", "Clever Training", "Clever Training VIP", "Sales"]
    assert first["content_html"].startswith('<p><img class="alignleft size-large wp-image-81651"')
    assert page.posts[1]["title"] == "The Power Meters Buyer’s Guide–2017 Edition"
    assert page.comment_feeds == {}  # every <wfw:commentRss> in this feed is empty


def test_onefoottsunami_atom_posts_feed_link_blog(real_pages):
    body = (real_pages / "wordpress" / "feed.atom.OneFootTsunami.atom").read_bytes()
    key = wordpress.blog_key("http://onefoottsunami.com")
    page = wordpress.parse_feed(body, "http://onefoottsunami.com/feed/atom/", key)
    assert (page.kind, page.format, page.entries, len(page.posts)) == ("posts", "atom", 25, 25)
    assert (page.generator, page.site_url) == ("WordPress 4.3", "http://onefoottsunami.com")
    assert (page.blog["title"], page.blog["description"]) == ("One Foot Tsunami", "Slightly less disappointing than it sounds")
    assert page.blog.get("language") is None  # xml:lang=""
    first = prepare(page.posts[0]).posts[0]
    assert first["id"] == "wordpress:onefoottsunami.com:14863"
    assert first["title"] == "Link: Pillow Fight Leaves 24 Concussed"
    # a link post: the alternate link is the New York Times story; the permalink is the content's xml:base
    assert first["url"] == "http://onefoottsunami.com/2015/09/08/pillow-fight-leaves-24-concussed/"
    assert (first["published"], first["updated"]) == ("2015-09-08T14:21:41+00:00", "2015-09-07T18:14:11+00:00")
    assert first["author"] == "Paul Kafasis"
    assert all(p.get("comment_count") is None for p in page.posts)  # no thr:total, no replies links
    assert all(p["url"].startswith("http://onefoottsunami.com/2015/") for p in page.posts)
    assert [p["platform_id"] for p in page.posts[:3]] == ["14863", "14861", "14858"]
