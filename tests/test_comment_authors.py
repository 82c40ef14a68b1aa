"""prepare's check of comment authors: a name that is a date is not stored as the author, a
missing name is counted; both are logged once per post."""

import logging

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawl.dates import name_reads_as_date
from newscrawl.items import CommentItem, PostItem
from newscrawl.prepare import prepare


def _post(*authors):
    comments = [CommentItem(id=f"p:c{i}", post_id="p", blog_id="b", author=a, content_text="hi",
                            comment_type="comment") for i, a in enumerate(authors)]
    comments.append(CommentItem(id="p:ping", post_id="p", blog_id="b", author=None, comment_type="pingback"))
    return PostItem(id="p", blog_id="b", url="https://blog.example/p", comments=comments)


def test_a_date_is_not_an_author_and_missing_authors_are_counted(caplog):
    stats = MemoryStatsCollector(get_crawler())
    with caplog.at_level(logging.WARNING):
        rows = prepare(_post("Ben 19. Juni 2018 um 15:28 Uhr", "dave1984", None, "Anna"), stats=stats)
    assert [c["author"] for c in rows.comments] == [None, "dave1984", None, "Anna", None]
    assert stats.get_value("newscrawl/comments/author_was_a_date") == 1
    assert stats.get_value("newscrawl/comments/without_author") == 2  # the pingback is not a reader comment
    assert "read as a date" in caplog.text and "2 of 4 comments without an author" in caplog.text


def test_names_with_numbers_are_names():
    assert not any(map(name_reads_as_date, ["dave1984", "Class of 2012", "Agent 007", "Anna"]))
    assert all(map(name_reads_as_date, ["June 5, 2015", "12.03.2015", "Ben um 15:28 Uhr"]))
