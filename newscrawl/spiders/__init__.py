"""The spiders: one per platform, navigation only (extraction is ``newscrawl.platforms``)."""

from __future__ import annotations

import importlib
import pkgutil

from scrapy.utils.spider import iter_spider_classes


def spider_classes() -> list[type]:
    """Every blog spider of this package, in module order: what ``scrapy list`` shows,
    keyed by the platform each one crawls."""
    from .base import BlogSpider

    found = []
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    for module in modules:
        for spider in iter_spider_classes(module):
            if issubclass(spider, BlogSpider) and spider.platform and spider not in found:
                found.append(spider)
    return found
