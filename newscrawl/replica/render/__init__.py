"""HTML pages of the replica, in the markup of real Blogger templates.

Template families, chosen per server (``ReplicaServer(template=...)``):

* ``minima``: classic layout (2ality / Minima): ``dl#comments-block`` with ``dt.comment-author`` / ``dd.comment-body``
  / ``dd.comment-footer``; comments flat and chronological (replies are not shown as replies).
* ``threaded``: Layouts-era widget (Watermark / derpapierplanet): ``div.comment-thread > ol#top-ra > li.comment``
  with replies nested in ``div.comment-replies``.
* ``simple``: Layouts "Simple" (emacspeak, siliconexposed): microdata post markup, fauxcolumn chrome, the classic
  ``dl#comments-block`` followed by the embedded comment form (see :class:`SimpleTemplate`).
* ``contempo``: 2017+ themes (Contempo/Soho/Emporio/Notable/Essential): ``article.post-outer-container``, bylines,
  ``time.published``, ``section.comments.threaded`` (see :class:`ContempoTemplate`).
* ``dynamicviews``: the Dynamic Views shell (juliasleseblog): no posts or comments in the HTML at all.

A new family is a subclass of :class:`Template` (``base.py``, the chrome every family shares) registered in
:data:`TEMPLATES`. Strings come from :data:`STRINGS` (``strings.py``: en, de, fr, es, it, pt, ru, nl). One module per
kind of comment markup: ``classic.py`` (minima, simple), ``threaded.py`` (threaded, contempo), ``dynamicviews.py``.
"""

from __future__ import annotations

from ..blogsite import paginate
from ..model import ReplicaComment
from .base import ANON_AVATAR, Template, avatar_url, esc, label_url
from .classic import MinimaTemplate, SimpleTemplate
from .dynamicviews import DynamicViewsTemplate
from .strings import STRINGS, comment_word, count_text, header_text
from .threaded import ContempoTemplate, ThreadedTemplate

TEMPLATES: dict[str, type[Template]] = {"minima": MinimaTemplate, "threaded": ThreadedTemplate,
                                        "simple": SimpleTemplate, "contempo": ContempoTemplate,
                                        "dynamicviews": DynamicViewsTemplate}


def paginate_comments(comments: list[ReplicaComment], template: str, per_page: int) -> list[list[ReplicaComment]]:
    """Comment pages of a post. Classic lists (minima, simple): chronological slices of ``per_page``. Threaded
    widget (threaded, contempo): whole threads packed into
    pages of at most ``per_page`` comments (a thread is never split unless it alone exceeds ``per_page``)."""
    return paginate(comments, per_page, getattr(TEMPLATES.get(template), "threaded_comments", False))


def robots_txt(base: str) -> str:
    return (f"User-agent: Mediapartners-Google\nDisallow: \n\nUser-agent: *\nDisallow: /search\nAllow: /\n\n"
            f"Sitemap: {base}/sitemap.xml\n")


__all__ = [
    "ANON_AVATAR", "STRINGS", "TEMPLATES", "ContempoTemplate", "DynamicViewsTemplate", "MinimaTemplate",
    "SimpleTemplate", "Template", "ThreadedTemplate", "avatar_url", "comment_word", "count_text", "esc",
    "header_text", "label_url", "paginate_comments", "robots_txt",
]
