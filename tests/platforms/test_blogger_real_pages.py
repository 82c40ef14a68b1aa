"""``newscrawl extract`` on real saved Blogger pages: every comment, author, UTC date, parent.

Expected values are read off the saved pages by hand: names from the markup, UTC times
from each comment's ``?showComment=EPOCH_MS`` link, threads from ``comment-replies``.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from newscrawl.cli import cli


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
