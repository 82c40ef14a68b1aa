"""The pipeline steps as plain functions: the same code a crawl and `newscrawl extract` run."""

from newscrawl.dates import DateContext
from newscrawl.items import CommentItem, PostItem
from newscrawl.prepare import item_to_row, missing_fields, normalize_item_dates, split_comments


def make_post():
    reply = CommentItem(id="b:c2", platform_id="2", published_machine=1645996320000, published_raw="9:12 PM")
    top = CommentItem(id="b:c1", platform_id="1", published_raw="27. Februar 2022 um 21:00", replies=[reply])
    return PostItem(
        id="b:p", blog_id="b", published_machine="2022-02-27T21:12:00.003-08:00",
        published_raw="Sunday, February 27, 2022", comments=[top],
    )


def test_dates_of_a_post_and_its_nested_comments():
    post = normalize_item_dates(make_post(), DateContext(("de",), "+01:00"))
    assert post["published"] == "2022-02-28T05:12:00+00:00"
    assert post["published_source"] == "iso"
    assert post["published_raw"] == "Sunday, February 27, 2022"
    top = post["comments"][0]
    assert top["published"] == "2022-02-27T20:00:00+00:00"
    assert top["published_source"] == "display"
    reply = top["replies"][0]
    assert reply["published"] == "2022-02-27T21:12:00+00:00"
    assert reply["published_source"] == "epoch"


def test_split_links_every_comment_to_post_and_parent():
    post = make_post()
    flat = split_comments(post)
    assert [c["id"] for c in flat] == ["b:c1", "b:c2"]
    assert [c.get("parent_id") for c in flat] == [None, "b:c1"]
    assert all(c["post_id"] == "b:p" and c["blog_id"] == "b" for c in flat)
    assert all("replies" not in c for c in flat)


def test_rows_carry_no_transient_fields():
    row = item_to_row(make_post())
    assert "comments" not in row and "published_machine" not in row
    assert row["id"] == "b:p"


def test_items_without_ids_are_reported():
    assert missing_fields(CommentItem(id="x")) == ["post_id"]
    assert missing_fields(PostItem(id="p", blog_id="b")) == []
