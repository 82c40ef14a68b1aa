"""The classic comment list families: ``minima`` (classic layout, ``dl#comments-block``, flat and chronological)
and ``simple`` (Layouts "Simple": microdata post markup, fauxcolumn chrome, the same list plus the embedded
comment form)."""

from __future__ import annotations

from ..model import ReplicaComment, ReplicaPost, pid_for
from .base import ANON_AVATAR, Template, avatar_url, esc
from .strings import header_text


class MinimaTemplate(Template):
    """Classic markup (like 2ality.com): flat ``dl#comments-block``, '... said...', timestamp permalink."""

    name = "minima"

    def post(self, post: ReplicaPost, single: bool) -> str:
        s = self.s
        return "\n".join(x for x in [
            "<div class='post hentry'>",
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'></div>",
            "</div>",
            f"<div class='post-body entry-content' id='post-body-{post.post_id}'>",
            post.content_html,
            "<div style='clear: both;'></div>",
            "</div>",
            "<div class='post-footer'>",
            "<div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>",
            s["posted_by"],
            f"<span class='fn'>{esc(post.author_name)}</span>",
            "</span>",
            "<span class='post-timestamp'>",
            s["at"],
            self.timestamp_html(post),
            "</span>",
            self.comment_link_html(post, single),
            self.post_icons(post),
            self.share_html(post),
            "</div>",
            f"<div class='post-footer-line post-footer-line-2'>{self.labels_html(post)}</div>",
            "<div class='post-footer-line post-footer-line-3'></div>",
            "</div>",
            "</div>",
        ] if x)

    def comment_author(self, c: ReplicaComment) -> str:
        name = esc(c.author_name)
        if c.author_url:
            url = esc(c.author_url)
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><a href="{url}" '
                      f'rel="nofollow" onclick=""><img src="{ANON_AVATAR}" width="16" height="16" alt="" '
                      f'title="{name}">\n\n</a></span></div>')
            who = f"<a href='{url}' rel='nofollow'>{name}</a>"
        else:
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="{ANON_AVATAR}" '
                      f'width="16" height="16" alt="" title="{name}">\n\n</span></div>')
            who = name
        return f"{avatar}\n{who}\n{self.s['said']}"

    def comments(self, post: ReplicaPost, page: int) -> str:
        footer = [
            "<p class='comment-footer'>",
            f"<a href='https://www.blogger.com/comment.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}' "
            f"onclick=''>{self.s['post_a_comment']}</a>",
            "</p>",
        ]
        return self.dl_comments(post, page, footer)

    def dl_comments(self, post: ReplicaPost, page: int, footer: list[str]) -> str:
        """The classic ``div.comments > dl#comments-block`` list (flat, chronological) with ``footer`` after it."""
        pages = self.site.comment_pages(post, self.threaded_comments)
        page = min(max(page, 1), max(len(pages), 1))
        shown = pages[page - 1] if pages else []
        paging = self.paging_html(post, page, pages)
        out = [
            "<div class='comments' id='comments'>",
            "<a name='comments'></a>",
            f"<h4>{header_text(self.lang, len(post.comments))}</h4>",
        ]
        if paging:
            out.append(paging)
        out += ["<div id='Blog1_comments-block-wrapper'>", "<dl class='avatar-comment-indent' id='comments-block'>"]
        for c in shown:
            cid = c.comment_id
            body = self.removed_html(c) if c.removed else f"<p>\n{c.content_html}\n</p>"
            out += [
                f"<dt class='comment-author {'blog-author' if c.is_blog_author else ''}' id='c{cid}'>",
                f"<a name='c{cid}'></a>",
                self.comment_author(c),
                "</dt>",
                f"<dd class='comment-body' id='Blog1_cmt-{cid}'>",
                body,
                "</dd>",
                "<dd class='comment-footer'>",
                "<span class='comment-timestamp'>",
                f"<a href='{self.comment_url(post, c)}' title='comment permalink'>",
                self.display_time(c),
                "</a>",
                f"<span class='item-control blog-admin {pid_for(c.author_name, c.author_url)}'>",
                f"<a class='comment-delete' href='{self.delete_url(c)}' title='Delete Comment'>",
                "<img src='//www.blogger.com/img/icon_delete13.gif'/>",
                "</a>",
                "</span>",
                "</span>",
                "</dd>",
            ]
        out += ["</dl>", "</div>"]
        if paging:
            out.append(paging)
        out += footer
        out += [
            "<div id='backlinks-container'>",
            "<div id='Blog1_backlinks-container'>",
            "</div>",
            "</div>",
            "</div>",
        ]
        return "\n".join(out)


def _caps(prefix: str = "") -> list[str]:
    """Layouts-era decoration: ``div.cap-top`` with its left/right halves (``PREFIX-cap-top cap-top``)."""
    top = f"{prefix}-cap-top cap-top" if prefix else "cap-top"
    return [f"<div class='{top}'>", "<div class='cap-left'></div>", "<div class='cap-right'></div>", "</div>"]


def _fauxcolumn(extra: str) -> list[str]:
    return ([f"<div class='fauxcolumn-outer {extra}'>"] + _caps()
            + ["<div class='fauxborder-left'>", "<div class='fauxborder-right'></div>",
               "<div class='fauxcolumn-inner'>", "</div>", "</div>",
               "<div class='cap-bottom'>", "<div class='cap-left'></div>", "<div class='cap-right'></div>", "</div>",
               "</div>"])


class SimpleTemplate(MinimaTemplate):
    """Layouts "Simple" (emacspeak: ``body.variant-bold``; siliconexposed: ``body.variant-simplysimple``).

    Post markup of the Layouts Blog widget with schema.org microdata (``div.post.hentry[itemprop=blogPost]``,
    ``meta[itemprop=blogId|postId]``, ``abbr.published[itemprop=datePublished][title]``,
    ``span.post-author.vcard > span.fn[itemprop=author] > a.g-profile > span[itemprop=name]``,
    ``div.post-body.entry-content#post-body-ID[itemprop='description articleBody']``), the page wrapped in the
    Layouts fauxcolumn chrome. Comments: both real pages show the classic, non-threaded list
    (``h4`` + ``dl#comments-block`` with ``dt.comment-author`` / ``dd.comment-body`` / ``dd.comment-footer``;
    siliconexposed: "No comments:" over an empty ``dl.avatar-comment-indent#comments-block``) followed by the embedded
    comment form (``div.comment-form`` with its own ``h4#comment-post-message`` and ``iframe#comment-editor``).
    Replies are shown flat, in time order, like Minima. Profile commenters get the ``avatar-hovercard`` avatar
    whose ``img[title]`` repeats the name.
    """

    name = "simple"
    title_attrs = " itemprop='name'"
    abbr_attrs = " itemprop='datePublished'"

    @property
    def variant(self) -> str:
        return "bold" if int(self.blog.blog_id) % 2 else "simplysimple"

    def page(self, title: str, canonical: str, main: str, expanded: tuple[int, int | None] | None,
             post: ReplicaPost | None = None, body_class: str = "index") -> str:
        blog, site = self.blog, self.site
        out = [self.head(title, canonical, post), f"<body class='loading variant-{self.variant}'>",
               "<div class='navbar no-items section' id='navbar' name='Navbar'>", "</div>",
               "<div class='body-fauxcolumns'>"] + _fauxcolumn("body-fauxcolumn-outer") + ["</div>"]
        out += ["<div class='content'>", "<div class='content-fauxcolumns'>"]
        out += _fauxcolumn("content-fauxcolumn-outer") + ["</div>", "<div class='content-outer'>"]
        out += _caps("content")
        out += ["<div class='fauxborder-left content-fauxborder-left'>",
                "<div class='fauxborder-right content-fauxborder-right'></div>", "<div class='content-inner'>",
                "<header>", "<div class='header-outer'>"] + _caps("header") + [
                "<div class='fauxborder-left header-fauxborder-left'>",
                "<div class='fauxborder-right header-fauxborder-right'></div>",
                "<div class='region-inner header-inner'>",
                "<div class='header section' id='header' name='Header'><div class='widget Header' data-version='1' "
                "id='Header1'>",
                "<div id='header-inner'>", "<div class='titlewrapper'>", "<h1 class='title'>",
                f"<a href='{site.base}/'>{esc(blog.title)}</a>", "</h1>", "</div>", "<div class='descriptionwrapper'>",
                f"<p class='description'><span>{esc(blog.description)}</span></p>", "</div>", "</div>",
                "</div></div>", "</div>", "</div>",
                "<div class='header-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>", "</header>",
                "<div class='tabs-outer'>"] + _caps("tabs") + [
                "<div class='fauxborder-left tabs-fauxborder-left'>",
                "<div class='fauxborder-right tabs-fauxborder-right'></div>", "<div class='region-inner tabs-inner'>",
                "<div class='tabs no-items section' id='crosscol' name='Cross-Column'></div>",
                "<div class='tabs no-items section' id='crosscol-overflow' name='Cross-Column 2'></div>",
                "</div>", "</div>", "<div class='tabs-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>",
                "<div class='main-outer'>"] + _caps("main") + [
                "<div class='fauxborder-left main-fauxborder-left'>",
                "<div class='fauxborder-right main-fauxborder-right'></div>", "<div class='region-inner main-inner'>",
                "<div class='columns fauxcolumns'>"]
        out += _fauxcolumn("fauxcolumn-center-outer") + _fauxcolumn("fauxcolumn-left-outer")
        out += _fauxcolumn("fauxcolumn-right-outer")
        out += ["<!-- corrects IE6 width calculation -->", "<div class='columns-inner'>",
                "<div class='column-center-outer'>", "<div class='column-center-inner'>",
                "<div class='main section' id='main' name='Main'><div class='widget Blog' data-version='1' id='Blog1'>",
                main, "</div></div>", "</div>", "</div>",
                "<div class='column-left-outer'>", "<div class='column-left-inner'>", "<aside>", "</aside>", "</div>",
                "</div>", "<div class='column-right-outer'>", "<div class='column-right-inner'>", "<aside>",
                "<div class='sidebar section' id='sidebar-right-1'>", self.profile_widget(),
                self.archive_widget(expanded), "</div>", "</aside>", "</div>", "</div>", "</div>",
                "<div style='clear: both'></div>", "<!-- columns -->", "</div>", "<!-- main -->", "</div>", "</div>",
                "<div class='main-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>",
                "<footer>", "<div class='footer-outer'>"] + _caps("footer") + [
                "<div class='fauxborder-left footer-fauxborder-left'>",
                "<div class='fauxborder-right footer-fauxborder-right'></div>", "<div class='region-inner footer-inner'>",
                "<div class='foot section' id='footer-3' name='Footer'><div class='widget Attribution' "
                "data-version='1' id='Attribution1'>",
                "<div class='widget-content' style='text-align: center;'>",
                "Simple theme. Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.",
                "</div>", "<div class='clear'></div>", "</div></div>", "</div>", "</div>",
                "<div class='footer-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>", "</footer>",
                "<!-- content -->", "</div>", "</div>", "<div class='content-cap-bottom cap-bottom'>",
                "<div class='cap-left'></div>", "<div class='cap-right'></div>", "</div>", "</div>", "</div>",
                "</body>", "</html>"]
        return "\n".join(out)

    def post(self, post: ReplicaPost, single: bool) -> str:
        s, blog = self.s, self.blog
        url = self.site.post_url(post)
        meta_img = f"<meta content='{esc(post.image_url)}' itemprop='image_url'/>" if post.image_url else ""
        extra = " uncustomized-post-template" if self.variant == "bold" else ""
        return "\n".join(x for x in [
            f"<div class='post hentry{extra}' itemprop='blogPost' itemscope='itemscope' "
            "itemtype='http://schema.org/BlogPosting'>",
            meta_img,
            f"<meta content='{blog.blog_id}' itemprop='blogId'/>",
            f"<meta content='{post.post_id}' itemprop='postId'/>",
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'></div>",
            "</div>",
            f"<div class='post-body entry-content' id='post-body-{post.post_id}' "
            "itemprop='description articleBody'>",
            post.content_html,
            "<div style='clear: both;'></div>",
            "</div>",
            "<div class='post-footer'>",
            "<div class='post-footer-line post-footer-line-1'>",
            "<span class='post-author vcard'>",
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
            "<span class='reaction-buttons'>\n</span>",
            self.comment_link_html(post, single),
            self.post_icons(post),
            self.share_html(post),
            "</div>",
            f"<div class='post-footer-line post-footer-line-2'>{self.labels_html(post)}\n</div>",
            "<div class='post-footer-line post-footer-line-3'><span class='post-location'>\n</span>\n</div>",
            "</div>",
            "</div>",
        ] if x)

    def comment_author(self, c: ReplicaComment) -> str:
        name = esc(c.author_name)
        if c.author_url and "blogger.com/profile/" in c.author_url:
            url = esc(c.author_url)
            avatar = (f'<div class="avatar-image-container vcard"><span dir="ltr"><a href="{url}" target="" '
                      f'rel="nofollow" onclick="" class="avatar-hovercard" id="av-0-{c.author_url.rsplit("/", 1)[-1]}">'
                      f'<img src="{avatar_url(c)}" width="35" height="35" alt="" title="{name}">\n\n</a></span></div>')
            who = f"<a href='{url}' rel='nofollow'>{name}</a>"
        elif c.author_url:
            url = esc(c.author_url)
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><a href="{url}" '
                      f'rel="nofollow" onclick=""><img src="{ANON_AVATAR}" width="35" height="35" alt="" '
                      f'title="{name}">\n\n</a></span></div>')
            who = f"<a href='{url}' rel='nofollow'>{name}</a>"
        else:
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="{ANON_AVATAR}" '
                      f'width="35" height="35" alt="" title="{name}">\n\n</span></div>')
            who = name
        return f"{avatar}\n{who}\n{self.s['said']}"

    def comments(self, post: ReplicaPost, page: int) -> str:
        footer = [
            "<p class='comment-footer'>",
            "<div class='comment-form'>",
            "<a name='comment-form'></a>",
            f"<h4 id='comment-post-message'>{self.s['post_a_comment']}</h4>",
            "<p>",
            "</p>",
            f"<a href='https://www.blogger.com/comment-iframe.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}'"
            " id='comment-editor-src'></a>",
            "<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' "
            "frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>",
            "</div>",
            "</p>",
        ]
        return self.dl_comments(post, page, footer)
