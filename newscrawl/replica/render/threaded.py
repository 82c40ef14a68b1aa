"""The threaded comment widget families: ``threaded`` (Layouts era: ``div.comment-thread > ol#top-ra``,
replies nested in ``div.comment-replies``) and ``contempo`` (2017+ themes: ``article.post-outer-container``,
bylines, ``time.published``, ``section.comments.threaded``)."""

from __future__ import annotations

import json

from ..formats import format_datetime, iso_s
from ..model import ReplicaComment, ReplicaPost, pid_for
from .base import ANON_AVATAR, Template, avatar_url, esc, label_url
from .strings import count_text, header_text


class ThreadedTemplate(Template):
    """Layouts-era threaded widget (like Watermark / derpapierplanet.de): ``li.comment`` in ``ol#top-ra``."""

    name = "threaded"
    threaded_comments = True
    title_attrs = " itemprop='name'"
    abbr_attrs = " itemprop='datePublished'"

    def post(self, post: ReplicaPost, single: bool) -> str:
        s, blog = self.s, self.blog
        url = self.site.post_url(post)
        meta_img = f"<meta content='{esc(post.image_url)}' itemprop='image_url'/>" if post.image_url else ""
        return "\n".join(x for x in [
            "<div class='post hentry' itemprop='blogPost' itemscope='itemscope' "
            "itemtype='http://schema.org/BlogPosting'>",
            meta_img,
            f"<meta content='{blog.blog_id}' itemprop='blogId'/>",
            f"<meta content='{post.post_id}' itemprop='postId'/>",
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'></div>",
            "</div>",
            f"<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='articleBody'>",
            post.content_html,
            "<div style='clear: both;'></div>",
            "</div>",
            "<div class='post-footer'>",
            "<div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>",
            s["posted_by"],
            "<span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'>",
            f"<meta content='{esc(post.author_url)}' itemprop='url'/>",
            f"<a class='g-profile' href='{esc(post.author_url)}' rel='author' title='author profile'>",
            f"<span itemprop='name'>{esc(post.author_name)}</span>",
            "</a>",
            "</span>",
            "</span>",
            "<span class='post-timestamp'>",
            s["at"],
            f"<meta content='{url}' itemprop='url'/>",
            self.timestamp_html(post),
            "</span>",
            self.comment_link_html(post, single),
            self.post_icons(post),
            self.share_html(post),
            "</div>",
            f"<div class='post-footer-line post-footer-line-2'>{self.labels_html(post)}\n</div>",
            "<div class='post-footer-line post-footer-line-3'><span class='post-location'>\n</span>\n</div>",
            "</div>",
            "</div>",
        ] if x)

    def comment_li(self, post: ReplicaPost, c: ReplicaComment, replies: list[ReplicaComment] | None) -> str:
        """One li.comment exactly as Blogger's threaded widget renders it (replies is None for a reply itself)."""
        s = self.s
        cid = c.comment_id
        name = esc(c.author_name)
        cite = f'<a href="{esc(c.author_url)}" rel="nofollow">{name}</a>' if c.author_url else name
        body = self.li_body(c)
        reply_link = (f'<a class="comment-reply" target="_self" data-comment-id="{cid}">{s["reply"]}</a>'
                      if replies is not None else "")
        inner = "".join(self.comment_li(post, r, None) for r in (replies or []))
        hidden = "" if replies else " hidden"
        return (
            f'<li class="comment" id="c{cid}"><div class="avatar-image-container"><img src="{self.li_avatar(c)}" '
            f'alt=""/></div><div class="comment-block"><div class="comment-header"><cite class="user">{cite}</cite>'
            f'<span class="icon user {"blog-author" if c.is_blog_author else ""}"></span>'
            f'<span class="datetime secondary-text"><a rel="nofollow" href="{self.comment_url(post, c)}">'
            f'{self.display_time(c)}</a></span></div><p class="comment-content">{body}</p>'
            f'<span class="comment-actions secondary-text">{reply_link}<span class="item-control blog-admin '
            f'blog-admin {self.li_admin_class(c)}"><a target="_self" href="{self.delete_url(c)}">'
            f'{s["delete"]}</a></span></span></div>'
            f'<div class="comment-replies"><div id="c{cid}-rt" class="comment-thread inline-thread{hidden}">'
            f'<span class="thread-toggle thread-expanded"><span class="thread-arrow"></span>'
            f'<span class="thread-count"><a target="_self">{s["replies"]}</a></span></span><ol id="c{cid}-ra" class="thread-chrome thread-expanded"><div>{inner}</div>'
            f'<div id="c{cid}-continue" class="continue"><a class="comment-reply" target="_self" '
            f'data-comment-id="{cid}">{s["reply"]}</a></div></ol></div></div>'
            f'<div class="comment-replybox-single" id="c{cid}-ce"></div></li>'
        )

    def li_avatar(self, c: ReplicaComment) -> str:
        return avatar_url(c)

    def li_body(self, c: ReplicaComment) -> str:
        """Inside ``p.comment-content``: the body, or the removal sentence in ``span.deleted-comment``."""
        return f'<span class="deleted-comment">{c.content_html}</span>' if c.removed else c.content_html

    def li_admin_class(self, c: ReplicaComment) -> str:
        return pid_for(c.author_name, c.author_url)

    def thread_html(self, post: ReplicaPost, page: int) -> tuple[str, str]:
        """(``div.comment-thread.toplevel-thread`` with this comment page's threads, the paging links)."""
        pages = self.site.comment_pages(post, self.threaded_comments)
        page = min(max(page, 1), max(len(pages), 1))
        shown = pages[page - 1] if pages else []
        s = self.s
        ids = {c.comment_id for c in shown}
        replies: dict[str, list[ReplicaComment]] = {}
        tops: list[ReplicaComment] = []
        for c in shown:
            if c.parent_id and c.parent_id in ids:
                replies.setdefault(c.parent_id, []).append(c)
            else:
                tops.append(c)
        more = page < len(pages)
        thread = (
            '<div class="comment-thread toplevel-thread"><ol id="top-ra">'
            + "".join(self.comment_li(post, t, replies.get(t.comment_id, [])) for t in tops)
            + f'</ol><div id="top-continue" class="continue"><a class="comment-reply" target="_self">'
              f'{s["add_comment"]}</a></div><div class="comment-replybox-thread" id="top-ce"></div>'
              f'<div class="loadmore{"" if more else " hidden"}" data-post-id="{post.post_id}">'
              f'<a target="_self">{s["load_more"]}</a></div></div>'
        )
        return thread, self.paging_html(post, page, pages)

    def comments(self, post: ReplicaPost, page: int) -> str:
        thread, paging = self.thread_html(post, page)
        out = [
            "<div class='comments' id='comments'>",
            "<a name='comments'></a>",
            f"<h4>{header_text(self.lang, len(post.comments))}</h4>",
            "<div class='comments-content'>",
            "<script async='async' src='' type='text/javascript'></script>",
            "<script type='text/javascript'>\n    (function() {\n      var items = null;\n      var msgs = null;\n"
            "      var config = {};\n    })();\n  </script>",
            "<div id='comment-holder'>",
            thread,
            "</div>",
            "</div>",
        ]
        if paging:
            out.append(paging)
        out += [
            "<p class='comment-footer'>",
            "<div class='comment-form'>",
            "<a name='comment-form'></a>",
            f"<a href='https://www.blogger.com/comment-iframe.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}'"
            " id='comment-editor-src'></a>",
            "<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' "
            "frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>",
            "</div>",
            "</p>",
            "<div id='backlinks-container'>",
            "<div id='Blog1_backlinks-container'>",
            "</div>",
            "</div>",
            "</div>",
        ]
        return "\n".join(out)


class ContempoTemplate(ThreadedTemplate):
    """The 2017+ responsive themes (Contempo, Soho, Emporio, Notable, Essential share the v2 Blog widget).

    ``div.blog-posts.hfeed.container > article.post-outer-container > div.post-outer > div.post`` (no ``hentry``, no
    date headers, no microdata: a ``script[type='application/ld+json']`` BlogPosting instead). Title
    ``h3.post-title.entry-title``; header byline ``span.byline.post-timestamp > a.timestamp-link >
    time.published[datetime][title]`` (text in the blog's date format); body
    ``div.post-body.entry-content.float-container#post-body-ID``; footer bylines in ``div.post-bottom >
    div.post-footer``: ``span.byline.post-author.vcard > span.post-author-label + span.fn > a.g-profile > span`` and
    ``span.byline.post-labels > span.byline-label + a[rel=tag]`` (no commas). Index pages show a snippet
    (``div.post-body#post-snippet-ID``) and a "Read more" jump link, not the body. Comments:
    ``section.comments.threaded#comments[data-num-comments]`` with ``h3.title`` "Comments" (no count) over the
    threaded widget (``div.comment-thread > ol#top-ra > li.comment``, replies in ``div.comment-replies``); a
    removed comment is the bare sentence in ``p.comment-content`` (no ``span.deleted-comment``), as on 2023 pages.
    """

    name = "contempo"
    viewport = "width=device-width, initial-scale=1"
    title_attrs = ""

    @property
    def variant(self) -> str:
        return ["indie_light", "indie_dark", "jet", "rock_light"][int(self.blog.blog_id) % 4]

    def html_tag(self) -> str:
        return f"<html dir='ltr' lang='{self.blog.language}'>"

    def page(self, title: str, canonical: str, main: str, expanded: tuple[int, int | None] | None,
             post: ReplicaPost | None = None, body_class: str = "index") -> str:
        blog, site = self.blog, self.site
        parts = [
            self.head(title, canonical, post),
            f"<body class='version-1-3-3 variant-{self.variant}'>",
            "<a class='skip-navigation' href='#main' tabindex='0'>",
            "Skip to main content",
            "</a>",
            "<div class='page'>",
            "<div class='bg-photo-overlay'></div>",
            "<div class='bg-photo-container'>",
            "<div class='bg-photo'></div>",
            "</div>",
            "<div class='page_body'>",
            "<div class='centered'>",
            "<div class='centered-top-placeholder'></div>",
            "<header class='centered-top-container' role='banner'>",
            "<div class='centered-top'>",
            "<div class='blog-name container'>",
            "<div class='container section' id='header' name='Header'><div class='widget Header' data-version='2' "
            "id='Header1'>",
            "<div class='header-widget'>",
            "<div>",
            "<h1>",
            f"<a href='{site.base}/'>",
            esc(blog.title),
            "</a>",
            "</h1>",
            "</div>",
            "<p>",
            esc(blog.description),
            "</p>",
            "</div>",
            "</div></div>",
            "</div>",
            "</div>",
            "</header>",
            "<div>",
            "<main class='centered-bottom' id='main' role='main' tabindex='-1'>",
            "<div class='main section' id='page_body' name='Page Body'>",
            "<div class='widget Blog' data-version='2' id='Blog1'>",
            main,
            "</div>",
            "</div>",
            "</main>",
            "</div>",
            "</div>",
            "</div>",
            "<aside class='sidebar-container container sidebar-invisible' role='complementary'>",
            "<div class='sidebar_top_wrapper'>",
            "<div class='sidebar_top section' id='sidebar_top' name='Sidebar (Top)'>",
            self.profile_widget(),
            "</div>",
            "</div>",
            "<div class='sidebar_bottom section' id='sidebar_bottom' name='Sidebar (Bottom)'>",
            self.archive_widget(expanded),
            "</div>",
            "</aside>",
            "<footer class='footer section' id='footer' name='Footer'><div class='widget Attribution' "
            "data-version='2' id='Attribution1'>",
            "<div class='widget-content'>",
            "<div class='blogger'>",
            "<a href='https://www.blogger.com' rel='nofollow'>",
            "Powered by Blogger",
            "</a>",
            "</div>",
            "</div>",
            "</div></footer>",
            "</div>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts)

    def profile_widget(self) -> str:
        blog = self.blog
        return "\n".join([
            "<div class='widget Profile' data-version='2' id='Profile1'>",
            "<div class='wrapper solo'>",
            "<div class='widget-content individual'>",
            "<div class='profile-info'>",
            "<dl class='profile-datablock'>",
            "<dt class='profile-data'>",
            f"<a class='profile-link g-profile' href='{esc(blog.author_url)}' rel='author nofollow'>",
            esc(blog.author_name),
            "</a>",
            "</dt>",
            "</dl>",
            f"<a class='profile-link visit-profile' href='{esc(blog.author_url)}' rel='author'>",
            self.s["view_profile"],
            "</a>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
        ])

    def archive_widget(self, expanded: tuple[int, int | None] | None) -> str:
        """BlogArchive v2: ``details > summary`` title, ``div.hierarchy-title > a.post-count-link`` whose text ends with
        the count in ``span.post-count`` (the link text is "October3" unless the count is taken apart)."""
        site = self.site
        exp_year, exp_month = expanded if expanded else (None, None)
        months = self.lang_months()
        out = ["<div class='widget BlogArchive' data-version='2' id='BlogArchive1'>",
               "<details class='collapsible extendable'>",
               "<summary>",
               "<div class='collapsible-title'>",
               f"<h3 class='title'>{self.s['archive']}</h3>",
               "</div>",
               "</summary>",
               "<div class='widget-content'>",
               "<div id='ArchiveList'>",
               "<div id='BlogArchive1_ArchiveList'>",
               "<ul class='hierarchy'>"]
        for year, ycount, mlist in site.archive():
            out += ["<li class='archivedate'>", "<div class='hierarchy-title'>",
                    f"<a class='post-count-link' href='{site.base}/{year}/'>",
                    str(year),
                    f"<span class='post-count-wrapper'>\n<span class='post-count'>{ycount}</span>\n</span>",
                    "</a>", "</div>", "<div class='hierarchy-content'>", "<ul class='hierarchy'>"]
            for month, mposts in mlist:
                out += ["<li class='archivedate'>", "<div class='hierarchy-title'>",
                        f"<a class='post-count-link' href='{site.base}/{year}/{month:02d}/'>",
                        months[month - 1],
                        f"<span class='post-count-wrapper'>\n<span class='post-count'>{len(mposts)}</span>\n</span>",
                        "</a>", "</div>", "<div class='hierarchy-content'>"]
                if year == exp_year and month == exp_month:
                    out.append("<ul class='posts hierarchy'>")
                    for p in mposts:
                        out.append(f"<li><a href='{site.post_url(p)}'>{esc(p.title)}</a></li>")
                    out.append("</ul>")
                out += ["</div>", "</li>"]
            out += ["</ul>", "</div>", "</li>"]
        out += ["</ul>", "</div>", "</div>", "</div>", "</details>", "</div>"]
        return "\n".join(out)

    def posts_block(self, posts: list[ReplicaPost], single: ReplicaPost | None = None,
                    comment_page: int = 1) -> str:
        out = ["<div class='blog-posts hfeed container'>"]
        for p in posts:
            out += ["<article class='post-outer-container'>", "<div class='post-outer'>", self.post(p, single is not None),
                    "</div>"]
            if single is not None:
                out.append(self.comments(p, comment_page))
            out.append("</article>")
        out.append("</div>")
        return "\n".join(out)

    def snippet(self, post: ReplicaPost, n: int = 150) -> str:
        text = " ".join(post.content_text.split())
        return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"

    def ld_json(self, post: ReplicaPost) -> str:
        doc = {
            "@context": "http://schema.org",
            "@type": "BlogPosting",
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.site.post_url(post)},
            "headline": post.title,
            "description": self.snippet(post),
            "datePublished": iso_s(post.published),
            "dateModified": iso_s(post.updated),
            "publisher": {"@type": "Organization", "name": "Blogger"},
            "author": {"@type": "Person", "name": post.author_name},
        }
        body = json.dumps(doc, ensure_ascii=False, indent=2).replace("</", "<\\/")
        return f"<script type='application/ld+json'>{body}</script>"

    def title_html(self, post: ReplicaPost, single: bool) -> str:
        if not post.title:
            return ""
        inner = esc(post.title) if single else f"<a href='{self.site.post_url(post)}'>{esc(post.title)}</a>"
        return f"<h3 class='post-title entry-title'>\n{inner}\n</h3>"

    def post(self, post: ReplicaPost, single: bool) -> str:
        s = self.s
        url = self.site.post_url(post)
        date = esc(format_datetime(post.published, self.blog.date_header_format, self.lang))
        if single:
            body = [f"<div class='post-body entry-content float-container' id='post-body-{post.post_id}'>",
                    post.content_html, "</div>"]
        else:
            body = [f"<div class='container post-body entry-content' id='post-snippet-{post.post_id}'>",
                    "<div class='post-snippet snippet-container r-snippet-container'>",
                    "<div class='snippet-item r-snippetized'>", esc(self.snippet(post)), "</div>",
                    "<a class='snippet-fade r-snippetized'></a>", "</div>", "</div>",
                    "<div class='jump-link flat-button'>",
                    f"<a href='{url}#more' title='{esc(post.title)}'>", s["read_more"], "</a>", "</div>"]
        labels = []
        if post.labels:
            labels = ["<div class='post-footer-line post-footer-line-2'>", "<span class='byline post-labels'>",
                      f"<span class='byline-label'>{s['labels']}</span>"]
            labels += [f"<a href='{label_url(self.site, lb)}' rel='tag'>\n{esc(lb)}\n</a>" for lb in post.labels]
            labels += ["</span>", "</div>"]
        comment_link = []
        if not single:
            n = len(post.comments)
            text = count_text(self.lang, n) if n else s["post_a_comment"]
            comment_link = ["<span class='byline post-comment-link container'>",
                            f"<a class='comment-link' href='{url}#comments' onclick=''>", text, "</a>", "</span>"]
        return "\n".join(x for x in [
            "<div class='post'>",
            self.ld_json(post),
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'>",
            "<span class='byline post-timestamp'>",
            f"<meta content='{url}'/>",
            f"<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'>",
            f"<time class='published' datetime='{iso_s(post.published)}' title='{iso_s(post.published)}'>",
            date,
            "</time>",
            "</a>",
            "</span>",
            "</div>",
            "</div>",
            *body,
            "<div class='post-bottom'>",
            "<div class='post-footer float-container'>",
            "<div class='post-footer-line post-footer-line-1'>",
            "<span class='byline post-author vcard'>",
            "<span class='post-author-label'>",
            s["posted_by"],
            "</span>",
            "<span class='fn'>",
            f"<meta content='{esc(post.author_url)}'/>",
            f"<a class='g-profile' href='{esc(post.author_url)}' rel='author' title='author profile'>",
            f"<span>{esc(post.author_name)}</span>",
            "</a>",
            "</span>",
            "</span>",
            *comment_link,
            "</div>",
            *labels,
            "</div>",
            "<div class='post-share-buttons post-share-buttons-bottom invisible'>",
            "<div class='byline post-share-buttons goog-inline-block'>",
            f"<div aria-owns='sharing-popup-Blog1-byline-{post.post_id}' class='sharing' "
            f"data-title='{esc(post.title)}'>",
            f"<button aria-controls='sharing-popup-Blog1-byline-{post.post_id}' aria-label='{s['share']}' "
            f"class='sharing-button touch-icon-button' id='sharing-button-Blog1-byline-{post.post_id}' "
            "role='button'>",
            "</button>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
        ] if x)

    def li_avatar(self, c: ReplicaComment) -> str:
        if c.author_url and "blogger.com/profile/" in c.author_url:
            return "//www.blogger.com/img/blogger_logo_round_35.png"
        return ANON_AVATAR

    def li_body(self, c: ReplicaComment) -> str:
        return c.content_html  # removed: the bare sentence, as on 2023 pages

    def li_admin_class(self, c: ReplicaComment) -> str:
        return "" if c.removed else pid_for(c.author_name, c.author_url)

    def comments(self, post: ReplicaPost, page: int) -> str:
        thread, paging = self.thread_html(post, page)
        blog = self.blog
        out = [
            f"<section class='comments threaded' data-embed='true' data-num-comments='{len(post.comments)}' "
            "id='comments'>",
            "<a name='comments'></a>",
            f"<h3 class='title'>{self.s['comments_title']}</h3>",
            "<div class='comments-content'>",
            "<script async='async' src='' type='text/javascript'></script>",
            "<script type='text/javascript'>\n(function() {\n  var items = null;\n  var msgs = null;\n"
            "  var config = {};\n})();\n</script>",
            "<div id='comment-holder'>",
            thread,
            "</div>",
            "</div>",
        ]
        if paging:
            out.append(paging)
        out += [
            "<p class='comment-footer'>",
            "<div class='comment-form'>",
            "<a name='comment-form'></a>",
            f"<h4 id='comment-post-message'>{self.s['post_a_comment']}</h4>",
            f"<a href='https://www.blogger.com/comment/frame/{blog.blog_id}?po={post.post_id}&amp;hl={blog.language}'"
            " id='comment-editor-src'></a>",
            "<iframe allowtransparency='allowtransparency' class='blogger-iframe-colorize blogger-comment-from-post' "
            "height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>",
            "</div>",
            "</p>",
            "</section>",
        ]
        return "\n".join(out)

    def pager(self, newer: tuple[str, str] | None, older: tuple[str, str] | None) -> str:
        out = ["<div class='blog-pager container' id='blog-pager'>"]
        if newer:
            out.append(f"<a class='blog-pager-newer-link' href='{esc(newer[0])}' id='Blog1_blog-pager-newer-link' "
                       f"title='{newer[1]}'>\n{newer[1]}\n</a>")
        if older:
            text = self.s["more_posts"] if older[1] == self.s["older_posts"] else older[1]
            out.append(f"<a class='blog-pager-older-link flat-button ripple' href='{esc(older[0])}' "
                       f"id='Blog1_blog-pager-older-link' title='{text}'>\n{text}\n</a>")
        out.append("</div>")
        return "\n".join(out)

    def feed_links(self, post: ReplicaPost | None) -> str:
        html = super().feed_links(post)
        return html.replace("<div class='post-feeds'>", "<div class='blog-feeds'>", 1) if post is None else html
