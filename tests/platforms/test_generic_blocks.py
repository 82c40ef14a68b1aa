"""The generic extractor of repeated comment blocks (``comment_markup.generic.blocks``): comments of
an engine nobody named, found by their structure alone and taken only when the set is consistent.

The snippets are written for these tests (no site's markup copied); the class names are made up on
purpose, so that a rule naming one site's classes could not pass them."""

from __future__ import annotations

import logging

from newscrawl.platforms import comment_markup
from newscrawl.platforms.markup import walk_comments

POST = "feed:example:/post"
BLOG = "feed:example"
URL = "https://example.org/post"


def page_of(body: str, lang: str = "en"):
    html = (f"<html lang='{lang}'><head><title>t</title></head><body><article><p>Post</p></article>"
            f"{body}</body></html>")
    return comment_markup.parse_comments(html, URL, POST, BLOG)


def flat(page):
    return list(walk_comments(page.comments))


def parent_native(comment) -> str | None:
    return comment["parent_id"].rsplit(":c", 1)[1] if comment.get("parent_id") else None


def remark(number: int, name: str, when: str, text: str, inner: str = "", tag: str = "li") -> str:
    return (f"<{tag} class='Remark Box' data-remark-id='{number}'>"
            f"<div class='meta'><a class='Who user' href='/people/{name}'>{name}</a>"
            f"<p class='stamp'>Posted on <time datetime='{when}'>{when[:10]}</time></p></div>"
            f"<p class='words'>{text}</p>{inner}</{tag}>")


# -- a consistent set ------------------------------------------------------------------------------

CONSISTENT = ("<section id='ReaderComments'><ol class='Remarks'>"
              + remark(101, "ann", "2011-04-13T13:51:03-07:00", "First remark.")
              + remark(102, "bob", "2011-04-14T08:00:00-07:00", "Second remark.")
              + remark(103, "cy", "2011-04-15T09:30:00-07:00", "Third remark.")
              + "</ol></section>")


def test_a_consistent_set_is_taken_by_its_structure():
    """A container whose id says comments in any case; blocks of one tag and class, each with a
    profile link, a machine date and a text; the id from the attribute that differs per block."""
    page = comment_markup.parse_comments(
        f"<html><body><article><p>Post</p></article>{CONSISTENT}</body></html>", URL, POST, BLOG)
    assert page.system == comment_markup.SYSTEM_BLOCKS
    assert [(c["platform_id"], c["author"], c["published_machine"], c["content_text"], parent_native(c))
            for c in flat(page)] == [
        ("101", "ann", "2011-04-13T13:51:03-07:00", "First remark.", None),
        ("102", "bob", "2011-04-14T08:00:00-07:00", "Second remark.", None),
        ("103", "cy", "2011-04-15T09:30:00-07:00", "Third remark.", None),
    ]
    assert flat(page)[0]["author_url"] == "https://example.org/people/ann"


def test_dates_in_text_and_names_before_them():
    """No machine date: the date is the text of the meta line's element, with words around it in
    the line ("Reply #1"); the name is a profile link; the id a named anchor."""
    item = ("<li class='row'><div><a name='{n}'></a></div><div class='who'><a href='/profile?id={n}'>{name}</a>"
            "</div><div class='line'>Reply #{n} <div>Oct. {n}, 2010 - 7:28 AM EST</div></div>"
            "<div class='said'><p>{text}</p></div></li>")
    body = ("<div id='comments'><ol>" + "".join(item.format(n=n, name=name, text=text) for n, name, text in
                                                 [(1, "Dee", "One."), (2, "Eve", "Two."), (3, "Fay", "Three.")])
            + "</ol></div>")
    page = page_of(body)
    assert [(c["platform_id"], c["author"], c["published_raw"], c["content_text"]) for c in flat(page)] == [
        ("1", "Dee", "Oct. 1, 2010 - 7:28 AM EST", "One."),
        ("2", "Eve", "Oct. 2, 2010 - 7:28 AM EST", "Two."),
        ("3", "Fay", "Oct. 3, 2010 - 7:28 AM EST", "Three."),
    ]


def test_name_and_date_in_one_header_line():
    """``<dt>by NAME DATE</dt><dd>TEXT</dd>``: the name from the link, the date from the line's loose text."""
    item = ("<dl msgid='{n}'><dt class='byline'><span>by <a href='/users/{name}'>{name}</a></span>"
            " August {n}, 2010 3:40 PM PDT</dt><dd id='text_{n}'>{text}</dd></dl>")
    body = ("<div class='talk-comments'>" + "".join(item.format(n=n, name=name, text=text) for n, name, text in
                                                    [(18, "gus", "Hm."), (19, "hal", "Yes.")]) + "</div>")
    page = page_of(body)
    assert [(c["platform_id"], c["author"], c["published_raw"], c["content_text"]) for c in flat(page)] == [
        ("18", "gus", "August 18, 2010 3:40 PM PDT", "Hm."),
        ("19", "hal", "August 19, 2010 3:40 PM PDT", "Yes."),
    ]


def test_a_lone_block_needs_its_engine_id():
    lone = ("<div class='user-comments'><div class='entry' id='r77'><p class='info'><span>Ida</span> wrote:<br>"
            "<time datetime='2014-11-05T14:25:40+00:00'>05.11.2014</time></p>"
            "<div class='words'><p>Nice.</p></div></div></div>")
    page = page_of(lone)
    assert [(c["platform_id"], c["author"], c["content_text"]) for c in flat(page)] == [("r77", "Ida", "Nice.")]
    assert page_of(lone.replace(" id='r77'", "")).found == 0


# -- inconsistent sets and what is no comment -------------------------------------------------------

def test_an_inconsistent_set_is_refused_with_a_warning(caplog):
    """Only one block of three shows a date: no comments at all, and a warning says why."""
    broken = CONSISTENT.replace("<time datetime='2011-04-14T08:00:00-07:00'>2011-04-14</time>", "") \
        .replace("<time datetime='2011-04-15T09:30:00-07:00'>2011-04-15</time>", "")
    with caplog.at_level(logging.WARNING):
        page = page_of(broken)
    assert page.found == 0
    assert "no comments taken" in caplog.text


def test_a_product_list_is_no_comments():
    """Names and texts but no dates: products, even in an area whose class says comments."""
    product = ("<li class='product'><span class='product-name'>{name}</span><span class='price'>$12.{n}0</span>"
               "<p class='description'>A fine {name} for every room of the house.</p></li>")
    body = ("<div class='comments-and-shop'><ul class='products'>"
            + "".join(product.format(name=name, n=n) for n, name in enumerate(["Lamp", "Desk", "Chair", "Rug"]))
            + "</ul></div>")
    assert page_of(body).found == 0


def test_a_related_posts_list_is_no_comments():
    """Titles, dates and excerpts ("most commented" posts): no name, so no comments."""
    post = ("<li class='teaser'><a href='/2011/04/{n}/post-{n}'>A headline about things number {n}</a>"
            "<p class='date'>April {n}, 2011 4:00 AM PDT</p><p class='excerpt'>What the post says, at length.</p>"
            "<p class='count'>(1{n}76 comments)</p></li>")
    body = "<div class='most-commented'><ul>" + "".join(post.format(n=n) for n in range(1, 6)) + "</ul></div>"
    assert page_of(body).found == 0


def test_blocks_outside_a_comments_area_are_not_read():
    item = remark(1, "ann", "2011-04-13T13:51:03-07:00", "Text.", tag="div")
    assert page_of(f"<div class='teasers'>{item}{item.replace('1', '2')}</div>").found == 0


def test_forms_and_hidden_blocks_are_not_comments():
    form = ("<dl class='Remark Box' style='display:none'><dt>Add yours</dt><dd><form><textarea name='body'>"
            "</textarea><input name='name'></form></dd></dl>")
    page = page_of(CONSISTENT.replace("</ol>", f"</ol>{form}"))
    assert page.found == 3


# -- replies -------------------------------------------------------------------------------------

def test_replies_nested_in_their_block():
    reply = remark(202, "dan", "2011-04-16T10:00:00-07:00", "A reply.")
    body = ("<div id='comments'><ol>"
            + remark(201, "ann", "2011-04-13T13:51:03-07:00", "Top.", inner=f"<ol class='kids'>{reply}</ol>")
            + remark(203, "eve", "2011-04-17T10:00:00-07:00", "Next.") + "</ol></div>")
    page = page_of(body)
    assert [(c["platform_id"], c["author"], parent_native(c)) for c in flat(page)] == [
        ("201", "ann", None), ("202", "dan", "201"), ("203", "eve", None)]
    assert [c["platform_id"] for c in page.comments] == ["201", "203"]


def test_replies_in_a_children_container_right_after_their_block():
    block = ("<div id='note_{n}' class='note'><div class='top'><div class='author_line'>"
             "<a href='/social/{name}'>{name}</a> <span class='note_time'>03:2{n} AM on 9/19/2010</span></div>"
             "</div><div class='note_body'>{text}</div></div>")
    body = ("<div class='comments'>"
            + block.format(n=1, name="amy", text="Top one.")
            + "<div id='note_children_1' class='note_children'>" + block.format(n=2, name="ben", text="Reply.")
            + "</div>" + block.format(n=3, name="cal", text="Top two.")
            + "<div id='note_children_3' class='note_children'></div></div>")
    page = page_of(body)
    assert [(c["platform_id"], c["author"], parent_native(c)) for c in flat(page)] == [
        ("note_1", "amy", None), ("note_2", "ben", "note_1"), ("note_3", "cal", None)]


def test_in_reply_to_links_in_a_flat_list():
    item = ("<li id='remark-{n}' class='remark'><dl><dt>{n}. <a>{name}</a>{reply}"
            "<span class='datestamp'>0{n}:02 PM 10/28/10</span></dt>"
            "<dd class='remarkBody'><p>{text}</p></dd></dl></li>")
    body = ("<div id='comments'><ol id='remarkList'>"
            + item.format(n=1, name="stu", reply="", text="First.")
            + item.format(n=2, name="sal", reply="<span class='in-reply-to'>in reply to <a href='#remark-1'>stu</a>"
                          "</span>", text="Second.")
            + "</ol></div>")
    page = page_of(body)
    assert [(c["author"], c["published_raw"], parent_native(c)) for c in flat(page)] == [
        ("stu", "01:02 PM 10/28/10", None), ("sal", "02:02 PM 10/28/10", "remark-1")]
    assert len(page.comments) == 2  # shown flat: the reply keeps its place


def test_no_parent_is_invented():
    """Blocks one after the other, no nesting, no children container, no reply link: all top level."""
    assert all(parent_native(c) is None for c in flat(page_of(CONSISTENT)))
