"""A local replica of a Blogger blog: deterministic generated content served over HTTP on 127.0.0.1.

The crawler is tested against it and must then work on real Blogger, so pages and feeds copy the structure,
class names and ids of real Blogger markup (see ``shared/real-pages/blogger``) with our own generated content.

    from newscrawl.replica import generate_blog, ReplicaServer
    blog = generate_blog(posts=30, comments_per_post=5, seed=1)
    with ReplicaServer(blog, template="minima", feeds="full") as server:
        server.url  # "http://127.0.0.1:PORT/"

The dataclasses (:class:`ReplicaBlog`, :class:`ReplicaPost`, :class:`ReplicaComment`) are the ground truth a crawl
is compared with. Run by hand with ``python -m newscrawl.replica --port 8080 --posts 100``.
"""

from .model import (COMMENT_TIMESTAMP_FORMATS, DATE_HEADER_FORMATS, REMOVED_TEXT, TIMESTAMP_FORMATS, ReplicaBlog,
                    ReplicaComment, ReplicaPost, format_datetime, generate_blog, html_to_text)
from .render import TEMPLATES, paginate_comments
from .server import ReplicaServer

__all__ = [
    "COMMENT_TIMESTAMP_FORMATS", "DATE_HEADER_FORMATS", "REMOVED_TEXT", "TEMPLATES", "TIMESTAMP_FORMATS",
    "ReplicaBlog", "ReplicaComment", "ReplicaPost", "ReplicaServer", "format_datetime", "generate_blog",
    "html_to_text", "paginate_comments",
]
