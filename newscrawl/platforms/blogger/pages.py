"""Blogger HTML pages: what one page holds (:class:`BloggerPage`, :func:`parse_html`), whether it can be
read at all (:func:`classify_page` and the blog statuses), the posts on it, and the links to follow
(archives, post permalinks, further comment pages)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from ...dates import language_code, page_display_offset
from ...items import BlogItem, PostItem
from ...loaders import BlogLoader, PostLoader, collapse_whitespace
from ..markup import count_comments, has_class as _cls, html_document, inner_html, walk_comments
from ..comment_markup import comments_hosted_by
from .comments import parse_html_comments
from .ids import PLATFORM, blog_key, blog_root, canonical_post_url, post_key
from .query import COUNT, PageIndex, joined_text, select, to_int

_BLOG_ID_IN_HTML = re.compile(r"""(?:blogID=|itemprop=['"]blogId['"]\s+content=['"]|content=['"](?=\d+['"]\s+itemprop=['"]blogId)|/feeds/|['"]blogId['"]\s*:\s*['"])(\d{5,})""")
_POST_ID_IN_HTML = re.compile(r"postID=(\d+)")
_POST_BODY_ID = re.compile(r"post-body-(\d+)")
_LOCALE_IN_HTML = re.compile(r"""['"]localeUnderscoreDelimited['"]\s*:\s*['"]([A-Za-z_-]+)['"]""")
_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
# Blogger's own page data (``_WidgetManager._SetDataContext``): the kind of page it rendered.
_PAGE_TYPE = re.compile(r"""['"]pageType['"]\s*:\s*['"](\w+)['"]""")
_DATA_POST_ID = re.compile(r"""['"]postId['"]\s*:\s*['"](\d+)['"]""")
_SINGLE_PAGE_TYPES = ("item", "static_page")
_LISTING_PAGE_TYPES = ("index", "archive", "searchResults", "search", "feed")
# 2017+ themes name the view in the body classes; classic-era custom themes print data:blog.pageType there.
_SINGLE_BODY_CLASSES = frozenset({"item-view", "post-page", "item", "static_page", "static-page-view"})
_LISTING_BODY_CLASSES = frozenset({"feed-view", "index", "archive", "archive-view", "search-view"})
# A theme's own setting for its comment system (Sora/Templateify themes: ``commentsSystem = "disqus"``).
_THEME_COMMENTS_SYSTEM = re.compile(r"""\bcommentsSystem\s*=\s*['"](\w+)['"]""")
_ARCHIVE_PATH = re.compile(r"^/\d{4}/\d{2}/$")

# Blogger's localised "No comments:" header (the count-less header is "Comments:").
_NO_COMMENTS = re.compile(
    r"^\s*(no comments|keine kommentare|aucun commentaire|sin comentarios|no hay comentarios|nessun commento|"
    r"nenhum comentário|sem comentários|geen reacties|geen opmerkingen|нет комментариев|комментариев нет|"
    r"brak komentarzy|inga kommentarer|ingen kommentarer|ei kommentteja|yorum yok)\s*:?\s*$",
    re.IGNORECASE,
)


# -- whether a page can be read ------------------------------------------------------------

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


# -- the page ----------------------------------------------------------------------------


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
    doc = html_document(body, url)
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
    page_type = _PAGE_TYPE.search(body)
    page_type = page_type.group(1) if page_type else None
    data_post_id = _DATA_POST_ID.search(body) if page_type in _SINGLE_PAGE_TYPES else None
    post_elements = _post_elements(index, data_post_id.group(1) if data_post_id else None)
    page.status, page.status_reason = classify_page(doc, body, bool(post_elements), url)
    if page.status == STATUS_CONTENT_WARNING:
        page.continue_url = continue_url(doc, url)
    page.blog["status"] = page.status
    if page.status_reason:
        page.blog["status_reason"] = page.status_reason
    section = index.first_with_id("comments")
    page.is_post_page = is_single_post_page(doc, index, url, page_type, post_elements, section)
    hosted_by = _comments_hosted_by(body)
    if hosted_by:
        page.blog["comments_hosted_by"] = hosted_by
    for element, post_id in post_elements:
        post = _html_post(element, post_id, index, key, url if page.is_post_page else None)
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
        page.blog["timezone"] = page_display_offset(
            walk_comments(comments), post.get("published_machine"), page.blog.get("language")
        )
    if not page.is_post_page:
        # only listings are navigated (a post page's links would repeat the archive's);
        # resolving every link of every post page was a tenth of the parse time
        page.post_links, page.archive_links = _navigation_links(index, url)
    return page


def _comments_hosted_by(body: str) -> str | None:
    """Where the blog's comments live when a script loads them from elsewhere: an embed the page loads
    (Disqus's Blogger widget: ``disqus_shortname`` and ``blogger_item.js``), or the comment system a
    third-party theme is set to (``commentsSystem = "disqus"``; ``"blogger"`` is Blogger's own).
    Blogger's own comment markup declares ``disqus_blogger_current_url`` on every page: not an embed."""
    theme_system = _THEME_COMMENTS_SYSTEM.search(body) if "commentsSystem" in body else None
    if theme_system and theme_system.group(1).lower() not in ("blogger", "default"):
        return theme_system.group(1).lower()
    return comments_hosted_by(body)


def is_single_post_page(doc, index: PageIndex, url: str, page_type: str | None, post_elements: list,
                        section) -> bool:
    """Whether the page shows one post (with its comments), from the page's own signals: Blogger's page
    data (``pageType``), the address (page, canonical, ``og:url``) of the ``/YYYY/MM/slug.html`` form,
    ``og:type=article`` with one post, the body classes 2017+ themes write (``item-view``), or one post
    with a comments section.  Blogger's ``pageType`` of a listing (index, archive) outweighs the rest."""
    if page_type in _SINGLE_PAGE_TYPES:
        return True
    if _POST_PATH.match(urlsplit(url).path):
        return True
    if page_type in _LISTING_PAGE_TYPES:
        return False
    body_classes = set(" ".join(select(doc, "//body/@class")).split())
    if body_classes & _LISTING_BODY_CLASSES:
        return False
    if body_classes & _SINGLE_BODY_CLASSES:
        return True
    addresses = [link.get("href") for link in index.tagged("link") if link.get("rel") == "canonical"]
    addresses += [m.get("content") for m in index.tagged("meta") if m.get("property") == "og:url"]
    if any(a and _POST_PATH.match(urlsplit(a.strip()).path) for a in addresses):
        return True
    if any(m.get("property") == "og:type" and (m.get("content") or "").strip() == "article"
           for m in index.tagged("meta")) and len(post_elements) == 1:
        return True
    # itemprop=blogPost is no sign of its own: Blogger's templates write it on every post of a listing too
    return len(post_elements) == 1 and section is not None


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
    text = " ".join(select(doc, "//title//text() | //h1//text() | //h2//text()")).lower()
    if is_private_blog_redirect(url) or "invited readers only" in body[:20000].lower():
        return STATUS_PRIVATE, "private blog: open to invited readers only"
    if "has been removed" in text:
        return STATUS_DELETED, "the blog has been removed"
    if "blog not found" in text:
        return STATUS_NOT_FOUND, "no blog at this address"
    if select(doc, "//*[@id='continueButton']") or "content warning" in text:
        return STATUS_CONTENT_WARNING, "adult-content warning page in front of the blog"
    # every Layouts page names the Dynamic Views scripts in its data (dynamicViewsScriptSrc); only a
    # Dynamic Views shell loads them
    scripts = " ".join(select(doc, "//script/@src"))
    if "/dynamicviews/" in scripts:
        return STATUS_DYNAMIC_VIEWS, (
            "Dynamic Views template: pages are empty shells filled by script; only the feeds can be read"
        )
    return STATUS_OK, None


def continue_url(doc: lxml_html.HtmlElement, url: str) -> str | None:
    """The "I understand and I wish to continue" link of a content-warning page."""
    hrefs = select(doc, "//a[@id='continueButton']/@href")
    return urljoin(url, hrefs[0]) if hrefs else None


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
        for text in select(header, ".//h1//text()")
    ]
    for values in (site_names, header_texts):
        values = [v.strip() for v in values if v is not None and v.strip()]
        if values:
            return collapse_whitespace(" ".join(values))
    return None


# -- posts ------------------------------------------------------------------------------


# Classes Blogger's Blog widget gives a post in its stock templates, then those third-party themes use
# around the same Blog widget output (``post-outer``, ``blog-post item-post``, ``article``).
_POST_CLASSES = ("post", "hentry")
_POST_WRAPPER_CLASSES = ("post-outer", "item-post", "blog-post", "entry", "post-wrapper", "article")


def _post_elements(index: PageIndex, page_post_id: str | None = None) -> list[tuple[lxml_html.HtmlElement, str]]:
    """Every post on the page: an element Blogger marks as a post (class ``post``/``hentry``,
    ``itemprop=blogPost``; in themes ``post-outer``, ``item-post``, ``<article>``) that carries a
    post id, inside the Blog widget (``div.widget.Blog``) when the page has one: sidebar widgets
    (popular posts) reuse the class ``post``.  ``page_post_id`` (Blogger's page data on a post
    page) picks the post when candidates carry no id of their own."""
    widgets = [w for w in index.with_class("Blog") if "widget" in index.classes_of(w)]
    in_scope = (lambda e: any(a in widgets for a in e.iterancestors())) if widgets else (lambda e: True)
    tiers = (
        [*[e for name in _POST_CLASSES for e in index.with_class(name)],
         *[e for e in index.with_attribute("itemprop") if e.get("itemprop") == "blogPost"]],
        [*[e for name in _POST_WRAPPER_CLASSES for e in index.with_class(name)],
         *[e for e in index.with_attribute("itemtype") if "BlogPosting" in (e.get("itemtype") or "")]],
    )
    for candidates in tiers:
        candidates = [e for e in dict.fromkeys(candidates) if in_scope(e)]
        found = _posts_with_ids(candidates, index)
        if found:
            return found
        outermost = [e for e in candidates if not any(a in candidates for a in e.iterancestors())]
        if page_post_id and len(outermost) == 1:
            return [(outermost[0], page_post_id)]  # the one post of a post page, named by the page data
    if page_post_id:
        bodies = [b for b in index.with_class("post-body") if in_scope(b)]
        if len(bodies) == 1:
            return [(bodies[0].getparent(), page_post_id)]
    return []


def _posts_with_ids(candidates: list, index: PageIndex) -> list:
    """The candidates that carry a post id: per id the outermost, never a wrapper around posts of other ids."""
    ids = {element: _post_id(element) for element in candidates}
    kept = []
    for element, post_id in ids.items():
        if post_id is None:
            continue
        if any(ids.get(a) == post_id for a in element.iterancestors()):
            continue  # an outer element of the same post is kept instead
        if any(ids.get(d) not in (None, post_id) for d in element.iterdescendants()):
            continue  # a wrapper around several posts
        kept.append((element, post_id))
    return sorted(kept, key=lambda pair: index.position(pair[0]))


def _html_post(element: lxml_html.HtmlElement, post_id: str, index: PageIndex, blog: str,
               page_url: str | None) -> PostItem | None:
    # permalink candidates, most specific first: the page itself, then what the post links to
    urls = [canonical_post_url(page_url)] if page_url else []
    for path in (
        f".//*[{_cls('post-title')}]//a/@href",
        f".//a[{_cls('timestamp-link')}]/@href",
        ".//meta[@itemprop='url'][not(ancestor::*[@itemprop='author'])]/@content",
    ):
        urls.extend(canonical_post_url(urljoin(page_url or "", u)) for u in select(element, path))
    author = select(element, f".//*[{_cls('post-author')}]")
    body = select(element, f".//*[{_cls('post-body')}]")
    inner = inner_html(body[0]) if body else None
    return PostLoader.build(
        id=post_key(blog, post_id),
        blog_id=blog,
        platform_id=post_id,
        url=urls,
        title=[joined_text(select(element, f".//*[{_cls('post-title')}]")),
               *select(element, ".//meta[@itemprop='name']/@content"),
               # microdata Blogger's templates write (h2.title[itemprop=name]), then themes' entry titles
               *[joined_text([e]) for e in select(element, _TITLE_ELEMENTS)]],
        author=[joined_text(select(element, f".//*[{_cls('post-author')}]//*[{_cls('fn')}]")),
                *select(element, ".//*[@itemprop='author']//meta[@itemprop='name']/@content"),
                # themes: the byline's link to the author's Blogger profile
                *[joined_text([a]) for a in select(element, _AUTHOR_PROFILE_LINKS)]],
        author_url=[*(h for a in author for h in select(a, ".//a/@href") if "/profile/" in h or "/u/" in h),
                    *select(element, _AUTHOR_PROFILE_LINKS + "/@href")],
        published_machine=select(
            element,
            f".//abbr[{_cls('published')}]/@title | .//time[{_cls('published')}]/@datetime"
            f" | .//*[{_cls('published')}]/@title | .//*[@itemprop='datePublished']/@content"
            f" | .//*[@itemprop='datePublished']/@datetime | .//time/@datetime"
            f" | .//*[{_cls('published')}]/@datetime"
        ),
        published_raw=_display_post_date(element, index),
        labels=select(element, f".//*[{_cls('post-labels')}]//a//text()"),
        content_html=inner,
        content_text=inner,
        source="html",
    )


_AUTHOR_PROFILE_LINKS = (
    f".//*[{_cls('post-author')} or {_cls('entry-author')} or {_cls('byline')}]//a[contains(@href, '/profile/')]"
)
_TITLE_ELEMENTS = (
    ".//*[@itemprop='name' or @itemprop='headline'][not(self::meta)][not(ancestor::*[@itemprop='author'])]"
    f" | .//*[{_cls('entry-title')}] | .//h1"
)


def _post_id(element: lxml_html.HtmlElement) -> str | None:
    # data-id / data-post-id: the Google corporate template and 2017+ themes' share and comment widgets
    for value in (element.get("data-id"), element.get("data-post-id"), *select(element, ".//meta[@itemprop='postId']/@content")):
        if value is None:
            continue
        if value.strip().isdigit() and len(value.strip()) > 5:
            return value.strip()
    for value in select(element, f".//*[{_cls('post-body')}]/@id"):
        match = _POST_BODY_ID.search(value)
        if match:
            return match.group(1)
    for value in select(element, ".//a/@name | ./preceding-sibling::a[1]/@name"):
        if value.isdigit() and len(value) > 5:
            return value
    for value in select(element, ".//a/@href"):
        match = _POST_ID_IN_HTML.search(value)
        if match:
            return match.group(1)
    return None


def _display_post_date(element: lxml_html.HtmlElement, index: PageIndex) -> str | None:
    """The date as the page shows it: the date header, plus the time when shown."""
    preceding = index.preceding_with_class(element, "date-header")
    header = [preceding] if preceding is not None else select(element, f".//*[{_cls('date-header')}]")
    date_text = joined_text(header[:1])
    # the layouts' abbr.published (the time), else the text of the post-timestamp span around it,
    # where a theme prints the date itself ("Thursday, May 30, 2019")
    time_text = (joined_text(select(element, f".//*[{_cls('published')}]")[:1])
                 or joined_text(select(element, f".//*[{_cls('post-timestamp')}]")[:1]))
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
    count = to_int(section.get("data-num-comments"))
    if count is not None:
        return count
    for heading in select(section, ".//h4 | .//h3 | .//h2")[:2]:
        text = joined_text([heading]) or ""
        match = COUNT.search(text)
        if match:
            digits = re.sub(r"\D", "", match.group(1))
            return int(digits) if digits else None
        if _NO_COMMENTS.match(text):
            return 0
    return None


# -- links to follow -------------------------------------------------------------------


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
