"""``newscrawl extract`` on real saved Blogger pages: every comment, author, UTC date, parent.

Expected values are read off the saved pages by hand: names from the markup, UTC times
from each comment's ``?showComment=EPOCH_MS`` link, threads from ``comment-replies``.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli
from newscrawl.dates import DateContext, normalize_date


def extract(path, url):
    result = CliRunner().invoke(cli, ["extract", str(path), "--url", url])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_2ality_classic_comment_list(real_pages):
    data = extract(
        real_pages / "blogger" / "2ality.com.2011-06-ecmascript.html",
        "http://www.2ality.com/2011/06/ecmascript.html",
    )
    post = data["post"]
    assert post["id"] == "blogger:8100407163665430627:4417229646097827778"
    assert post["title"] == "ECMAScript: ES.next versus ES 6 versus ES Harmony"
    assert post["labels"] == ["dev", "esnext", "javascript", "jslang"]
    assert post["comment_count"] == 3
    assert post["published_raw"] == "2011-06-27"
    assert post["content_text"].startswith("Update 2011-04-18: Rewrote this blog post")
    assert data["blog"]["language"] == "en"

    got = [
        (c["platform_id"], c["author"], c["author_url"], c["published"], c["published_source"], c["parent_id"])
        for c in data["comments"]
    ]
    assert got == [
        ("8753485404480515740", "Allen Wirfs-Brock", None, "2012-04-18T19:13:21+00:00", "epoch", None),
        ("882028314562393419", "Axel Rauschmayer", "http://rauschma.de/", "2012-04-18T19:42:58+00:00", "epoch", None),
        ("6090565456487722744", "Aaronfrost", None, "2012-04-20T19:22:56+00:00", "epoch", None),
    ]
    first = data["comments"][0]
    assert first["published_raw"] == "April 18, 2012 at 9:13 PM"
    assert first["content_text"].startswith("A few clarify notes:")
    assert first["content_text"].endswith("Ecma-262 Project Editor")
    assert first["url"].endswith("?showComment=1334776401466#c8753485404480515740")
    assert "said" not in " ".join(c["author"] for c in data["comments"])
    assert all(c["post_id"] == post["id"] and not c["deleted"] for c in data["comments"])


DERPAPIERPLANET = [
    # (comment id, author, UTC from showComment, parent id, blog author)
    ("7818214978921193094", "Sana", "2015-06-06T08:23:05+00:00", None, False),
    ("8427118110834982712", "Sana", "2015-06-06T08:33:15+00:00", "7818214978921193094", False),
    ("4417937765376905061", "Sanne", "2015-06-07T14:36:25+00:00", "7818214978921193094", True),
    ("1004425619421631447", "Sana", "2015-06-07T20:29:50+00:00", "7818214978921193094", False),
    ("2546840384558148068", "Sanne", "2015-06-07T21:02:08+00:00", "7818214978921193094", True),
    ("5708954450523708334", "Sana", "2015-06-08T19:11:33+00:00", "7818214978921193094", False),
    ("5207104068571743317", "Sanne", "2015-06-08T19:13:41+00:00", "7818214978921193094", True),
    ("3618097296159972148", "Dana", "2015-06-06T11:05:22+00:00", None, False),
    ("1300096914962721304", "Sanne", "2015-06-07T14:37:27+00:00", "3618097296159972148", True),
    ("2641271142323054727", "jjjwww", "2015-06-08T20:09:38+00:00", None, False),
    ("6105272794121949589", "Sanne", "2015-06-08T21:14:14+00:00", "2641271142323054727", True),
    ("3868842931825302067", "Novembertochter", "2015-06-09T09:59:54+00:00", None, False),
    ("5128493422227826860", "Sanne", "2015-06-09T17:00:49+00:00", "3868842931825302067", True),
]


def test_derpapierplanet_threaded_widget(real_pages):
    url = "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html"
    data = extract(real_pages / "blogger" / "derpapierplanet.de.juni.html", url)
    blog_key = "blogger:6207680558116415115"
    post = data["post"]
    assert post["id"] == f"{blog_key}:3644483384123728422"
    assert post["title"] == "Through the Booking Glass: Juni & Genre-Vorstellung"
    assert post["published_raw"] == "Freitag, 5. Juni 2015"
    assert post["published"].startswith("2015-06-0")
    assert data["blog"]["language"] == "de"

    got = [
        (
            c["platform_id"],
            c["author"],
            c["published"],
            c["parent_id"].rsplit(":c", 1)[1] if c["parent_id"] else None,
            c["is_blog_author"],
        )
        for c in data["comments"]
    ]
    assert got == DERPAPIERPLANET
    by_id = {c["platform_id"]: c for c in data["comments"]}
    assert by_id["7818214978921193094"]["published_raw"] == "6. Juni 2015 um 10:23"
    assert by_id["7818214978921193094"]["author_url"] == "https://www.blogger.com/profile/04266735693772721297"
    assert by_id["3868842931825302067"]["content_text"].startswith("Ich mach mit, ich mach mit :D")
    assert by_id["5128493422227826860"]["content_text"].startswith("♥♥♥")
    # the reply's text is its own, not its parent's
    assert "Übrigens" not in by_id["7818214978921193094"]["content_text"]
    assert all(c["published_source"] == "epoch" for c in data["comments"])


def test_weinlachgummis_watermark_unknown_commenter(real_pages):
    url = "https://weinlachgummis.blogspot.com/2017/09/rezi-love-is-war-sehnsucht-von-r-k.html"
    data = extract(real_pages / "blogger" / "weinlachgummis.blogspot.com.rezi.html", url)
    post = data["post"]
    assert post["id"] == "blogger:3777486878889148862:9057142798779452920"
    assert post["title"] == "[Rezi] Love is War - Sehnsucht von R. K. Lilley"
    assert post["author"] == "Weinlachgummi"
    assert post["author_url"] == "https://www.blogger.com/profile/17019231128894133434"
    assert post["published"] == "2017-09-09T08:52:00+00:00"  # abbr.published 2017-09-09T10:52:00+02:00
    assert post["published_source"] == "iso"
    assert post["labels"] == ["2017", "4Weingummis", "Buchrezensionen", "Erotik", "fesselnd", "Heyne", "Missbrauch", "Reihe"]
    assert post["comment_count"] == 1  # "1 Kommentar:"
    assert data["blog"]["language"] == "de"
    assert data["blog"]["timezone"] == "+02:00"
    [comment] = data["comments"]
    assert comment["platform_id"] == "6452616768283379311"
    assert comment["author"] == "Unknown"  # a deleted profile, kept as shown
    assert comment["published"] == "2017-09-10T16:12:36+00:00"
    assert comment["published_raw"] == "10. September 2017 um 18:12"
    assert comment["parent_id"] is None and not comment["deleted"]
    assert comment["content_text"].startswith("Hey Tanja,\nschön, dass dir das Buch gefallen hat.")
    # links to the blog itself (also under blogspot.de) are not outbound
    assert {link["domain"] for link in data["links"]} == {"randomhouse.de"}


def test_bumsbutzener_minima_no_comments(real_pages):
    url = "http://bumsbutzener-gumpfen.blogspot.com/2020/04/tach-auch.html"
    data = extract(real_pages / "blogger" / "bumsbutzener-gumpfen.blogspot.com.tach-auch.html", url)
    post = data["post"]
    assert post["id"] == "blogger:16074191753951393:4975188933883288645"
    assert post["title"] == "Tach auch!"
    assert post["author"] == "der Michel"
    assert post["published"] == "2020-04-28T19:11:00+00:00"
    assert post["published_raw"] == "Dienstag, 28. April 2020 21:11"
    assert post["comment_count"] == 0  # "Keine Kommentare:"
    assert post["content_text"].startswith("Mein letzter Post ist sage und tippe schon fast ein halbes Jahr her")
    assert data["comments"] == []
    assert [(link["domain"], link["anchor_text"]) for link in data["links"]] == [
        ("statista.com", "Großteil der deutschen Bevölkerung")
    ]


def test_emacspeak_simple_template_comments_closed(real_pages):
    url = "https://emacspeak.blogspot.com/2019/10/meta-programming-in-emacs-using.html"
    data = extract(real_pages / "blogger" / "emacspeak.blogspot.com.meta.html", url)
    post = data["post"]
    assert post["id"] == "blogger:20280042:4544335809639638846"
    assert post["title"] == "Meta-Programming In Emacs Using Defadvice"
    assert post["author"] == "T. V. Raman"
    assert post["published"] == "2019-10-16T21:33:00+00:00"
    assert post["labels"] is None
    assert post["comment_count"] is None  # the comment section is empty: no count shown
    assert data["comments"] == []
    assert data["blog"] == {**data["blog"], "language": "en", "timezone": "-07:00", "title": "EMACSPEAK The Complete Audio Desktop"}
    assert [link["domain"] for link in data["links"]] == [
        "saurabhkukade.github.io", "sourceforge.net", "sourceforge.net", "sourceforge.net"]


def test_siliconexposed_simple_template_no_comments(real_pages):
    url = "http://siliconexposed.blogspot.com/2016/05/open-verilog-flow-for-silego-greenpak4.html"
    data = extract(real_pages / "blogger" / "siliconexposed.blogspot.com.greenpak4.html", url)
    post = data["post"]
    assert post["id"] == "blogger:175004091875960054:932306423056216142"
    assert post["title"] == "Open Verilog flow for Silego GreenPak4 programmable logic devices"
    assert post["author"] == "Andrew Zonenberg"
    assert post["published"] == "2016-05-08T07:55:00+00:00"
    assert post["labels"] == ["FPGA", "Tools"]
    assert post["comment_count"] == 0  # "No comments:"
    assert data["comments"] == []
    assert len(data["links"]) == 13
    assert data["links"][0]["domain"] == "ioactive.com"


def test_juliasleseblog_dynamic_views_is_a_status_not_an_empty_post(real_pages):
    url = "http://juliasleseblog.blogspot.com/2018/08/irland-roadtrip.html"
    data = extract(real_pages / "blogger" / "juliasleseblog.blogspot.com.irland.html", url)
    assert data["blog"]["status"] == "dynamic_views"
    assert "feeds" in data["blog"]["status_reason"]
    assert data["blog"]["id"] == "blogger:4441630963059095420"
    assert "post" not in data and data["posts"] == [] and data["comments"] == []


def feed(real_pages, name):
    return extract(real_pages / "blogger" / name, "https://www.blogger.com/feeds/1/posts/default")


def test_coryfoy_summary_feed(real_pages):
    data = feed(real_pages, "feed.atom.cornetdesign.com.CoryFoy.xml")
    assert data["blog"]["id"] == "blogger:9251785"
    assert data["blog"]["feed_mode"] == "summary"
    posts = data["posts"]
    assert len(posts) == 25
    assert all(p["content_html"] is None for p in posts)  # a summary is not the post
    assert sum(p["comment_count"] for p in posts) == 14 and max(p["comment_count"] for p in posts) == 3
    first = posts[0]
    assert (first["platform_id"], first["title"], first["url"], first["published"], first["published_source"]) == (
        "850239676850261764", "Pictures from the TDD Firestarter Event",
        "http://www.cornetdesign.com/2009/01/pictures-from-tdd-firestarter-event.html",
        "2009-01-20T05:32:00+00:00", "iso",
    )
    assert first["updated"] == "2009-01-20T05:34:08+00:00"


def test_onruby_summary_feed_labels(real_pages):
    posts = feed(real_pages, "feed.atom.OnRuby.xml")["posts"]
    assert len(posts) == 25
    assert sum(p["comment_count"] for p in posts) == 36 and max(p["comment_count"] for p in posts) == 7
    assert posts[0]["labels"] == ["Pragmatic Thinking and Learning", "Books"]
    assert posts[0]["url"] == "http://on-ruby.blogspot.com/2009/01/pragmatic-thinking-learning.html"


def test_technoblog_feedburner_feed_uses_original_links(real_pages):
    data = feed(real_pages, "feed.atom.Technoblog.feedburner.xml")
    posts = data["posts"]
    assert len(posts) == 25 and all(p["content_html"] for p in posts)
    assert sum(p["comment_count"] for p in posts) == 195 and max(p["comment_count"] for p in posts) == 36
    assert posts[0]["url"] == "http://tech.rufy.com/2008/11/compiling-swfupload-on-mac-os-x.html"
    assert posts[0]["published"] == "2008-11-10T23:25:00+00:00"
    assert data["blog"]["feed_mode"] == "full"


def test_blogger_export_posts_and_comments(real_pages):
    data = feed(real_pages, "export.atom.jjsfavoritethings.blogger-sample2.xml")
    blog = "blogger:3113891067179933828"
    # 47 settings entries and the template entry are not posts
    assert [p["title"] for p in data["posts"]] == [
        "A (somewhat) brief history", "About Me", "Rolling in Hawaii", "This about sums up my life."
    ]
    got = [(c["platform_id"], c["post_id"], c["author"], c["is_blog_author"], c["published"], c["content_text"])
           for c in data["comments"]]
    assert got == [
        ("1066271041639903470", f"{blog}:7031156583478223661", "JJ", True, "2008-11-12T00:10:00+00:00",
         "I'll get that fixed soon."),
        ("8841580313327712653", f"{blog}:720686382913388888", "journalseditor @ aol", False,
         "2008-11-12T00:09:00+00:00", "Nice picture!!!\nI mean NICE picture."),
        ("7939092188512366396", f"{blog}:7031156583478223661", "journalseditor @ aol", False,
         "2008-11-12T00:08:00+00:00", "Your video isn't showing up"),
    ]


PAGES_WITH_COMMENTS = [
    ("2ality.com.2011-06-ecmascript.html", "http://www.2ality.com/2011/06/ecmascript.html"),
    ("derpapierplanet.de.juni.html", "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html"),
    ("weinlachgummis.blogspot.com.rezi.html",
     "https://weinlachgummis.blogspot.com/2017/09/rezi-love-is-war-sehnsucht-von-r-k.html"),
]


@pytest.mark.parametrize("name, url", PAGES_WITH_COMMENTS)
def test_display_dates_agree_with_the_showcomment_epoch(real_pages, name, url):
    """Each comment's shown date, read with the page's language and display offset,
    is the showComment instant to the minute: the display path is right where the
    machine value lets us check it."""
    data = extract(real_pages / "blogger" / name, url)
    context = DateContext.from_hints(data["blog"]["language"], data["blog"]["timezone"])
    assert data["comments"]
    for comment in data["comments"]:
        from_display = normalize_date(None, comment["published_raw"], context)
        assert from_display.source == "display"
        assert from_display.value[:16] == comment["published"][:16], comment["published_raw"]


def test_display_offset_learned_from_comments(real_pages):
    data = extract(real_pages / "blogger" / "2ality.com.2011-06-ecmascript.html",
                   "http://www.2ality.com/2011/06/ecmascript.html")
    # "April 18, 2012 at 9:13 PM" shown for 19:13:21 UTC: the blog writes UTC+2
    assert data["blog"]["timezone"] == "+02:00"


# -- pages read from Blogger's own signals, not one theme's classes ------------------------------


@pytest.mark.parametrize("page, url, post_id, title", [
    ("hassanchef.com.bhindi.html", "https://www.hassanchef.com/2020/09/bhindi-masala-okra-stir-fry.html",
     "7274426057037123720", "Bhindi masala (okra stir fry)"),
    ("linknaija.com.2018-10-kate-henshaw.html", "https://www.linknaija.com/2018/10/nollywood-actress-kate-henshaw-is.html",
     "380660790389322030", "Nollywood Actress, Kate Henshaw Is Looking Stunning In New Photos"),
    ("security.googleblog.com.protection.html",
     "https://security.googleblog.com/2020/05/enhanced-safe-browsing-protection-now.html",
     "8124570213217375432", "Enhanced Safe Browsing Protection now available in Chrome"),
])
def test_third_party_theme_post_pages(real_pages, page, url, post_id, title):
    data = extract(real_pages / "blogger" / page, url)
    assert data["post"]["platform_id"] == post_id
    assert data["post"]["title"] == title
    assert data["blog"]["comments_hosted_by"] is None  # commentsSystem = "blogger": Blogger's own comments


def test_beauty_theme_post_page_is_not_a_dynamic_views_shell(real_pages):
    data = extract(real_pages / "blogger" / "plentylife.blogspot.pamela-reif.html",
                   "https://plentylife.blogspot.com/2017/05/strong-beautiful-pamela-reif-rezension.html")
    assert data["blog"]["status"] == "ok"
    assert [(c["author"], c["published"], c["parent_id"]) for c in data["comments"]] == [
        ("Andjela Gligorijevic", "2017-05-10T14:14:09+00:00", None)]


# -- comment markup as Blogger's templates write it (classic 2004-2009, threaded and themes) -----

from newscrawl.platforms.blogger import parse_html  # noqa: E402
from newscrawl.platforms.markup import walk_comments  # noqa: E402

_URL = "http://old.blogspot.com/2006/05/a-post.html"
_PAGE = ("<html><head><meta content='blogger' name='generator'/></head><body><div class='post'>"
         "<a name='114700000000000001'></a><h3 class='post-title'>A post</h3><div class='post-body'><p>Text</p></div>"
         "</div><div id='comments'><h4>2 Comments:</h4>{}</div></body></html>")


def _comments(markup):
    page = parse_html(_PAGE.format(markup), _URL)
    return [(c["platform_id"], c.get("author"), c.get("published_machine"), c.get("published_raw"),
             c.get("parent_id"), c.get("content_text")) for c in walk_comments(page.posts[0]["comments"])]


def test_classic_at_date_name_said():
    got = _comments(
        "<dl id='comments-block'><dt class='comment-data' id='c1001'><a name='c1001'></a>At "
        "<a href='#c1001' title='comment permalink'>5/12/2006 10:41 AM</a>, "
        "<span class='comment-poster'><a href='http://www.blogger.com/profile/1'>Anna</a></span> said...</dt>"
        "<dd class='comment-body'><p>First!</p></dd>"
        "<dt class='comment-data' id='c1002'><a name='c1002'></a>At "
        "<a href='#c1002' title='comment permalink'>5/12/2006 11:00 AM</a>, Anonymous said...</dt>"
        "<dd class='comment-body'><p>Second</p></dd></dl>")
    assert got == [("1001", "Anna", None, "5/12/2006 10:41 AM", None, "First!"),
                   ("1002", "Anonymous", None, "5/12/2006 11:00 AM", None, "Second")]


def test_classic_by_name_at_time_and_show_comment_epoch():
    got = _comments(
        "<a name='c2001'></a><p class='comment-body'>Nice post</p>"
        "<p class='comment-data'>By <a href='http://www.blogger.com/profile/5'>Dave</a>, at "
        "<a href='" + _URL + "?showComment=1147430460000#c2001'>10:41 AM</a></p>"
        "<a name='c2002'></a><p class='comment-body'>Another</p><p class='comment-data'>By Eve, at "
        "<a href='#c2002'>11:41 AM</a></p>")
    assert got == [("2001", "Dave", 1147430460000, "10:41 AM", None, "Nice post"),
                   ("2002", "Eve", None, "11:41 AM", None, "Another")]


def test_replies_outside_the_comment_and_theme_boxes():
    got = _comments(
        "<div class='comment-thread'><ol><li class='comment' id='c5001'><div class='comment-header'>"
        "<cite class='user'>Hank</cite><span class='datetime'><a href='?showComment=1500000000000#c5001'>4:40 AM</a>"
        "</span></div><p class='comment-content'>Top</p></li></ol></div>"
        # the reply list sits beside the thread, named for its parent (cID-rt)
        "<div class='comment-replies'><div id='c5001-rt' class='comment-thread inline-thread'><ol>"
        "<li class='comment' id='c5002'><cite class='user'>Owner</cite><p class='comment-content'>Reply</p></li>"
        "</ol></div></div>"
        "<div class='my-comments'><div class='cmt' id='c6001'><span class='comment-author'>Ivy</span>"
        "<time datetime='2017-07-14T05:00:00-07:00'>July 14</time><div class='comment-content'>Theme</div>"
        "<div class='thread-expanded'><div id='c6002' class='cmt'><span class='comment-author'>29.07.2020 // 12:56"
        "</span><div class='comment-content'>A date is no author</div></div></div></div></div>")
    assert got == [
        ("5001", "Hank", 1500000000000, "4:40 AM", None, "Top"),
        ("5002", "Owner", None, None, "blogger:old.blogspot.com:c5001", "Reply"),
        ("6001", "Ivy", "2017-07-14T05:00:00-07:00", "July 14", None, "Theme"),
        ("6002", None, None, None, "blogger:old.blogspot.com:c6001", "A date is no author"),
    ]
