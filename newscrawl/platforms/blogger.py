"""Blogger / Blogspot: pure parsers for post pages, listing pages and Atom feeds.

Everything here works from Blogger's own structure, not from one template's layout:
ids (``post-body-POSTID``, ``itemprop=postId``, comment ids ``cCOMMENTID``), the class
names Blogger's widgets emit in every template (``post``, ``post-title``, ``post-body``,
``comment-author``/``comment-body``/``comment-footer`` for the classic comment list,
``comment-thread``/``comment``/``comment-replies``/``blog-author`` for the threaded
widget), and machine timestamps (``abbr.published[title]``, ``time[datetime]``,
``?showComment=EPOCH_MS``).  Display strings are kept for the date pipeline.

Input: text or bytes plus the URL it came from.  Output: items (see ``items.py``),
never requests: the spider decides what to fetch with the links these parsers report.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import escape
from typing import Iterable
from urllib.parse import parse_qs, quote, urljoin, urlsplit, urlunsplit

from lxml import etree, html as lxml_html

from ..dates import infer_display_offset, language_code, most_common_offset
from ..items import BlogItem, CommentItem, PostItem
from ..loaders import BlogLoader, CommentLoader, PostLoader, collapse_whitespace
from .markup import (NotAFeed, atom_link, count_comments, feed_root, has_class, inner_html, match_group,
                     walk_comments)

PLATFORM = "blogger"

ATOM = "http://www.w3.org/2005/Atom"
NS = {
    "a": ATOM,
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "feedburner": "http://rssnamespace.org/feedburner/ext/1.0",
}
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"

_ENTRY_ID = re.compile(r"blog-(\d+)\.(?:post|page)-(\d+)")
_FEED_ID = re.compile(r"blog-(\d+)")
_BLOG_ID_IN_HTML = re.compile(r"""(?:blogID=|itemprop=['"]blogId['"]\s+content=['"]|content=['"](?=\d+['"]\s+itemprop=['"]blogId)|/feeds/|['"]blogId['"]\s*:\s*['"])(\d{5,})""")
_POST_ID_IN_HTML = re.compile(r"postID=(\d+)")
_POST_BODY_ID = re.compile(r"post-body-(\d+)")
_COMMENT_ID = re.compile(r"^c(\d+)$")
_SHOW_COMMENT = re.compile(r"[?&]showComment=(\d+)")
_COMMENT_FEED_PARENT = re.compile(r"/comments/default/(\d+)")
_COMMENT_FEED_POST = re.compile(r"/feeds/(?:\d+/)?(\d+)/comments/default")
_LOCALE_IN_HTML = re.compile(r"""['"]localeUnderscoreDelimited['"]\s*:\s*['"]([A-Za-z_-]+)['"]""")
_COUNT = re.compile(r"(\d[\d.,\s]*)")
_XML_WORDS = re.compile(r"[^ \t\r\n]+")  # the words normalize-space() separates
_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_ARCHIVE_PATH = re.compile(r"^/\d{4}/\d{2}/$")

# "NAME said..." in the classic comment list: the verb is localised.
_SAID = re.compile(
    r"\s*(said|says|wrote|sagte|schrieb|hat gesagt|a dit|dijo|ha detto|disse|zei|schreef|"
    r"сказал[аи]?|napisał[a]?|sa|skrev|kirjoitti|dedi|написа)\s*(\.\.\.|…|:)?\s*$",
    re.IGNORECASE,
)
# Blogger's removal notices, shown instead of a removed comment's text.  Templates
# mark them with span.deleted-comment; newer themes print the bare sentence, so the
# sentence itself is recognised too (only when it is the whole comment).
_REMOVED_NOTICE = re.compile(
    r"^\s*(this comment has been removed by|dieser kommentar wurde .{0,40}entfernt|"
    r"ce commentaire a été supprimé par|este comentario ha sido eliminado por|"
    r"questo commento è stato eliminato|este comentário foi removido|"
    r"этот комментарий был удален|автор удалил этот комментарий|deze reactie is verwijderd)"
    r"[^<>]{0,60}$",
    re.IGNORECASE,
)

# Blogger's localised "No comments:" header (the count-less header is "Comments:").
_NO_COMMENTS = re.compile(
    r"^\s*(no comments|keine kommentare|aucun commentaire|sin comentarios|no hay comentarios|nessun commento|"
    r"nenhum comentário|sem comentários|geen reacties|geen opmerkingen|нет комментариев|комментариев нет|"
    r"brak komentarzy|inga kommentarer|ingen kommentarer|ei kommentteja|yorum yok)\s*:?\s*$",
    re.IGNORECASE,
)


# Blog statuses: why a blog (or one of its pages) cannot be read.
STATUS_OK = "ok"
STATUS_DYNAMIC_VIEWS = "dynamic_views"
STATUS_PRIVATE = "private"
STATUS_DELETED = "deleted"
STATUS_NOT_FOUND = "not_found"
STATUS_CONTENT_WARNING = "content_warning"
STATUS_MOVED = "moved"

# Blogger's sign-in wall for private blogs: /blogin.g?blogspotURL=...
_SIGN_IN_WALL = re.compile(r"/blogin\.g\?[^\s\"']*blogspotURL=", re.IGNORECASE)


def is_private_blog_redirect(location: str | None) -> bool:
    return bool(location and _SIGN_IN_WALL.search(location))

# -- ids ------------------------------------------------------------------------------


def blog_key(blog_id: str | None, url: str) -> str:
    """Our blogs.id: Blogger's numeric blog id, or the host when no id is known."""
    return f"{PLATFORM}:{blog_id}" if blog_id else f"{PLATFORM}:{urlsplit(url).hostname}"


def post_key(blog: str, post_id: str) -> str:
    return f"{blog}:{post_id}"


def comment_key(blog: str, comment_id: str) -> str:
    return f"{blog}:c{comment_id}"


def blog_root(url: str) -> str:
    """``https://x.blogspot.com/2022/02/a.html?m=1`` -> ``https://x.blogspot.com/``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme or "https", parts.netloc, "/", "", ""))


def canonical_post_url(url: str) -> str:
    """A post permalink without query (``?m=1``, ``?showComment=``) or fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def epoch_ms_from_permalink(url: str | None) -> int | None:
    match = _SHOW_COMMENT.search(url or "")
    return int(match.group(1)) if match else None


# -- feeds ----------------------------------------------------------------------------


def posts_feed_url(root: str, start_index: int = 1, max_results: int = 500, updated_min: str | None = None) -> str:
    return urljoin(root, "feeds/posts/default?" + _feed_query(start_index, max_results, updated_min))


def comments_feed_url(root: str, start_index: int = 1, max_results: int = 500, updated_min: str | None = None) -> str:
    return urljoin(root, "feeds/comments/default?" + _feed_query(start_index, max_results, updated_min))


def _feed_query(start_index: int, max_results: int, updated_min: str | None) -> str:
    # updated-min is ignored by Blogger unless orderby=updated
    since = f"orderby=updated&updated-min={quote(updated_min)}&" if updated_min else ""
    return f"{since}start-index={start_index}&max-results={max_results}"


def post_comments_feed_url(root: str, post_id: str, start_index: int = 1, max_results: int = 500) -> str:
    return urljoin(
        root, f"feeds/{post_id}/comments/default?start-index={start_index}&max-results={max_results}"
    )


@dataclass
class FeedPage:
    """One page of a Blogger Atom feed (posts, comments, or an export with both)."""

    blog: BlogItem
    posts: list[PostItem] = field(default_factory=list)
    comments: list[CommentItem] = field(default_factory=list)
    entries: int = 0  # entries on this page, whatever their kind
    total_results: int | None = None
    start_index: int | None = None
    items_per_page: int | None = None
    next_url: str | None = None
    summary_only: bool = False  # posts carry <summary>, not <content>


def parse_feed(body: bytes | str, url: str) -> FeedPage:
    """Parse a Blogger Atom feed page: posts feed, comments feed or a blog export."""
    root = feed_root(body, url)
    if root.tag != f"{{{ATOM}}}feed":
        raise NotAFeed(f"{url}: not an Atom feed (root element {getattr(root, 'tag', None)!r})")

    feed_blog_id = match_group(_FEED_ID, _text(root, "a:id"))
    blog_url = atom_link(root, "alternate") or blog_root(url)
    key = blog_key(feed_blog_id, blog_url)
    owner_uri = _text(root, "a:author/a:uri")
    blog = BlogLoader.build(
        id=key,
        url=blog_url,
        platform=PLATFORM,
        platform_id=feed_blog_id,
        title=_text(root, "a:title"),
        description=_text(root, "a:subtitle"),
        author=_text(root, "a:author/a:name"),
        author_url=owner_uri,
    )
    page = FeedPage(blog=blog)
    entries = root.findall("a:entry", NS)
    page.entries = len(entries)
    page.total_results = _int(_text(root, "openSearch:totalResults"))
    page.start_index = _int(_text(root, "openSearch:startIndex"))
    page.items_per_page = _int(_text(root, "openSearch:itemsPerPage"))
    page.next_url = atom_link(root, "next")

    offsets = []
    for entry in entries:
        kind = _entry_kind(entry)
        if kind == "post":
            post = _feed_post(entry, key)
            if post is not None:
                page.posts.append(post)
                page.summary_only = page.summary_only or entry.find("a:content", NS) is None
                offsets.append(post.get("published_machine"))
        elif kind == "comment":
            comment = _feed_comment(entry, key, owner_uri)
            if comment is not None:
                page.comments.append(comment)
                offsets.append(comment.get("published_machine"))
    page.summary_only = bool(page.posts) and all(not p.get("content_html") for p in page.posts)
    offset = most_common_offset(offsets)
    if offset:
        page.blog["timezone"] = offset
    page.blog["feed_mode"] = ("summary" if page.summary_only else "full") if page.posts else None
    return page


def _entry_kind(entry: etree._Element) -> str | None:
    """post, comment, or None for export entries we do not store (settings, template)."""
    kind_term = None
    for category in entry.findall("a:category", NS):
        if category.get("scheme") == KIND_SCHEME:
            kind_term = category.get("term", "")
    if kind_term is not None:
        if kind_term.endswith("#post"):
            return "post"
        if kind_term.endswith("#comment"):
            return "comment"
        return None
    if entry.find("thr:in-reply-to", NS) is not None:
        return "comment"
    return "post"


def _feed_post(entry: etree._Element, blog: str) -> PostItem | None:
    ids = _ENTRY_ID.search(_text(entry, "a:id") or "")
    if not ids:
        return None
    content = entry.find("a:content", NS)
    # A <summary> is not the post: content is left to the post page then.
    body = _content_html(content) if content is not None else None
    return PostLoader.build(
        id=post_key(blog, ids.group(2)),
        blog_id=blog,
        platform_id=ids.group(2),
        # FeedBurner rewrites links; its origLink is the real permalink
        url=[_text(entry, "feedburner:origLink"), atom_link(entry, "alternate")],
        title=_text(entry, "a:title"),
        author=_text(entry, "a:author/a:name"),
        author_url=_text(entry, "a:author/a:uri"),
        published_machine=_text(entry, "a:published"),
        updated_machine=_text(entry, "a:updated"),
        labels=[c.get("term") for c in entry.findall("a:category", NS) if c.get("scheme") == LABEL_SCHEME],
        content_html=body,
        content_text=body,
        comment_count=_thr_total(entry),
        source="feed",
    )


def _feed_comment(entry: etree._Element, blog: str, owner_uri: str | None) -> CommentItem | None:
    ids = _ENTRY_ID.search(_text(entry, "a:id") or "")
    if not ids:
        return None
    comment_id = ids.group(2)
    reply_to = entry.find("thr:in-reply-to", NS)
    post_id = match_group(_ENTRY_ID, reply_to.get("ref") if reply_to is not None else None, group=2)
    if post_id is None:
        post_id = match_group(_COMMENT_FEED_POST, atom_link(entry, "self") or atom_link(entry, "edit"))
    if post_id is None:
        return None
    parent = match_group(_COMMENT_FEED_PARENT, atom_link(entry, "related"))
    properties = {p.get("name"): p.get("value") for p in entry.findall("gd:extendedProperty", NS)}
    removed = (properties.get("blogger.contentRemoved") or "").lower() == "true" or bool(
        _REMOVED_NOTICE.match(_text(entry, "a:content") or "")
    )
    author_uri = _text(entry, "a:author/a:uri")
    permalink = atom_link(entry, "alternate")

    body = None
    if not removed:
        content = entry.find("a:content", NS)
        if content is None:
            content = entry.find("a:summary", NS)
        body = _content_html(content) if content is not None else None
    return CommentLoader.build(
        id=comment_key(blog, comment_id),
        post_id=post_key(blog, post_id),
        blog_id=blog,
        platform_id=comment_id,
        parent_id=comment_key(blog, parent) if parent and parent != post_id else None,
        author=_text(entry, "a:author/a:name"),
        author_url=author_uri,
        is_blog_author=bool(owner_uri and author_uri and author_uri == owner_uri),
        published_machine=_text(entry, "a:published"),
        published_raw=properties.get("blogger.displayTime"),
        url=permalink,
        deleted=removed,
        deleted_reason=_text(entry, "a:content") if removed else None,
        content_html=body,
        content_text=body,
        comment_type="comment",  # Blogger has no pingbacks
        source="feed",
    )


def _content_html(element: etree._Element) -> str | None:
    """The HTML of an Atom text construct (type html, xhtml or text)."""
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = "".join(etree.tostring(child, encoding="unicode") for child in element)
        return (element.text or "") + inner
    text = element.text or ""
    if kind == "text":
        return escape(text).replace("\n", "<br />")
    return text


def _thr_total(entry: etree._Element) -> int | None:
    total = entry.find("thr:total", NS)
    if total is not None:
        return _int(total.text)
    # Feeds without thr:total still title the html replies link "N Comments".
    for link in entry.findall("a:link", NS):
        if link.get("rel") == "replies" and link.get("type") == "text/html":
            return _int(match_group(_COUNT, link.get("title")))
    return None


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find(path, NS)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


# -- HTML pages -------------------------------------------------------------------------


@dataclass
class BloggerPage:
    """What one HTML page of a Blogger blog holds."""

    blog: BlogItem
    posts: list[PostItem] = field(default_factory=list)
    is_post_page: bool = False
    post_links: list[str] = field(default_factory=list)
    archive_links: list[str] = field(default_factory=list)
    comment_page_links: list[str] = field(default_factory=list)
    has_feed: bool = False  # the page advertises an Atom feed
    status: str = STATUS_OK  # or why the page cannot be read (see classify_page)
    status_reason: str | None = None
    comments_expected: int | None = None  # what the page says the post has
    more_comments_by_script: bool = False  # "Load more..." fetches further comments from the feed
    continue_url: str | None = None  # past a content warning
    comments_found: int = 0


def is_blogger_html(text: str) -> bool:
    head = text[:20000]
    return ("content='blogger' name='generator'" in head or 'content="blogger" name="generator"' in head
            or "blogger.com" in head)


def parse_html(body: str | bytes, url: str) -> BloggerPage:
    """Parse a Blogger page: a post page (post + comments) or a listing (home, archive)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    doc = lxml_html.document_fromstring(body or "<html></html>", base_url=url)
    index = PageIndex(doc)
    root_url = blog_root(url)
    blog_id = _blog_id_from_html(index, body)
    key = blog_key(blog_id, root_url)

    blog = BlogLoader.build(
        id=key,
        url=root_url,
        platform=PLATFORM,
        platform_id=blog_id,
        language=_page_language(doc, body),
        title=_blog_title(index),
    )
    page = BloggerPage(blog=blog)

    page.has_feed = any(
        link.get("rel") == "alternate" and ("atom" in (link.get("type") or "") or "rss" in (link.get("type") or ""))
        for link in index.tagged("link")
    )
    post_elements = _post_elements(index)
    page.status, page.status_reason = classify_page(doc, body, bool(post_elements), url)
    if page.status == STATUS_CONTENT_WARNING:
        page.continue_url = continue_url(doc, url)
    page.blog["status"] = page.status
    if page.status_reason:
        page.blog["status_reason"] = page.status_reason
    path = urlsplit(url).path
    section = index.first_with_id("comments")
    page.is_post_page = bool(_POST_PATH.match(path)) or (len(post_elements) == 1 and section is not None)
    for element in post_elements:
        post = _html_post(element, index, key, url if page.is_post_page else None)
        if post is not None:
            page.posts.append(post)
    if page.is_post_page and page.posts:
        post = page.posts[0]
        comments = parse_html_comments(doc, key, post["platform_id"], post.get("url") or url, index)
        post["comments"] = comments
        page.comments_found = count_comments(comments)
        page.comments_expected = _comment_count_from_header(section)
        if page.comments_expected is not None:
            post["comment_count"] = page.comments_expected
        page.comment_page_links = _comment_page_links(index, url)
        page.more_comments_by_script = any(
            "hidden" not in index.classes_of(element) and element.get("data-post-id") is not None
            for element in index.with_class("loadmore")
        )
        page.blog["timezone"] = _page_timezone(post, comments, page.blog.get("language"))
    if not page.is_post_page:
        # only listings are navigated (a post page's links would repeat the archive's);
        # resolving every link of every post page was a tenth of the parse time
        page.post_links, page.archive_links = _navigation_links(index, url)
    return page


class PageIndex:
    """The elements of a page by class, id and tag, from one walk over the document.

    ``parse_html`` asks a dozen whole-page questions (the posts, the comments section, the
    comment lists, feed links, meta tags ...).  As ``//*[...]`` XPaths each one walked the whole
    document, about 0.4 ms on a 46 KB post page; one walk answers them all for the cost of two.
    Classes are the whitespace-separated words of ``@class`` as XPath's ``normalize-space`` splits
    them (space, tab, CR, LF), so ``with_class`` finds what ``//*[has_class(name)]`` finds, in
    document order."""

    _INDEXED_TAGS = frozenset({"a", "link", "meta"})

    def __init__(self, doc: lxml_html.HtmlElement):
        self._by_class: dict[str, list] = {}
        self._by_id: dict[str, lxml_html.HtmlElement] = {}
        self._by_tag: dict[str, list] = {tag: [] for tag in self._INDEXED_TAGS}
        self._classed: list[tuple[lxml_html.HtmlElement, str]] = []
        self._position: dict[lxml_html.HtmlElement, int] = {}
        for position, element in enumerate(doc.iter(etree.Element)):
            if element.tag in self._INDEXED_TAGS:
                self._by_tag[element.tag].append(element)
            element_id = element.get("id")
            if element_id is not None and element_id not in self._by_id:
                self._by_id[element_id] = element
            classes = element.get("class")
            if classes:
                self._classed.append((element, classes))
                self._position[element] = position
                for name in _XML_WORDS.findall(classes):
                    self._by_class.setdefault(name, []).append(element)

    def with_class(self, name: str) -> list:
        """``//*[has_class(name)]``."""
        return self._by_class.get(name, [])

    def classes_of(self, element) -> list[str]:
        return _XML_WORDS.findall(element.get("class") or "")

    def with_class_containing(self, text: str) -> list:
        """``//*[contains(@class, text)]``."""
        return [element for element, classes in self._classed if text in classes]

    def first_with_id(self, element_id: str):
        """``(//*[@id=element_id])[1]``, or None."""
        return self._by_id.get(element_id)

    def tagged(self, tag: str) -> list:
        """``//tag`` for the tags indexed (a, link, meta)."""
        return self._by_tag[tag]

    def preceding_with_class(self, element, name: str):
        """``element/preceding::*[has_class(name)][1]``: the nearest element with the class that
        starts before ``element`` and does not contain it (``element`` must have a class)."""
        before = self._position[element]
        ancestors = set(element.iterancestors())
        found = None
        for candidate in self.with_class(name):
            if self._position[candidate] >= before:
                break
            if candidate not in ancestors:
                found = candidate
        return found


def classify_page(
    doc: lxml_html.HtmlElement, body: str, has_posts: bool, url: str = ""
) -> tuple[str, str | None]:
    """Whether the page can be read, and if not, why (a status for the blog row).

    Blogger answers for the blog in its own pages (shown in the reader's language;
    Scrapy asks for English): a sign-in wall for private blogs, "Blog has been
    removed" / "Blog not found", the adult-content interstitial with its continue
    button, or a Dynamic Views shell filled by script."""
    if has_posts:
        return STATUS_OK, None
    text = " ".join(_select(doc, "//title//text() | //h1//text() | //h2//text()")).lower()
    if is_private_blog_redirect(url) or "invited readers only" in body[:20000].lower():
        return STATUS_PRIVATE, "private blog: open to invited readers only"
    if "has been removed" in text:
        return STATUS_DELETED, "the blog has been removed"
    if "blog not found" in text:
        return STATUS_NOT_FOUND, "no blog at this address"
    if _select(doc, "//*[@id='continueButton']") or "content warning" in text:
        return STATUS_CONTENT_WARNING, "adult-content warning page in front of the blog"
    scripts = " ".join(_select(doc, "//script/@src"))
    if "/dynamicviews/" in scripts or "dynamicViewsScriptSrc" in body:
        return STATUS_DYNAMIC_VIEWS, (
            "Dynamic Views template: pages are empty shells filled by script; only the feeds can be read"
        )
    return STATUS_OK, None


def continue_url(doc: lxml_html.HtmlElement, url: str) -> str | None:
    """The "I understand and I wish to continue" link of a content-warning page."""
    hrefs = _select(doc, "//a[@id='continueButton']/@href")
    return urljoin(url, hrefs[0]) if hrefs else None


def _page_timezone(post: PostItem, comments: list[CommentItem], language: str | None) -> str | None:
    """The UTC offset the page's display dates are written in.

    Comments pair a display string with an exact epoch: their difference is the
    display offset itself.  Else the offset written in the post's machine timestamp."""
    pairs = [
        (c.get("published_raw"), c.get("published_machine"))
        for c in walk_comments(comments)
        if c.get("published_raw") and c.get("published_machine")
    ]
    return infer_display_offset(pairs, language) or most_common_offset([post.get("published_machine")])


def _blog_id_from_html(index: PageIndex, body: str) -> str | None:
    for meta in index.tagged("meta"):
        value = meta.get("content")
        if meta.get("itemprop") == "blogId" and value is not None and value.strip().isdigit():
            return value.strip()
    match = _BLOG_ID_IN_HTML.search(body)
    return match.group(1) if match else None


def _page_language(doc: lxml_html.HtmlElement, body: str) -> str | None:
    # Blogger's own widget data carries the blog's locale; the html lang attribute
    # is missing in most classic templates.
    # the regex from the first mention on: scanning a whole page for it took a tenth of a millisecond
    mention = body.find("localeUnderscoreDelimited")
    match = _LOCALE_IN_HTML.search(body, max(mention - 1, 0)) if mention >= 0 else None
    if match:
        return language_code(match.group(1))
    lang = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")
    return language_code(lang)


def _blog_title(index: PageIndex) -> str | None:
    site_names = [meta.get("content") for meta in index.tagged("meta") if meta.get("property") == "og:site_name"]
    headers = index.with_class_containing("Header")
    # //*[contains(@class,'Header')]//h1//text(): an inner header's h1s are its outer header's too
    header_texts = [
        text for header in headers if not any(a in headers for a in header.iterancestors())
        for text in _select(header, ".//h1//text()")
    ]
    for values in (site_names, header_texts):
        values = [v.strip() for v in values if v is not None and v.strip()]
        if values:
            return collapse_whitespace(" ".join(values))
    return None


_cls = has_class


def _post_elements(index: PageIndex) -> list[lxml_html.HtmlElement]:
    """Every post on the page: Blogger marks each with the class ``post`` (or ``hentry``)."""
    posts = index.with_class("post") or index.with_class("hentry")
    # a post never contains another post
    return [p for p in posts if not any(a in posts for a in p.iterancestors())]


def _html_post(element: lxml_html.HtmlElement, index: PageIndex, blog: str, page_url: str | None) -> PostItem | None:
    post_id = _post_id(element)
    if post_id is None:
        return None
    # permalink candidates, most specific first: the page itself, then what the post links to
    urls = [canonical_post_url(page_url)] if page_url else []
    for path in (
        f".//*[{_cls('post-title')}]//a/@href",
        f".//a[{_cls('timestamp-link')}]/@href",
        ".//meta[@itemprop='url'][not(ancestor::*[@itemprop='author'])]/@content",
    ):
        urls.extend(canonical_post_url(urljoin(page_url or "", u)) for u in _select(element, path))
    author = _select(element, f".//*[{_cls('post-author')}]")
    body = _select(element, f".//*[{_cls('post-body')}]")
    inner = inner_html(body[0]) if body else None
    return PostLoader.build(
        id=post_key(blog, post_id),
        blog_id=blog,
        platform_id=post_id,
        url=urls,
        title=[_joined_text(_select(element, f".//*[{_cls('post-title')}]")),
               *_select(element, ".//meta[@itemprop='name']/@content")],
        author=[_joined_text(_select(element, f".//*[{_cls('post-author')}]//*[{_cls('fn')}]")),
                *_select(element, ".//*[@itemprop='author']//meta[@itemprop='name']/@content")],
        author_url=[h for a in author for h in _select(a, ".//a/@href") if "/profile/" in h or "/u/" in h],
        published_machine=_select(element, 
            f".//abbr[{_cls('published')}]/@title | .//time[{_cls('published')}]/@datetime"
            f" | .//*[{_cls('published')}]/@title | .//*[@itemprop='datePublished']/@content"
            f" | .//*[@itemprop='datePublished']/@datetime | .//time/@datetime"
        ),
        published_raw=_display_post_date(element, index),
        labels=_select(element, f".//*[{_cls('post-labels')}]//a//text()"),
        content_html=inner,
        content_text=inner,
        source="html",
    )


def _post_id(element: lxml_html.HtmlElement) -> str | None:
    for value in _select(element, ".//meta[@itemprop='postId']/@content"):
        if value.strip().isdigit():
            return value.strip()
    for value in _select(element, f".//*[{_cls('post-body')}]/@id"):
        match = _POST_BODY_ID.search(value)
        if match:
            return match.group(1)
    for value in _select(element, ".//a/@name | ./preceding-sibling::a[1]/@name"):
        if value.isdigit() and len(value) > 5:
            return value
    for value in _select(element, ".//a/@href"):
        match = _POST_ID_IN_HTML.search(value)
        if match:
            return match.group(1)
    return None


def _display_post_date(element: lxml_html.HtmlElement, index: PageIndex) -> str | None:
    """The date as the page shows it: the date header, plus the time when shown."""
    preceding = index.preceding_with_class(element, "date-header")
    header = [preceding] if preceding is not None else _select(element, f".//*[{_cls('date-header')}]")
    date_text = _joined_text(header[:1])
    time_text = _joined_text(_select(element, f".//*[{_cls('published')}]")[:1])
    if date_text and time_text and time_text not in date_text:
        return f"{date_text} {time_text}"
    return date_text or time_text


def _comment_count_from_header(section: lxml_html.HtmlElement | None) -> int | None:
    """The count the comments section (``#comments``) shows: ``<h4>3 comments:</h4>`` -> 3;
    ``Keine Kommentare:`` -> 0; ``Kommentare:`` -> None (some templates print no count: then the
    platform reported none)."""
    if section is None:
        return None
    # 2017+ themes title the section "Comments" and carry the count as data
    count = _int(section.get("data-num-comments"))
    if count is not None:
        return count
    for heading in _select(section, ".//h4 | .//h3 | .//h2")[:2]:
        text = _joined_text([heading]) or ""
        match = _COUNT.search(text)
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            return int(digits) if digits else None
        if _NO_COMMENTS.match(text):
            return 0
    return None


def parse_html_comments(
    doc: lxml_html.HtmlElement, blog: str, post_id: str, post_url: str, index: PageIndex | None = None
) -> list[CommentItem]:
    """Comments of a post page as a tree (replies nested in ``replies``).

    Two markup families: the threaded widget (``li.comment`` inside ``comment-thread``,
    replies in ``comment-replies``) and the classic list (``comment-author`` /
    ``comment-body`` / ``comment-footer`` siblings).  Both may appear on one page
    (the widget renders one and hides the other), so ids already seen are skipped.
    """
    index = index or PageIndex(doc)
    comments: list[CommentItem] = []
    seen: set[str] = set()
    threads = index.with_class("comment-thread")
    top_threads = [t for t in threads if not any(a in threads for a in t.iterancestors())]
    for thread in top_threads:
        for li in _select(thread, "./ol/li | ./ol/div/li | ./ul/li"):
            item = _threaded_comment(li, blog, post_id, post_url, seen)
            if item is not None:
                comments.append(item)
    for author in index.with_class("comment-author"):
        item = _classic_comment(author, blog, post_id, post_url, seen)
        if item is not None:
            comments.append(item)
    return comments


def _threaded_comment(
    li: lxml_html.HtmlElement, blog: str, post_id: str, post_url: str, seen: set[str]
) -> CommentItem | None:
    comment_id = match_group(_COMMENT_ID, li.get("id"))
    if comment_id is None or comment_id in seen or "comment" not in (li.get("class") or "").split():
        return None
    seen.add(comment_id)
    own = [child for child in li if not _is_reply_container(child)]
    header = _xpath_in(own, f".//*[{_cls('comment-header')}]") or own
    author = _xpath_in(header, ".//cite") or _xpath_in(header, f".//*[{_cls('user')}]")
    body = _xpath_in(own, f".//*[{_cls('comment-content')}]")
    stamp_links = _xpath_in(own, ".//a[contains(@href,'showComment=')]")
    is_owner = bool(_xpath_in(header, f"descendant-or-self::*[{_cls('blog-author')}]"))
    item = _comment_item(
        blog, post_id, post_url, comment_id,
        author_el=author[0] if author else None,
        body_el=body[0] if body else None,
        stamp_el=stamp_links[0] if stamp_links else (_xpath_in(own, f".//*[{_cls('datetime')}]") or [None])[0],
        is_owner=is_owner,
    )
    replies = []
    for container in (child for child in li if _is_reply_container(child)):
        for reply_li in _select(container, f".//li[{_cls('comment')}]"):
            reply = _threaded_comment(reply_li, blog, post_id, post_url, seen)
            if reply is not None:
                reply["parent_id"] = item["id"]
                replies.append(reply)
    if replies:
        item["replies"] = replies
    return item


def _is_reply_container(element) -> bool:
    classes = (element.get("class") or "").split() if isinstance(element.tag, str) else []
    return "comment-replies" in classes or "comment-thread" in classes


def _classic_comment(
    author_el: lxml_html.HtmlElement, blog: str, post_id: str, post_url: str, seen: set[str]
) -> CommentItem | None:
    comment_id = match_group(_COMMENT_ID, author_el.get("id"))
    if comment_id is None:
        names = [n for n in _select(author_el, ".//a/@name") if _COMMENT_ID.match(n)]
        comment_id = match_group(_COMMENT_ID, names[0]) if names else None
    if comment_id is None or comment_id in seen:
        return None
    seen.add(comment_id)
    body = _following_sibling_with_class(author_el, "comment-body")
    footer = _following_sibling_with_class(author_el, "comment-footer")
    stamp = None
    for scope in (footer, body, author_el):
        if scope is not None:
            links = _select(scope, ".//a[contains(@href,'showComment=')]") or _select(scope, 
                f".//*[{_cls('comment-timestamp')}]"
            )
            if links:
                stamp = links[0]
                break
    is_owner = "blog-author" in (author_el.get("class") or "").split() or bool(
        _select(author_el, f".//*[{_cls('blog-author')}]")
    )
    return _comment_item(blog, post_id, post_url, comment_id, author_el, body, stamp, is_owner, classic=True)


def _following_sibling_with_class(element, name: str):
    for sibling in element.itersiblings():
        classes = (sibling.get("class") or "").split() if isinstance(sibling.tag, str) else []
        if "comment-author" in classes:
            return None  # the next comment starts
        if name in classes:
            return sibling
    return None


def _comment_item(
    blog: str,
    post_id: str,
    post_url: str,
    comment_id: str,
    author_el,
    body_el,
    stamp_el,
    is_owner: bool,
    classic: bool = False,
) -> CommentItem:
    name, author_url = _comment_author(author_el, classic)
    permalink = stamp_el.get("href") if stamp_el is not None and stamp_el.get("href") else None
    if permalink:
        permalink = urljoin(post_url, permalink)
    removed = _select(body_el, f".//*[{_cls('deleted-comment')}]") if body_el is not None else []
    notice = _joined_text(removed) if removed else _joined_text([body_el]) if body_el is not None else None
    deleted = bool(removed or (notice and _REMOVED_NOTICE.match(notice)))
    inner = inner_html(_unwrap_single_paragraph(body_el)) if body_el is not None and not deleted else None
    return CommentLoader.build(
        id=comment_key(blog, comment_id),
        post_id=post_key(blog, post_id),
        blog_id=blog,
        platform_id=comment_id,
        author=name,
        author_url=author_url,
        is_blog_author=is_owner,
        url=permalink or f"{canonical_post_url(post_url)}#c{comment_id}",
        published_machine=epoch_ms_from_permalink(permalink),
        published_raw=_joined_text([stamp_el]) if stamp_el is not None else None,
        deleted=deleted,
        deleted_reason=notice if deleted else None,
        content_html=inner,
        content_text=inner,
        comment_type="comment",
        source="html",
    )


def _comment_author(author_el, classic: bool) -> tuple[str | None, str | None]:
    if author_el is None:
        return None, None
    links = [
        a for a in _select(author_el, ".//a[@href]")
        if not _select(a, f"ancestor::*[{_cls('avatar-image-container')}]")
    ]
    if links:
        name = collapse_whitespace(links[0].text_content())
        if name:
            return name, links[0].get("href")
    if classic:
        # "NAME said..." is loose text beside the avatar: take the element's own text.
        own_text = " ".join(
            t for t in _select(author_el, "./text() | ./span[not(@class)]/text()") if t.strip()
        )
        lines = [line.strip() for line in own_text.splitlines() if line.strip()]
        name = collapse_whitespace(_SAID.sub("", " ".join(lines[:1]) if len(lines) > 1 else own_text))
        if name:
            return name, None
        titles = _select(author_el, ".//img/@title")
        return (collapse_whitespace(titles[0]) if titles else None), None
    return collapse_whitespace(author_el.text_content()), None


def _unwrap_single_paragraph(element):
    """The classic ``dd.comment-body`` wraps the comment in one ``<p>``: store its inside."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) == 1 and children[0].tag == "p" and not (element.text or "").strip():
        return children[0]
    return element


def _comment_page_links(index: PageIndex, url: str) -> list[str]:
    """Other pages of this post's comments; page 1 is the post page itself."""
    links = []
    hrefs = (a.get("href") for a in index.tagged("a"))
    for href in (h for h in hrefs if h is not None and "commentPage=" in h):
        absolute = urljoin(url, href).split("#")[0]
        same_site = urlsplit(absolute).netloc == urlsplit(url).netloc
        if same_site and comment_page_number(absolute) > 1 and absolute not in links:
            links.append(absolute)
    return links


def comment_page_number(url: str) -> int:
    values = parse_qs(urlsplit(url).query).get("commentPage")
    try:
        return int(values[0]) if values else 1
    except ValueError:
        return 1


def _navigation_links(index: PageIndex, url: str) -> tuple[list[str], list[str]]:
    """Post permalinks and monthly archive pages on this blog linked from the page."""
    host = urlsplit(url).netloc
    posts: dict[str, None] = {}
    archives: dict[str, None] = {}
    for href in (h for h in (a.get("href") for a in index.tagged("a")) if h is not None):
        absolute = urljoin(url, href.strip())
        parts = urlsplit(absolute)
        if parts.netloc != host:
            continue
        if _POST_PATH.match(parts.path):
            posts[canonical_post_url(absolute)] = None
        elif _ARCHIVE_PATH.match(parts.path) and not parts.query:
            archives[urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))] = None
    return list(posts), list(archives)


# -- small helpers -------------------------------------------------------------------


def _select(element, path: str) -> list:
    """``element.xpath(path)``, with the expression compiled once instead of on every call (a page
    asks the same dozen questions of each of its comments)."""
    return _compiled_xpath(path)(element)


@functools.lru_cache(maxsize=256)
def _compiled_xpath(path: str) -> etree.XPath:
    return etree.XPath(path)


def _xpath_in(elements: Iterable, path: str) -> list:
    found = []
    for element in elements:
        if isinstance(element.tag, str):
            found.extend(_select(element, path))
    return found


def _joined_text(elements: Iterable) -> str | None:
    return collapse_whitespace(" ".join(e.text_content() for e in elements if e is not None))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
