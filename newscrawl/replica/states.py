"""What Blogger serves instead of a blog: private, removed, never-existing, and behind a content warning.

``ReplicaServer(blog, state=...)`` with one of :data:`STATES`. The behaviour below is what public sources show
(cited per state); where a detail could not be confirmed it is marked *unverified* and the replica picks one
plausible answer, so a crawler must detect the state from the status, the ``Location`` and the page text rather
than from one exact detail.

``"ok"``
    The blog itself.

``"private"`` (Settings > Permissions > Reader access: "Private to authors" / "Custom readers")
    Every page of the blog host, ``robots.txt`` and ``sitemap.xml`` included, answers ``302`` with
    ``Location: {blogger}/blogin.g?blogspotURL=<the requested URL>&type=blog``. Blogger then bounces through
    ``accounts.google.com/ServiceLogin?passive=true...`` and back to ``blogin.g?...&type=blog&bpli=1`` (URL chain seen
    in a public sandbox report of a blogspot page, tria.ge sample 211228-jjytnscbdn); the replica skips the
    accounts.google.com hop and answers ``blogin.g`` without ``bpli`` with ``302`` to the ``&bpli=1`` URL, which is a
    ``200`` page "This blog is open to invited readers only" / "It doesn't look like you have been invited to read
    this blog. If you think this is a mistake, you might want to contact the blog author and request an
    invitation." (text quoted on seakayakermag.com forums and dzgn24.blogspot.com, 2021). Real Blogger serves
    ``blogin.g`` on ``https://www.blogger.com``; the replica serves it on its own host (``blogger_base``) so that
    tests never leave 127.0.0.1 - detect it by the path ``/blogin.g`` and the ``blogspotURL`` parameter, not by host.
    Feeds: private blogs have no public feeds (a private blog "does not have RSS feeds", per the "Restrict who can
    read your blog" explainer on yerliotomobil.xyz); the replica answers ``/feeds/...`` (and ``/atom.xml``,
    ``/rss.xml``) with ``401 Unauthorized`` (*unverified*: real Blogger may redirect feeds like the pages).

``"deleted"`` (removed by the owner or by Blogger)
    Every URL - pages, feeds, ``robots.txt``, ``sitemap.xml`` - answers ``404`` with the page "Blog has been
    removed" / "Sorry, the blog at HOST has been removed. This address is not available for new blogs." (wording
    quoted on too-clever-by-half.blogspot.com, 2020).

``"not_found"`` (no blog at this address)
    Everything ``404`` with "Blog not found" / "Sorry, the blog you were looking for does not exist. However, the
    name HOST is available to register!" (*unverified* wording, same page family as the removed-blog page).

``"content_warning"`` (owner-set "adult content", or set by Google after reader reports)
    Every HTML page answers ``200`` with an interstitial instead of the blog: ``h1`` "Content warning", the text
    "The blog that you are about to view may contain content only suitable for adults. In general, Google does not
    review nor do we endorse the content of this or any blog. For more information about our content policies,
    please visit the Blogger Terms of Service." (quoted on blogging.nitecruzr.net, 2010/2015, and matched by the
    imdb-link-em-all user script to detect the page), and in ``div#maia-main`` the buttons
    ``a#continueButton.maia-button.maia-button-primary`` "I UNDERSTAND AND I WISH TO CONTINUE" and
    ``a.maia-button.maia-button-secondary`` "I DO NOT WISH TO CONTINUE" (class names and id from public user scripts
    that auto-click them, e.g. greasyfork 7877). The continue link is the requested URL plus
    ``?interstitial=TOKEN`` (blog2epub issue #2 and its ``checkInterstitial``: fetch the URL with the
    ``interstitial`` parameter, keep the cookie, fetch again). The replica answers that URL with ``302`` back to the
    URL without the parameter and ``Set-Cookie: INTERSTITIAL_COOKIE=TOKEN``; requests carrying the cookie get the
    blog. Feeds, ``robots.txt`` and ``sitemap.xml`` are *not* interposed (blog2epub reads the Atom feed of such
    blogs without the cookie). Older Blogger (until about 2016) instead served the blog page itself with an
    ``iframe#injected-iframe`` to ``blogin.g?blogspotURL=...`` over it and ``meta[name=rating][content=adult]``;
    the replica does not model that variant. The reader-reported variant says "Some readers of this blog have
    contacted Google because they believe this blog's content is objectionable." instead of the first sentence.
"""

from __future__ import annotations

import hashlib
from html import escape

STATES = ("ok", "private", "deleted", "not_found", "content_warning")
INTERSTITIAL_COOKIE = "blogger_interstitial"  # the replica's own cookie name (Blogger's is not documented)

_STYLE = ("<link href='https://www.blogger.com/static/v1/v-css/static_pages.css' rel='stylesheet' "
          "type='text/css'/>")


def _esc(s: str) -> str:
    return escape(s, quote=True).replace("&#x27;", "&#39;")


def interstitial_token(blog_id: str) -> str:
    return hashlib.sha1(f"interstitial|{blog_id}".encode()).hexdigest()[:32]


def _page(title: str, body: list[str], lang: str = "en") -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f"<html lang='{lang}'>",
        "<head>",
        "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
        "<meta content='width=device-width, initial-scale=1' name='viewport'/>",
        "<meta content='noindex, nofollow' name='robots'/>",
        f"<title>{_esc(title)}</title>",
        _STYLE,
        "</head>",
        "<body>",
        "<div id='maia-header'><div class='maia-aux'><h1><a href='https://www.blogger.com'>"
        "<img alt='Blogger' src='https://www.blogger.com/img/logo_blogger_40px.png'/></a></h1></div></div>",
        "<div id='maia-main' class='maia-aux'>",
        *body,
        "</div>",
        "<div id='maia-footer'><div class='maia-aux'><ul><li><a href='https://www.blogger.com/go/terms'>Terms of "
        "Service</a></li><li><a href='https://www.blogger.com/go/privacy'>Privacy</a></li>"
        "<li><a href='https://www.blogger.com/go/contentpolicy'>Content Policy</a></li></ul></div></div>",
        "</body>",
        "</html>",
    ])


def private_page(blog_url: str, signin_url: str) -> str:
    return _page("Blogger: Sign in", [
        "<div class='private-blog'>",
        "<h2>This blog is open to invited readers only</h2>",
        f"<p class='blog-url'><a href='{_esc(blog_url)}'>{_esc(blog_url)}</a></p>",
        "<p>It doesn't look like you have been invited to read this blog. If you think this is a mistake, you might "
        "want to contact the blog author and request an invitation.</p>",
        f"<p><a class='maia-button maia-button-primary' href='{_esc(signin_url)}'>Sign in</a></p>",
        "</div>",
    ])


def removed_page(host: str) -> str:
    return _page("Blog has been removed", [
        "<div class='blog-removed'>",
        "<h2>Blog has been removed</h2>",
        f"<p>Sorry, the blog at {_esc(host)} has been removed. This address is not available for new blogs.</p>",
        "<p><a class='maia-button' href='https://www.blogger.com'>Did you expect to see your blog here? See: "
        "&#39;I can&#39;t find my blog&#39;</a></p>",
        "</div>",
    ])


def not_found_page(host: str) -> str:
    return _page("Blog not found", [
        "<div class='blog-not-found'>",
        "<h2>Blog not found</h2>",
        f"<p>Sorry, the blog you were looking for does not exist. However, the name {_esc(host)} is available to "
        "register!</p>",
        "<p><a class='maia-button maia-button-primary' href='https://www.blogger.com/onboarding'>Create blog</a></p>",
        "</div>",
    ])


def content_warning_page(continue_url: str) -> str:
    return _page("Blogger: Content warning", [
        "<div class='interstitial'>",
        "<h1>Content warning</h1>",
        "<p>The blog that you are about to view may contain content only suitable for adults. In general, Google "
        "does not review nor do we endorse the content of this or any blog. For more information about our content "
        "policies, please visit the <a href='https://www.blogger.com/go/terms'>Blogger Terms of Service</a>.</p>",
        "<div class='maia-button-group'>",
        f"<a class='maia-button maia-button-primary' href='{_esc(continue_url)}' id='continueButton'>"
        "I UNDERSTAND AND I WISH TO CONTINUE</a>",
        "<a class='maia-button maia-button-secondary' href='https://www.blogger.com'>I DO NOT WISH TO CONTINUE</a>",
        "</div>",
        "</div>",
    ])
