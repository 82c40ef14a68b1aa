"""A local replica of a Blogger blog: deterministic generated content served over HTTP on 127.0.0.1.

The crawler is tested against it and must then work on real Blogger, so pages and feeds copy the structure,
class names and ids of real Blogger markup (see ``shared/real-pages/blogger``) with our own generated content.

    from newscrawl.replica import generate_blog, ReplicaServer
    blog = generate_blog(posts=30, comments_per_post=5, seed=1)
    with ReplicaServer(blog, template="minima", feeds="full") as server:
        server.url  # "http://127.0.0.1:PORT/"

Template families (``TEMPLATES``): ``minima`` (classic ``dl#comments-block``), ``threaded`` (Layouts threaded widget),
``simple`` (Layouts "Simple" with microdata and the classic comment list), ``contempo`` (2017+ themes, threaded
widget in ``section.comments``) and ``dynamicviews`` (an empty shell; content only through the feeds). Languages
(``LANGUAGES``): en, de, fr, es, it, pt, ru, nl. Blog states (``STATES``, ``ReplicaServer(state=...)``): ok, private,
deleted, not_found, content_warning - see ``states.py`` for what each serves and the sources.

The dataclasses (:class:`ReplicaBlog`, :class:`ReplicaPost`, :class:`ReplicaComment`) are the ground truth a crawl
is compared with. Run by hand with ``python -m newscrawl.replica --port 8080 --posts 100``.
"""

from .model import (COMMENT_TIMESTAMP_FORMATS, DATE_HEADER_FORMATS, LANGUAGES, REMOVED_TEXT, TIMESTAMP_FORMATS,
                    ReplicaBlog, ReplicaComment, ReplicaPost, format_datetime, generate_blog, html_to_text)
from .render import TEMPLATES, header_text, paginate_comments
from .server import ReplicaServer
from .states import STATES

__all__ = [
    "COMMENT_TIMESTAMP_FORMATS", "DATE_HEADER_FORMATS", "LANGUAGES", "REMOVED_TEXT", "STATES", "TEMPLATES",
    "TIMESTAMP_FORMATS", "ReplicaBlog", "ReplicaComment", "ReplicaPost", "ReplicaServer", "format_datetime",
    "generate_blog", "header_text", "html_to_text", "paginate_comments",
]
