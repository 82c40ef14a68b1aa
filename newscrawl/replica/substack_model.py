"""Ground truth of the Substack replica: a publication, its posts and comment trees, and the generator.

Deterministic for given arguments: one ``random.Random(seed)``, never the clock.  The shapes follow
Substack's data model as its API shows it (``shared/real-pages/substack``): numeric user, post and
comment ids; posts with an ``audience`` (``everyone``, ``only_paid``, ``founding``) whose anonymous
body is the part before the paywall; comments as a tree (replies in ``children``) with plain-text
``body`` plus the editor's ``body_json``; a deleted comment keeps its place and its replies but
loses body and author (and is served only while a reply below it stands); ``reactions`` as ``{"❤": n}``.

Text comes from the Blogger replica's banks (``texts.py``): the same news-commentary shape,
non-ASCII names and texts, and the characters that must be escaped (``<``, ``&``, quotes).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterator

from .formats import UTC
from .texts import (BLOG_TITLES, COMMENT_EN, COMMENTER_NAMES, EDITOR_EN, ESCAPE_SNIPPETS, LINK_TARGETS, OBJECTS,
                    OUTLETS, OWNER_NAMES, QUOTE_SENTENCES, SUBJECTS, UNICODE_SNIPPETS, VERBS, WEBSITE_COMMENTERS,
                    slugify)

HEART = "❤"
AUDIENCES = ("everyone", "only_paid", "founding")
# newest generated post is shortly before this (fixed, not the clock)
END = datetime(2024, 11, 2, 22, 0, tzinfo=UTC)

# A run of text with its editor marks: ("text", ()) or ("text", ("bold",)) or ("url", ("link",)).
Run = tuple[str, tuple[str, ...]]


def iso_z(moment: datetime) -> str:
    """Substack's API timestamp: UTC, milliseconds, ``Z`` (``2025-06-30T13:56:04.688Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(eq=False)
class SubstackUser:
    user_id: int
    name: str
    handle: str | None  # a few readers never set one: no profile link
    bio: str = ""

    @property
    def photo_url(self) -> str:
        return f"https://substack-post-media.s3.amazonaws.com/public/images/user-{self.user_id}_400x400.png"


@dataclass(eq=False)
class SubstackComment:
    comment_id: int
    post_id: int
    user: SubstackUser | None  # None once deleted
    date: datetime
    paragraphs: list[list[Run]] | None  # None once deleted
    parent: "SubstackComment | None" = None
    reactions: int = 0
    children: list["SubstackComment"] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.paragraphs is None

    @property
    def served(self) -> bool:
        """In the thread the API serves: a deleted comment stays only while a reply below
        it still stands, to hold the thread together (this replica's model, unverified)."""
        return not self.deleted or any(child.served for child in self.children)

    @property
    def parent_id(self) -> int | None:
        return self.parent.comment_id if self.parent is not None else None

    @property
    def ancestors(self) -> list[int]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node.comment_id)
            node = node.parent
        return chain[::-1]

    @property
    def body(self) -> str | None:
        """The plain-text ``body``: paragraphs separated by a blank line."""
        if self.paragraphs is None:
            return None
        return "\n\n".join("".join(text for text, _ in runs) for runs in self.paragraphs)

    @property
    def body_json(self) -> dict | None:
        """The editor's document, as ``body_json`` carries it."""
        if self.paragraphs is None:
            return None
        content = []
        for runs in self.paragraphs:
            nodes = []
            for text, marks in runs:
                node: dict = {"type": "text", "text": text}
                if marks:
                    node["marks"] = [{"type": "link", "attrs": {"href": text, "target": "_blank"}} if m == "link"
                                     else {"type": m} for m in marks]
                nodes.append(node)
            content.append({"type": "paragraph", "content": nodes})
        return {"type": "doc", "attrs": {"schemaVersion": "v1"}, "content": content}

    def walk(self) -> Iterator["SubstackComment"]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False)
class SubstackPost:
    post_id: int
    slug: str
    title: str
    subtitle: str
    post_date: datetime
    updated_at: datetime
    audience: str
    bylines: list[SubstackUser]
    tags: list[str]
    blocks: list[tuple[str, str]]  # (html, text) of each block of the body
    paywall_at: int | None  # blocks before the paywall (paid posts)
    reactions: int = 0
    post_type: str = "newsletter"
    comments: list[SubstackComment] = field(default_factory=list)  # top level, oldest first

    @property
    def paywalled(self) -> bool:
        return self.audience != "everyone"

    @property
    def public_blocks(self) -> list[tuple[str, str]]:
        return self.blocks[: self.paywall_at] if self.paywalled and self.paywall_at is not None else self.blocks

    @property
    def public_html(self) -> str:
        return "".join(h for h, _ in self.public_blocks)

    @property
    def public_text(self) -> str:
        return "\n\n".join(t for _, t in self.public_blocks)

    @property
    def wordcount(self) -> int:
        return sum(len(t.split()) for _, t in self.blocks)

    def all_comments(self) -> list[SubstackComment]:
        """Every comment of the tree, parents before their replies."""
        return [c for top in self.comments for c in top.walk()]

    def served_comments(self) -> list[SubstackComment]:
        """The comments the API serves (``SubstackComment.served``), parents before their replies."""
        return [c for c in self.all_comments() if c.served]

    @property
    def comment_count(self) -> int:
        """What Substack reports: comments still standing (deleted ones no longer count)."""
        return sum(1 for c in self.all_comments() if not c.deleted)

    @property
    def child_comment_count(self) -> int:
        return sum(1 for c in self.all_comments() if not c.deleted and c.parent is not None)


@dataclass(eq=False)
class SubstackPublication:
    publication_id: int
    subdomain: str
    name: str
    hero_text: str
    language: str
    owner: SubstackUser
    created_at: datetime
    custom_domain: str | None = None
    posts: list[SubstackPost] = field(default_factory=list)  # newest first

    def all_comments(self) -> list[SubstackComment]:
        return [c for p in self.posts for c in p.all_comments()]

    def served_comments(self) -> list[SubstackComment]:
        return [c for p in self.posts for c in p.served_comments()]

    def post_by_id(self, post_id: int) -> SubstackPost | None:
        return next((p for p in self.posts if p.post_id == post_id), None)


# -- generator ---------------------------------------------------------------------------------


def generate_publication(posts: int = 30, comments_per_post: int = 6, seed: int = 1, big_post_comments: int = 300,
                         paid_every: int = 4) -> SubstackPublication:
    """A deterministic publication.

    Posts go back from ``END`` a few days apart, newest first; every ``paid_every``-th is paid
    (``only_paid``, one ``founding``) and its anonymous body stops at the paywall.  Comment trees
    are up to four levels deep with replies by the owner, deleted comments (some with replies),
    reactions and non-ASCII text.  The third newest post has no comment; the post at a third of
    the list has ``big_post_comments`` (when ``posts >= 4``)."""
    rng = random.Random(seed)
    title, hero_text = rng.choice(BLOG_TITLES["en"])
    owner_name = rng.choice(OWNER_NAMES["en"])
    owner = SubstackUser(rng.randrange(10**7, 10**9), owner_name, slugify(owner_name).replace("-", ""),
                         "Writes about war, diplomacy and the news behind the news.")
    publication = SubstackPublication(
        publication_id=rng.randrange(10**6, 10**7), subdomain=slugify(title).replace("-", ""), name=title,
        hero_text=hero_text, language="en", owner=owner, created_at=END - timedelta(days=900),
    )
    readers = _readers(rng)
    guest = SubstackUser(rng.randrange(10**7, 10**9), "Zoë Guest-Writer", "zoeguest", "Guest columnist.")
    post_id = rng.randrange(140_000_000, 150_000_000)
    moment = END - timedelta(minutes=rng.randrange(30, 600))
    used_slugs: set[str] = set()
    generated = []
    for index in range(posts):
        paid = paid_every > 0 and index % paid_every == paid_every - 1
        audience = ("founding" if index == paid_every * 2 - 1 else "only_paid") if paid else "everyone"
        bylines = [owner, guest] if index % 7 == 5 else [owner]
        post = _post(rng, post_id, moment, audience, bylines, used_slugs)
        generated.append(post)
        post_id -= rng.randrange(200_000, 3_000_000)
        moment -= timedelta(hours=rng.randrange(6, 120), seconds=rng.randrange(3600),
                            milliseconds=rng.randrange(1000))
    comment_id = rng.randrange(60_000_000, 70_000_000)
    big = len(generated) // 3 if len(generated) >= 4 and big_post_comments > 0 else None
    for index, post in enumerate(reversed(generated)):  # oldest first: comment ids grow with time
        position = len(generated) - 1 - index
        if position == 2:
            count = 0
        elif position == big:
            count = big_post_comments
        else:
            count = max(0, int(rng.gauss(comments_per_post, comments_per_post / 2)))
        comment_id = _comment_tree(rng, post, count, comment_id, readers, owner)
    publication.posts = generated
    return publication


def _readers(rng: random.Random) -> list[SubstackUser]:
    names = COMMENTER_NAMES + [name for name, _ in WEBSITE_COMMENTERS]
    readers = []
    for name in names:
        handle = slugify(name).replace("-", "") or None
        if rng.random() < 0.15:
            handle = None
        readers.append(SubstackUser(rng.randrange(10**7, 4 * 10**8), name, handle))
    return readers


def _post(rng: random.Random, post_id: int, moment: datetime, audience: str, bylines: list[SubstackUser],
          used_slugs: set[str]) -> SubstackPost:
    subject, verb, obj = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)
    title = rng.choice([f"{subject} {verb} {obj}", f"{subject} & the „{obj}“", f"Why {subject} Is Nervous",
                        f"Weekly Round-Up: {obj} — Zürich edition", f"{subject}: <Analysis> {obj}"])
    slug = slugify(title, 60) or "post"
    while slug in used_slugs:
        slug += f"-{rng.randrange(10, 99)}"
    used_slugs.add(slug)
    blocks = _body_blocks(rng)
    paywall_at = 2 if audience != "everyone" else None
    updated = moment + timedelta(seconds=rng.randrange(5, 86400), milliseconds=rng.randrange(1000))
    return SubstackPost(
        post_id=post_id, slug=slug, title=title, subtitle=rng.choice(EDITOR_EN), post_date=moment,
        updated_at=updated, audience=audience, bylines=bylines,
        tags=sorted(rng.sample(["Ukraine", "NATO", "China", "Energy", "Diplomacy", "Middle East", "Économie"],
                               rng.randrange(0, 3))),
        blocks=blocks, paywall_at=paywall_at, reactions=rng.randrange(0, 160),
        post_type="podcast" if rng.random() < 0.08 else "newsletter",
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _body_blocks(rng: random.Random) -> list[tuple[str, str]]:
    """A Substack body as (html, text) blocks: paragraphs, an image with caption, a quoted
    news story with its source, a heading, a list; the author's commentary at the end."""
    blocks: list[tuple[str, str]] = []
    intro = " ".join(rng.sample(EDITOR_EN, 2))
    blocks.append((f"<p>{_esc(intro)}</p>", intro))
    if rng.random() < 0.5:
        caption = "Photo: Department of Defense — Zürich, „Ostflanke“"
        blocks.append((
            '<div class="captioned-image-container"><figure><a class="image-link image2 is-viewable-img" '
            'target="_blank" href="https://substack-post-media.s3.amazonaws.com/public/images/photo.jpeg">'
            '<img src="https://substackcdn.com/image/fetch/w_1456/photo.jpeg" width="1456" height="816" alt="">'
            f'</a><figcaption class="image-caption">{_esc(caption)}</figcaption></figure></div>', caption))
    outlet, _ = rng.choice(OUTLETS)
    headline = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    blocks.append((f"<h3>{_esc(outlet)}: {_esc(headline)}</h3>", f"{outlet}: {headline}"))
    quote = " ".join(rng.sample(QUOTE_SENTENCES, 3))
    blocks.append((f"<blockquote><p>{_esc(quote)}</p></blockquote>", quote))
    url, label = rng.choice(LINK_TARGETS)
    blocks.append((f'<p>Read more in <a href="{html.escape(url)}" rel="">{_esc(label)}</a> and judge for yourself.</p>',
                   f"Read more in {label} and judge for yourself."))
    points = rng.sample(QUOTE_SENTENCES, 2)
    blocks.append(("<ul>" + "".join(f"<li><p>{_esc(p)}</p></li>" for p in points) + "</ul>", "\n".join(points)))
    for paragraph in rng.sample(EDITOR_EN, rng.randrange(1, 3)):
        blocks.append((f"<p>{_esc(paragraph)}</p>", paragraph))
    return blocks


def comment_paragraphs(rng: random.Random) -> list[list[Run]]:
    """A reader comment as paragraphs of runs; marked runs end at a space or the paragraph's end."""
    roll = rng.random()
    if roll < 0.45:
        return [[(" ".join(rng.sample(COMMENT_EN, rng.randrange(1, 4))), ())]]
    if roll < 0.65:
        return [[(" ".join(rng.sample(COMMENT_EN, rng.randrange(1, 3))), ())] for _ in range(rng.randrange(2, 4))]
    if roll < 0.75:
        return [[(rng.choice(UNICODE_SNIPPETS) + " ", ()), (rng.choice(COMMENT_EN), ())]]
    if roll < 0.85:
        return [[(rng.choice(ESCAPE_SNIPPETS), ())]]
    if roll < 0.93:
        return [[(rng.choice(COMMENT_EN), ("bold",))], [(rng.choice(COMMENT_EN), ("italic",))]]
    url, _ = rng.choice(LINK_TARGETS)
    return [[("See ", ()), (url, ("link",)), (" " + rng.choice(COMMENT_EN), ())]]


def _comment_tree(rng: random.Random, post: SubstackPost, count: int, next_id: int, readers: list[SubstackUser],
                  owner: SubstackUser) -> int:
    """Add ``count`` comments to ``post``; return the next free comment id."""
    flat: list[SubstackComment] = []
    moment = post.post_date
    for _ in range(count):
        moment += timedelta(minutes=rng.randrange(1, 600), milliseconds=rng.randrange(1000))
        parent = None
        if flat and rng.random() < 0.4:
            candidates = [c for c in flat[-30:] if len(c.ancestors) < 3]
            parent = rng.choice(candidates) if candidates else None
        author = owner if parent is not None and rng.random() < 0.2 else rng.choice(readers)
        next_id += rng.randrange(1, 5000)
        comment = SubstackComment(next_id, post.post_id, author, moment, comment_paragraphs(rng), parent,
                                  reactions=rng.choice([0, 0, 0, 1, 2, 3, 5, 12]))
        (parent.children if parent is not None else post.comments).append(comment)
        flat.append(comment)
    for comment in flat:
        # about one in twenty is deleted, a thread starter with replies among them when there is one
        if rng.random() < 0.05 or (comment.children and comment.parent is None and not any(c.deleted for c in flat)
                                   and rng.random() < 0.5):
            delete(comment)
    return next_id


def delete(comment: SubstackComment) -> None:
    """What deleting does to a comment in the thread: body and author gone, replies kept."""
    comment.paragraphs = None
    comment.user = None
    comment.reactions = 0
