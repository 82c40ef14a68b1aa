"""The records newscrawl extracts: a blog, its posts, their reader comments.

Field names are the column names in SQLite (see ``storage.py``), so an item can be
stored without renaming.  Dates arrive from parsers as two hints, a machine value
(``*_machine``: ISO 8601 with offset, or epoch milliseconds) and the display string
(``*_raw``); ``prepare.prepare`` turns them into one UTC value plus its source and
zone.  A post may carry its comments (``comments``, replies nested in ``replies``);
``prepare`` flattens them into linked rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import scrapy


class NewscrawlItem(scrapy.Item):
    """A Scrapy item whose reads skip the ``Mapping`` machinery: a crawl reads each of its ~20
    fields a few times per comment (``get`` went through ``Mapping.get``, a ``try`` around
    ``__getitem__``, both in Python). The values are the ones ``scrapy.Item`` keeps."""

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def as_dict(self) -> dict[str, Any]:
        """The item's fields and values, as ``dict(item)`` gives them."""
        return dict(self._values)


class BlogItem(NewscrawlItem):
    id = scrapy.Field()
    url = scrapy.Field()
    platform = scrapy.Field()
    platform_id = scrapy.Field()
    title = scrapy.Field()
    description = scrapy.Field()
    language = scrapy.Field()
    timezone = scrapy.Field()
    author = scrapy.Field()
    author_url = scrapy.Field()
    feed_mode = scrapy.Field()  # full / summary / none: what the posts feed carries
    status = scrapy.Field()  # ok, or why the blog could not be read
    status_reason = scrapy.Field()
    comments_hosted_by = scrapy.Field()  # disqus ...: comments live elsewhere and are not crawled


class PostItem(NewscrawlItem):
    id = scrapy.Field()
    blog_id = scrapy.Field()
    platform_id = scrapy.Field()
    url = scrapy.Field()
    title = scrapy.Field()
    author = scrapy.Field()
    author_url = scrapy.Field()
    published = scrapy.Field()
    published_raw = scrapy.Field()
    published_machine = scrapy.Field()
    published_source = scrapy.Field()
    published_zone = scrapy.Field()  # stated / blog / unknown: where the UTC offset comes from
    updated = scrapy.Field()
    updated_raw = scrapy.Field()
    updated_machine = scrapy.Field()
    updated_source = scrapy.Field()
    updated_zone = scrapy.Field()
    content_html = scrapy.Field()
    content_text = scrapy.Field()
    quoted_text = scrapy.Field()
    commentary_text = scrapy.Field()
    commentary_method = scrapy.Field()
    labels = scrapy.Field()
    comment_count = scrapy.Field()  # as the platform reports it
    reaction_count = scrapy.Field()  # likes / hearts as the platform reports them
    paywalled = scrapy.Field()  # 1: the body is only the public part of a paid post
    source = scrapy.Field()  # feed or html: where this record was read
    comments = scrapy.Field()  # CommentItems carried by the post page
    links = scrapy.Field()  # outbound links of the body (rows of the links table)


class CommentItem(NewscrawlItem):
    id = scrapy.Field()
    post_id = scrapy.Field()
    blog_id = scrapy.Field()
    parent_id = scrapy.Field()
    platform_id = scrapy.Field()
    author = scrapy.Field()
    author_url = scrapy.Field()
    is_blog_author = scrapy.Field()
    published = scrapy.Field()
    published_raw = scrapy.Field()
    published_machine = scrapy.Field()
    published_source = scrapy.Field()
    published_zone = scrapy.Field()
    content_html = scrapy.Field()
    content_text = scrapy.Field()
    url = scrapy.Field()
    deleted = scrapy.Field()
    deleted_reason = scrapy.Field()
    comment_type = scrapy.Field()  # comment, or pingback / trackback (not reader comments)
    reaction_count = scrapy.Field()
    source = scrapy.Field()
    replies = scrapy.Field()  # nested CommentItems, as threaded markup shows them


# Fields that steer processing and never become columns.
TRANSIENT_FIELDS = frozenset({"comments", "replies", "links", "published_machine", "updated_machine"})


@dataclass
class ItemBatch:
    """The items one response gave (a feed page's comments, a REST page's entries), handed to the
    pipelines together (``batching.ItemBatchMiddleware``): Scrapy's per-item machinery (the
    scraper's chain, the pipelines, the ``item_scraped`` signal, its log line) cost a crawl more
    per comment than reading it.  ``prepare.prepare_all`` turns it into one ``Rows``."""

    items: list[Any] = field(default_factory=list)
    # the blog spider they come from, in a crawler of many blogs (blogs.py); None: the crawler's spider
    blog: Any = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.items)
