"""Each engine family of ``comment_markup`` against its own documented markup (small snippets
written after the engines' templates: Drupal core's comment.html.twig and 7's comment.tpl.php,
SPIP's inclure/forum.html, Movable Type's "Comment Detail" and TypePad's comment footer,
schema.org's Comment) and against real saved pages (``real-pages/other``; the pages collected under
``tests/data/real-pages`` are scored through ``extract`` by ``tests/real_pages/test_collected_pages.py``).

Expected values were read off the markup, not from the parser."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from newscrawl.dates import DateContext
from newscrawl.platforms import comment_markup
from newscrawl.platforms.markup import walk_comments
from newscrawl.prepare import normalize_item_dates

POST = "feed:example:/post"
BLOG = "feed:example"
URL = "https://example.org/post"


def page_of(body: str, lang: str = "en"):
    html = f"<html lang='{lang}'><head><title>t</title></head><body><article><p>Post</p></article>{body}</body></html>"
    return comment_markup.parse_comments(html, URL, POST, BLOG)


def flat(page):
    return list(walk_comments(page.comments))


def native(comment) -> str | None:
    return comment["parent_id"].rsplit(":c", 1)[1] if comment.get("parent_id") else None


def rows(page):
    return [(c["platform_id"], c.get("author"), c.get("published_machine"), c.get("published_raw"), native(c))
            for c in flat(page)]


# -- Drupal ---------------------------------------------------------------------------------------

DRUPAL_10 = """
<section id="comments" class="comments"><h2>Comments</h2>
<article data-comment-user-id="0" id="comment-11" class="comment js-comment by-anonymous">
  <mark class="hidden" data-comment-timestamp="1710253320"></mark>
  <footer class="comment__meta">
    <p class="comment__author"><span lang="" typeof="schema:Person" property="schema:name">Anna Berg</span></p>
    <p class="comment__time">Tue, 03/12/2024 - 14:22</p>
    <a href="/comment/11#comment-11" class="permalink" rel="bookmark">Permalink</a>
  </footer>
  <div class="comment__content">
    <h3><a href="/comment/11#comment-11" rel="bookmark">A title, not a name</a></h3>
    <div class="field--name-comment-body"><p>First!</p></div>
    <ul class="links inline"><li class="comment-reply"><a href="/comment/reply/node/5/comment/11">Reply</a></li></ul>
  </div>
</article>
<div class="indented">
<article data-comment-user-id="3" id="comment-12" class="comment js-comment by-node-author">
  <footer class="comment__meta">
    <p class="comment__author"><a href="/user/3" class="username">editor</a></p>
    <p class="comment__time"><time datetime="2024-03-12T15:00:00+01:00">Tue, 03/12/2024 - 15:00</time></p>
    <p class="parent visually-hidden">In reply to <a href="/comment/11#comment-11">A title</a> by
      <span typeof="schema:Person" property="schema:name">Anna Berg</span></p>
  </footer>
  <div class="comment__content"><div property="schema:text" class="field--name-comment-body"><p>Thanks</p></div></div>
</article>
</div>
</section>"""


def test_drupal_8_plus_author_title_reply_and_dates():
    page = page_of(DRUPAL_10)
    assert page.system == comment_markup.SYSTEM_DRUPAL
    assert rows(page) == [
        ("11", "Anna Berg", None, "Tue, 03/12/2024 - 14:22", None),
        # the machine value as written, offset kept; the reply from div.indented
        ("12", "editor", "2024-03-12T15:00:00+01:00", "Tue, 03/12/2024 - 15:00", "11"),
    ]
    first, reply = flat(page)
    assert first["content_text"] == "First!" and reply["content_text"] == "Thanks"
    assert first["url"] == "https://example.org/comment/11#comment-11"
    assert first["is_blog_author"] is False and reply["is_blog_author"] is True
    assert reply["author_url"] == "https://example.org/user/3"


def test_drupal_in_reply_to_line_threads_without_indentation():
    """A theme that prints all comments flat still says "In reply to <a href=/comment/N>"."""
    page = page_of(DRUPAL_10.replace('<div class="indented">', "<div>"))
    assert [native(c) for c in flat(page)] == [None, "11"]


DRUPAL_7 = """
<div id="comments" class="comment-wrapper">
<a id="comment-501"></a>
<div class="comment clearfix" about="/comment/501#comment-501" typeof="sioc:Post sioct:Comment">
  <div class="submitted">Submitted by Karl Weber on <span class="date">12.03.2015</span> <span class="time">14:22</span></div>
  <div class="content"><div class="field-name-comment-body"><p>Gut.</p></div></div>
</div>
<div class="indented">
<a id="comment-502"></a>
<div class="comment clearfix" about="/comment/502#comment-502" typeof="sioc:Post sioct:Comment">
  <div class="submitted">Submitted by <span class="username">Eva</span> on <span class="date">13.03.2015</span>
    <span class="time">09:05</span></div>
  <div class="content"><div class="field-name-comment-body"><p>Ja.</p></div></div>
</div>
</div>
</div>"""


def test_drupal_7_submitted_by_and_time_in_its_own_element():
    page = page_of(DRUPAL_7, "de")
    # the name from "Submitted by NAME on DATE"; the time beside the date is kept, never midnight
    assert rows(page) == [
        ("501", "Karl Weber", None, "12.03.2015 14:22", None),
        ("502", "Eva", None, "13.03.2015 09:05", "501"),
    ]
    assert normalize_item_dates(flat(page)[0], DateContext.from_hints("de", None))["published"] \
        == "2015-03-12T14:22:00+00:00"


# -- SPIP -------------------------------------------------------------------------------------------

SPIP_DIST_2 = """
<div class="forum">
<ul class="forum">
 <li class="forum-fil">
  <div class="forum-message">
   <div class="forum-chapo">
    <strong class="forum-titre"><a href="#forum12" id="forum12">Le titre du message</a></strong>
    <small>12 mars 2015 14:22, par Jean Dupont</small>
   </div>
   <div class="forum-texte"><p>Bonjour.</p>
    <p class="repondre"><a href="spip.php?page=forum&amp;id_article=3&amp;id_forum=12">Répondre à ce message</a></p>
   </div>
  </div>
  <ul>
   <li class="forum-fil">
    <div class="forum-message">
     <div class="forum-chapo"><strong class="forum-titre"><a href="#forum14" id="forum14">Re</a></strong>
      <small>13 mars 2015 08:00, par Marie</small></div>
     <div class="forum-texte"><p>Salut.</p></div>
    </div>
   </li>
  </ul>
 </li>
</ul></div>"""

SPIP_3 = """
<div class="comments-posts"><ul class="comments-ul comments-items">
 <li class="comment-li comment-item odd first">
  <a href="#forum81" name="forum81" id="forum81"></a>
  <div class="comment hreview">
   <p class="comment-meta"><a rel="self bookmark" href="#forum81" class="permalink">#</a>
    <abbr class="dtreviewed" title="2019-07-17T20:09:45Z">Le 17 juillet à 22:09</abbr><span class="reviewer vcard"><span class="sep">, </span>par <span class="fn">Horus</span></span>
    <span class="item">En réponse à : <a class="url fn" href="/article">Le titre de l'article</a></span></p>
   <div class="comment-content description"><p>Texte.</p></div>
  </div>
  <ul class="comments-ul comments-items">
   <li class="comment-li comment-item">
    <a href="#forum82" name="forum82" id="forum82"></a>
    <div class="comment hreview"><p class="comment-meta">
     <time datetime="2019-07-18T08:00:00Z">Le 18 juillet à 10:00</time><span class="reviewer vcard">, par  Phile</span>
     <span class="item">En réponse à : <a class="url fn" href="/article">Le titre de l'article</a></span></p>
     <div class="comment-content description"><p>Réponse.</p></div></div>
   </li>
  </ul>
 </li>
</ul></div>"""


def test_spip_dist_forum_title_is_not_the_author():
    page = page_of(SPIP_DIST_2, "fr")
    assert page.system == comment_markup.SYSTEM_SPIP
    assert rows(page) == [
        ("12", "Jean Dupont", None, "12 mars 2015 14:22", None),
        ("14", "Marie", None, "13 mars 2015 08:00", "12"),
    ]
    assert flat(page)[0]["content_text"] == "Bonjour."  # the reply link is not the comment


def test_spip_3_hreview_reviewer_not_the_reviewed_item():
    page = page_of(SPIP_3, "fr")
    assert rows(page) == [
        ("81", "Horus", "2019-07-17T20:09:45Z", "Le 17 juillet à 22:09", None),
        ("82", "Phile", "2019-07-18T08:00:00Z", "Le 18 juillet à 10:00", "81"),
    ]
    assert flat(page)[0]["url"] == f"{URL}#forum81"


# -- Movable Type and TypePad -------------------------------------------------------------------------

MT_4 = """
<div id="comments" class="comments"><div class="comments-content">
<div class="comment" id="comment-301"><div class="inner">
  <div class="comment-header"><div class="asset-meta"><span class="byline">
    <span class="vcard author"><a href="http://anna.example/">Anna</a></span>
    | <a href="https://example.org/post#comment-301"><abbr class="published" title="2008-05-01T10:00:00-07:00">May 1, 2008 10:00 AM</abbr></a>
  </span></div></div>
  <div class="comment-content"><p>Nice.</p></div>
</div></div>
<div class="comment" id="comment-302"><div class="inner">
  <div class="comment-header"><div class="asset-meta"><span class="byline">
    <span class="vcard author">Bob</span> replied to <a href="https://example.org/post#comment-301">comment from Anna</a>
    | <a href="https://example.org/post#comment-302"><abbr class="published" title="2008-05-02T11:30:00-07:00">May 2, 2008 11:30 AM</abbr></a>
  </span></div></div>
  <div class="comment-content"><p>Agreed.</p></div>
</div></div>
</div></div>"""

MT_3 = """
<div id="comments"><h3>Comments</h3>
<a id="c1001"></a>
<div class="comments-body"><p>Old school.</p>
<span class="comments-post">Posted by: <a href="http://carl.example/">Carl</a> | <a href="#c1001">June 1, 2005 10:00 AM</a></span>
</div>
<a id="c1002"></a>
<div class="comments-body"><p>Indeed.</p>
<span class="comments-post">Posted by: Dora | <a href="#c1002">June 2, 2005 09:15 PM</a></span>
</div></div>"""

TYPEPAD = """
<div class="comments-content" id="comments-content">
<div class="comment font-entrybody" id="comment-6a00d8341c2ca253ef0133f5a1b2c3970b">
  <div class="comment-content"><p>Great post.</p></div>
  <p class="comment-footer">Posted by: <a href="http://eve.example" rel="nofollow">Eve</a> |
    <a href="https://example.typepad.com/blog/post.html?cid=6a00d8341c2ca253ef0133f5a1b2c3970b#comment-6a00d8341c2ca253ef0133f5a1b2c3970b">January 05, 2013 at 10:00 AM</a></p>
</div>
<div class="comment font-entrybody" id="comment-6a00d8341c2ca253ef0133f5a1b2c4970b">
  <div class="comment-content"><p>Thanks.</p></div>
  <p class="comment-footer">Posted by: Frank | <a href="#comment-6a00d8341c2ca253ef0133f5a1b2c4970b">January 06, 2013 at 08:30 PM</a></p>
</div>
</div>"""


def test_movable_type_4_byline_and_replied_to():
    page = page_of(MT_4)
    assert page.system == comment_markup.SYSTEM_MOVABLE_TYPE
    assert rows(page) == [
        ("301", "Anna", "2008-05-01T10:00:00-07:00", "May 1, 2008 10:00 AM", None),
        ("302", "Bob", "2008-05-02T11:30:00-07:00", "May 2, 2008 11:30 AM", "301"),
    ]
    assert flat(page)[0]["author_url"] == "http://anna.example/"
    assert flat(page)[1]["content_text"] == "Agreed."


def test_movable_type_3_posted_by_footer():
    page = page_of(MT_3)
    assert rows(page) == [
        ("1001", "Carl", None, "June 1, 2005 10:00 AM", None),
        ("1002", "Dora", None, "June 2, 2005 09:15 PM", None),
    ]
    assert flat(page)[0]["content_text"] == "Old school."  # the footer is not the comment
    assert flat(page)[0]["author_url"] == "http://carl.example/"


def test_typepad_comment_footer():
    page = page_of(TYPEPAD)
    assert [(c["author"], c["published_raw"], c["content_text"]) for c in flat(page)] == [
        ("Eve", "January 05, 2013 at 10:00 AM", "Great post."),
        ("Frank", "January 06, 2013 at 08:30 PM", "Thanks."),
    ]
    assert flat(page)[0]["platform_id"] == "6a00d8341c2ca253ef0133f5a1b2c3970b"


# -- schema.org -----------------------------------------------------------------------------------

MICRODATA = """
<div class="talk">
 <div itemscope itemtype="https://schema.org/Comment" id="comment-7">
  <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Greta</span></span>
  <meta itemprop="dateCreated" content="2021-02-03T04:05:06+01:00"><span>3 Feb</span>
  <div itemprop="text"><p>Hallo</p></div>
  <div itemscope itemtype="https://schema.org/Comment" id="comment-8">
   <span itemprop="author">Hans</span><time itemprop="dateCreated" datetime="2021-02-04T10:00:00Z">4 Feb</time>
   <div itemprop="text"><p>Hi</p></div>
  </div>
 </div>
</div>"""

JSON_LD = {
    "@context": "https://schema.org", "@type": "BlogPosting", "headline": "Post",
    "comment": [
        {"@type": "Comment", "url": "https://example.org/post#comment-21", "author": {"@type": "Person", "name": "Ida"},
         "dateCreated": "2022-01-01T12:00:00+02:00", "text": "Nice <post>",
         "comment": [{"@type": "Comment", "url": "https://example.org/post#comment-22", "author": "Jo",
                      "datePublished": "2022-01-02T08:00:00Z", "text": "Yes"}]},
    ],
}


def test_schema_org_microdata():
    page = page_of(MICRODATA)
    assert page.system == comment_markup.SYSTEM_SCHEMA_ORG
    assert [(c["platform_id"], c["author"], c["published_machine"], native(c), c["content_text"])
            for c in flat(page)] == [
        ("7", "Greta", "2021-02-03T04:05:06+01:00", None, "Hallo"),
        ("8", "Hans", "2021-02-04T10:00:00Z", "7", "Hi"),
    ]


def test_schema_org_json_ld():
    page = page_of(f"<script type='application/ld+json'>{json.dumps(JSON_LD)}</script>")
    assert page.system == comment_markup.SYSTEM_JSON_LD
    assert [(c["platform_id"], c["author"], c["published_machine"], native(c), c["content_text"])
            for c in flat(page)] == [
        ("21", "Ida", "2022-01-01T12:00:00+02:00", None, "Nice <post>"),
        ("22", "Jo", "2022-01-02T08:00:00Z", "21", "Yes"),
    ]


# -- blocks of an unnamed engine -----------------------------------------------------------------

BLOCKS = """
<div id="comments">
 <div class="entry-reply"><span class="poster-name">Kim</span> <span class="posted-date">2. Mai 2020 um 10:15</span>
  <div class="reply-text"><p>Schön.</p></div></div>
 <div class="entry-reply"><span class="poster-name">Lou</span> <span class="posted-date">3. Mai 2020 um 11:00</span>
  <div class="reply-text"><p>Danke.</p></div></div>
 <div class="entry-reply"><span class="poster-name">Max</span> <span class="posted-date">4. Mai 2020 um 12:30</span>
  <div class="reply-text"><p>Gut.</p></div></div>
</div>"""


def test_repeated_blocks_of_an_unknown_engine():
    page = page_of(BLOCKS, "de")
    assert page.system == comment_markup.SYSTEM_BLOCKS
    assert [(c["author"], c["published_raw"], c["content_text"]) for c in flat(page)] == [
        ("Kim", "2. Mai 2020 um 10:15", "Schön."), ("Lou", "3. Mai 2020 um 11:00", "Danke."),
        ("Max", "4. Mai 2020 um 12:30", "Gut."),
    ]


def test_inconsistent_blocks_give_nothing_and_a_warning(caplog):
    broken = BLOCKS.replace('<span class="posted-date">3. Mai 2020 um 11:00</span>', "") \
        .replace('<span class="posted-date">4. Mai 2020 um 12:30</span>', "")
    with caplog.at_level(logging.WARNING):
        page = page_of(broken, "de")
    assert page.found == 0
    assert "no comments taken" in caplog.text


def test_recent_comments_widget_is_not_comments():
    widget = ("<aside class='widget widget_recent_comments'><h3>Recent comments</h3><ul id='recentcomments' "
              "class='comments'><li class='comment'><span class='comment-author-link'>Nora</span> on "
              "<a href='/other#comment-5'>Other post</a></li></ul></aside>")
    page = page_of(widget)
    assert page.found == 0


def test_an_author_that_reads_as_a_date_is_left_out(caplog):
    """The date in the author's place is a markup bug: no author, a warning, the date kept."""
    html = BLOCKS.replace("poster-name", "author-x").replace(">Kim<", ">2. Mai 2020 um 10:15<")
    with caplog.at_level(logging.WARNING):
        page = page_of(html, "de")
    assert all(c.get("author") != "2. Mai 2020 um 10:15" for c in flat(page))
    assert "reads as a date" in caplog.text


def test_pingbacks_keep_their_type():
    html = ("<ol class='commentlist'><li class='comment' id='comment-1'><cite class='fn'>Ann</cite>"
            "<div class='comment-content'><p>Hi</p></div></li><li class='pingback' id='comment-2'>"
            "<cite class='fn'><a href='http://other.example/'>Other blog</a></cite></li></ol>")
    assert [c["comment_type"] for c in flat(page_of(html))] == ["comment", "pingback"]


# -- real pages -----------------------------------------------------------------------------------

KEYS = Path(__file__).resolve().parents[3] / "shared" / "real-pages" / "keys" / "wordpress-and-other.json"


@pytest.mark.parametrize("name", ["other/cicero.de.drupal8-comments.html", "other/la-bas.org.spip-comments.html"])
def test_real_pages_match_their_answer_keys(real_pages, name):
    key = json.loads((real_pages / "keys" / "wordpress-and-other.json").read_text("utf-8"))[name]
    page = comment_markup.parse_comments((real_pages / name).read_bytes(), key["url"], POST, BLOG)
    context = DateContext.from_hints("de" if "cicero" in name else "fr", None)
    got = [normalize_item_dates(c, context) for c in flat(page)]
    assert [(c["platform_id"], c["author"], c["published"].replace("+00:00", "Z"), native(c)) for c in got] == \
        [(k["id"], k["author"], k["published_utc"], k["parent"]) for k in key["comments"]]
    assert all(c["content_text"] for c in got)


def test_cicero_titles_and_reply_line_are_not_authors(real_pages):
    page = comment_markup.parse_comments((real_pages / "other" / "cicero.de.drupal8-comments.html").read_bytes(),
                                         URL, POST, BLOG)
    comments = flat(page)
    assert "Wo und wie gestorben wird" not in {c["author"] for c in comments}
    assert comments[-1]["author"] == "Heidemarie Heim"  # not "Gast", the parent's author in "In reply to"
    assert comments[0]["published_raw"] == "Di, 21. April 2020 - 16:40"
    assert comments[0]["content_text"].startswith("Vielen Dank für diese Einblicke!")


def test_byline_words_are_cut_and_names_that_start_like_them_are_kept():
    from newscrawl.platforms.comment_markup.fields import clean_name

    assert [clean_name(t) for t in ("Posted by: Ann |", "Submitted by Ann", "scritto da Mario", "par Jean")] == \
        ["Ann", "Ann", "Mario", "Jean"]
    assert [clean_name(t) for t in ("da Silva", "De Vries", "di Stefano")] == ["da Silva", "De Vries", "di Stefano"]


# -- a comment's text where the template renamed its body ------------------------------------------

def _mt_comments(bodies: list[str]) -> str:
    """MT 4 comments (reply script, header) whose text is in whatever markup ``bodies`` gives."""
    return "".join(
        f"<div class='comment' id='comment-{n}'><div class='comment-header'>"
        f"<a onclick=\"mtReplyCommentOnClick({n}, 'Ann {n}')\">Reply</a></div>{body}</div>"
        for n, body in enumerate(bodies, 101))


@pytest.mark.parametrize("body, text", [
    ("<div class='commentcontent'><p>Renamed body class.</p></div>", "Renamed body class."),
    ("<div class='wrap' id='19790'><p>Plain</p><p>paragraphs.</p></div>", "Plain\n\nparagraphs."),
    # a byline in paragraphs is not the text: nothing is better than the wrong thing
    ("<div class='comment-meta'><p>Posted by Ann</p></div>", None),
    ("<div class='box'><p class='posted'>Posted by Ann</p></div>", None),
])
def test_a_comment_text_is_found_by_a_class_that_says_text_or_as_its_plain_paragraphs(body, text):
    page = page_of(_mt_comments([body, body]))
    assert [c.get("content_text") for c in flat(page)] == [text, text]
