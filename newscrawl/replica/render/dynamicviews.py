"""The ``dynamicviews`` family: the Dynamic Views shell, with no posts or comments in the HTML at all (a crawler
must read the feeds)."""

from __future__ import annotations

from ..model import ReplicaPost
from .base import Template, esc


def _js(value: str) -> str:
    """A JavaScript single-quoted string body the way Blogger writes them (<, >, =, &, quotes as \\xNN)."""
    out = []
    for ch in value:
        if ch in "<>=&'\"\\":
            out.append(f"\\x{ord(ch):02x}")
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


class DynamicViewsTemplate(Template):
    """Dynamic Views (juliasleseblog: ``meta[name=blogger-template][content=dynamic]``): every page is the same
    nearly empty shell (``div.main.section#main`` with no posts, no comments) that script fills from the blog's
    feeds. Head tags still carry the title, canonical URL, ``og:*`` tags and feed links, and
    ``_WidgetManager._SetDataContext`` names ``blogId`` / ``pageType`` / ``postId``. With feeds="none" nothing of
    the content can be read, as on Blogger."""

    name = "dynamicviews"
    VIEWS = ["classic", "flipcard", "magazine", "mosaic", "sidebar", "snapshot", "timeslide"]

    def shell(self, title: str, canonical: str, page_type: str, post: ReplicaPost | None = None) -> str:
        blog, site = self.blog, self.site
        t = esc(blog.title)
        view = self.VIEWS[int(blog.blog_id) % len(self.VIEWS)]
        head = [
            "<!DOCTYPE html>",
            f"<html class='v2' dir='ltr' lang='{blog.language}'>",
            "<head>",
            "<link href='https://www.blogger.com/static/v1/widgets/css_bundle_v2.css' rel='stylesheet' "
            "type='text/css'/>",
            "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
            "<meta content='blogger' name='generator'/>",
            f"<link href='{site.base}/favicon.ico' rel='icon' type='image/x-icon'/>",
            f"<link href='{esc(canonical)}' rel='canonical'/>",
        ]
        head += self.feed_discovery_links(post)
        if post is not None and post.image_url:
            head.append(f"<link href='{esc(post.image_url)}' rel='image_src'/>")
        page_name = post.title if post is not None else ""
        head += [
            f"<meta content='{esc(canonical)}' property='og:url'/>",
            f"<meta content='{esc(page_name or blog.title)}' property='og:title'/>",
            f"<meta content='{t}' property='og:description'/>",
            f"<title>{esc(title)}</title>",
            "<meta content='!' name='fragment'/>",
            "<meta content='dynamic' name='blogger-template'/>",
            "<meta content='IE=9,chrome=1' http-equiv='X-UA-Compatible'/>",
            "<meta content='initial-scale=1.0, maximum-scale=1.0, user-scalable=no, width=device-width' "
            "name='viewport'/>",
            "<style id='page-skin-1' type='text/css'>/* Dynamic Views (replica) */</style>",
            "<script src='//www.blogblog.com/dynamicviews/replica/js/common.js' type='text/javascript'></script>",
            f"<script src='//www.blogblog.com/dynamicviews/replica/js/{view}.js' type='text/javascript'></script>",
            "<script src='//www.blogblog.com/dynamicviews/replica/js/comments.js'></script>",
            "</head>",
        ]
        data = {
            "blogId": blog.blog_id, "title": blog.title, "url": canonical, "canonicalUrl": canonical,
            "homepageUrl": f"{site.base}/", "searchUrl": f"{site.base}/search", "locale": blog.language,
            "isPrivate": "false", "adultContent": "false", "pageType": page_type,
            "pageName": page_name, "pageTitle": title,
        }
        if post is not None:
            data["postId"] = post.post_id
        fields = ", ".join(f"'{k}': {v}" if v in ("true", "false") else f"'{k}': '{_js(v)}'" for k, v in data.items())
        views = ", ".join(f"'{v}': {{'name': '{v}', 'url': '?view\\x3d{v}'}}" for v in self.VIEWS)
        body = [
            f"<body class='variant-{view}'>",
            "<div class='content'>", "<div class='content-outer'>", "<div class='fauxborder-left content-fauxborder-left'>",
            "<div class='content-inner'>", "<div class='main-outer'>", "<div class='fauxborder-left main-fauxborder-left'>",
            "<div class='region-inner main-inner'>", "<div class='columns fauxcolumns'>",
            "<div class='column-center-outer'>", "<div class='column-center-inner'>",
            "<div class='main section' id='main'>", "</div>", "</div>", "</div>",
            "<div class='column-right-outer'>", "<div class='column-right-inner'>", "<aside>",
            "<div class='sidebar section' id='sidebar-right-1'>", "</div>", "</aside>", "</div>", "</div>",
            "<div style='clear: both'></div>", "</div>", "</div>", "</div>", "</div>", "</div>", "</div>", "</div>",
            "</div>",
            "<script language='javascript' type='text/javascript'>\n      window.onload = function() {\n"
            "        blogger.ui().configure().view();\n      };\n    </script>",
            "<script type='text/javascript'>\n"
            f"_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d{blog.blog_id}','{_js(canonical)}',"
            f"'{blog.blog_id}');\n"
            f"_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{{fields}}}}}, "
            f"{{'name': 'view', 'data': {{{views}}}}}]);\n</script>",
            "</body>",
            "</html>",
        ]
        return "\n".join(head + body)

    def list_page(self, title: str, canonical: str, posts: list[ReplicaPost], older_url: str | None,
                  newer_url: str | None, expanded: tuple[int, int | None] | None, status: str = "") -> str:
        page_type = "index" if canonical.rstrip("/") == self.site.base else "archive"
        return self.shell(title, canonical, page_type)

    def post_page(self, post: ReplicaPost, comment_page: int, newer: ReplicaPost | None,
                  older: ReplicaPost | None) -> str:
        title = f"{self.blog.title}: {post.title}" if post.title else self.blog.title
        return self.shell(title, self.site.post_url(post), "item", post)

    def not_found_page(self) -> str:
        return self.shell(self.blog.title, f"{self.site.base}/", "error")

    def label_status(self, label: str) -> str:
        return ""

    def post(self, post: ReplicaPost, single: bool) -> str:  # never rendered: the shell has no posts
        return ""

    def comments(self, post: ReplicaPost, page: int) -> str:
        return ""
