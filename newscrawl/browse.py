"""Datasette: the metadata that makes a newscrawl database browsable without SQL.

Titles and descriptions come from ``storage.SCHEMA`` (one source of truth); this module
adds how each table is best shown: newest first, facets, label columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .storage import SCHEMA

TABLE_DESCRIPTIONS = {
    "blogs": "The blogs newscrawl tracks.",
    "posts": "Every post of every tracked blog. Newest first; search with the box above.",
    "comments": "Every reader comment, linked to its post and to the comment it replies to.",
    "links": "Outbound links of every post: which outlets each blog quotes.",
    "crawls": "One row per crawl run: requests made, rows stored, errors.",
}

TABLE_DISPLAY: dict[str, dict[str, Any]] = {
    "blogs": {"label_column": "title", "facets": ["platform", "status"]},
    "posts": {"label_column": "title", "sort_desc": "published", "facets": ["blog_id", "author"]},
    "comments": {
        "label_column": "author",
        "sort_desc": "published",
        "facets": ["blog_id", "author", "deleted", "comment_type"],
    },
    "links": {"label_column": "url", "facets": ["domain", "blog_id"]},
    "crawls": {"sort_desc": "id", "facets": ["status", "spider"]},
}


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Datasette ``metadata`` for a newscrawl database at ``db_path``."""
    tables = {}
    for table, columns in SCHEMA.items():
        entry: dict[str, Any] = {
            "title": table.capitalize(),
            "description": TABLE_DESCRIPTIONS.get(table, ""),
            "columns": {name: description for name, (_, description) in columns.items()},
        }
        entry.update(TABLE_DISPLAY.get(table, {}))
        tables[table] = entry
    return {
        "title": "newscrawl",
        "description": "Posts and reader comments of tracked news-commentary blogs.",
        "databases": {Path(db_path).stem: {"tables": tables}},
    }
