"""Quoted source material vs. the author's commentary, decided from a post body's structure.

Bodies come from three places: the seed post (war-news-updated-2022-02-27.txt) rebuilt as Blogger
writes it, the replica's generated bodies, and the real saved pages (through the platform parsers,
as a crawl reads them).  Expected texts were read off the pages, not from the function.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from newscrawl.commentary import (
    Commentary,
    is_commentary_marker,
    is_outlet_line,
    is_read_more,
    split_commentary,
)
from newscrawl.loaders import html_to_text
from newscrawl.platforms import blogger, wordpress
from newscrawl.replica import generate_blog

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "war-news-updated-2022-02-27.txt"
POST_URL = "https://www.warnewsupdates.com/2022/02/has-russia-just-severed-all.html"
# the seed text keeps the anchor text only; any politico.com address does
POLITICO_URL = "https://www.politico.com/news/2022/02/27/pentagon-moscow-back-channels-nuclear-escalation"


# -- the seed post ----------------------------------------------------------------------------------


def seed_paragraphs() -> list[str]:
    """The post body's paragraphs: after the title, up to the "N comments:" line."""
    if not SEED.is_file():
        pytest.skip(f"seed text not found at {SEED}")
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    paragraphs = [line for line in lines if line]
    body = paragraphs[2:]  # date, title
    return body[: next(i for i, p in enumerate(body) if re.fullmatch(r"\d+ comments?:", p))]


def seed_as_blogger(paragraphs: list[str], read_more: bool = True) -> str:
    """The body as Blogger's editor writes it: flat text and <br />, outlet line bold, a source link."""
    parts = []
    for p in paragraphs:
        if p.startswith("Politico:"):
            parts.append(f"<b>{p}</b>")
        elif p.startswith("Read more"):
            if not read_more:
                continue
            parts.append(f'<a href="{POLITICO_URL}">Read more</a> ....')
        elif p.startswith("WNU Editor:"):
            parts.append(f"<b>WNU Editor:</b> {p.removeprefix('WNU Editor:').strip()}")
        else:
            parts.append(p)
    image = (
        '<div class="separator" style="clear: both; text-align: center;"><a href="https://blogger.googleusercontent.com'
        '/img/b/x/s1600/milley.jpg"><img src="https://blogger.googleusercontent.com/img/b/x/s320/milley.jpg" /></a></div>'
    )
    return image + "<br />\n<br />\n".join(parts) + "<br />"


def test_seed_post_outlet_quote_read_more_then_editor():
    paragraphs = seed_paragraphs()
    outlet = next(p for p in paragraphs if p.startswith("Politico:"))
    start = paragraphs.index(outlet)
    read_more = next(i for i, p in enumerate(paragraphs) if p.startswith("Read more"))
    quoted_paragraphs = paragraphs[start + 1 : read_more]
    assert len(quoted_paragraphs) == 4

    result = split_commentary(seed_as_blogger(paragraphs), POST_URL)

    assert result.method == "read-more+outlet"
    assert result.quoted_text.split("\n") == [outlet, *quoted_paragraphs]
    caption, editor = result.commentary_text.split("\n\n")
    # the photo caption stands before the outlet line: not inside the quoted excerpt
    assert caption.startswith("Chairman of the Joint Chiefs of Staff") and caption.endswith("(Photo: Department of Defense)")
    assert editor.split("\n") == paragraphs[read_more + 1 :]
    assert editor.startswith("WNU Editor: I speculated in the previous post")
    assert "Politico" not in result.commentary_text and "Milley emerged" not in result.commentary_text
    assert "Read more" not in result.quoted_text + result.commentary_text  # the source line is neither


def test_seed_post_without_read_more_link_the_editor_label_ends_the_quote():
    paragraphs = seed_paragraphs()
    # Blogger's newer editor: one <div> per line, <div><br></div> between paragraphs
    body = "".join(
        f"<div>{'<b>' + p + '</b>' if p.startswith('Politico:') else p}</div><div><br /></div>"
        for p in paragraphs
        if not p.startswith("Read more")
    )
    result = split_commentary(body, POST_URL)
    assert result.method == "outlet+marker"
    assert result.quoted_text.startswith("Politico: Pentagon wants Moscow back channels")
    assert "Russia’s not picking up the phone." in result.quoted_text
    assert "WNU Editor" not in result.quoted_text
    assert "WNU Editor: I speculated" in result.commentary_text
    assert "Putin ordered his nuclear forces" not in result.commentary_text


# -- replica bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de"])
def test_replica_bodies_blockquotes_and_editor_label(language):
    blog = generate_blog(posts=12, seed=7, language=language)
    label = "REDAKTION:" if language == "de" else "EDITOR:"
    for post in blog.posts:
        url = f"https://replica.blogspot.com{post.path}"
        result = split_commentary(post.content_html, url)
        root = lxml_html.fragment_fromstring(post.content_html, create_parent="div")
        excerpts = [html_to_text(lxml_html.tostring(p, encoding="unicode")) for p in root.iter("p")]
        outlets = [b.text_content() for b in root.iter("b") if b.text_content() != label]
        assert excerpts and outlets
        assert result.method == "blockquote+read-more+outlet"
        quoted = result.quoted_text.split("\n\n")
        assert [line for line in quoted if line in outlets] == outlets
        assert [line for line in quoted if line not in outlets] == excerpts
        # commentary: the photo caption (when there is a photo), then the editor's lines
        *caption, editor = result.commentary_text.split("\n\n")
        assert len(caption) == int(post.has_image)
        assert editor.startswith(label + " ")
        assert not any(outlet in result.commentary_text for outlet in outlets)
        assert not any(excerpt in result.commentary_text for excerpt in excerpts)
        assert "Read more" not in result.quoted_text + result.commentary_text


# -- real pages ---------------------------------------------------------------------------------------


def wordpress_body(real_pages, name: str, url: str) -> str:
    page = wordpress.parse_html((real_pages / "wordpress" / name).read_bytes(), url)
    return page.posts[0]["content_html"]


def blogger_body(real_pages, name: str, url: str) -> str:
    page = blogger.parse_html((real_pages / "blogger" / name).read_bytes(), url)
    return page.posts[0]["content_html"]


def test_wptavern_blockquote_of_a_commenter_inside_the_article(real_pages):
    url = ("https://wptavern.com/stack-overflow-jobs-data-shows-reactjs-skills-in-high-demand-"
           "wordpress-market-oversaturated-with-developers")
    result = split_commentary(wordpress_body(real_pages, "wptavern.com.stackoverflow-jobs-data.html", url), url)
    assert result.method == "blockquote"
    assert result.quoted_text.startswith("I wonder how many of these skills are no longer listed")
    assert result.quoted_text.endswith("whether you know the shiny things like React, Redux, and Angular2.")
    assert "\n" not in result.quoted_text  # one quoted paragraph
    assert result.commentary_text.startswith("Stack Overflow published its analysis of 2017 hiring trends")
    assert "One commenter, Bruce Van Horn, noted that jobs tagged" in result.commentary_text
    assert "It would be interesting to know what is meant" in result.commentary_text
    assert "I wonder how many" not in result.commentary_text


def test_gormulus_six_blockquotes_between_the_authors_paragraphs(real_pages):
    url = "https://gormulus.wordpress.com/2012/12/11/das-wird-man-ja-wohl-noch-sagen-durfen/"
    result = split_commentary(wordpress_body(real_pages, "gormulus.wordpress.com.durfen.html", url), url)
    assert result.method == "blockquote"
    quotes = result.quoted_text.split("\n\n")
    # the fourth quote holds two paragraphs: seven paragraphs in six quotes, all opening with „
    assert len(quotes) == 7 and quotes[0].startswith("„Tatsache ist doch")
    assert quotes[-1].startswith("„Ich spreche vom Nationalsozialismus.")
    assert result.commentary_text.startswith("Dieser Artikel folgt auf einen betont sachlich gehaltenen Beitrag")
    assert "„Der Jude an sich“ – eine, sagen wir mal vorsichtig" in result.commentary_text
    assert "Tatsache ist doch" not in result.commentary_text


def test_2ality_blogger_blockquote(real_pages):
    url = "http://www.2ality.com/2011/06/ecmascript.html"
    result = split_commentary(blogger_body(real_pages, "2ality.com.2011-06-ecmascript.html", url), url)
    assert result.method == "blockquote"
    assert result.quoted_text.startswith("[...] regular expressions, better string handling")
    # "ECMAScript: Sun (now Oracle) had a trademark ..." is a glossary line, never closed by a source link
    assert "ECMAScript: Sun (now Oracle) had a trademark" in result.commentary_text


def test_weinlachgummis_publisher_blurb_closed_by_a_quelle_link(real_pages):
    url = "https://weinlachgummis.blogspot.com/2017/09/rezi-love-is-war-sehnsucht-von-r-k.html"
    result = split_commentary(blogger_body(real_pages, "weinlachgummis.blogspot.com.rezi.html", url), url)
    assert result.method == "read-more+outlet"
    # the blurb before the publisher's "Quelle" link is quoted; "Reihe: Love is War" opened it
    assert result.quoted_text.startswith("Reihe: Love is War")
    assert "Wir fühlten uns vereint" in result.quoted_text
    assert "ISBN: 9783453580565" in result.commentary_text  # a data field, not an outlet line
    assert "Nachdem mir Band 1 bis auf kleine Kritikpunkte" in result.commentary_text
    assert "Quelle" not in result.quoted_text + result.commentary_text


def test_a_post_without_quotes_is_all_commentary(real_pages):
    url = "https://emacspeak.blogspot.com/2019/10/meta-programming-in-emacs-using.html"
    body = blogger_body(real_pages, "emacspeak.blogspot.com.meta.html", url)
    assert split_commentary(body, url) == Commentary(None, html_to_text(body), "none")


@pytest.mark.parametrize("body", [None, "", "   \n ", "<p> </p>"])
def test_no_body(body):
    result = split_commentary(body)
    assert result == Commentary(None, None, "none")


# -- the structures one by one --------------------------------------------------------------------------


def test_wordpress_quote_blocks_and_inline_q():
    body = (
        "<p>Intro from me.</p>"
        '<figure class="wp-block-pullquote"><blockquote><p>Pulled out.</p><cite>Someone</cite></blockquote></figure>'
        '<div class="wp-block-quote is-style-large"><p>Block quote text.</p></div>'
        "<p>As the minister put it, <q>we will not move</q>, and so on.</p>"
    )
    result = split_commentary(body)
    assert result.method == "blockquote"
    assert result.quoted_text == "Pulled out.\n\nSomeone\n\nBlock quote text.\n\nwe will not move"
    assert result.commentary_text == "Intro from me.\n\nAs the minister put it,\n\n, and so on."


def test_own_read_more_jump_link_is_not_a_source():
    body = '<p>My own text.</p><p><a href="/2022/02/post.html#more">Read more »</a></p>'
    result = split_commentary(body, "https://x.blogspot.com/")
    assert result == Commentary(None, "My own text.\n\nRead more »", "none")


def test_read_more_without_outlet_line_quotes_back_to_the_previous_boundary():
    body = (
        "<p>Der Bundestag hat am Freitag das Gesetz beschlossen.</p>"
        '<p><a href="https://www.tagesschau.de/inland/gesetz-101.html">Weiterlesen</a></p>'
        "<p>Kommentar: Endlich.</p>"
    )
    result = split_commentary(body, "https://blog.example.de/")
    assert result == Commentary("Der Bundestag hat am Freitag das Gesetz beschlossen.", "Kommentar: Endlich.", "read-more")


def test_outlet_line_without_a_closing_link_or_label_stays_commentary():
    body = "<p><b>Update: the numbers above are disputed by several readers</b></p><p>Fair enough.</p>"
    assert split_commentary(body).method == "none"
    body = "<p><b>Reuters: Markets slide as talks stall</b></p><p>I think they will recover.</p>"
    assert split_commentary(body).method == "none"


@pytest.mark.parametrize(
    "anchor",
    ["Read more ....", "read more at Reuters", "Weiterlesen »", "Lire la suite", "Leer más", "Leggi tutto",
     "Leia mais", "Lees meer", "Читать далее", "Continue reading →", "Quelle"],
)
def test_read_more_phrases(anchor):
    assert is_read_more(anchor)


@pytest.mark.parametrize("anchor", ["here", "Politico", "more on this later, when the ministry has answered", None])
def test_not_read_more_phrases(anchor):
    assert not is_read_more(anchor)


@pytest.mark.parametrize(
    "line",
    ["WNU Editor: I speculated", "EDITOR: This is bad.", "The Watchman Editor: x", "My take: no", "Comment: meh",
     "Kommentar: Endlich.", "Commentary: a", "editor's note: fixed", "REDAKTION: Das ist schlecht."],
)
def test_commentary_markers(line):
    assert is_commentary_marker(line)


@pytest.mark.parametrize("line", ["Politico: Pentagon wants Moscow back channels", "The editor said: no", "Editorial"])
def test_not_commentary_markers(line):
    assert not is_commentary_marker(line)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Politico: Pentagon wants Moscow back channels to prevent nuclear escalation", True),
        ("The Guardian: The Pentagon calls for new sanctions", True),
        ("Kyiv Independent: India weighs drone strikes near the border", True),
        ("Update: several readers point out that the numbers above are disputed.", False),
        ("ISBN: 9783453580565", False),
        ("WNU Editor: I speculated in the previous post", False),
        ("lowercase: is not an outlet name at all", False),
    ],
)
def test_outlet_lines(line, expected):
    assert is_outlet_line(line) is expected
