"""Blogger GData feeds of the replica: Atom (default), ``alt=json`` / ``alt=json-in-script`` and ``alt=rss``.

Entries are first built in Blogger's JSON shape (``{"id": {"$t": ...}, "link": [{"rel": ...}], "thr$total": ...}``);
GData JSON is a mechanical mapping of the Atom XML (``$t`` is text, ``a$b`` is ``a:b``, string values are attributes,
lists are repeated elements), so :func:`to_xml` turns the same structure into Atom.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime as http_date
from typing import Any
from urllib.parse import quote, urlencode

from .blogsite import Site
from .formats import UTC, format_datetime, iso_ms
from .model import ReplicaComment, ReplicaPost, pid_for
from .texts import html_to_text

NS = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$georss": "http://www.georss.org/georss",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}
THR_NS = "http://purl.org/syndication/thread/1.0"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
ATOM = "application/atom+xml"
IMG_PROFILE = "https://img1.blogblog.com/img/b16-rounded.gif"
IMG_BLANK = "https://img1.blogblog.com/img/blank.gif"
SUMMARY_CHARS = 400


def t(value: Any) -> dict[str, str]:
    return {"$t": str(value)}


def author_json(name: str, uri: str | None) -> dict[str, Any]:
    a: dict[str, Any] = {"name": t(name)}
    if uri:
        a["uri"] = t(uri)
    a["email"] = t("noreply@blogger.com")
    a["gd$image"] = {"rel": "http://schemas.google.com/g/2005#thumbnail", "width": "16", "height": "16",
                     "src": IMG_PROFILE if uri and "blogger.com/profile/" in uri else IMG_BLANK}
    return a


def post_entry(site: Site, post: ReplicaPost, summary: bool) -> dict[str, Any]:
    blog, base, tz = site.blog, site.base, site.blog.tz
    url = site.post_url(post)
    e: dict[str, Any] = {
        "id": t(f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}"),
        "published": t(iso_ms(post.published, tz)),
        "updated": t(iso_ms(post.updated, tz)),
    }
    if post.labels:
        e["category"] = [{"scheme": LABEL_SCHEME, "term": lb} for lb in post.labels]
    e["title"] = {"type": "text", "$t": post.title}
    if summary:
        text = " ".join(post.content_text.split())
        e["summary"] = {"type": "text", "$t": text[:SUMMARY_CHARS]}
    else:
        e["content"] = {"type": "html", "$t": post.content_html}
    n = len(post.comments)
    e["link"] = [
        {"rel": "replies", "type": ATOM, "href": f"{base}/feeds/{post.post_id}/comments/default",
         "title": "Post Comments"},
        {"rel": "replies", "type": "text/html", "href": f"{url}#comment-form", "title": f"{n} Comments"},
        {"rel": "edit", "type": ATOM, "href": f"{base}/feeds/posts/default/{post.post_id}"},
        {"rel": "self", "type": ATOM, "href": f"{base}/feeds/posts/default/{post.post_id}"},
        # Blogger HTML-escapes the title here before XML-escaping it (title='TDDing .NET&amp;#39;s ...')
        {"rel": "alternate", "type": "text/html", "href": url,
         "title": html.escape(post.title, quote=True).replace("&#x27;", "&#39;")},
    ]
    e["author"] = [author_json(post.author_name, post.author_url)]
    if post.image_url:
        e["media$thumbnail"] = {"xmlns$media": "http://search.yahoo.com/mrss/",
                                "url": post.image_url.replace("/s320/", "/s72-c/"), "height": "72", "width": "72"}
    e["thr$total"] = t(n)
    return e


def comment_title(c: ReplicaComment) -> str:
    text = " ".join(c.content_text.split())
    return text if len(text) <= 50 else text[:50] + "..."


def comment_entry(site: Site, c: ReplicaComment) -> dict[str, Any]:
    blog, base = site.blog, site.base
    post = site.post_by_id[c.post_id]
    url = site.post_url(post)
    self_href = f"{base}/feeds/{post.post_id}/comments/default/{c.comment_id}"
    e: dict[str, Any] = {
        "id": t(f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{c.comment_id}"),
        "published": t(iso_ms(c.published, blog.tz)),
        "updated": t(iso_ms(c.updated, blog.tz)),
        "title": {"type": "text", "$t": comment_title(c)},
        "content": {"type": "html", "$t": c.content_html},
        "link": [
            {"rel": "edit", "type": ATOM, "href": self_href},
            {"rel": "self", "type": ATOM, "href": self_href},
            {"rel": "alternate", "type": "text/html", "href": f"{url}?showComment={c.epoch_ms}#c{c.comment_id}",
             "title": ""},
        ],
    }
    if c.parent_id:
        e["link"].append({"rel": "related", "type": ATOM,
                          "href": f"{base}/feeds/{post.post_id}/comments/default/{c.parent_id}"})
    e["author"] = [author_json(c.author_name, c.author_url)]
    e["thr$in-reply-to"] = {"xmlns$thr": THR_NS, "href": url,
                            "ref": f"tag:blogger.com,1999:blog-{blog.blog_id}.post-{post.post_id}",
                            "source": f"{base}/feeds/posts/default/{post.post_id}", "type": "text/html"}
    props = [{"name": "blogger.itemClass", "value": pid_for(c.author_name, c.author_url)},
             {"name": "blogger.displayTime",
              "value": format_datetime(c.published.astimezone(blog.tz), blog.comment_timestamp_format,
                                       blog.language)}]
    if c.removed:
        props.append({"name": "blogger.contentRemoved", "value": "true"})
    e["gd$extendedProperty"] = props
    return e


@dataclass
class FeedPage:
    """What a feed request selected: the entries of this page and the numbers for openSearch and links."""

    kind: str  # "posts" or "comments"
    feed_id: str
    self_path: str  # e.g. /feeds/posts/default
    entries: list[Any]
    total: int
    start_index: int
    items_per_page: int
    params: dict[str, str]  # the request's other query parameters, kept in next/previous links
    updated: datetime
    summary: bool = False
    title: str | None = None


def _link_href(site: Site, page: FeedPage, start: int) -> str:
    q = dict(page.params)
    q["start-index"] = str(start)
    q["max-results"] = str(page.items_per_page)
    return f"{site.base}{page.self_path}?{urlencode(q, safe=':')}"


def feed_json(site: Site, page: FeedPage) -> dict[str, Any]:
    blog, base = site.blog, site.base
    feed: dict[str, Any] = dict(NS)
    feed["id"] = t(page.feed_id)
    feed["updated"] = t(iso_ms(page.updated, blog.tz))
    if page.kind == "posts":
        labels = site.all_labels()
        if labels:
            feed["category"] = [{"term": lb} for lb in labels]
    feed["title"] = {"type": "text", "$t": page.title or blog.title}
    feed["subtitle"] = {"type": "html", "$t": blog.description}
    alt = page.params.get("alt")
    self_q = f"?alt={alt}" if alt and alt != "atom" else ""
    links = [
        {"rel": "http://schemas.google.com/g/2005#feed", "type": ATOM, "href": f"{base}{page.self_path}"},
        {"rel": "self", "type": ATOM, "href": f"{base}{page.self_path}{self_q}"},
        {"rel": "alternate", "type": "text/html", "href": f"{base}/"},
        {"rel": "hub", "href": "http://pubsubhubbub.appspot.com/"},
    ]
    if page.start_index > 1 and page.items_per_page > 0:
        links.append({"rel": "previous", "type": ATOM,
                      "href": _link_href(site, page, max(1, page.start_index - page.items_per_page))})
    shown = len(page.entries)
    if page.items_per_page > 0 and page.start_index - 1 + shown < page.total:
        links.append({"rel": "next", "type": ATOM, "href": _link_href(site, page, page.start_index + shown)})
    feed["link"] = links
    feed["author"] = [author_json(blog.author_name, blog.author_url)]
    feed["generator"] = {"version": "7.00", "uri": "http://www.blogger.com", "$t": "Blogger"}
    feed["openSearch$totalResults"] = t(page.total)
    feed["openSearch$startIndex"] = t(page.start_index)
    feed["openSearch$itemsPerPage"] = t(page.items_per_page)
    if page.entries:  # like Blogger: no "entry" key at all when there is nothing
        if page.kind == "posts":
            feed["entry"] = [post_entry(site, p, page.summary) for p in page.entries]
        else:
            feed["entry"] = [comment_entry(site, c) for c in page.entries]
    return {"version": "1.0", "encoding": "UTF-8", "feed": feed}


# ---------------------------------------------------------------------------------------------------- serializers

def _xesc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _aesc(s: str) -> str:
    return _xesc(s).replace("'", "&apos;").replace("\n", "&#10;")


def to_xml(name: str, obj: dict[str, Any], out: list[str]) -> None:
    tag = name.replace("$", ":")
    attrs = "".join(f" {k.replace('$', ':')}='{_aesc(v)}'" for k, v in obj.items()
                    if isinstance(v, str) and k != "$t")
    if tag == "thr:total":  # Blogger declares thr inline here (see the CoryFoy feed)
        attrs = f" xmlns:thr='{THR_NS}'" + attrs
    children = [(k, v) for k, v in obj.items() if isinstance(v, (dict, list))]
    text = obj.get("$t")
    if text is None and not children:
        out.append(f"<{tag}{attrs}/>")
        return
    out.append(f"<{tag}{attrs}>")
    if text is not None:
        out.append(_xesc(text))
    for k, v in children:
        for item in (v if isinstance(v, list) else [v]):
            to_xml(k, item, out)
    out.append(f"</{tag}>")


XML_HEAD = ("<?xml version='1.0' encoding='UTF-8'?>"
            "<?xml-stylesheet href=\"http://www.blogger.com/styles/atom.css\" type=\"text/css\"?>")


def atom_document(doc: dict[str, Any]) -> str:
    out = [XML_HEAD]
    if "feed" in doc:
        to_xml("feed", doc["feed"], out)
    else:
        to_xml("entry", doc["entry"], out)
    return "".join(out)


def single_entry_json(site: Site, entry: dict[str, Any]) -> dict[str, Any]:
    return {"version": "1.0", "encoding": "UTF-8", "entry": {**NS, **entry}}


def json_document(doc: dict[str, Any], callback: str | None = None) -> str:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if callback:
        return f"// API callback\n{callback}({body});"
    return body


def _rfc822(dt: datetime) -> str:
    return http_date(dt.astimezone(UTC), usegmt=False).replace("-0000", "+0000")


def rss_document(site: Site, doc: dict[str, Any]) -> str:
    """RSS 2.0 view of the same feed (alt=rss)."""
    f = doc["feed"]
    ns = " ".join(f"{k.replace('$', ':') if k != 'xmlns' else 'xmlns:atom'}='{v}'" for k, v in NS.items())
    out = [f"<?xml version='1.0' encoding='UTF-8'?><rss {ns} version='2.0'><channel>",
           f"<atom:id>{_xesc(f['id']['$t'])}</atom:id>",
           f"<lastBuildDate>{_rfc822(datetime.fromisoformat(f['updated']['$t']))}</lastBuildDate>"]
    for c in f.get("category", []):
        out.append(f"<category>{_xesc(c['term'])}</category>")
    out += [f"<title>{_xesc(f['title']['$t'])}</title>", f"<description>{_xesc(f['subtitle']['$t'])}</description>",
            f"<link>{site.base}/</link>",
            f"<managingEditor>noreply@blogger.com ({_xesc(site.blog.author_name)})</managingEditor>",
            "<generator>Blogger</generator>"]
    for ln in f["link"]:
        if ln["rel"] in ("next", "previous", "self"):
            href = ln["href"].replace("alt=atom", "alt=rss")
            if "alt=" not in href:
                href += ("&" if "?" in href else "?") + "alt=rss"
            out.append(f"<atom:link rel='{ln['rel']}' type='application/rss+xml' href='{_aesc(href)}'/>")
    for k in ("openSearch$totalResults", "openSearch$startIndex", "openSearch$itemsPerPage"):
        tag = k.replace("$", ":")
        out.append(f"<{tag}>{f[k]['$t']}</{tag}>")
    for e in f.get("entry", []):
        alt = next(ln["href"] for ln in e["link"] if ln["rel"] == "alternate")
        out.append("<item>")
        out.append(f"<guid isPermaLink='false'>{_xesc(e['id']['$t'])}</guid>")
        out.append(f"<pubDate>{_rfc822(datetime.fromisoformat(e['published']['$t']))}</pubDate>")
        out.append(f"<atom:updated>{e['updated']['$t']}</atom:updated>")
        for c in e.get("category", []):
            out.append(f"<category domain='{LABEL_SCHEME}'>{_xesc(c['term'])}</category>")
        out.append(f"<title>{_xesc(e['title']['$t'])}</title>")
        body = e["content"]["$t"] if "content" in e else e["summary"]["$t"]
        out.append(f"<description>{_xesc(body)}</description>")
        out.append(f"<link>{_xesc(alt)}</link>")
        a = e["author"][0]
        out.append(f"<author>{_xesc(a['email']['$t'])} ({_xesc(a['name']['$t'])})</author>")
        if "thr$total" in e:
            out.append(f"<thr:total>{e['thr$total']['$t']}</thr:total>")
        if "thr$in-reply-to" in e:
            r = e["thr$in-reply-to"]
            out.append(f"<thr:in-reply-to href='{_aesc(r['href'])}' ref='{_aesc(r['ref'])}' "
                       f"source='{_aesc(r['source'])}' type='text/html'/>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out)


def label_path(labels: list[str]) -> str:
    return "/".join(quote(lb, safe="") for lb in labels)


__all__ = ["FeedPage", "atom_document", "comment_entry", "feed_json", "json_document", "post_entry",
           "rss_document", "single_entry_json", "html_to_text"]
