"""Substack: pure parsers for the publication API (archive, posts, comment trees).

Substack pages are script-rendered shells; the JSON API on the publication's own host
(``*.substack.com`` or a custom domain: the same paths) is the only complete source
(see ``shared/platforms.md``):

* ``/api/v1/archive?sort=new&offset=N&limit=L``: the post list, newest first, without
  bodies.  Substack may return fewer entries than asked for, so the next page starts at
  ``offset + entries returned`` and the list ends with an empty page.
* ``/api/v1/posts/SLUG``: one post with ``body_html`` (a paid post: only the public
  part).  ``/api/v1/posts/by-id/ID`` answers the same post wrapped as ``{"post": ...,
  "publication": ...}``; both shapes are read.
* ``/api/v1/post/ID/comments?all_comments=true``: the whole comment tree, replies nested
  in ``children``; a deleted comment stays in the tree (``deleted: true``, no body) with
  its replies.

Saved post pages and newsletter emails are read by ``substack.pages`` (``parse_document``
tells a saved document's kind).

Input: the JSON body plus the URL it came from.  Output: items (``items.py``), never
requests: the spider decides what to fetch from what these report.

Ids, stable across crawls:

* blog: ``substack:<publication id>`` (``publication_id`` of every post);
* post: ``<blog key>:<post id>``; comment: ``<blog key>:c<comment id>``, the numeric ids
  Substack uses in its API and permalinks (``/p/SLUG/comment/ID``).

Dates are machine values: ``post_date`` / ``updated_at`` of posts and ``date`` of
comments, ISO 8601 in UTC with milliseconds (``2025-06-30T13:56:04.688Z``).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

from ...items import BlogItem, CommentItem, PostItem
from ...loaders import BlogLoader, CommentLoader, PostLoader, to_int
from ..markup import load_json

PLATFORM = "substack"
SOURCE_API = "api"

# Entries asked for per archive page; Substack may answer with fewer (see the module docstring).
ARCHIVE_PAGE_SIZE = 50
# ``audience`` of a post every reader may read; anything else (only_paid, founding,
# only_free) shows anonymous readers only the public part of the body.
AUDIENCE_EVERYONE = "everyone"
COMMENTS_SORT = "oldest_first"
# Substack's word for a comment withdrawn from a thread that still holds its replies.
DELETED_NOTICE = "Comment deleted"

# Archive fields whose values are stored or change with an edit: an entry whose values
# differ from last time has its post read again (``comment_count`` is compared on its
# own: it decides whether the comment tree is read too).  The archive carries no body
# and, as far as the saved answers show, no ``updated_at``; it is used when present.
_SIGNATURE_FIELDS = ("title", "subtitle", "description", "slug", "post_date", "updated_at", "audience", "type",
                     "wordcount", "truncated_body_text", "cover_image", "canonical_url", "reaction_count",
                     "reactions")


class NotSubstackJson(ValueError):
    """The answer is not what the Substack API answers at that address."""


# -- addresses and ids -----------------------------------------------------------------


def blog_root(url: str) -> str:
    """``https://x.substack.com/p/slug`` -> ``https://x.substack.com/``: the API lives at the root of the host."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme or "https", parts.netloc, "/", "", ""))


def blog_key(publication_id: str | int) -> str:
    return f"{PLATFORM}:{publication_id}"


def post_key(blog: str, post_id: str | int) -> str:
    return f"{blog}:{post_id}"


def comment_key(blog: str, comment_id: str | int) -> str:
    return f"{blog}:c{comment_id}"


def archive_url(root: str, offset: int = 0, limit: int = ARCHIVE_PAGE_SIZE) -> str:
    return f"{root}api/v1/archive?sort=new&offset={offset}&limit={limit}"


def archive_offset(url: str) -> int:
    """The ``offset`` an archive URL asks for (0 when absent)."""
    values = parse_qs(urlsplit(url).query).get("offset") or ["0"]
    return to_int(values[0]) or 0


def post_api_url(root: str, slug: str) -> str:
    return f"{root}api/v1/posts/{quote(slug, safe='')}"


def post_by_id_api_url(root: str, post_id: str | int) -> str:
    """The same post by its id, wrapped with the full publication object."""
    return f"{root}api/v1/posts/by-id/{post_id}"


def comments_api_url(root: str, post_id: str | int) -> str:
    return f"{root}api/v1/post/{post_id}/comments?all_comments=true&sort={COMMENTS_SORT}"


_COMMENTS_PATH = re.compile(r"/api/v1/post/(\d+)/comments")


def post_id_of_comments_url(url: str) -> str | None:
    match = _COMMENTS_PATH.search(urlsplit(url).path)
    return match.group(1) if match else None


def feed_url(root: str) -> str:
    """RSS of the most recent posts only: not a way to the whole archive."""
    return f"{root}feed"


def profile_url(handle: str | None) -> str | None:
    """A Substack user's profile page, ``https://substack.com/@handle``."""
    return f"https://substack.com/@{handle}" if handle else None


# -- parsed records ----------------------------------------------------------------------


@dataclass
class ApiPost:
    """One post as the archive or the post endpoint describe it.

    ``item`` is the PostItem (without body when read from the archive); ``author_ids``
    are the Substack user ids of the post's bylines and of the publication's owner: a
    commenter with one of them is the blog's author."""

    item: PostItem
    slug: str | None
    comment_count: int | None
    signature: str
    author_ids: frozenset[str] = frozenset()
    owner_id: str | None = None  # the publication's owner (author_id), when the answer names it
    blog: BlogItem | None = None

    @property
    def platform_id(self) -> str:
        return self.item["platform_id"]


@dataclass
class ArchivePage:
    posts: list[ApiPost]
    entries: int  # entries the page returned (the next page starts that many further on)
    blog: BlogItem | None = None


@dataclass
class SavedJson:
    """Everything one saved API answer holds (``newscrawl extract``): comments flat, linked by ``parent_id``."""

    kind: str  # archive, post, posts, comments, comment; page, note, email (saved HTML)
    blog: BlogItem | None = None
    posts: list[PostItem] = field(default_factory=list)
    comments: list[CommentItem] = field(default_factory=list)
    post_page: bool = False  # one post, its comments nested in it (a saved post page)


# -- JSON in ------------------------------------------------------------------------------


def _json(body: bytes | str, url: str) -> Any:
    try:
        return load_json(body)
    except (ValueError, TypeError) as exc:
        head = (body[:60] if isinstance(body, (bytes, str)) else b"")
        raise NotSubstackJson(f"{url}: not JSON ({exc}; starts {head!r}): is this a Substack publication?") from exc


def _post_entry(data: Any) -> dict | None:
    """The post object of a post answer: flat (``/posts/SLUG``) or wrapped (``/posts/by-id/ID``)."""
    if isinstance(data, dict) and isinstance(data.get("post"), dict):
        return data["post"]
    if isinstance(data, dict) and data.get("id") is not None and ("slug" in data or "post_date" in data):
        return data
    return None


# -- archive and posts ---------------------------------------------------------------------


def parse_archive(body: bytes | str, url: str) -> ArchivePage:
    """One archive page: a post (without body) per entry, the publication as the bylines describe it."""
    data = _json(body, url)
    if not isinstance(data, list):
        raise NotSubstackJson(f"{url}: an archive page is a JSON list, not {type(data).__name__}")
    root = blog_root(url)
    posts = [_api_post(entry, root) for entry in data if isinstance(entry, dict) and entry.get("id") is not None]
    blog = next((p.blog for p in posts if p.blog is not None), None)
    return ArchivePage(posts=posts, entries=len(data), blog=blog)


def parse_post(body: bytes | str, url: str) -> ApiPost:
    """A post answer (``/api/v1/posts/SLUG`` or ``/by-id/ID``): the post with its public
    body, and the publication (the full object when the answer carries it)."""
    data = _json(body, url)
    entry = _post_entry(data)
    if entry is None:
        error = data.get("error") if isinstance(data, dict) else None
        raise NotSubstackJson(f"{url}: no post in the answer" + (f" ({error})" if error else ""))
    publication = data.get("publication") if isinstance(data, dict) and entry is not data else None
    return _api_post(entry, blog_root(url), publication if isinstance(publication, dict) else None)


def _api_post(entry: Mapping[str, Any], root: str, publication: Mapping[str, Any] | None = None) -> ApiPost:
    bylines = [b for b in entry.get("publishedBylines") or [] if isinstance(b, dict)]
    publication_id = entry.get("publication_id") or (publication or {}).get("id")
    if publication_id is None:
        raise NotSubstackJson(f"{root}: post {entry.get('id')} names no publication_id")
    blog = blog_key(publication_id)
    publication = publication or _byline_publication(bylines, publication_id)
    post_id = str(entry["id"])
    slug = entry.get("slug")

    loader = PostLoader()
    loader.add_value("id", post_key(blog, post_id))
    loader.add_value("blog_id", blog)
    loader.add_value("platform_id", post_id)
    loader.add_value("url", entry.get("canonical_url") or (f"{root}p/{slug}" if slug else None))
    loader.add_value("title", entry.get("title"))
    names = [b["name"] for b in bylines if b.get("name")]
    loader.add_value("author", ", ".join(names) if names else None)
    loader.add_value("author_url", profile_url(bylines[0].get("handle")) if bylines else None)
    loader.add_value("published_machine", entry.get("post_date"))
    loader.add_value("updated_machine", entry.get("updated_at"))
    public = public_body_html(entry)
    loader.add_value("content_html", public)
    loader.add_value("content_text", public)
    loader.add_value("labels", [t.get("name") for t in entry.get("postTags") or [] if isinstance(t, dict)])
    loader.add_value("comment_count", entry.get("comment_count"))
    loader.add_value("source", SOURCE_API)
    item = loader.load_item()
    # set past the loader: its text processors would turn the numbers into strings
    item["reaction_count"] = reaction_count(entry)
    item["paywalled"] = int(is_paywalled(entry))

    author_ids = {str(b["id"]) for b in bylines if b.get("id") is not None}
    owner_id = str(publication["author_id"]) if publication and publication.get("author_id") is not None else None
    if owner_id:
        author_ids.add(owner_id)
    return ApiPost(
        item=item,
        slug=slug,
        comment_count=to_int(entry.get("comment_count")),
        signature=post_signature(entry),
        author_ids=frozenset(author_ids),
        owner_id=owner_id,
        blog=_blog_item(publication, blog, bylines) if publication else None,
    )


def post_signature(entry: Mapping[str, Any]) -> str:
    """A short digest of what an archive entry says of a post, its comment count aside (``_SIGNATURE_FIELDS``)."""
    values = [entry.get(name) for name in _SIGNATURE_FIELDS]
    # of bylines and tags only what is stored: a new profile photo is no change of the post
    bylines = [b for b in entry.get("publishedBylines") or [] if isinstance(b, dict)]
    values.append([[b.get("name"), b.get("handle")] for b in bylines])
    values.append([t.get("name") for t in entry.get("postTags") or [] if isinstance(t, dict)])
    digest = hashlib.sha1(json.dumps(values, ensure_ascii=False, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def is_paywalled(entry: Mapping[str, Any]) -> bool:
    """A post whose body anonymous readers see only in part: any audience but ``everyone``."""
    audience = entry.get("audience")
    return audience is not None and audience != AUDIENCE_EVERYONE


def public_body_html(entry: Mapping[str, Any]) -> str | None:
    """The body as the API serves it to anyone: ``body_html`` (for a paid post, the part
    before the paywall), else the ``truncated_body_text`` preview; None when neither."""
    body = entry.get("body_html")
    if isinstance(body, str) and body.strip():
        return body
    preview = entry.get("truncated_body_text")
    if isinstance(preview, str) and preview.strip():
        return text_to_html(preview)
    return None


def reaction_count(obj: Mapping[str, Any]) -> int | None:
    """``reaction_count`` where given, else the sum of the ``reactions`` dict ({"❤": 4}); None when neither."""
    count = obj.get("reaction_count")
    if isinstance(count, (int, float)) and not isinstance(count, bool):
        return int(count)
    reactions = obj.get("reactions")
    if isinstance(reactions, dict):
        values = [v for v in reactions.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return int(sum(values)) if values else None
    return None


def _byline_publication(bylines: list[dict], publication_id: Any) -> dict | None:
    """The publication as a byline's ``publicationUsers`` embed it (name, hero_text, author_id ...)."""
    for byline in bylines:
        for membership in byline.get("publicationUsers") or []:
            publication = membership.get("publication") if isinstance(membership, dict) else None
            if isinstance(publication, dict) and str(publication.get("id")) == str(publication_id):
                return publication
    return None


def _blog_item(publication: Mapping[str, Any], key: str, bylines: list[dict]) -> BlogItem:
    author_id = publication.get("author_id")
    owner = next((b for b in bylines if author_id is not None and str(b.get("id")) == str(author_id)), None)
    blog = BlogLoader()
    blog.add_value("id", key)
    blog.add_value("url", publication_home(publication))
    blog.add_value("platform", PLATFORM)
    blog.add_value("platform_id", str(publication.get("id")))
    blog.add_value("title", publication.get("name"))
    blog.add_value("description", publication.get("hero_text"))
    blog.add_value("language", publication.get("language"))
    blog.add_value("author", publication.get("author_name") or (owner or {}).get("name"))
    blog.add_value("author_url", profile_url(publication.get("author_handle") or (owner or {}).get("handle")))
    blog.add_value("status", "ok")
    return blog.load_item()


def publication_home(publication: Mapping[str, Any]) -> str | None:
    """The home page a publication object names: ``base_url``, its custom domain, or the substack.com subdomain."""
    if publication.get("base_url"):
        return blog_root(publication["base_url"])
    if publication.get("custom_domain"):
        return f"https://{publication['custom_domain']}/"
    if publication.get("subdomain"):
        return f"https://{publication['subdomain']}.substack.com/"
    return None


# -- comments -------------------------------------------------------------------------------


def parse_comments(
    body: bytes | str, url: str, blog: str, post_url: str | None = None, author_ids: Iterable[str | int] = ()
) -> list[CommentItem]:
    """A comments answer: the tree as CommentItems, replies nested in ``replies`` (from
    ``children``), each linked to its post and parent."""
    data = _json(body, url)
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise NotSubstackJson(f"{url}: a comments answer is an object with a comments list")
    owners = frozenset(str(i) for i in author_ids)
    post_id = post_id_of_comments_url(url)
    return [_comment_tree(raw, blog, post_id, None, post_url, owners)
            for raw in data["comments"] if isinstance(raw, dict) and raw.get("id") is not None]


def _comment_tree(raw: Mapping[str, Any], blog: str, post_id: str | None, parent: str | None,
                  post_url: str | None, owners: frozenset[str]) -> CommentItem:
    item = comment_item(raw, blog, post_id=post_id, parent_id=parent, post_url=post_url, owners=owners)
    item["replies"] = [
        _comment_tree(child, blog, post_id, item["id"], post_url, owners)
        for child in raw.get("children") or [] if isinstance(child, dict) and child.get("id") is not None
    ]
    return item


def comment_item(raw: Mapping[str, Any], blog: str, post_id: str | int | None = None, parent_id: str | None = None,
                 post_url: str | None = None, owners: frozenset[str] = frozenset()) -> CommentItem:
    """One comment object (a post comment, or a Note: the same schema)."""
    comment_id = str(raw["id"])
    post_id = raw.get("post_id") or post_id
    deleted = raw.get("deleted") is True or (raw.get("body") is None and not raw.get("body_json"))
    loader = CommentLoader()
    loader.add_value("id", comment_key(blog, comment_id))
    loader.add_value("post_id", post_key(blog, post_id) if post_id else None)
    loader.add_value("blog_id", blog)
    loader.add_value("parent_id", parent_id or _ancestor_parent(raw, blog))
    loader.add_value("platform_id", comment_id)
    loader.add_value("author", raw.get("name"))
    loader.add_value("author_url", profile_url(raw.get("handle")))
    loader.add_value("is_blog_author", raw.get("user_id") is not None and str(raw["user_id"]) in owners)
    loader.add_value("published_machine", raw.get("date"))
    if not deleted:
        body = comment_html(raw)
        loader.add_value("content_html", body)
        loader.add_value("content_text", body)
    loader.add_value("url", f"{post_url.rstrip('/')}/comment/{comment_id}" if post_url else None)
    loader.add_value("deleted", deleted)
    loader.add_value("deleted_reason", DELETED_NOTICE if deleted else None)
    loader.add_value("comment_type", "comment")
    loader.add_value("source", SOURCE_API)
    item = loader.load_item()
    item["reaction_count"] = reaction_count(raw)
    return item


def _ancestor_parent(raw: Mapping[str, Any], blog: str) -> str | None:
    """The parent from ``ancestor_path`` (ancestor ids, root first, ``.``- or ``/``-separated;
    empty for a top-level comment): for comments read outside their tree."""
    path = raw.get("ancestor_path")
    ids = [part for part in re.split(r"[./]", path) if part.isdigit()] if isinstance(path, str) else []
    return comment_key(blog, ids[-1]) if ids else None


def comment_html(raw: Mapping[str, Any]) -> str | None:
    """A comment as HTML: its ``body_json`` document (bold, links ... kept) when present,
    else its plain ``body`` text, escaped, paragraphs at blank lines."""
    document = raw.get("body_json")
    if isinstance(document, dict) and document.get("content"):
        rendered = render_document(document)
        if rendered.strip():
            return rendered
    body = raw.get("body")
    return text_to_html(body) if isinstance(body, str) and body.strip() else None


def text_to_html(text: str) -> str:
    """Plain text as HTML: paragraphs at blank lines, ``<br>`` at single line breaks, all escaped."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip())]
    return "".join(
        "<p>" + "<br>".join(html_lib.escape(line, quote=False) for line in p.split("\n")) + "</p>"
        for p in paragraphs if p.strip()
    )


# The editor's document (ProseMirror/Tiptap JSON) as HTML: node and mark names in both
# the snake_case and camelCase spellings Substack's editors have written.
_BLOCKS = {
    "paragraph": "p", "blockquote": "blockquote", "bullet_list": "ul", "bulletList": "ul", "ordered_list": "ol",
    "orderedList": "ol", "list_item": "li", "listItem": "li", "code_block": "pre", "codeBlock": "pre",
}
_MARKS = {"bold": "strong", "strong": "strong", "italic": "em", "em": "em", "code": "code", "strike": "s",
          "strikethrough": "s", "underline": "u"}


def render_document(node: Mapping[str, Any]) -> str:
    kind = node.get("type")
    if kind == "text":
        return _render_marks(html_lib.escape(node.get("text") or "", quote=False), node.get("marks") or [])
    if kind in ("hard_break", "hardBreak"):
        return "<br>"
    if kind in ("horizontal_rule", "horizontalRule"):
        return "<hr>"
    inner = "".join(render_document(child) for child in node.get("content") or [] if isinstance(child, dict))
    attrs = node.get("attrs") if isinstance(node.get("attrs"), dict) else {}
    if kind == "heading":
        level = to_int(attrs.get("level")) or 3
        tag = f"h{min(max(level, 1), 6)}"
        return f"<{tag}>{inner}</{tag}>"
    if kind in _BLOCKS:
        return f"<{_BLOCKS[kind]}>{inner}</{_BLOCKS[kind]}>"
    if not inner and (attrs.get("label") or attrs.get("name")):
        # inline atoms such as mentions keep the name they show
        return html_lib.escape(str(attrs.get("label") or attrs.get("name")), quote=False)
    return inner


def _render_marks(text: str, marks: list) -> str:
    for mark in marks:
        if not isinstance(mark, dict):
            continue
        kind = mark.get("type")
        if kind == "link":
            href = (mark.get("attrs") or {}).get("href")
            if href:
                text = f'<a href="{html_lib.escape(str(href), quote=True)}">{text}</a>'
        elif kind in _MARKS:
            text = f"<{_MARKS[kind]}>{text}</{_MARKS[kind]}>"
    return text


# -- saved answers (newscrawl extract) ----------------------------------------------------------


def parse_saved_json(body: bytes | str, url: str) -> SavedJson:
    """Any saved Substack API answer, told by its shape: an archive page (list), a post
    (flat or ``{"post": ...}``), a profile's post list (``{"posts": [...]}``), a comments
    answer (``{"comments": [...]}``) or a single comment / Note (``{"item": {"comment": ...}}``).
    ``url`` is where it was fetched from (the comments URL names the post)."""
    data = _json(body, url)
    if isinstance(data, list):
        page = parse_archive(body, url)
        return SavedJson("archive", page.blog, [p.item for p in page.posts])
    if not isinstance(data, dict):
        raise NotSubstackJson(f"{url}: not a Substack API answer")
    if isinstance(data.get("comments"), list):
        post_id = post_id_of_comments_url(url)
        publication_id = next((c.get("publication_id") for c in _walk_raw(data["comments"]) if c.get("publication_id")),
                              None)
        key = blog_key(publication_id) if publication_id else f"{PLATFORM}:{urlsplit(url).hostname}"
        tree = parse_comments(body, url, key)
        return SavedJson("comments", None, [], _flatten(tree, post_key(key, post_id) if post_id else None))
    if isinstance(data.get("posts"), list):
        root = blog_root(url)
        posts = [_api_post(e, root, _listed_publication(data, e)) for e in data["posts"]
                 if isinstance(e, dict) and e.get("id") is not None]
        return SavedJson("posts", next((p.blog for p in posts if p.blog), None), [p.item for p in posts])
    if isinstance(data.get("item"), dict) and isinstance(data["item"].get("comment"), dict):
        raw = data["item"]["comment"]
        key = blog_key(raw["publication_id"]) if raw.get("publication_id") else f"{PLATFORM}:{urlsplit(url).hostname}"
        return SavedJson("comment", None, [], [comment_item(raw, key)])
    post = parse_post(body, url)
    return SavedJson("post", post.blog, [post.item])


def parse_document(body: bytes | str, url: str) -> SavedJson:
    """A saved Substack document: an API answer (:func:`parse_saved_json`) or an HTML page
    (:func:`parse_html`); always with a blog row (the host's when the document names no publication)."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if text.lstrip()[:1] == "<":
        from .pages import parse_html  # pages builds on this module's readers

        saved = parse_html(text, url)
    else:
        saved = parse_saved_json(text, url)
    if saved.blog is None:
        key = next((i["blog_id"] for i in [*saved.posts, *saved.comments] if i.get("blog_id")), None)
        saved.blog = BlogLoader.build(id=key or f"{PLATFORM}:{urlsplit(url).hostname}", url=blog_root(url),
                                      platform=PLATFORM)
    return saved


def _listed_publication(data: Mapping[str, Any], entry: Mapping[str, Any]) -> dict | None:
    for publication in data.get("publications") or []:
        if isinstance(publication, dict) and str(publication.get("id")) == str(entry.get("publication_id")):
            return publication
    return None


def _walk_raw(comments: list) -> Iterable[dict]:
    for raw in comments:
        if isinstance(raw, dict):
            yield raw
            yield from _walk_raw(raw.get("children") or [])


def _flatten(tree: list[CommentItem], post_id: str | None) -> list[CommentItem]:
    flat = []
    for comment in tree:
        replies = comment.pop("replies", None) or []
        if post_id and not comment.get("post_id"):
            comment["post_id"] = post_id
        flat.append(comment)
        flat.extend(_flatten(replies, post_id))
    return flat


__all__ = [
    "ARCHIVE_PAGE_SIZE", "ApiPost", "ArchivePage", "NotSubstackJson", "PLATFORM", "SavedJson", "archive_offset",
    "archive_url", "blog_key", "blog_root", "comment_html", "comment_key", "comments_api_url", "feed_url",
    "is_paywalled", "parse_archive", "parse_comments", "parse_document", "parse_post",
    "parse_saved_json", "post_api_url",
    "post_by_id_api_url", "post_key",
    "post_signature", "profile_url", "public_body_html", "reaction_count", "render_document", "text_to_html",
]
