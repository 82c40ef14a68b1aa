"""What every Blogger template family shares: the page chrome (head, header, sidebar with the blog archive,
footer), post lists and the hooks a family overrides for its post and comment markup (:class:`Template`), and the
small escaping and URL helpers of all families."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from ..blogsite import Site
from ..formats import MONTHS_STANDALONE, format_datetime, iso_s
from ..model import ReplicaComment, ReplicaPost, pid_for
from .strings import STRINGS, count_text

ANON_AVATAR = "//resources.blogblog.com/img/blank.gif"


def esc(s: str) -> str:
    """Escape for text and single- or double-quoted attributes."""
    return escape(s, quote=True).replace("&#x27;", "&#39;")


def label_url(site: Site, label: str) -> str:
    return f"{site.base}/search/label/{quote(label, safe='')}"


def avatar_url(c: ReplicaComment) -> str:
    if c.author_url and "blogger.com/profile/" in c.author_url:
        return f"//blogger.googleusercontent.com/img/b/avatar/{c.author_url.rsplit('/', 1)[-1][-8:]}/s35/photo.jpg"
    return ANON_AVATAR


class Template:
    """Shared page chrome; families override the post and comment parts."""

    name = "base"
    threaded_comments = False  # True: the threaded widget (replies nested, comment pages hold whole threads)

    def __init__(self, site: Site):
        self.site = site
        self.blog = site.blog
        self.lang = site.blog.language
        self.s = STRINGS[self.lang]

    # ---------------------------------------------------------------- page chrome
    def feed_discovery_links(self, post: ReplicaPost | None) -> list[str]:
        """The feed autodiscovery links of ``head`` (a post page adds its comments feed); none with feeds off."""
        site, blog = self.site, self.blog
        t = esc(blog.title)
        if site.feeds == "none":
            return []
        out = [
            f'<link rel="alternate" type="application/atom+xml" title="{t} - Atom" '
            f'href="{site.base}/feeds/posts/default" />',
            f'<link rel="alternate" type="application/rss+xml" title="{t} - RSS" '
            f'href="{site.base}/feeds/posts/default?alt=rss" />',
            f'<link rel="service.post" type="application/atom+xml" title="{t} - Atom" '
            f'href="https://www.blogger.com/feeds/{blog.blog_id}/posts/default" />',
        ]
        if post is not None:
            out.append(f'<link rel="alternate" type="application/atom+xml" title="{t} - Atom" '
                       f'href="{site.base}/feeds/{post.post_id}/comments/default" />')
        return out

    def head(self, title: str, canonical: str, post: ReplicaPost | None = None) -> str:
        site, blog = self.site, self.blog
        out = [
            "<!DOCTYPE html>",
            self.html_tag(),
            "<head>",
            f"<meta content='{self.viewport}' name='viewport'/>",
            "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
            "<meta content='blogger' name='generator'/>",
            f"<link href='{site.base}/favicon.ico' rel='icon' type='image/x-icon'/>",
            f"<link href='{esc(canonical)}' rel='canonical'/>",
        ]
        out += self.feed_discovery_links(post)
        out += [
            f'<link rel="EditURI" type="application/rsd+xml" title="RSD" '
            f'href="https://www.blogger.com/rsd.g?blogID={blog.blog_id}" />',
            f"<title>{esc(title)}</title>",
            f"<meta content='{esc(canonical)}' property='og:url'/>",
            f"<meta content='{esc(title)}' property='og:title'/>",
        ]
        if post is not None and post.image_url:
            out.append(f"<meta content='{esc(post.image_url)}' property='og:image'/>")
        out += ["<style id='page-skin-1' type='text/css'><!--", "/* Blogger Template Style: replica of "
                f"{self.name} */", ".deleted-comment { font-style:italic; color:gray; }", "--></style>",
                "</head>"]
        return "\n".join(out)

    viewport = "width=1100"

    def html_tag(self) -> str:
        return (f"<html class='v2' dir='ltr' lang='{self.blog.language}' xmlns='http://www.w3.org/1999/xhtml' "
                "xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' "
                "xmlns:expr='http://www.google.com/2005/gml/expr'>")

    def page(self, title: str, canonical: str, main: str, expanded: tuple[int, int | None] | None,
             post: ReplicaPost | None = None, body_class: str = "index") -> str:
        blog, site = self.blog, self.site
        parts = [
            self.head(title, canonical, post),
            f"<body class='loading {body_class}'>",
            "<div class='content'>",
            "<div class='content-outer'>",
            "<header>",
            "<div class='header section' id='header'><div class='widget Header' data-version='1' id='Header1'>",
            "<div id='header-inner'>",
            "<div class='titlewrapper'>",
            "<h1 class='title'>",
            f"<a href='{site.base}/'>{esc(blog.title)}</a>",
            "</h1>",
            "</div>",
            "<div class='descriptionwrapper'>",
            f"<p class='description'><span>{esc(blog.description)}</span></p>",
            "</div>",
            "</div>",
            "</div></div>",
            "</header>",
            "<div class='main-outer'>",
            "<div class='columns fauxcolumns'>",
            "<div class='columns-inner'>",
            "<div class='column-center-outer'>",
            "<div class='column-center-inner'>",
            "<div class='main section' id='main' name='Main'><div class='widget Blog' data-version='1' id='Blog1'>",
            main,
            "</div></div>",
            "</div>",
            "</div>",
            "<div class='column-right-outer'>",
            "<div class='column-right-inner'>",
            "<aside>",
            "<div class='sidebar section' id='sidebar-right-1'>",
            self.profile_widget(),
            self.archive_widget(expanded),
            "</div>",
            "</aside>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
            "<footer>",
            "<div class='footer-outer'>",
            f"<div class='widget Attribution' id='Attribution1'><div class='widget-content' style='text-align: "
            f"center;'>Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div></div>",
            "</div>",
            "</footer>",
            "</div>",
            "</div>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts)

    def profile_widget(self) -> str:
        blog = self.blog
        return "\n".join([
            "<div class='widget Profile' data-version='1' id='Profile1'>",
            f"<h2>{self.s['about_me']}</h2>",
            "<div class='widget-content'>",
            "<dl class='profile-datablock'>",
            "<dt class='profile-data'>",
            f"<a class='profile-name-link g-profile' href='{esc(blog.author_url)}' rel='author' "
            f"style='background-image: url(//www.blogger.com/img/logo-16.png);'>",
            esc(blog.author_name),
            "</a>",
            "</dt>",
            "</dl>",
            f"<a class='profile-link' href='{esc(blog.author_url)}' rel='author'>{self.s['view_profile']}</a>",
            "<div class='clear'></div>",
            "</div>",
            "</div>",
        ])

    def archive_widget(self, expanded: tuple[int, int | None] | None) -> str:
        """BlogArchive1 in 'hierarchy' style: every year and month, the expanded month lists all its posts."""
        site = self.site
        archive = site.archive()  # [(year, count, [(month, [posts newest first])...])...] newest first
        exp_year, exp_month = expanded if expanded else (None, None)
        months = self.lang_months()
        out = [
            "<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>",
            f"<h2>{self.s['archive']}</h2>",
            "<div class='widget-content'>",
            "<div id='ArchiveList'>",
            "<div id='BlogArchive1_ArchiveList'>",
        ]
        for year, ycount, mlist in archive:
            yopen = year == exp_year
            out += [
                "<ul class='hierarchy'>",
                f"<li class='archivedate {'expanded' if yopen else 'collapsed'}'>",
                self._toggle(yopen),
                f"<a class='post-count-link' href='{site.base}/{year}/'>{year}</a>",
                f"<span class='post-count' dir='ltr'>({ycount})</span>",
            ]
            for month, mposts in mlist:
                mopen = yopen and month == exp_month
                out += [
                    "<ul class='hierarchy'>",
                    f"<li class='archivedate {'expanded' if mopen else 'collapsed'}'>",
                    self._toggle(mopen),
                    f"<a class='post-count-link' href='{site.base}/{year}/{month:02d}/'>{months[month - 1]}</a>",
                    f"<span class='post-count' dir='ltr'>({len(mposts)})</span>",
                ]
                if mopen:
                    out.append("<ul class='posts'>")
                    for p in mposts:
                        title = p.title if len(p.title) <= 50 else p.title[:50] + "..."
                        out.append(f"<li><a href='{site.post_url(p)}'>{esc(title)}</a></li>")
                    out.append("</ul>")
                out += ["</li>", "</ul>"]
            out += ["</li>", "</ul>"]
        out += ["</div>", "</div>", "<div class='clear'></div>", "</div>", "</div>"]
        return "\n".join(out)

    @staticmethod
    def _toggle(is_open: bool) -> str:
        if is_open:
            return ("<a class='toggle' href='javascript:void(0)'>\n<span class='zippy toggle-open'>&#9660;&#160;"
                    "</span>\n</a>")
        return ("<a class='toggle' href='javascript:void(0)'>\n<span class='zippy'>\n\n          &#9658;&#160;\n"
                "        \n</span>\n</a>")

    def lang_months(self) -> list[str]:
        return MONTHS_STANDALONE[self.lang]

    # ---------------------------------------------------------------- posts
    def date_header(self, post: ReplicaPost) -> str:
        return esc(format_datetime(post.published, self.blog.date_header_format, self.lang))

    def posts_block(self, posts: list[ReplicaPost], single: ReplicaPost | None = None,
                    comment_page: int = 1) -> str:
        """div.blog-posts.hfeed with Blogger's date grouping (one date-outer per local day)."""
        out = ["<div class='blog-posts hfeed'>"]
        last_day = None
        for p in posts:
            day = p.published.date()
            if day != last_day:
                if last_day is not None:
                    out.append("\n        </div></div>\n      ")
                out.append("\n          <div class=\"date-outer\">\n        ")
                out.append(f"<h2 class='date-header'><span>{self.date_header(p)}</span></h2>")
                out.append("\n          <div class=\"date-posts\">\n        ")
                last_day = day
            out.append("<div class='post-outer'>")
            out.append(self.post(p, single is not None))
            if single is not None:
                out.append(self.comments(p, comment_page))
            out.append("</div>")
        if last_day is not None:
            out.append("\n        </div></div>\n      ")
        out.append("</div>")
        return "\n".join(out)

    def title_html(self, post: ReplicaPost, single: bool) -> str:
        if not post.title:
            return ""
        inner = esc(post.title) if single else f"<a href='{self.site.post_url(post)}'>{esc(post.title)}</a>"
        return f"<h3 class='post-title entry-title'{self.title_attrs}>\n{inner}\n</h3>"

    title_attrs = ""

    def timestamp_html(self, post: ReplicaPost) -> str:
        url = self.site.post_url(post)
        shown = esc(format_datetime(post.published, self.blog.timestamp_format, self.lang))
        return (f"<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'>"
                f"<abbr class='published'{self.abbr_attrs} title='{iso_s(post.published)}'>{shown}</abbr></a>")

    abbr_attrs = ""

    def labels_html(self, post: ReplicaPost) -> str:
        if not post.labels:
            return ""
        links = ",\n".join(f"<a href='{label_url(self.site, lb)}' rel='tag'>{esc(lb)}</a>" for lb in post.labels)
        return f"<span class='post-labels'>\n{self.s['labels']}\n{links}\n</span>"

    def comment_link_html(self, post: ReplicaPost, single: bool) -> str:
        if single:
            return "<span class='post-comment-link'>\n</span>"
        return (f"<span class='post-comment-link'>\n<a class='comment-link' href='{self.site.post_url(post)}"
                f"#comment-form' onclick=''>{count_text(self.lang, len(post.comments))}</a>\n</span>")

    def share_html(self, post: ReplicaPost) -> str:
        b = f"https://www.blogger.com/share-post.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}"
        s = self.s
        return ("<div class='post-share-buttons goog-inline-block'>"
                f"<a class='goog-inline-block share-button sb-email' href='{b}&amp;target=email' target='_blank' "
                f"title='{s['email_this']}'><span class='share-button-link-text'>{s['email_this']}</span></a>"
                f"<a class='goog-inline-block share-button sb-blog' href='{b}&amp;target=blog' target='_blank' "
                f"title='{s['blog_this']}'><span class='share-button-link-text'>{s['blog_this']}</span></a>"
                f"<a class='goog-inline-block share-button sb-twitter' href='{b}&amp;target=twitter' "
                f"target='_blank' title='{s['share_twitter']}'><span class='share-button-link-text'>"
                f"{s['share_twitter']}</span></a>"
                f"<a class='goog-inline-block share-button sb-facebook' href='{b}&amp;target=facebook' "
                f"target='_blank' title='{s['share_facebook']}'><span class='share-button-link-text'>"
                f"{s['share_facebook']}</span></a></div>")

    def post_icons(self, post: ReplicaPost) -> str:
        return ("<span class='post-icons'>\n"
                f"<span class='item-control blog-admin {pid_for(post.author_name, post.author_url)}'>\n"
                f"<a href='https://www.blogger.com/post-edit.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}"
                f"&amp;from=pencil' title='{self.s['edit_post']}'>\n<img alt='' class='icon-action' height='18' "
                "src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif' width='18'/>\n</a>\n</span>\n</span>")

    def post(self, post: ReplicaPost, single: bool) -> str:
        raise NotImplementedError

    def comments(self, post: ReplicaPost, page: int) -> str:
        raise NotImplementedError

    # ---------------------------------------------------------------- comment paging (shared)
    def paging_html(self, post: ReplicaPost, page: int, pages: list[list[ReplicaComment]]) -> str:
        """Blogger's classic comment paging: '«Oldest ‹Older 1 – 200 of 320 Newer› Newest»'."""
        if len(pages) <= 1:
            return ""
        url = self.site.post_url(post)
        total = sum(len(p) for p in pages)
        first = sum(len(p) for p in pages[:page - 1]) + 1
        last = first + len(pages[page - 1]) - 1
        s = self.s
        out = ["<span class='paging-control-container'>"]
        if page > 1:
            out += [f"<a class='paging-control' href='{url}?commentPage=1'>{s['oldest']}</a>", "&#160;",
                    f"<a class='paging-control' href='{url}?commentPage={page - 1}'>{s['older']}</a>", "&#160;"]
        out.append(f"{first} &#8211; {last} {s['of']} {total}")
        if page < len(pages):
            out += ["&#160;", f"<a class='paging-control' href='{url}?commentPage={page + 1}'>{s['newer']}</a>",
                    "&#160;", f"<a class='paging-control' href='{url}?commentPage={len(pages)}'>{s['newest']}</a>"]
        out.append("</span>")
        return "\n".join(out)

    def removed_html(self, c: ReplicaComment) -> str:
        return f"<span class='deleted-comment'>{c.content_html}</span>"

    def display_time(self, c: ReplicaComment) -> str:
        return esc(format_datetime(c.published.astimezone(self.blog.tz), self.blog.comment_timestamp_format,
                                   self.lang))

    def comment_url(self, post: ReplicaPost, c: ReplicaComment) -> str:
        return f"{self.site.post_url(post)}?showComment={c.epoch_ms}#c{c.comment_id}"

    def delete_url(self, c: ReplicaComment) -> str:
        return f"https://www.blogger.com/delete-comment.g?blogID={self.blog.blog_id}&amp;postID={c.comment_id}"

    # ---------------------------------------------------------------- pages
    def pager(self, newer: tuple[str, str] | None, older: tuple[str, str] | None) -> str:
        out = ["<div class='blog-pager' id='blog-pager'>"]
        if newer:
            out.append(f"<span id='blog-pager-newer-link'>\n<a class='blog-pager-newer-link' href='{esc(newer[0])}' "
                       f"id='Blog1_blog-pager-newer-link' title='{newer[1]}'>{newer[1]}</a>\n</span>")
        if older:
            out.append(f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' href='{esc(older[0])}' "
                       f"id='Blog1_blog-pager-older-link' title='{older[1]}'>{older[1]}</a>\n</span>")
        out.append(f"<a class='home-link' href='{self.site.base}/'>{self.s['home']}</a>")
        out.append("</div>\n<div class='clear'></div>")
        return "\n".join(out)

    def feed_links(self, post: ReplicaPost | None) -> str:
        if self.site.feeds == "none":
            return ""
        if post is not None:
            href, text = f"{self.site.base}/feeds/{post.post_id}/comments/default", self.s["post_comments_atom"]
        else:
            href, text = f"{self.site.base}/feeds/posts/default", self.s["posts_atom"]
        return ("<div class='post-feeds'>\n<div class='feed-links'>\n"
                f"{self.s['subscribe']}\n<a class='feed-link' href='{href}' target='_blank' "
                f"type='application/atom+xml'>{text}</a>\n</div>\n</div>")

    def list_page(self, title: str, canonical: str, posts: list[ReplicaPost], older_url: str | None,
                  newer_url: str | None, expanded: tuple[int, int | None] | None, status: str = "") -> str:
        s = self.s
        main = "\n".join(x for x in [
            status,
            self.posts_block(posts) if posts else f"<div class='blog-posts hfeed'>\n{s['no_posts']}\n</div>",
            self.pager((newer_url, s["newer_posts"]) if newer_url else None,
                       (older_url, s["older_posts"]) if older_url else None),
            self.feed_links(None),
        ] if x)
        return self.page(title, canonical, main, expanded)

    def post_page(self, post: ReplicaPost, comment_page: int, newer: ReplicaPost | None,
                  older: ReplicaPost | None) -> str:
        s = self.s
        main = "\n".join(x for x in [
            self.posts_block([post], single=post, comment_page=comment_page),
            self.pager((self.site.post_url(newer), s["newer_post"]) if newer else None,
                       (self.site.post_url(older), s["older_post"]) if older else None),
            self.feed_links(post),
        ] if x)
        title = f"{self.blog.title}: {post.title}" if post.title else self.blog.title
        return self.page(title, self.site.post_url(post), main, (post.year, post.month), post=post,
                         body_class="item")

    def not_found_page(self) -> str:
        main = (f"<div class='status-msg-wrap'>\n<div class='status-msg-body'>\n{esc(self.s['not_found'])}\n</div>\n"
                "<div class='status-msg-border'>\n<div class='status-msg-bg'>\n<div class='status-msg-hidden'>"
                f"{esc(self.s['not_found'])}</div>\n</div>\n</div>\n</div>\n<div style='clear: both;'></div>")
        return self.page(self.blog.title, f"{self.site.base}/", main, None, body_class="error")

    def label_status(self, label: str) -> str:
        return ("<div class='status-msg-wrap'>\n<div class='status-msg-body'>\n"
                f"{self.s['with_label']} <b>{esc(label)}</b>. <a href=\"{self.site.base}/\">{self.s['show_all']}</a>\n"
                "</div>\n<div class='status-msg-border'>\n<div class='status-msg-bg'>\n"
                "<div class='status-msg-hidden'></div>\n</div>\n</div>\n</div>\n<div style='clear: both;'></div>")
