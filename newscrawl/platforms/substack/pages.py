"""Saved Substack pages (``newscrawl extract``): a post page's preloaded JSON (``window._preloads``),
read with the API parsers of this package, or, in a page saved after rendering, its JSON-LD; a Note's
page; a newsletter email.  The crawl reads the API instead (see the package docstring)."""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Any, Mapping
from urllib.parse import urlsplit

from lxml import html as lxml_html

from ...loaders import BlogLoader, CommentLoader, PostLoader, html_fragment
from . import PLATFORM, SavedJson, _api_post, _comment_tree, blog_key, blog_root, comment_key, post_key, text_to_html
from ..markup import html_document


# A post page's data as the page's script receives it: ``window._preloads = JSON.parse("...")``.
_PRELOADS = re.compile(r"""window\._preloads\s*=\s*JSON\.parse\(("(?:[^"\\]|\\.)*")\)""")
_LD_JSON = re.compile(r"""<script[^>]+application/ld\+json[^>]*>(.*?)</script>""", re.DOTALL | re.IGNORECASE)
_PAGE_POST_ID = re.compile(r"""[?&]post_id=(\d+)|/api/v1/post_preview/(\d+)/|%2Fapi%2Fv1%2Fpost_preview%2F(\d+)%2F|/i/(\d+)/""")
_PAGE_PUBLICATION_ID = re.compile(r"""[?&]publication_id=(\d+)""")
_BODY = re.compile(r"""<div[^>]*class=["'][^"']*\bavailable-content\b[^>]*>(.*)""", re.DOTALL)


def parse_html(body: bytes | str, url: str) -> SavedJson:
    """A saved Substack page.  A post page's post and comment tree are in its preloaded JSON
    (``window._preloads``: ``post``, ``pub``, ``comments``), read as the API answers are; a page
    saved after rendering (no preloads) is read from its JSON-LD (``NewsArticle``: the post, dates
    as written; ``SocialMediaPosting``: a Note, which belongs to no post).  Comments a page only
    renders by script are not in it: the API has them (``comments_api_url``)."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    match = _PRELOADS.search(text)
    if match:
        data = json.loads(json.loads(match.group(1)))
        if isinstance(data.get("post"), dict):
            return _preloaded_post(data, url)
    for block in _LD_JSON.findall(text):
        try:
            data = json.loads(html_lib.unescape(block) if "&quot;" in block else block)
        except ValueError:
            continue
        for entry in data if isinstance(data, list) else [data]:
            kind = entry.get("@type") if isinstance(entry, dict) else None
            if kind in ("NewsArticle", "Article", "BlogPosting"):
                return _linked_data_post(entry, text, url)
            if kind == "SocialMediaPosting":
                return _linked_data_note(entry, url)
    return _email_post(text, url)


def _preloaded_post(data: Mapping[str, Any], url: str) -> SavedJson:
    api = _api_post(data["post"], blog_root(url), data.get("pub") if isinstance(data.get("pub"), dict) else None)
    post_url = api.item.get("url") or url
    comments = data.get("comments") if isinstance(data.get("comments"), list) else []
    api.item["comments"] = [_comment_tree(raw, api.item["blog_id"], api.platform_id, None, post_url, api.author_ids)
                            for raw in comments if isinstance(raw, dict) and raw.get("id") is not None]
    return SavedJson("page", api.blog, [api.item], post_page=True)


def _linked_data_post(entry: Mapping[str, Any], text: str, url: str) -> SavedJson:
    publisher = entry.get("publisher") if isinstance(entry.get("publisher"), dict) else {}
    publication_id = _prefixed_id(publisher.get("identifier"), "pub") or match_first(_PAGE_PUBLICATION_ID, text)
    post_id = match_first(_PAGE_POST_ID, text)
    key = blog_key(publication_id) if publication_id else f"{PLATFORM}:{urlsplit(url).hostname}"
    authors = [a for a in (entry.get("author") or []) if isinstance(a, dict)]
    body = _BODY.search(text)
    post = PostLoader.build(
        id=post_key(key, post_id) if post_id else None, blog_id=key, platform_id=post_id,
        url=entry.get("url") or url, title=entry.get("headline"),
        author=", ".join(a["name"] for a in authors if a.get("name")) or None,
        author_url=authors[0].get("url") if authors else None,
        published_machine=entry.get("datePublished"), updated_machine=entry.get("dateModified"),
        content_html=_available_content(body.group(1)) if body else None,
        content_text=_available_content(body.group(1)) if body else None,
        comment_count=_interaction_count(entry, "CommentAction"), source="html",
    )
    # set past the loader: its text processors would turn the numbers into strings
    post["reaction_count"] = _interaction_count(entry, "LikeAction")
    post["paywalled"] = None if entry.get("isAccessibleForFree") is None else int(not entry["isAccessibleForFree"])
    post["comments"] = []  # rendered by script: not in a saved page
    blog = BlogLoader.build(id=key, url=blog_root(publisher.get("url") or url), platform=PLATFORM,
                            platform_id=publication_id, title=publisher.get("name"),
                            description=publisher.get("description"))
    return SavedJson("page", blog, [post], post_page=True)


def _linked_data_note(entry: Mapping[str, Any], url: str) -> SavedJson:
    """A Note's page: a comment object that belongs to no post (stored nowhere; its author's blog row)."""
    author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
    key = f"{PLATFORM}:{urlsplit(url).hostname}"
    note = CommentLoader.build(id=comment_key(key, str(entry.get("identifier") or "").removeprefix("c-")),
                               blog_id=key, author=author.get("name"), published_machine=entry.get("dateCreated"),
                               content_html=text_to_html(entry.get("text") or ""), url=entry.get("url") or url,
                               comment_type="comment", source="html")
    return SavedJson("note", None, [], [note])


def _email_post(text: str, url: str) -> SavedJson:
    """A newsletter email: the post it carries (ids from its links); its date shows no year, so none is kept."""
    doc = html_document(text)
    publication_id, post_id = match_first(_PAGE_PUBLICATION_ID, text), match_first(_PAGE_POST_ID, text)
    key = blog_key(publication_id) if publication_id else f"{PLATFORM}:{urlsplit(url).hostname}"
    bodies = doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' body ')][contains(@class, 'markup')]")
    inner = "".join(lxml_html.tostring(c, encoding="unicode") for c in bodies[0]) if bodies else None
    titles = [t.text_content().strip() for t in doc.xpath("//*[contains(@class, 'post-title')]")] + doc.xpath("//title/text()")
    post = PostLoader.build(id=post_key(key, post_id) if post_id else None, blog_id=key, platform_id=post_id,
                            url=url, title=titles, content_html=inner, content_text=inner, source="email")
    post["comments"] = []
    return SavedJson("email", None, [post], post_page=True)


def _available_content(fragment: str) -> str | None:
    found = html_fragment(fragment).xpath(
        "(.//div[contains(concat(' ', normalize-space(@class), ' '), ' markup ')])[1]")
    return "".join(lxml_html.tostring(c, encoding="unicode") for c in found[0]) if found else None


def _interaction_count(entry: Mapping[str, Any], action: str) -> int | None:
    for counter in entry.get("interactionStatistic") or []:
        if isinstance(counter, dict) and str(counter.get("interactionType", "")).endswith("/" + action):
            return counter.get("userInteractionCount")
    return None


def _prefixed_id(value: Any, prefix: str) -> str | None:
    text = str(value or "")
    return text.split(":", 1)[1] if text.startswith(prefix + ":") and text.split(":", 1)[1].isdigit() else None


def match_first(pattern: re.Pattern, text: str) -> str | None:
    match = pattern.search(text)
    return next((g for g in match.groups() if g), None) if match else None
