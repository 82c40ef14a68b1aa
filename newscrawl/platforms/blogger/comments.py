"""Comments on a Blogger post page: the threaded widget (``comment-thread`` / ``comment-replies``) and
the classic list (``comment-author`` / ``comment-body`` / ``comment-footer``), their authors, and
Blogger's notices for removed comments."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from ...items import CommentItem
from ...loaders import CommentLoader, collapse_whitespace
from ..markup import has_class as _cls, inner_html, match_group, strip_said
from .ids import canonical_post_url, comment_key, epoch_ms_from_permalink, post_key
from .query import PageIndex, joined_text, select, select_in

_COMMENT_ID = re.compile(r"^c(\d+)$")

# Blogger's removal notices, shown instead of a removed comment's text.  Templates
# mark them with span.deleted-comment; newer themes print the bare sentence, so the
# sentence itself is recognised too (only when it is the whole comment).
REMOVED_NOTICE = re.compile(
    r"^\s*(this comment has been removed by|dieser kommentar wurde .{0,40}entfernt|"
    r"ce commentaire a été supprimé par|este comentario ha sido eliminado por|"
    r"questo commento è stato eliminato|este comentário foi removido|"
    r"этот комментарий был удален|автор удалил этот комментарий|deze reactie is verwijderd)"
    r"[^<>]{0,60}$",
    re.IGNORECASE,
)


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
        for li in select(thread, "./ol/li | ./ol/div/li | ./ul/li"):
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
    header = select_in(own, f".//*[{_cls('comment-header')}]") or own
    author = select_in(header, ".//cite") or select_in(header, f".//*[{_cls('user')}]")
    body = select_in(own, f".//*[{_cls('comment-content')}]")
    stamp_links = select_in(own, ".//a[contains(@href,'showComment=')]")
    is_owner = bool(select_in(header, f"descendant-or-self::*[{_cls('blog-author')}]"))
    item = _comment_item(
        blog, post_id, post_url, comment_id,
        author_el=author[0] if author else None,
        body_el=body[0] if body else None,
        stamp_el=stamp_links[0] if stamp_links else (select_in(own, f".//*[{_cls('datetime')}]") or [None])[0],
        is_owner=is_owner,
    )
    replies = []
    for container in (child for child in li if _is_reply_container(child)):
        for reply_li in select(container, f".//li[{_cls('comment')}]"):
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
        names = [n for n in select(author_el, ".//a/@name") if _COMMENT_ID.match(n)]
        comment_id = match_group(_COMMENT_ID, names[0]) if names else None
    if comment_id is None or comment_id in seen:
        return None
    seen.add(comment_id)
    body = _following_sibling_with_class(author_el, "comment-body")
    footer = _following_sibling_with_class(author_el, "comment-footer")
    stamp = None
    for scope in (footer, body, author_el):
        if scope is not None:
            links = select(scope, ".//a[contains(@href,'showComment=')]") or select(
                scope, f".//*[{_cls('comment-timestamp')}]"
            )
            if links:
                stamp = links[0]
                break
    is_owner = "blog-author" in (author_el.get("class") or "").split() or bool(
        select(author_el, f".//*[{_cls('blog-author')}]")
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
    removed = select(body_el, f".//*[{_cls('deleted-comment')}]") if body_el is not None else []
    notice = joined_text(removed) if removed else joined_text([body_el]) if body_el is not None else None
    deleted = bool(removed or (notice and REMOVED_NOTICE.match(notice)))
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
        published_raw=joined_text([stamp_el]) if stamp_el is not None else None,
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
        a for a in select(author_el, ".//a[@href]")
        if not select(a, f"ancestor::*[{_cls('avatar-image-container')}]")
    ]
    if links:
        name = collapse_whitespace(links[0].text_content())
        if name:
            return name, links[0].get("href")
    if classic:
        # "NAME said..." is loose text beside the avatar: take the element's own text.
        own_text = " ".join(
            t for t in select(author_el, "./text() | ./span[not(@class)]/text()") if t.strip()
        )
        lines = [line.strip() for line in own_text.splitlines() if line.strip()]
        name = collapse_whitespace(strip_said(" ".join(lines[:1]) if len(lines) > 1 else own_text))
        if name:
            return name, None
        titles = select(author_el, ".//img/@title")
        return (collapse_whitespace(titles[0]) if titles else None), None
    return collapse_whitespace(author_el.text_content()), None


def _unwrap_single_paragraph(element):
    """The classic ``dd.comment-body`` wraps the comment in one ``<p>``: store its inside."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) == 1 and children[0].tag == "p" and not (element.text or "").strip():
        return children[0]
    return element
