"""Local replicas of the blogs newscrawl crawls, served on 127.0.0.1: generated, deterministic content in the real
platforms' markup and API shapes, with the ground truth a crawl is compared with.

The package imports nothing from the rest of newscrawl (only the standard library), so it stays an independent
oracle: the crawler is tested against it and must then work on the real platforms. Its import graph is a DAG
with the servers on top (``tests/test_replica.py`` checks both).

Three servers, each a :class:`~newscrawl.replica.loopback.LoopbackServer` that says only what it serves, and
started the same way (``with Server(...) as server: server.url`` on a free port; ``serve_forever()`` blocks):

* **Blogger** - :class:`ReplicaServer` (``server.py``) serves a :class:`ReplicaBlog` as Blogger does: pages in one
  of the template families of :data:`TEMPLATES`, the GData feeds, sitemaps, blog states (:data:`STATES`) and
  fault modes (``faults.py``). Command line: ``python -m newscrawl.replica --port 8080 --posts 100``
  (``--template``, ``--feeds``, ``--language``, ``--state``...; ``--help``).
* **Substack** - ``SubstackServer`` (``substack.py``) serves a publication's API (archive, posts, comment trees),
  ``/feed`` and page shells. Command line: ``python -m newscrawl.replica.substack --port 8090``.
* **Plain feed site** - ``FeedSiteServer`` (``feedsite.py``) serves a small CMS with an RSS or Atom feed (paged,
  RFC 5005 next or archived), comment feeds and three comment markups. Command line:
  ``python -m newscrawl.replica.feedsite --format atom --paging next`` (``--help``).

``newscrawl demo`` uses the Blogger replica in-process: ``generate_blog`` and ``ReplicaServer`` (template
``threaded`` by default), then crawls it. The crawl tests (``tests/test_crawl_*.py``) and ``bench/`` use all three.

Modules, bottom to top:

``formats.py``        Blogger's display formats: month/weekday names, date formats, ISO and epoch stamps.
``texts.py``          HTML/text helpers, the content banks and the seeded post and comment bodies.
``model.py``          the ground truth: :class:`ReplicaBlog`, :class:`ReplicaPost`, :class:`ReplicaComment` and
                      :func:`generate_blog`.
``substack_model.py`` the Substack ground truth: publication, posts, comment trees, ``generate_publication``.
``loopback.py``       the HTTP side all servers share: ``LoopbackServer`` and its one request handler.
``faults.py``         the failures the Blogger replica can serve instead of its answers (status, 429, timeout,
                      reset, truncated, wrong charset, invalid XML, entity bomb, redirect loop, huge page...).
``states.py``         what a private, deleted, missing or content-warning blog serves.
``blogsite.py``       the served Blogger blog: indexes, caches, comment pages, live changes (``Site``).
``render/``           Blogger HTML pages, one module per template family (``classic``: minima and simple;
                      ``threaded``: threaded and contempo; ``dynamicviews``) over ``base`` and ``strings``.
``feeds.py``          Blogger's GData feeds: Atom, ``alt=json``, ``alt=json-in-script``, ``alt=rss``.
``server.py``         the Blogger server: routing, feed queries, states, faults.
``substack.py``       the Substack server.
``feedsite.py``       the plain feed site and its server.
``__main__.py``       ``python -m newscrawl.replica``.

Blogger in code:

    from newscrawl.replica import generate_blog, ReplicaServer
    blog = generate_blog(posts=30, comments_per_post=5, seed=1)
    with ReplicaServer(blog, template="minima", feeds="full") as server:
        server.url  # "http://127.0.0.1:PORT/"

Blogger pages and feeds copy the structure, class names and ids of real Blogger markup (see
``shared/real-pages/blogger``) with our own generated content. Template families (``TEMPLATES``): ``minima``
(classic ``dl#comments-block``), ``threaded`` (Layouts threaded widget), ``simple`` (Layouts "Simple" with
microdata and the classic comment list), ``contempo`` (2017+ themes, threaded widget in ``section.comments``) and
``dynamicviews`` (an empty shell; content only through the feeds). Languages (``LANGUAGES``): en, de, fr, es, it,
pt, ru, nl. Blog states (``STATES``, ``ReplicaServer(state=...)``): ok, private, deleted, not_found,
content_warning - see ``states.py`` for what each serves and the sources.
"""

from .formats import COMMENT_TIMESTAMP_FORMATS, DATE_HEADER_FORMATS, LANGUAGES, TIMESTAMP_FORMATS, format_datetime
from .model import REMOVED_TEXT, ReplicaBlog, ReplicaComment, ReplicaPost, generate_blog
from .render import TEMPLATES, header_text, paginate_comments
from .server import ReplicaServer
from .states import STATES
from .texts import html_to_text

__all__ = [
    "COMMENT_TIMESTAMP_FORMATS", "DATE_HEADER_FORMATS", "LANGUAGES", "REMOVED_TEXT", "STATES", "TEMPLATES",
    "TIMESTAMP_FORMATS", "ReplicaBlog", "ReplicaComment", "ReplicaPost", "ReplicaServer", "format_datetime",
    "generate_blog", "header_text", "html_to_text", "paginate_comments",
]
