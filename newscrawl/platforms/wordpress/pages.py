"""WordPress HTML pages: a post page (the post, its comments, what is missing) or a listing (home,
archive), across themes, and the links to fetch next from them.

``parse_html`` tells a WordPress page (``is_wordpress_html``), reads the blog, the post(s), the
feed and REST links it advertises, the older-posts and comment pages it links, and whether the
comments are in the HTML at all (Disqus, lazy loading: a page status, never an empty list that
looks like "no comments").  The comments themselves are read by ``comments.py``.

Dates: ``time[datetime]`` is right on WordPress 5.3 and later (and WordPress.com); older
versions wrote the site-local wall-clock time with ``+00:00`` (format ``c``) or with the offset
in force when the page was rendered, so on those pages the markup timestamps are not machine
values: their wall-clock time (``dates.wall_clock_of``) goes to the date pipeline instead, to be
read in the blog's timezone (``WordPressPage.machine_dates_trusted``, ``markup_dates_trusted``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit


from ...dates import language_code, most_common_offset, parse_machine_date, wall_clock_of
from ...items import BlogItem, PostItem
from ...loaders import BlogLoader, PostLoader, collapse_whitespace
from ..markup import (count_comments, extract_body, has_class, html_document, inner_html, json_ld_author, json_ld_dates,
                      title_among, walk_comments)
from ..syndication import plain_text
from .comments import author_name, css_select, parse_html_comments, text_of
from .ids import (COMMENT_PAGE_PATH, GUID_POST_ID, PLATFORM, SOURCE_HTML, STATUS_COMMENTS_BY_SCRIPT,
                  STATUS_COMMENTS_INCOMPLETE, STATUS_NOT_WORDPRESS, STATUS_OK, absolute_url, blog_key, post_key,
                  site_url_from_feed_url, site_url_from_rest_root, unwrap_archive_url)


@dataclass
class WordPressPage:
    """What one HTML page of a WordPress blog holds, and what to fetch next from it."""

    blog: BlogItem
    posts: list[PostItem] = field(default_factory=list)
    is_wordpress: bool = False
    is_post_page: bool = False
    generator: str | None = None
    machine_dates_trusted: bool = True  # see markup_dates_trusted()
    rest_root: str | None = None  # link rel="https://api.w.org/"
    feed_links: list[str] = field(default_factory=list)  # every RSS/Atom link the page advertises
    posts_feed: str | None = None
    comments_feed: str | None = None  # the site's /comments/feed/
    post_comments_feed: str | None = None  # this post's comment feed
    post_links: list[str] = field(default_factory=list)  # posts listed on a home/archive page
    next_page_links: list[str] = field(default_factory=list)  # /page/N/, ?paged=N
    comment_page_links: list[str] = field(default_factory=list)  # /comment-page-N/, ?cpage=N
    comments_expected: int | None = None  # the count the page shows ("12 Kommentare"), pingbacks included
    comments_found: int = 0  # comment elements read, pingbacks and trackbacks included
    comments_by_script: bool = False  # the comments are loaded by script, not in this HTML
    comments_system: str | None = None  # wordpress, epoch, disqus, facebook, wpdiscuz, jetpack ...
    status: str = STATUS_OK
    status_reason: str | None = None


_GENERATOR_VERSION = re.compile(r"WordPress\s+(\d+)\.(\d+)", re.IGNORECASE)


def markup_dates_trusted(generator: str | None) -> bool:
    """Whether ``time[datetime]`` in this WordPress's pages carries the right offset.

    WordPress before 5.3 formatted dates with ``date_i18n``: format ``c`` printed the site-local
    time with ``+00:00`` and ``P``/``O`` printed the offset in force at render time, not at the
    date's.  5.3 rewrote the date functions.  WordPress.com is current; an unknown version is
    trusted (most sites hide the generator tag; those that do are rarely that old).
    """
    if not generator:
        return True
    match = _GENERATOR_VERSION.search(generator)
    if not match:
        return True  # WordPress.com, or no version
    return (int(match.group(1)), int(match.group(2))) >= (5, 3)


def is_wordpress_html(text: str | bytes) -> bool:
    head = text[:300000] if isinstance(text, str) else text[:300000].decode("utf-8", "replace")
    return bool(
        re.search(r"""<meta[^>]+content=["']WordPress""", head, re.IGNORECASE)
        or "https://api.w.org/" in head
        or "/wp-content/" in head
        or "/wp-includes/" in head
    )


_POST_ID_CLASS = re.compile(r"(?:^|\s)postid-(\d+)(?:\s|$)")
_PAGE_ID_CLASS = re.compile(r"(?:^|\s)page-id-(\d+)(?:\s|$)")  # body_class() of a static page
_POST_ELEMENT_ID = re.compile(r"^post-(\d+)$")
_PAGE_PATH = re.compile(r"/page/(\d+)/?$")


def parse_html(body: str | bytes, url: str) -> WordPressPage:
    """Parse a WordPress page: a post page (post + comments) or a listing (home, archive)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    doc = html_document(body, url)
    generator = _generator(doc)
    rest = _first(doc.xpath("//link[@rel='https://api.w.org/']/@href"))
    feeds = _feed_links(doc, url)
    home = _home_url(doc, url, rest, feeds)
    key = blog_key(home)

    blog = BlogLoader()
    blog.add_value("id", key)
    blog.add_value("url", home)
    blog.add_value("platform", PLATFORM)
    blog.add_value("language", language_code(doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")))
    blog.add_value("language", language_code(_first(doc.xpath("//meta[@property='og:locale']/@content"))))
    blog.add_value("title", doc.xpath("//meta[@property='og:site_name']/@content"))
    page = WordPressPage(blog=blog.load_item(), generator=generator)
    page.is_wordpress = bool(generator) or rest is not None or is_wordpress_html(body)
    page.machine_dates_trusted = markup_dates_trusted(generator)
    page.rest_root = absolute_url(url, rest)
    _sort_feeds(page, feeds, home)
    if not page.is_wordpress:
        page.status, page.status_reason = STATUS_NOT_WORDPRESS, "no WordPress generator, REST link or wp-content paths"

    post_id = _single_post_id(doc)
    page.is_post_page = post_id is not None
    if page.is_post_page:
        _read_post_page(page, doc, body, post_id, key, url)
    else:
        page.posts = _listing_posts(doc, key, url, page.machine_dates_trusted)
        page.post_links = [p["url"] for p in page.posts if p.get("url")]
    page.next_page_links = _next_page_links(doc, url)
    # blog-wide conditions go to the blog row; missing comments on one page do not
    page.blog["status"] = page.status if page.status != STATUS_COMMENTS_INCOMPLETE else STATUS_OK
    if page.status_reason and page.status != STATUS_COMMENTS_INCOMPLETE:
        page.blog["status_reason"] = page.status_reason
    return page


def _sort_feeds(page: WordPressPage, feeds: list[str], home: str) -> None:
    """The blog's posts feed, the site's comments feed and this post's comment feed."""
    page.feed_links = feeds
    for feed in feeds:
        path = urlsplit(feed).path.rstrip("/")
        if re.search(r"/comments/feed(?:/atom|/rss2?)?$", path):
            page.comments_feed = page.comments_feed or feed
        elif site_url_from_feed_url(feed).rstrip("/") == home.rstrip("/"):
            page.posts_feed = page.posts_feed or feed
        elif re.search(r"/feed/?$", path):
            page.post_comments_feed = page.post_comments_feed or feed


def _read_post_page(page: WordPressPage, doc, body: str, post_id: str, key: str, url: str) -> None:
    """The post of a single-post page with its comments, and whether any are missing."""
    post, time_value = _html_post(doc, post_id, key, url, page.machine_dates_trusted, body)
    comments = parse_html_comments(doc, key, post_id, post.get("url") or url, page.machine_dates_trusted)
    post["comments"] = comments
    page.posts.append(post)
    page.comments_found = count_comments(comments)
    page.comments_expected = _comments_expected(doc)
    if page.comments_expected is not None:
        post["comment_count"] = page.comments_expected
    page.comment_page_links = _comment_page_links(doc, url)
    page.comments_system, page.comments_by_script = _comments_system(doc, body, page.comments_found)
    if page.comments_by_script:
        page.status = STATUS_COMMENTS_BY_SCRIPT
        page.status_reason = (
            f"comments are loaded by script ({page.comments_system}), not in the HTML: "
            "read them from the REST API or the post's comment feed"
        )
    elif page.comments_expected and page.comments_found < page.comments_expected and not page.comment_page_links:
        page.status = STATUS_COMMENTS_INCOMPLETE
        page.status_reason = (
            f"the page announces {page.comments_expected} comments but holds {page.comments_found}: "
            "read them from the REST API or the post's comment feed"
        )
    if page.machine_dates_trusted:
        # the site's UTC offset as its own time[datetime] values write it (plugins' metadata is UTC)
        offset = most_common_offset([time_value] + [c.get("published_machine") for c in walk_comments(comments)])
        if offset:
            page.blog["timezone"] = offset


def _generator(doc) -> str | None:
    """WordPress's own generator tag (``WordPress 5.3.2``, ``WordPress.com``), not a theme's or plugin's."""
    values = doc.xpath("//meta[translate(@name,'GENRATO','genrato')='generator']/@content")
    values = [collapse_whitespace(v) or "" for v in values]
    return next((v for v in values if re.match(r"^WordPress(?:\.com)?\b", v, re.IGNORECASE)), None)


def _feed_links(doc, url: str) -> list[str]:
    links: list[str] = []
    for href in doc.xpath("//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href"):
        absolute = absolute_url(url, href)
        if absolute and absolute not in links:
            links.append(absolute)
    return links


def _home_url(doc, url: str, rest: str | None, feeds: list[str]) -> str:
    """The blog's home URL: from the REST root, else the main feed link (the shortest ``/feed/``
    path: a post's own comment feed is ``/slug/feed/``), else rel=home, else the host."""
    if rest:
        return site_url_from_rest_root(absolute_url(url, rest) or rest)
    homes = [
        site_url_from_feed_url(feed) for feed in feeds
        if re.search(r"/feed(?:/atom|/rss2?)?/?$", urlsplit(feed).path) and "/comments/feed" not in feed
    ]
    if homes:
        return min(homes, key=lambda home: len(urlsplit(home).path))
    for href in doc.xpath("//link[@rel='home']/@href | //a[@rel='home']/@href"):
        return absolute_url(url, href) or url
    page = urlsplit(unwrap_archive_url(url) or url)
    return urlunsplit((page.scheme, page.netloc, "/", "", ""))


def _first(values: Iterable[str]) -> str | None:
    for value in values:
        if value and value.strip():
            return value.strip()
    return None


def _single_post_id(doc) -> str | None:
    """The post a single-post page shows, or None for listings (home, archives, search)."""
    body_class = " ".join(doc.xpath("//body/@class"))
    match = _POST_ID_CLASS.search(body_class)
    if match:
        return match.group(1)
    form_post_ids = [v.strip() for v in doc.xpath("//input[@name='comment_post_ID']/@value")]
    page_id = _PAGE_ID_CLASS.search(body_class)
    if page_id and page_id.group(1) in form_post_ids:
        return page_id.group(1)  # a static page taking comments (the front page may be one): singular
    if re.search(r"(?:^|\s)(?:home|blog|archive|search|paged)(?:\s|$)", body_class):
        return None
    for value in doc.xpath("//input[@name='comment_post_ID']/@value"):
        if value.strip().isdigit():
            return value.strip()
    singular = re.search(r"singular-post-(\d+)", body_class)
    if singular:
        return singular.group(1)
    shortlink = _first(doc.xpath("//link[@rel='shortlink']/@href"))
    match = GUID_POST_ID.search(shortlink or "")
    if match:
        return match.group(1)
    matches = (_POST_ELEMENT_ID.match(v) for v in doc.xpath("//*[starts-with(@id,'post-')]/@id"))
    articles = {m.group(1) for m in matches if m}
    if len(articles) == 1 and _first(doc.xpath("//meta[@property='og:type']/@content")) == "article":
        return articles.pop()
    return None


# Comment areas, widgets, navigation and related posts: never part of a post's own metadata.
_NOT_POST = (
    "ancestor-or-self::*[@id='comments' or @id='respond' or self::aside or self::nav"
    " or self::footer[not(ancestor::article)]"
    f" or {has_class('comments-area')} or {has_class('commentlist')} or {has_class('comment-list')}"
    f" or {has_class('widget')} or {has_class('related-post')} or {has_class('related-posts')}"
    " or starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]"
)


def _own_post(elements: list) -> list:
    return [e for e in elements if not e.xpath(_NOT_POST)]


def _post_scope(doc, post_id: str):
    """The element holding the post: ``#post-ID`` or ``article.post-ID``, else the page."""
    for path in (f"//*[@id='post-{post_id}']", f"//article[{has_class(f'post-{post_id}')}]"):
        found = _own_post(doc.xpath(path))
        if found:
            return found[0]
    return doc


# .storytitle/.storycontent: core's "classic" theme (WordPress 1.5-3.0)
# a[rel=bookmark]: the_permalink()'s link, which themes put on the post's title
_TITLE_CSS = (".entry-title", ".post-title", ".single-post-title", ".storytitle", "h1", "h2", "a[rel~=bookmark]")
_AUTHOR_CSS = (
    ".wp-block-post-author__name", ".wp-block-post-author-name", ".entry-author-name", ".author.vcard .fn", ".byline .fn", ".entry-meta .fn", ".author .fn",
    ".entry-author [itemprop=name]", ".byline a", ".post-author-name", ".post-byline a", "a[rel~=author]",
    "a[href*='/author/']",
)
_CONTENT_CSS = (
    ".entry-content", ".post-content", ".post_content", ".post-bodycopy", ".single-blog-content",
    ".entrytext", ".storycontent", "[itemprop=articleBody]", ".entry", ".post-template-content", "section.content", ".content",
)
_POST_DATE_CSS = (
    "time.entry-date", "time.published", ".entry-date", ".entry-time", ".entry-published", ".post-date",
    "time[itemprop=datePublished]", "abbr.published", "time.updated", "#wpcom-comments-date .date", ".date",
)


def _html_post(doc, post_id: str, blog: str, url: str, trusted: bool, text: str) -> tuple[PostItem, str | None]:
    """The post of a single-post page, and its time[datetime] value when that was the machine value."""
    scope = _post_scope(doc, post_id)
    loader = PostLoader()
    loader.add_value("id", post_key(blog, post_id))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", post_id)
    loader.add_value("url", _post_url(doc, url))
    headings = [text_of(e) for css in _TITLE_CSS for e in _own_post(css_select(scope, css))]
    loader.add_value("title", title_among(doc, headings))
    loader.add_value("title", plain_text(_first(doc.xpath("//meta[@property='og:title']/@content"))))
    author_el = None
    for css in _AUTHOR_CSS:
        found = [e for e in _own_post(css_select(scope, css)) if author_name(e)]
        if found:
            author_el = found[0]
            break
    if author_el is not None:
        loader.add_value("author", author_name(author_el))
        href = author_el.get("href") or _first(author_el.xpath(".//a/@href"))
        loader.add_value("author_url", absolute_url(url, href))
    loader.add_value("author", doc.xpath("//meta[@name='author']/@content"))
    loader.add_value("author", json_ld_author(doc))

    machine, display, from_time = _post_dates(doc, scope, trusted)
    loader.add_value("published_machine", machine)
    loader.add_value("published_raw", display)
    # rel="category tag" on category links, rel="tag" on tag links (the_category(), the_tags())
    tag_links = scope.xpath(
        ".//a[contains(concat(' ', @rel, ' '), ' tag ') or contains(concat(' ', @rel, ' '), ' category ')]"
    )
    labels = [text_of(a) for a in _own_post(tag_links)]
    loader.add_value("labels", _unique(t for t in labels if t))
    for css in _CONTENT_CSS:
        found = _own_post(css_select(scope, css))
        if found:
            inner = inner_html(found[0])
            break
    else:
        # a theme's own name for the content ("entry__content", "the-content"): the page's main
        # content, as other sites' post pages are read (trafilatura), rather than no text at all
        inner = extract_body(text, url, loader.get_output_value("title"))
    loader.add_value("content_html", inner)
    loader.add_value("content_text", inner)
    loader.add_value("source", SOURCE_HTML)
    return loader.load_item(), machine if from_time else None


def _post_url(doc, url: str) -> str:
    """The post's permalink: rel=canonical (comment pages folded into the post), else the page URL."""
    canonical = absolute_url(url, _first(doc.xpath("//link[@rel='canonical']/@href"))) or unwrap_archive_url(url) or url
    parts = urlsplit(canonical)
    path = COMMENT_PAGE_PATH.sub("/", parts.path)
    query = "&".join(q for q in parts.query.split("&") if q and not q.startswith(("replytocom=", "cpage=")))
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def _post_dates(doc, scope, trusted: bool) -> tuple[str | None, str | None, bool]:
    """(machine value, shown text, whether the machine value is the page's own time[datetime])."""
    display = None
    time_machine = None
    for css in _POST_DATE_CSS:
        found = _own_post(css_select(scope, css))
        if found:
            display = text_of(found[0])
            # hAtom's <abbr class="published" title="ISO 8601"> holds its machine value in the title
            value = found[0].get("datetime") or (found[0].get("title") if found[0].tag == "abbr" else None)
            if value and parse_machine_date(value) is not None:
                time_machine = value.strip()
            if display:
                break
    if time_machine is None:
        for value in _own_post(scope.xpath(".//time[@datetime]") + scope.xpath(".//*[@itemprop='datePublished']")):
            candidate = value.get("datetime") or value.get("content")
            if candidate and parse_machine_date(candidate) is not None:
                time_machine = candidate.strip()
                display = display or text_of(value)
                break
    if trusted and time_machine:
        return time_machine, display, True
    # Plugins' metadata (Yoast's JSON-LD, Open Graph) is written from the stored GMT time.
    for candidate in json_ld_dates(doc) + doc.xpath("//meta[@property='article:published_time']/@content"):
        if parse_machine_date(candidate) is not None:
            return candidate.strip(), display, False
    if time_machine and not trusted:
        display = wall_clock_of(time_machine)
    return None, display, False

_POST_CLASS = re.compile(r"(?:^|\s)post-(\d+)(?:\s|$)")


def _listing_posts(doc, blog: str, url: str, trusted: bool) -> list[PostItem]:
    """The posts a home/archive page lists: id, permalink, title, date; bodies come from post pages.

    Each is an element with ``id="post-ID"`` (classic themes) or post_class()'s ``post-ID
    type-post`` classes (block themes' ``li.wp-block-post``)."""
    posts = []
    seen = set()
    candidates = doc.xpath(f"//*[starts-with(@id,'post-')] | //*[{has_class('type-post')}]")
    for element in _own_post(candidates):
        match = _POST_ELEMENT_ID.match(element.get("id") or "") or _POST_CLASS.search(element.get("class") or "")
        if not match or match.group(1) in seen:
            continue
        seen.add(match.group(1))
        loader = PostLoader()
        loader.add_value("id", post_key(blog, match.group(1)))
        loader.add_value("blog_id", blog)
        loader.add_value("platform_id", match.group(1))
        for css in (".entry-title a", ".post-title a", ".wp-block-post-title a", "h2 a", "h1 a", "h3 a"):
            links = css_select(element, css)
            if links:
                loader.add_value("url", absolute_url(url, links[0].get("href")))
                loader.add_value("title", text_of(links[0]))
                break
        machine, display, from_time = _post_dates(doc, element, trusted)
        # page-level metadata (JSON-LD, og tags) belongs to no single listed post
        loader.add_value("published_machine", machine if from_time else None)
        loader.add_value("published_raw", display)
        loader.add_value("source", SOURCE_HTML)
        posts.append(loader.load_item())
    return posts


def _next_page_links(doc, url: str) -> list[str]:
    """Older-posts pages of a listing: ``/page/N/`` or ``?paged=N`` on this site."""
    links: list[str] = []
    host = urlsplit(unwrap_archive_url(url) or url).netloc
    for href in doc.xpath(f"//link[@rel='next']/@href | //a[{has_class('next')}]/@href"
                          " | //a[contains(@href,'/page/') or contains(@href,'paged=')]/@href"):
        absolute = absolute_url(url, href)
        if not absolute:
            continue
        parts = urlsplit(absolute)
        if parts.netloc != host or COMMENT_PAGE_PATH.search(parts.path):
            continue
        if (_PAGE_PATH.search(parts.path) or "paged=" in parts.query) and absolute not in links:
            links.append(absolute.split("#")[0])
    return links


def _comment_page_links(doc, url: str) -> list[str]:
    """Other pages of this post's comments: ``/comment-page-N/`` or ``?cpage=N`` (reply links,
    ``?replytocom=``, point at the same pages and are left out)."""
    links: list[str] = []
    here = _comment_page_key(unwrap_archive_url(url) or url)
    for href in doc.xpath("//a[contains(@href,'comment-page-') or contains(@href,'cpage=')]/@href"):
        absolute = absolute_url(url, href) or ""
        parts = urlsplit(absolute)
        query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("replytocom="))
        absolute = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
        if parts.netloc == urlsplit(url).netloc and _comment_page_key(absolute) != here and absolute not in links:
            links.append(absolute)
    return links


def _comment_page_key(url: str) -> tuple[str, int]:
    """(post URL, comment page number) of a post or comment page URL; the post URL itself is page 0."""
    parts = urlsplit(url)
    match = COMMENT_PAGE_PATH.search(parts.path) or re.search(r"(?:^|&)cpage=(\d+)", parts.query)
    path = COMMENT_PAGE_PATH.sub("/", parts.path)
    return f"{parts.netloc}{path}", int(match.group(1)) if match else 0


_COUNT_IN_HEADING = re.compile(r"(\d[\d.,]*)")


def _comments_expected(doc) -> int | None:
    """The count the page shows: the comment section's heading ("12 Kommentare", "There are 13
    comments", "5 Gedanken zu ...", "This Post Has 80 Comments"), else the post header's comments
    link ("54 Kommentare").  WordPress counts pingbacks and trackbacks in it."""
    headings = doc.xpath(
        f"//*[{has_class('comments-title')} or @id='comments-title' or {has_class('comment-count-area')}"
        f" or {has_class('commentsheader')}"
        " or ((self::h2 or self::h3 or self::h4) and (@id='comments' or ancestor::*[@id='comments']"
        " or following-sibling::*[1][self::ol or self::ul][contains(@class,'comment')]))]"
    )
    links = doc.xpath(f"//a[{has_class('comments-link')} or ancestor::*[{has_class('entry-comments-link')}]]")
    for element in headings + [a for a in links if not a.xpath(f"ancestor::*[{has_class('widget')}]")]:
        reply_form_or_widget = f"@id='respond' or {has_class('comment-reply-title')} or {has_class('widget')}"
        if element.xpath(f"ancestor-or-self::*[{reply_form_or_widget}]"):
            continue
        match = _COUNT_IN_HEADING.search(text_of(element) or "")
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            if digits:
                return int(digits)
    return None


_SCRIPT_SYSTEMS = (
    ("disqus", re.compile(r"""id=["']disqus_thread["']|disqus\.com/embed\.js|\bdisqus_config\b""")),
    ("facebook", re.compile(r"""class=["'][^"']*\bfb-comments\b""")),
    ("wpdiscuz", re.compile(r"""id=["']wpdcom["']|wpdiscuz""")),
    ("jetpack", re.compile(r"""jetpack_remote_comment|jetpack-comments-iframe|highlander-comments-iframe""")),
    ("epoch", re.compile(r"""epoch-comment-template|id=["']epoch-comments["']""")),
)


def _comments_system(doc, body: str, found: int) -> tuple[str | None, bool]:
    """Which comment system the page uses, and whether its comments are missing from the HTML.

    Disqus and Facebook comments are never in the page.  wpDiscuz and Epoch may render them
    server-side or load them by script: with none found, they count as loaded by script unless
    the page says there are none.  Jetpack replaces only the comment form: its comments are
    missing only when the page announces some and none were found."""
    for name, pattern in _SCRIPT_SYSTEMS:
        if not pattern.search(body):
            continue
        if name in ("disqus", "facebook"):
            return name, True
        if found:
            return name, False
        expected = _comments_expected(doc)
        return name, bool(expected) if name == "jetpack" else expected != 0
    has_list = doc.xpath(f"//*[@id='comments' or {has_class('comment-list')} or {has_class('commentlist')}]")
    return ("wordpress" if found or has_list else None), False


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
