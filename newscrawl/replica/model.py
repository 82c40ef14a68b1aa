"""Ground truth of the replica: the blog, its posts and comments, and the generator.

Everything here is deterministic for given arguments: the generator draws from one ``random.Random(seed)``
and never reads the clock. To keep a 10,000-post / 200,000-comment blog small in memory, bodies are not
stored: each post and comment keeps a small seed and renders ``content_html`` / ``content_text`` on access
(the same seed always renders the same text: see ``texts.py``). Display formats are in ``formats.py``.
"""

from __future__ import annotations

import html
import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .formats import (COMMENT_TIMESTAMP_FORMATS, DATE_HEADER_FORMATS, LANGUAGES, TIMESTAMP_FORMATS, UTC, epoch_ms,
                      resolve_format)
from .texts import (BLOG_TITLES, COMMENTER_NAMES, K_ESCAPE, K_HTML, K_LINK, K_MULTI, K_UNICODE, KIND_WEIGHTS, LABELS,
                    OBJECTS, OWNER_NAMES, SUBJECTS, TITLE_EXTRAS, TITLES_DE, VERBS, WEBSITE_COMMENTERS, html_to_text,
                    image_src, render_comment_body, render_post_body, slugify)

# --------------------------------------------------------------------------------------------------------------
# Data classes (the ground truth the crawler's output is compared with)
# --------------------------------------------------------------------------------------------------------------

REMOVED_TEXT = {
    "en": {"author": "This comment has been removed by the author.",
           "admin": "This comment has been removed by a blog administrator."},
    "de": {"author": "Dieser Kommentar wurde vom Autor entfernt.",
           "admin": "Dieser Kommentar wurde von einem Blog-Administrator entfernt."},
    "fr": {"author": "Ce commentaire a été supprimé par l'auteur.",
           "admin": "Ce commentaire a été supprimé par un administrateur du blog."},
    "es": {"author": "Este comentario ha sido eliminado por el autor.",
           "admin": "Este comentario ha sido eliminado por un administrador del blog."},
    "it": {"author": "Questo commento è stato eliminato dall'autore.",
           "admin": "Questo commento è stato eliminato da un amministratore del blog."},
    "pt": {"author": "Este comentário foi removido pelo autor.",
           "admin": "Este comentário foi removido por um administrador do blog."},
    "ru": {"author": "Этот комментарий был удален автором.",
           "admin": "Этот комментарий был удален администратором блога."},
    "nl": {"author": "Deze reactie is verwijderd door de auteur.",
           "admin": "Deze reactie is verwijderd door een blogbeheerder."},
}


@dataclass(slots=True, eq=False)
class ReplicaComment:
    """One reader comment. ``published`` is UTC with millisecond precision (the showComment epoch is exact).

    ``content_html`` is the HTML that Blogger puts inside ``p.comment-content`` / ``dd.comment-body > p`` and in the
    feed's ``content``; ``content_text`` is its text, ``<br />`` read as a line break. For a removed comment both are
    the removal sentence the page and feeds show ("This comment has been removed by the author.").
    """

    comment_id: str
    post_id: str
    parent_id: str | None
    author_name: str
    author_url: str | None
    is_blog_author: bool
    published: datetime
    removed: str | None = None  # None, "author" or "admin"
    language: str = "en"
    _kind: int = 0
    _seed: int = 0
    _html: str | None = None  # explicit body (add_comment); None means render from the seed
    # the feed entry's ``updated``: ``published`` unless the comment was changed later (removed by its author or an
    # admin: ``ReplicaServer.remove_comment`` sets it to the time of removal)
    updated: datetime | None = None

    def __post_init__(self) -> None:
        if self.updated is None:
            self.updated = self.published

    @property
    def epoch_ms(self) -> int:
        return epoch_ms(self.published)

    @property
    def content_html(self) -> str:
        if self.removed:
            return html.escape(REMOVED_TEXT.get(self.language, REMOVED_TEXT["en"])[self.removed], quote=False)
        if self._html is not None:
            return self._html
        return render_comment_body(self._kind, self._seed, self.language)[0]

    @property
    def content_text(self) -> str:
        if self.removed:
            return REMOVED_TEXT.get(self.language, REMOVED_TEXT["en"])[self.removed]
        if self._html is not None:
            return html_to_text(self._html)
        return render_comment_body(self._kind, self._seed, self.language)[1]


@dataclass(slots=True, eq=False)
class ReplicaPost:
    """One post. ``published``/``updated`` are aware datetimes in the blog's timezone."""

    post_id: str
    path: str
    title: str
    author_name: str
    author_url: str
    published: datetime
    updated: datetime
    labels: list[str] = field(default_factory=list)
    comments: list[ReplicaComment] = field(default_factory=list)
    language: str = "en"
    has_image: bool = False
    _seed: int = 0
    _html: str | None = None
    _text: str | None = None

    @property
    def content_html(self) -> str:
        if self._html is not None:
            return self._html
        return render_post_body(self._seed, self.language, self.has_image)[0]

    @property
    def content_text(self) -> str:
        if self._html is not None:
            return self._text if self._text is not None else html_to_text(self._html)
        return render_post_body(self._seed, self.language, self.has_image)[1]

    @property
    def image_url(self) -> str | None:
        if not self.has_image:
            return None
        return image_src(self._seed, "s320")

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def month(self) -> int:
        return self.published.month


@dataclass(eq=False)
class ReplicaBlog:
    blog_id: str
    title: str
    description: str
    language: str
    timezone: str
    author_name: str
    author_url: str
    date_header_format: str
    comment_timestamp_format: str
    timestamp_format: str
    posts: list[ReplicaPost] = field(default_factory=list)  # newest first

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def post_by_id(self, post_id: str) -> ReplicaPost | None:
        for p in self.posts:
            if p.post_id == post_id:
                return p
        return None

    def all_comments(self) -> list[ReplicaComment]:
        """Every comment of the blog, posts newest first, each post's comments in display (chronological) order."""
        return [c for p in self.posts for c in p.comments]

    def comment_by_id(self, comment_id: str) -> ReplicaComment | None:
        for p in self.posts:
            for c in p.comments:
                if c.comment_id == comment_id:
                    return c
        return None


# --------------------------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------------------------

_END = datetime(2024, 11, 2, 22, 0, tzinfo=UTC)  # newest generated post is shortly before this (fixed, not the clock)


class _Ids:
    """Unique 19-digit Blogger-style ids (posts and comments share one space, so they never collide)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[int] = set()

    def new(self) -> str:
        while True:
            n = self.rng.randrange(10**18, 9_223_372_036_854_775_807)
            if n not in self.used:
                self.used.add(n)
                return str(n)


def _profile_url(rng: random.Random) -> str:
    return f"https://www.blogger.com/profile/{rng.randrange(10**20):020d}"


def _normalize(dt: datetime, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(dt.timestamp(), tz)


def pid_for(name: str, url: str | None) -> str:
    """Blogger's per-author ``pid-NNN`` item class (stable per author)."""
    return f"pid-{zlib.crc32(f'{name}|{url}'.encode()) % 2_000_000_000}"


def generate_blog(posts: int = 30, comments_per_post: int = 5, seed: int = 1, language: str = "en",
                  timezone: str = "America/Los_Angeles", big_post_comments: int = 320,
                  date_header_format: str | None = None, comment_timestamp_format: str | None = None,
                  timestamp_format: str | None = None) -> ReplicaBlog:
    """Generate a deterministic blog.

    ``language`` is one of :data:`LANGUAGES` (en, de, fr, es, it, pt, ru, nl): it sets the blog's display formats
    (unless given), the removed-comment sentences and part of the comment text. For fr/es/it/pt/ru/nl the same seed
    gives the same ids, dates and threads as for en (de draws German titles and differs).

    Comment count: every post but the big one gets a share of ``(posts - 1) * comments_per_post`` (some get none,
    some many); the big post (when ``posts >= 3`` and ``big_post_comments > 0``) gets exactly ``big_post_comments``.
    Without a big post the total is ``posts * comments_per_post``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    rng = random.Random(seed)
    tz = ZoneInfo(timezone)
    ids = _Ids(rng)
    blog_title, blog_desc = rng.choice(BLOG_TITLES[language])
    owner = rng.choice(OWNER_NAMES[language])
    blog = ReplicaBlog(
        blog_id=str(rng.randrange(10**18, 9_223_372_036_854_775_807)),
        title=blog_title, description=blog_desc, language=language, timezone=timezone,
        author_name=owner, author_url=_profile_url(rng),
        date_header_format=resolve_format(date_header_format, DATE_HEADER_FORMATS, language),
        comment_timestamp_format=resolve_format(comment_timestamp_format, COMMENT_TIMESTAMP_FORMATS, language),
        timestamp_format=resolve_format(timestamp_format, TIMESTAMP_FORMATS, language),
    )
    if posts <= 0:
        return blog

    # ---- post times: local dates spread over several years, local time of day 06:00-23:59
    span_days = max(3 * 365, int(posts * 0.3))
    end_local = _END.astimezone(tz)
    times: list[datetime] = []
    for _ in range(posts):
        day = end_local.date() - timedelta(days=rng.randrange(span_days))
        minute = rng.randrange(6 * 60, 24 * 60)
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
        times.append(_normalize(local, tz))
    twin_of = None
    if posts >= 6:  # two posts with the same title in one month -> the later one gets a _DD slug suffix
        twin_of = rng.randrange(1, posts)
        base = times[twin_of]
        times[0] = _normalize(base + timedelta(hours=-3 if base.hour >= 9 else 3), tz)
    # stable chronological order (oldest first); ties broken by generation index
    order = sorted(range(posts), key=lambda i: (times[i].timestamp(), i))

    # ---- titles, labels, images
    label_pool = LABELS[:]
    post_objs: list[ReplicaPost] = []
    untitled_at = rng.randrange(posts) if posts >= 10 else None
    titles: list[str] = []
    for i in range(posts):
        if language == "de" and rng.random() < 0.4:
            tpl = rng.choice(TITLES_DE)
        else:
            tpl = rng.choice(TITLE_EXTRAS)
        titles.append(tpl.format(s=rng.choice(SUBJECTS), v=rng.choice(VERBS), o=rng.choice(OBJECTS)))
    if twin_of is not None:
        titles[0] = titles[twin_of]
    if untitled_at is not None and untitled_at not in (0, twin_of):
        titles[untitled_at] = ""

    used_paths: set[str] = set()
    for i in order:
        pub = times[i]
        slug = slugify(titles[i]) if titles[i] else "blog-post"
        path = f"/{pub.year}/{pub.month:02d}/{slug}.html"
        if path in used_paths:
            path = f"/{pub.year}/{pub.month:02d}/{slug}_{pub.day:02d}.html"
            n = 1
            while path in used_paths:
                path = f"/{pub.year}/{pub.month:02d}/{slug}_{pub.day:02d}{n}.html"
                n += 1
        used_paths.add(path)
        roll = rng.random()
        if roll < 0.6:
            upd = pub + timedelta(seconds=rng.randrange(5, 900), milliseconds=rng.randrange(1000))
        elif roll < 0.9:
            upd = pub + timedelta(seconds=rng.randrange(900, 86400 * 2), milliseconds=rng.randrange(1000))
        else:
            upd = pub + timedelta(days=rng.randrange(2, 400), seconds=rng.randrange(86400),
                                  milliseconds=rng.randrange(1000))
        nlabels = rng.choice([0, 0, 1, 1, 2, 2, 3])
        labels = sorted(rng.sample(label_pool, nlabels), key=str.lower)
        post_objs.append(ReplicaPost(
            post_id=ids.new(), path=path, title=titles[i], author_name=owner, author_url=blog.author_url,
            published=pub, updated=_normalize(upd, tz), labels=labels, language=language,
            has_image=rng.random() < 0.3, _seed=rng.getrandbits(48),
        ))
    post_objs.reverse()  # newest first
    blog.posts = post_objs

    # ---- comment counts
    n = len(post_objs)
    big_i = None
    if n >= 3 and big_post_comments > 0:
        big_i = n // 3 if n > 3 else 1
    total = (n - (1 if big_i is not None else 0)) * max(0, comments_per_post)
    weights = []
    for i in range(n):
        if i == big_i:
            weights.append(0.0)
        elif rng.random() < 0.1:
            weights.append(0.0)  # posts with no comments
        else:
            weights.append(rng.random() ** 1.5 + 0.05)
    zero_candidates = [i for i in range(n) if i != big_i]
    if total and len(zero_candidates) >= 3 and all(weights[i] > 0 for i in zero_candidates):
        weights[zero_candidates[1]] = 0.0  # make sure at least one post has no comments
    wsum = sum(weights)
    counts = [0] * n
    if total and wsum > 0:
        raw = [total * w / wsum for w in weights]
        counts = [int(x) for x in raw]
        rest = total - sum(counts)
        for i in sorted(range(n), key=lambda i: (-(raw[i] - counts[i]), i))[:rest]:
            counts[i] += 1
    if big_i is not None:
        counts[big_i] = big_post_comments

    # ---- authors
    commenters: list[tuple[str, str | None]] = [("Anonymous", None)] * 30 + [("Unknown", None)] * 2
    regulars = [(name, _profile_url(rng)) for name in COMMENTER_NAMES]
    for k, who in enumerate(regulars):
        commenters.extend([who] * (1 + (k * 7) % 5))
    for who in WEBSITE_COMMENTERS:
        commenters.append(who)
    by_name = {name: (name, url) for name, url in regulars + WEBSITE_COMMENTERS}
    # hard cases guaranteed early (newest posts first): consumed by the first top-level comments generated
    forced: list[tuple[str, object]] = [
        ("author", ("Anonymous", None)), ("author", ("Unknown", None)), ("author", by_name["Zoë Müller"]),
        ("removed", "author"), ("author", by_name["Алексей"]), ("kind", K_ESCAPE),
        ("author", WEBSITE_COMMENTERS[0]), ("removed", "admin"), ("kind", K_UNICODE), ("author", by_name["José"]),
        ("kind", K_HTML), ("kind", K_LINK), ("kind", K_MULTI),
    ]
    need_owner_reply = True
    kinds = list(range(8))

    for pi, post in enumerate(post_objs):
        cnt = counts[pi]
        if not cnt:
            continue
        pub_ms = epoch_ms(post.published)
        tops: list[ReplicaComment] = []
        made: list[ReplicaComment] = []
        for j in range(cnt):
            is_reply = bool(tops) and rng.random() < 0.25
            if not is_reply and need_owner_reply and tops and j == cnt - 1:
                is_reply = True
            parent = None
            if is_reply:
                parent = tops[-1 - rng.randrange(min(5, len(tops)))]
                t_ms = epoch_ms(parent.published) + rng.randrange(120_000, 2 * 86_400_000)
                owner_reply = rng.random() < 0.45 or need_owner_reply
                if owner_reply:
                    name, url, is_owner = owner, blog.author_url, True
                    need_owner_reply = False
                else:
                    name, url = rng.choice(commenters)
                    is_owner = False
            else:
                roll = rng.random()
                if roll < 0.7:
                    delay = rng.randrange(60_000, 2 * 86_400_000)
                elif roll < 0.93:
                    delay = rng.randrange(2 * 86_400_000, 30 * 86_400_000)
                else:
                    delay = rng.randrange(30 * 86_400_000, 300 * 86_400_000)  # months later
                t_ms = pub_ms + delay
                if rng.random() < 0.06:  # within minutes of local midnight
                    local = datetime.fromtimestamp(t_ms / 1000, tz)
                    midnight = datetime(local.year, local.month, local.day, tzinfo=tz) + timedelta(days=1)
                    t_ms = epoch_ms(midnight) + rng.randrange(-20 * 60_000, 20 * 60_000)
                    t_ms = max(t_ms, pub_ms + 60_000)
                if rng.random() < 0.04:
                    name, url, is_owner = owner, blog.author_url, True
                else:
                    name, url = rng.choice(commenters)
                    is_owner = False
            t_ms += rng.randrange(1000) if t_ms % 1000 == 0 else 0
            kind = rng.choices(kinds, KIND_WEIGHTS)[0]
            removed = None
            rr = rng.random()
            if rr < 0.02:
                removed = "author"
            elif rr < 0.03:
                removed = "admin"
            if parent is None and forced:
                what, val = forced.pop(0)
                if what == "author":
                    name, url = val  # type: ignore[misc]
                    is_owner = False
                elif what == "removed":
                    removed = val  # type: ignore[assignment]
                else:
                    kind = val  # type: ignore[assignment]
            c = ReplicaComment(
                comment_id=ids.new(), post_id=post.post_id, parent_id=parent.comment_id if parent else None,
                author_name=name, author_url=url, is_blog_author=is_owner,
                published=datetime.fromtimestamp(t_ms / 1000, UTC), removed=removed, language=language,
                _kind=kind, _seed=rng.getrandbits(40),
            )
            made.append(c)
            if parent is None:
                tops.append(c)
        made.sort(key=lambda c: (c.published, c.comment_id))
        post.comments = made
    return blog
