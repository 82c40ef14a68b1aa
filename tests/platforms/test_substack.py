"""Substack parsers against the real saved API answers (``real-pages/substack``) and the replica's answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from newscrawl.dates import format_utc, parse_machine_date
from newscrawl.prepare import split_comments
from newscrawl.platforms import substack
from newscrawl.platforms.markup import walk_comments
from newscrawl.replica.substack import SubstackServer, generate_publication


def utc(value: str) -> str:
    return format_utc(parse_machine_date(value))


@pytest.fixture(scope="module")
def saved(real_pages):
    folder = real_pages / "substack"
    return lambda name: (folder / name).read_bytes()


# -- real answers -------------------------------------------------------------------------


def test_real_post_by_id(saved):
    url = "https://angelsant.substack.com/api/v1/posts/by-id/167180194"
    post = substack.parse_post(saved("api.v1.posts.by-id.167180194.json"), url)
    item = post.item
    assert item["id"] == "substack:4980083:167180194"
    assert item["blog_id"] == "substack:4980083" and item["platform_id"] == "167180194"
    assert item["url"] == "https://angelsant.substack.com/p/week-of-june-24-2025-build-saas-without"
    assert item["title"] == "Week of June 24, 2025: Build SaaS Without Code"
    assert item["author"] == "Angel Rodriguez Santiago"
    assert item["author_url"] == "https://substack.com/@angelsant"
    assert utc(item["published_machine"]) == "2025-06-30T13:56:04+00:00"
    assert utc(item["updated_machine"]) == "2025-07-01T00:17:16+00:00"
    assert (item["comment_count"], item["reaction_count"], item["paywalled"]) == (1, 4, 0)
    assert item["labels"] == ["tldr", "workflows", "content", "digest", "solopreneur", "entrepreneur", "agency"]
    assert item["content_html"].startswith('<div class="captioned-image-container">')
    assert item["content_text"].startswith("This week’s content shatters the myth")
    assert item["source"] == "api"
    assert post.slug == "week-of-june-24-2025-build-saas-without" and post.comment_count == 1
    # the byline is the publication's owner: a comment by user 343074721 is the blog author's
    assert post.author_ids == {"343074721"} and post.owner_id == "343074721"
    blog = post.blog
    assert blog["id"] == "substack:4980083" and blog["platform_id"] == "4980083"
    assert (blog["title"], blog["language"], blog["url"]) == ("Workflow Forge", "en", "https://angelsant.substack.com/")
    assert blog["description"].startswith("Actionable automation tips for solopreneurs")
    assert blog["author"] == "Angel Rodriguez Santiago"


PROFILE_POSTS = [  # id, post_date, paid, reactions, comments
    (165787873, "2025-06-12T18:22:44+00:00", 1, 29, 12),
    (165086104, "2025-06-04T13:31:29+00:00", 0, 61, 21),
    (164290775, "2025-05-25T14:23:47+00:00", 0, 77, 44),
    (163257852, "2025-05-14T12:35:37+00:00", 0, 45, 14),
    (162620683, "2025-05-06T13:05:38+00:00", 0, 56, 47),
    (161895010, "2025-04-22T18:10:51+00:00", 0, 115, 41),
    (161279678, "2025-04-15T18:37:10+00:00", 0, 54, 26),
    (161215865, "2025-04-13T16:41:43+00:00", 1, 34, 29),
    (160650494, "2025-04-06T15:06:53+00:00", 0, 60, 30),
    (160170753, "2025-03-30T13:13:12+00:00", 1, 31, 51),
    (159543832, "2025-03-23T06:01:43+00:00", 1, 46, 22),
    (158977403, "2025-03-16T06:22:15+00:00", 0, 46, 21),
    (158635336, "2025-03-08T08:40:05+00:00", 1, 22, 6),
    (157945562, "2025-02-28T07:22:41+00:00", 0, 10, 16),
    (157664757, "2025-02-22T06:17:33+00:00", 1, 21, 8),
]


def test_real_profile_post_list(saved):
    url = "https://substack.com/api/v1/profile/posts?profile_user_id=27968736&limit=50"
    page = substack.parse_saved_json(saved("api.v1.profile.posts.profile_user_id-27968736.json"), url)
    assert page.kind == "posts"
    got = [(int(p["platform_id"]), utc(p["published_machine"]), p["paywalled"], p["reaction_count"],
            p["comment_count"]) for p in page.posts]
    assert got == PROFILE_POSTS
    assert sum(p["comment_count"] for p in page.posts) == 388
    first = page.posts[0]
    assert first["id"] == "substack:4097137:165787873"
    assert first["title"] == ("Founders, Here's What You Need to Know About Releases in 2025. "
                              "Plus the 267% Acceleration Trend.")
    assert first["url"] == "https://karozieminski.substack.com/p/founders-heres-what-you-need-to-know"
    assert first["author"] == "Karo (Product with Attitude)"
    # a list answer carries no body: nothing public to store, paid or not
    assert all(p.get("content_html") is None for p in page.posts)
    assert page.blog["title"] == "Product with Attitude" and page.blog["id"] == "substack:4097137"
    assert page.blog["url"] == "https://karozieminski.substack.com/"


def test_real_comment_object(saved):
    url = "https://substack.com/api/v1/reader/comment/131648795"
    page = substack.parse_saved_json(saved("api.v1.reader.comment.131648795.json"), url)
    [comment] = page.comments
    assert page.kind == "comment"
    assert comment["platform_id"] == "131648795"
    assert comment["author"] == "Jakub Slys 🎖️"
    assert comment["author_url"] == "https://substack.com/@jakubslys"
    assert utc(comment["published_machine"]) == "2025-07-03T08:53:04+00:00"
    assert comment["reaction_count"] == 0 and not comment["deleted"] and comment.get("parent_id") is None
    # a Note: a comment on no post
    assert comment.get("post_id") is None and comment.get("url") is None
    # body_json keeps the bold the plain body loses
    assert comment["content_html"].startswith("<p><strong>🧨 DO YOU KNOW WHAT REAL AUTOMATION LOOKS LIKE?</strong></p>")
    lines = comment["content_text"].split("\n\n")
    assert lines[0] == "🧨 DO YOU KNOW WHAT REAL AUTOMATION LOOKS LIKE?"
    assert lines[-1] == "You don’t manage n8n anymore — you orchestrate it. 👇"
    assert len(lines) == 8


def test_real_pages_carry_the_markers_reported_for_detection(saved):
    page = saved("12gramsofcarbon.com.p.ilyas-30-papers-to-carmack-vlaes.html").decode()
    assert '<link rel="preconnect" href="https://substackcdn.com">' in page
    assert "substackcdn.com/bundle/" in page
    assert substack.blog_root("https://12gramsofcarbon.com/p/ilyas-30-papers-to-carmack-vlaes") == \
        "https://12gramsofcarbon.com/"
    assert substack.archive_url("https://12gramsofcarbon.com/", 100) == \
        "https://12gramsofcarbon.com/api/v1/archive?sort=new&offset=100&limit=50"


# -- replica answers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def replica():
    publication = generate_publication(posts=14, comments_per_post=8, seed=21, big_post_comments=60)
    server = SubstackServer(publication, archive_cap=5)
    server.port = 8000  # not started: answers come from route(), the addresses only need a port
    return server


def answer(server: SubstackServer, path: str):
    status, _, body, _ = server.route(path)
    assert status == 200, (path, body[:200])
    return body


def test_archive_pages_follow_what_the_server_returns(replica):
    publication = replica.publication
    read, blogs, offset = [], [], 0
    while True:
        url = replica.base + f"/api/v1/archive?sort=new&offset={offset}&limit=50"
        page = substack.parse_archive(answer(replica, url[len(replica.base):]), url)
        if not page.entries:
            break
        assert page.entries <= 5  # the cap, not the limit asked for
        read.extend(page.posts)
        blogs.append(page.blog)
        offset += page.entries
    assert [p.platform_id for p in read] == [str(p.post_id) for p in publication.posts]
    for api_post, post in zip(read, publication.posts):
        item = api_post.item
        assert item["id"] == f"substack:{publication.publication_id}:{post.post_id}"
        assert item["title"] == post.title and item["url"] == replica.post_url(post)
        assert utc(item["published_machine"]) == format_utc(post.post_date)
        assert (item["paywalled"], item["reaction_count"], item["comment_count"]) == \
            (int(post.paywalled), post.reactions, post.comment_count)
        assert item.get("content_html") is None  # the archive has no bodies
        assert api_post.slug == post.slug and api_post.owner_id == str(publication.owner.user_id)
        assert api_post.comment_count == post.comment_count
    # the bylines embed the publication: each page names the blog
    assert {(b["id"], b["title"], b["description"]) for b in blogs} == \
        {(f"substack:{publication.publication_id}", publication.name, publication.hero_text)}


def test_signature_changes_with_what_is_stored(replica):
    entry = json.loads(answer(replica, "/api/v1/archive?sort=new&offset=0&limit=1"))[0]
    signature = substack.post_signature(entry)
    # the comment count is compared apart (it decides whether the tree is read); a new
    # profile photo of the author is no change of the post
    bylines = [{**b, "photo_url": "https://example.org/new.png"} for b in entry["publishedBylines"]]
    assert substack.post_signature({**entry, "comment_count": 99, "publishedBylines": bylines}) == signature
    for changed in ({"title": entry["title"] + "!"}, {"wordcount": entry["wordcount"] + 1},
                    {"reaction_count": entry["reaction_count"] + 1}, {"audience": "only_paid"},
                    {"postTags": [{"name": "New tag"}]}):
        assert substack.post_signature({**entry, **changed}) != signature, changed


def test_post_answer_public_body_and_paywall(replica):
    publication = replica.publication
    for post in publication.posts:
        url = replica.base + f"/api/v1/posts/{post.slug}"
        item = substack.parse_post(answer(replica, f"/api/v1/posts/{post.slug}"), url).item
        assert item["paywalled"] == int(post.paywalled)
        assert " ".join(item["content_text"].split()) == " ".join(post.public_text.split())
        if post.paywalled:
            assert len(post.public_blocks) < len(post.blocks)
            assert post.blocks[-1][1] not in item["content_text"]
    by_id = publication.posts[0]
    wrapped = substack.parse_post(answer(replica, f"/api/v1/posts/by-id/{by_id.post_id}"),
                                  replica.base + f"/api/v1/posts/by-id/{by_id.post_id}")
    assert wrapped.blog["language"] == "en" and wrapped.blog["title"] == publication.name
    assert wrapped.item["id"].endswith(str(by_id.post_id))


def test_comment_tree_matches_the_replica(replica):
    publication = replica.publication
    key = substack.blog_key(publication.publication_id)
    owner = str(publication.owner.user_id)
    checked = deleted_with_replies = 0
    for post in publication.posts:
        path = f"/api/v1/post/{post.post_id}/comments?all_comments=true&sort=oldest_first"
        tree = substack.parse_comments(answer(replica, path), replica.base + path, key,
                                       replica.post_url(post), {owner})
        comments = list(walk_comments(tree))
        assert [c["platform_id"] for c in comments] == [str(c.comment_id) for c in post.served_comments()]
        for item, comment in zip(comments, post.served_comments()):
            assert item["post_id"] == f"{key}:{post.post_id}"
            assert item.get("parent_id") == (f"{key}:c{comment.parent_id}" if comment.parent_id else None)
            assert bool(item["deleted"]) == comment.deleted
            assert utc(item["published_machine"]) == format_utc(comment.date)
            assert item["url"] == f"{replica.post_url(post)}/comment/{comment.comment_id}"
            if comment.deleted:
                assert item.get("author") is None and item.get("content_text") is None
                deleted_with_replies += 1  # served: a reply below it stands
            else:
                assert item["author"] == comment.user.name
                assert item.get("author_url") == (f"https://substack.com/@{comment.user.handle}"
                                                  if comment.user.handle else None)
                assert item["is_blog_author"] == (comment.user is publication.owner)
                assert " ".join(item["content_text"].split()) == " ".join(comment.body.split())
                assert item["reaction_count"] == comment.reactions
            checked += 1
        # flattened the way the pipeline stores them: replies keep their parents
        post_item = {"id": f"{key}:{post.post_id}", "blog_id": key, "comments": tree}
        assert len(split_comments(post_item)) == len(post.served_comments())
    assert checked == len(publication.served_comments()) > 100
    assert deleted_with_replies, "the replica has deleted comments that keep their replies"


def test_top_level_only_without_all_comments(replica):
    big = max(replica.publication.posts, key=lambda p: len(p.all_comments()))
    path = f"/api/v1/post/{big.post_id}/comments"
    tree = substack.parse_comments(answer(replica, path), replica.base + path, "substack:1")
    assert len(tree) == sum(1 for c in big.comments if c.served) and all(not c["replies"] for c in tree)


def test_replica_uses_the_real_field_names(replica, saved):
    """Every field the replica serves is one Substack's saved answers have: the replica
    copies the API, it does not invent it."""
    real_post = json.loads(saved("api.v1.posts.by-id.167180194.json"))
    real_list = json.loads(saved("api.v1.profile.posts.profile_user_id-27968736.json"))
    real_comment = json.loads(saved("api.v1.reader.comment.131648795.json"))["item"]["comment"]
    post = replica.publication.posts[0]
    post_fields = set(real_post["post"]) | set(real_list["posts"][0])
    assert set(replica.post_json(post, detail=True)) <= post_fields
    assert set(replica.post_json(post, detail=False)) <= post_fields
    byline = replica.post_json(post, detail=True)["publishedBylines"][0]
    assert set(byline) <= set(real_post["post"]["publishedBylines"][0])
    assert set(replica.publication_json()) <= set(real_post["publication"]) | set(real_list["publications"][0])
    assert set(replica.publication_json(brief=True)) <= set(real_list["publications"][0])
    comment = replica.comment_json(replica.publication.all_comments()[0])
    # a post comment has what a Note has, plus its thread (children) and state (deleted, status)
    assert set(real_comment) <= set(comment) <= set(real_comment) | {"children", "deleted", "status"}


def test_replica_over_http():
    publication = generate_publication(posts=6, comments_per_post=2, seed=2, big_post_comments=0)

    def get(server, path):
        with urllib.request.urlopen(server.base + path, timeout=10) as response:
            return response.status, response.headers.get("Content-Type"), response.read().decode()

    with SubstackServer(publication, archive_cap=4, throttle_every=3) as server:
        assert "Disallow: /p/*/comment/*" in get(server, "/robots.txt")[2]
        home = get(server, "/")[2]
        assert '<link rel="preconnect" href="https://substackcdn.com">' in home and "window._preloads" in home
        status, kind, feed = get(server, "/feed")
        assert kind.startswith("application/rss+xml") and feed.count("<item>") == 6
        assert "<generator>Substack</generator>" in feed
        assert len(json.loads(get(server, "/api/v1/archive?sort=new&offset=0&limit=50")[2])) == 4
        assert json.loads(get(server, "/api/v1/archive?sort=new&offset=6&limit=50")[2]) == []
        with pytest.raises(urllib.error.HTTPError) as refused:  # the third distinct API address, first time
            get(server, f"/api/v1/posts/{publication.posts[0].slug}")
        assert refused.value.code == 429 and refused.value.headers["Retry-After"] == "1"
        assert json.loads(get(server, f"/api/v1/posts/{publication.posts[0].slug}")[2])["id"] == \
            publication.posts[0].post_id
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(server, "/api/v1/posts/no-such-post")
        assert missing.value.code == 404
        assert server.requests[0] == "/robots.txt"


# -- pieces ---------------------------------------------------------------------------------


def test_body_json_rendering():
    document = {"type": "doc", "content": [
        {"type": "paragraph", "content": [
            {"type": "text", "text": "a < b & "}, {"type": "text", "text": "bold", "marks": [{"type": "bold"}]},
            {"type": "hard_break"}, {"type": "text", "text": "site", "marks": [
                {"type": "link", "attrs": {"href": "https://example.org/?a=1&b=2"}}, {"type": "italic"}]}]},
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Title"}]},
        {"type": "bulletList", "content": [{"type": "listItem", "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]}]},
    ]}
    assert substack.render_document(document) == (
        '<p>a &lt; b &amp; <strong>bold</strong><br><em><a href="https://example.org/?a=1&amp;b=2">site</a></em></p>'
        "<h2>Title</h2><ul><li><p>one</p></li></ul>"
    )


def test_plain_body_becomes_escaped_paragraphs():
    assert substack.text_to_html("Tags <b> & co\nsecond line\n\nnew paragraph") == \
        "<p>Tags &lt;b&gt; &amp; co<br>second line</p><p>new paragraph</p>"
    raw = {"id": 5, "body": "x < y", "body_json": None, "date": "2024-01-02T03:04:05.678Z", "deleted": False}
    assert substack.comment_item(raw, "substack:1")["content_html"] == "<p>x &lt; y</p>"


def test_deleted_comment_keeps_its_place_and_loses_its_text():
    raw = {"id": 7, "body": None, "body_json": None, "name": None, "handle": None, "user_id": None,
           "date": "2024-01-02T03:04:05.678Z", "deleted": True, "ancestor_path": "3.5", "post_id": 11}
    item = substack.comment_item(raw, "substack:1")
    assert item["deleted"] and item.get("content_text") is None and item.get("author") is None
    assert item["deleted_reason"] == substack.DELETED_NOTICE
    # read outside its tree, the parent comes from ancestor_path
    assert item["parent_id"] == "substack:1:c5" and item["post_id"] == "substack:1:11"


def test_reaction_counts():
    assert substack.reaction_count({"reaction_count": 4, "reactions": {"❤": 9}}) == 4
    assert substack.reaction_count({"reactions": {"❤": 3, "🔥": 2}}) == 5
    assert substack.reaction_count({"reactions": {}}) is None
    assert substack.reaction_count({}) is None


def test_paid_post_without_body_html_keeps_its_public_preview():
    entry = {"id": 1, "publication_id": 2, "slug": "s", "post_date": "2024-01-01T00:00:00.000Z",
             "audience": "only_paid", "body_html": None, "truncated_body_text": "The first lines & more"}
    item = substack.parse_post(json.dumps(entry), "https://x.substack.com/api/v1/posts/s").item
    assert item["paywalled"] == 1
    assert item["content_html"] == "<p>The first lines &amp; more</p>"
    assert item["url"] == "https://x.substack.com/p/s"


def test_answers_that_are_not_the_api_are_clear_errors():
    with pytest.raises(substack.NotSubstackJson, match="is this a Substack publication"):
        substack.parse_archive(b"<!DOCTYPE html><html>", "https://example.org/api/v1/archive")
    with pytest.raises(substack.NotSubstackJson, match="JSON list"):
        substack.parse_archive(b'{"error": "x"}', "https://example.org/api/v1/archive")
    with pytest.raises(substack.NotSubstackJson, match="no post"):
        substack.parse_post(b'{"error": "Post not found"}', "https://example.org/api/v1/posts/x")
    with pytest.raises(substack.NotSubstackJson, match="comments list"):
        substack.parse_comments(b"[]", "https://example.org/api/v1/post/1/comments", "substack:1")


def test_api_addresses():
    root = "https://example.substack.com/"
    assert substack.post_api_url(root, "a-b") == "https://example.substack.com/api/v1/posts/a-b"
    assert substack.comments_api_url(root, 42) == \
        "https://example.substack.com/api/v1/post/42/comments?all_comments=true&sort=oldest_first"
    assert substack.post_id_of_comments_url(substack.comments_api_url(root, 42)) == "42"
    assert substack.archive_offset("https://x/api/v1/archive?sort=new&offset=150&limit=50") == 150
    assert substack.profile_url("someone") == "https://substack.com/@someone" and substack.profile_url(None) is None


# -- saved documents through newscrawl extract --------------------------------------------------


def test_extract_reads_a_rendered_substack_post_page(real_pages):
    from newscrawl.extraction import extract_file

    page = real_pages / "substack" / "12gramsofcarbon.com.p.ilyas-30-papers-to-carmack-vlaes.html"
    data = extract_file(page.read_bytes(), "https://12gramsofcarbon.com/p/ilyas-30-papers-to-carmack-vlaes")
    post = data["post"]
    assert (post["id"], post["title"], post["author"]) == (
        "substack:1830559:158324559", "Ilya's Papers to Carmack: VLAEs", "theahura")
    assert (post["published"], post["published_raw"]) == ("2025-03-06T12:48:40+00:00", "2025-03-06T12:48:40+00:00")
    assert (post["comment_count"], data["comments"]) == (0, [])


def test_preloaded_post_page_gives_post_and_comment_tree():
    import json as json_lib

    from newscrawl.platforms.substack import parse_document

    preloads = {
        "post": {"id": 7, "publication_id": 3, "slug": "s", "title": "T", "post_date": "2025-01-02T03:04:05.678Z",
                 "canonical_url": "https://x.substack.com/p/s", "audience": "everyone", "body_html": "<p>b</p>"},
        "pub": {"id": 3, "name": "X", "author_id": 11},
        "comments": [{"id": 21, "name": "Ann", "date": "2025-01-03T00:00:00.000Z", "body": "hi", "user_id": 12,
                      "children": [{"id": 22, "name": "Owner", "date": "2025-01-03T01:00:00.000Z", "body": "yo",
                                    "user_id": 11, "children": []}]}],
    }
    html = ("<html><script>window._preloads = JSON.parse(" + json_lib.dumps(json_lib.dumps(preloads))
            + ")</script></html>")
    saved = parse_document(html, "https://x.substack.com/p/s")
    post = saved.posts[0]
    assert saved.post_page and post["id"] == "substack:3:7"
    top = post["comments"][0]
    reply = top["replies"][0]
    assert (top["author"], top["published_machine"], top.get("parent_id")) == ("Ann", "2025-01-03T00:00:00.000Z", None)
    assert (reply["author"], reply["parent_id"], reply["is_blog_author"]) == ("Owner", "substack:3:c21", True)
