"""Ground truth of the replica: the blog, its posts and comments, and the generator.

Everything here is deterministic for given arguments: the generator draws from one ``random.Random(seed)``
and never reads the clock. To keep a 10,000-post / 200,000-comment blog small in memory, bodies are not
stored: each post and comment keeps a small seed and renders ``content_html`` / ``content_text`` on access
(the same seed always renders the same text).
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc

# --------------------------------------------------------------------------------------------------------------
# Display formats: Java SimpleDateFormat-style patterns, as Blogger's settings use them. Own name tables, no locale.
# --------------------------------------------------------------------------------------------------------------

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "ru", "nl")

# Month names in format context ("27 февраля 2022 г." uses the genitive in Russian); CLDR-style, as Blogger shows them.
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
}
# Stand-alone month names (a month without a day: archive widget, "LLLL", or "MMMM" in a pattern without "d");
# they differ from MONTHS only where the language declines month names.
MONTHS_STANDALONE = {
    **MONTHS,
    "ru": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
           "ноябрь", "декабрь"],
}
MONTHS_ABBR = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "de": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    "es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"],
    "it": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
    "pt": ["jan.", "fev.", "mar.", "abr.", "mai.", "jun.", "jul.", "ago.", "set.", "out.", "nov.", "dez."],
    "ru": ["янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."],
    "nl": ["jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."],
}
WEEKDAYS = {  # Monday first, like datetime.weekday()
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "de": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "pt": ["segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"],
    "ru": ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}
WEEKDAYS_ABBR = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "de": ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
    "fr": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    "it": ["lun", "mar", "mer", "gio", "ven", "sab", "dom"],
    "pt": ["seg.", "ter.", "qua.", "qui.", "sex.", "sáb.", "dom."],
    "ru": ["пн", "вт", "ср", "чт", "пт", "сб", "вс"],
    "nl": ["ma", "di", "wo", "do", "vr", "za", "zo"],
}

DATE_HEADER_FORMATS = {
    "en": "EEEE, MMMM d, yyyy",                   # Sunday, February 27, 2022
    "de": "EEEE, d. MMMM yyyy",                   # Sonntag, 27. Februar 2022
    "fr": "EEEE d MMMM yyyy",                     # dimanche 27 février 2022
    "es": "EEEE, d 'de' MMMM 'de' yyyy",          # domingo, 27 de febrero de 2022
    "it": "EEEE d MMMM yyyy",                     # domenica 27 febbraio 2022
    "pt": "EEEE, d 'de' MMMM 'de' yyyy",          # domingo, 27 de fevereiro de 2022
    "ru": "EEEE, d MMMM yyyy 'г.'",               # воскресенье, 27 февраля 2022 г.
    "nl": "EEEE d MMMM yyyy",                     # zondag 27 februari 2022
}
TIMESTAMP_FORMATS = {"en": "h:mm a", "de": "HH:mm", "fr": "HH:mm", "es": "H:mm", "it": "HH:mm", "pt": "HH:mm",
                     "ru": "H:mm", "nl": "HH:mm"}
COMMENT_TIMESTAMP_FORMATS = {
    "en": "MMMM d, yyyy 'at' h:mm a",      # February 27, 2022 at 9:12 PM
    "de": "d. MMMM yyyy 'um' HH:mm",       # 6. Juni 2015 um 10:23
    "fr": "d MMMM yyyy 'à' HH:mm",         # 27 février 2022 à 21:12
    "es": "d 'de' MMMM 'de' yyyy, H:mm",   # 27 de febrero de 2022, 21:12
    "it": "d MMMM yyyy 'alle ore' HH:mm",  # 27 febbraio 2022 alle ore 21:12
    "pt": "d 'de' MMMM 'de' yyyy 'às' HH:mm",  # 27 de fevereiro de 2022 às 21:12
    "ru": "d MMMM yyyy 'г.' 'в' H:mm",     # 27 февраля 2022 г. в 21:12
    "nl": "d MMMM yyyy 'om' HH:mm",        # 27 februari 2022 om 21:12
    "time": "HH:mm",                       # 21:00 (time only: the date must come from elsewhere)
    "us-short": "M/d/yyyy h:mm a",         # 2/27/2022 9:12 PM
    "full": "EEEE, MMMM d, yyyy h:mm:ss a",  # Mittwoch, Mai 10, 2017 4:14:00 PM
    "cldr42": "MMMM d, yyyy 'at' h:mm\u202fa",  # February 27, 2022 at 9:12\u202fPM (narrow no-break space, 2023+)
}

_TOKEN_RE = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|.", re.S)


def resolve_format(fmt: str | None, table: dict[str, str], language: str) -> str:
    """A format name from ``table`` or a raw pattern; None means the language's default."""
    if fmt is None:
        return table.get(language, table["en"])
    return table.get(fmt, fmt)


def format_datetime(dt: datetime, pattern: str, language: str = "en") -> str:
    """Format ``dt`` with a SimpleDateFormat-like pattern (EEEE MMMM MMM MM M dd d yyyy yy HH H hh h mm ss SSS a 'lit').

    ``LLLL`` is the stand-alone month name; like Java's SimpleDateFormat, ``MMMM`` in a pattern without a day
    (``d``) is stand-alone too ("февраль 2022", but "27 февраля 2022 г.").
    """
    lang = language if language in MONTHS else "en"
    tokens = list(_TOKEN_RE.finditer(pattern))
    standalone = not any(m.group(1) and m.group(0)[0] == "d" for m in tokens)
    out = []
    for m in tokens:
        tok = m.group(0)
        if tok.startswith("'"):
            out.append("'" if tok == "''" else tok[1:-1].replace("''", "'"))
            continue
        if not m.group(1):
            out.append(tok)
            continue
        ch, n = tok[0], len(tok)
        if ch == "E":
            out.append((WEEKDAYS if n >= 4 else WEEKDAYS_ABBR)[lang][dt.weekday()])
        elif ch == "M" or ch == "L":
            full = MONTHS_STANDALONE if ch == "L" or standalone else MONTHS
            out.append(full[lang][dt.month - 1] if n >= 4 else MONTHS_ABBR[lang][dt.month - 1] if n == 3
                       else f"{dt.month:0{n}d}")
        elif ch == "d":
            out.append(f"{dt.day:0{n}d}")
        elif ch == "y":
            out.append(f"{dt.year % 100:02d}" if n == 2 else str(dt.year))
        elif ch == "H":
            out.append(f"{dt.hour:0{n}d}")
        elif ch == "h":
            out.append(f"{(dt.hour % 12) or 12:0{n}d}")
        elif ch == "m":
            out.append(f"{dt.minute:0{n}d}")
        elif ch == "s":
            out.append(f"{dt.second:0{n}d}")
        elif ch == "S":
            out.append(f"{dt.microsecond // 1000:03d}"[:n])
        elif ch == "a":
            out.append("AM" if dt.hour < 12 else "PM")
        else:
            out.append(tok)
    return "".join(out)


def iso_ms(dt: datetime, tz: ZoneInfo | None = None) -> str:
    """Blogger feed timestamp: ``2022-02-27T21:12:00.003-08:00`` (milliseconds, offset of ``tz``)."""
    if tz is not None:
        dt = dt.astimezone(tz)
    return dt.isoformat(timespec="milliseconds")


def iso_s(dt: datetime, tz: ZoneInfo | None = None) -> str:
    """``2022-02-27T21:12:00-08:00`` as in ``abbr.published[title]`` and ``updated-max`` links."""
    if tz is not None:
        dt = dt.astimezone(tz)
    return dt.replace(microsecond=0).isoformat()


def epoch_ms(dt: datetime) -> int:
    return int(round(dt.timestamp() * 1000))


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
        return _render_comment_body(self._kind, self._seed, self.language)[0]

    @property
    def content_text(self) -> str:
        if self.removed:
            return REMOVED_TEXT.get(self.language, REMOVED_TEXT["en"])[self.removed]
        if self._html is not None:
            return html_to_text(self._html)
        return _render_comment_body(self._kind, self._seed, self.language)[1]


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
        return _render_post_body(self._seed, self.language, self.has_image)[0]

    @property
    def content_text(self) -> str:
        if self._html is not None:
            return self._text if self._text is not None else html_to_text(self._html)
        return _render_post_body(self._seed, self.language, self.has_image)[1]

    @property
    def image_url(self) -> str | None:
        if not self.has_image:
            return None
        return _image_url(self._seed, "s320")

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
# Text helpers
# --------------------------------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"<[^>]*>")
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_BLOCK_RE = re.compile(r"</?(?:p|div|blockquote|ul|ol|li|h[1-6])\b[^>]*>", re.I)


def html_to_text(fragment: str) -> str:
    """Plain text of a small HTML fragment: ``<br>`` and block tags become line breaks, entities are decoded."""
    s = _BR_RE.sub("\n", fragment)
    s = _BLOCK_RE.sub("\n", s)
    s = _TAG_RE.sub("", s)
    s = html.unescape(s)
    lines = [ln.strip() for ln in s.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def text_to_html(text: str) -> str:
    """How Blogger stores a typed comment: escaped, line breaks as ``<br />``."""
    return "<br />".join(html.escape(line, quote=True).replace("&#x27;", "&#39;") for line in text.split("\n"))


_ALLOWED_RE = re.compile(r"&lt;(/?)(b|i)&gt;|&lt;a href=&quot;(https?://[^&\s]*(?:&amp;[^&\s]*)*)&quot;&gt;|&lt;/a&gt;",
                         re.I)


def comment_text_to_html(text: str) -> str:
    """What Blogger stores for a typed comment: text escaped, line breaks as ``<br />``, but the few tags commenters
    may use (``<b>``, ``<i>``, ``<a href="...">``) kept as markup (links get ``rel="nofollow"``)."""
    def keep(m: re.Match) -> str:
        if m.group(2):
            return f"<{m.group(1)}{m.group(2).lower()}>"
        if m.group(3):
            return f'<a href="{m.group(3)}" rel="nofollow">'
        return "</a>"
    return _ALLOWED_RE.sub(keep, text_to_html(text))


def _esc(s: str) -> str:
    return html.escape(s, quote=True).replace("&#x27;", "&#39;")


def slugify(title: str, max_len: int = 40) -> str:
    """Blogger-like permalink slug: ascii-folded lowercase words joined by '-', 'a/an/the' dropped, cut at a word."""
    s = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in re.findall(r"[a-z0-9]+", s) if w not in ("a", "an", "the")]
    out = ""
    for w in words:
        cand = f"{out}-{w}" if out else w
        if len(cand) > max_len:
            break
        out = cand
    if not out and words:
        out = words[0][:max_len]
    return out or "blog-post"


# --------------------------------------------------------------------------------------------------------------
# Content banks (our own text; shaped like a news-commentary blog)
# --------------------------------------------------------------------------------------------------------------

OUTLETS = [
    ("Politico", "https://www.politico.com/news/{y}/{m:02d}/{d:02d}/{slug}-{n}"),
    ("Reuters", "https://www.reuters.com/world/europe/{slug}-{y}-{m:02d}-{d:02d}/"),
    ("Der Spiegel", "https://www.spiegel.de/ausland/{slug}-a-{h}"),
    ("BBC", "https://www.bbc.com/news/world-europe-{n}"),
    ("The Guardian", "https://www.theguardian.com/world/{y}/{mon}/{d:02d}/{slug}"),
    ("AP", "https://apnews.com/article/{slug}-{h}"),
    ("Al Jazeera", "https://www.aljazeera.com/news/{y}/{m}/{d}/{slug}"),
    ("Le Monde", "https://www.lemonde.fr/en/international/article/{y}/{m:02d}/{d:02d}/{slug}_{n}_4.html"),
    ("NZZ", "https://www.nzz.ch/international/{slug}-ld.{n}"),
    ("Defense News", "https://www.defensenews.com/global/europe/{y}/{m:02d}/{d:02d}/{slug}/"),
    ("Kyiv Independent", "https://kyivindependent.com/{slug}/"),
    ("Nikkei Asia", "https://asia.nikkei.com/Politics/International-relations/{slug}"),
]

SUBJECTS = [
    "The Pentagon", "NATO", "EU leaders", "The Kremlin", "Ukrainian forces", "Beijing", "Taiwan's defence ministry",
    "Tehran", "The Israeli cabinet", "The U.N. Security Council", "Turkey", "Poland", "The White House",
    "Germany's chancellor", "Japan", "South Korea", "The Baltic states", "France", "India", "The IAEA",
    "Russian diplomats", "Finland", "The U.K. defence secretary", "Hungary", "Congressional leaders",
]
VERBS = [
    "warns of", "prepares for", "rejects", "weighs", "signals support for", "calls for", "rules out",
    "quietly backs", "is divided over", "pushes back against", "plans", "braces for", "downplays",
    "accelerates", "denies reports of", "doubles down on",
]
OBJECTS = [
    "new sanctions", "talks on a grain corridor", "drone strikes near the border", "a ceasefire proposal",
    "more air-defence deliveries", "a naval build-up in the strait", "an emergency summit", "nuclear escalation",
    "a prisoner exchange", "tighter export controls", "a winter offensive", "troop rotations in the east",
    "energy price caps", "cyber attacks on the power grid", "a new arms package", "back-channel contacts",
    "the expansion of the alliance", "a humanitarian pause", "border fortifications", "a 'frozen conflict'",
]
TIME_PHRASES = [
    "this week", "on Sunday", "after months of delay", "despite growing criticism", "according to officials",
    "as tensions rise", "ahead of the summit", "for the first time since 2014", "in a surprise move",
    "behind closed doors", "amid fears of escalation", "before the end of the year",
]
QUOTE_SENTENCES = [
    "Officials who spoke on condition of anonymity said the decision had been taken days ago.",
    "Analysts cautioned that the situation on the ground remains fluid.",
    "“We are not looking for a confrontation,” one senior diplomat said, “but we will not be intimidated.”",
    "The ministry did not respond to a request for comment.",
    "Satellite images reviewed by independent researchers show a steady build-up of equipment.",
    "Markets reacted nervously, with oil prices climbing more than 4% in early trading.",
    "Two people familiar with the talks described them as tense but businesslike.",
    "The move was criticised by opposition lawmakers as “too little, too late”.",
    "Military planners have been gaming out scenarios for weeks, according to a defence official.",
    "It is the third such incident this month, and the most serious so far.",
    "Aid groups warned that civilians would bear the brunt of any escalation.",
    "The statement stopped short of naming who was responsible.",
    "Diplomats said a compromise text could be ready by the weekend & circulated to members.",
    "Shipping insurers raised premiums for vessels entering the region.",
    "A spokesperson said the government was “monitoring the situation closely”.",
    "The figures could not be independently verified.",
]
EDITOR_EN = [
    "I speculated in an earlier post whether anyone was still talking. Now we know the answer.",
    "When one side refuses to talk, it usually means a decision has already been made.",
    "This is bad. Really bad.",
    "My take: the sanctions are hurting, but not fast enough to change anyone's mind.",
    "Nobody in Washington wants to say it out loud, but the stockpiles are running low.",
    "Read the whole thing. The last three paragraphs are the important ones.",
    "I am not convinced. We have heard this story before, in 2014 and again in 2019.",
    "If this is accurate, expect a very different conversation at the next summit.",
    "The timing is not a coincidence.",
    "Watch the grain and energy markets over the next two weeks; they will tell us more than the press releases.",
    "Update: several readers point out that the numbers above are disputed. Fair enough.",
    "Bottom line: escalation is now more likely than a deal.",
]
EDITOR_DE = [
    "Ich hatte im letzten Beitrag gefragt, ob überhaupt noch verhandelt wird. Jetzt wissen wir es.",
    "Wer nicht mehr redet, hat meist schon entschieden.",
    "Das ist schlecht. Wirklich schlecht.",
    "Meine Einschätzung: Die Sanktionen wirken, aber nicht schnell genug.",
    "Die Lager sind leerer, als man in Berlin zugeben möchte.",
    "Unbedingt ganz lesen – die letzten drei Absätze sind die wichtigen.",
    "Ich bin nicht überzeugt. Das haben wir 2014 und 2019 schon einmal gehört.",
    "Das Timing ist kein Zufall.",
    "Fazit: Eine Eskalation ist wahrscheinlicher als eine Einigung.",
    "Nachtrag: Mehrere Leser weisen darauf hin, dass die Zahlen umstritten sind. Stimmt.",
]
TITLE_EXTRAS = [  # weighted by repetition; a few need escaping (&, quotes, <>)
    "Is {s} Bluffing?", "{s} & The Long War", "What Does \"{o}\" Really Mean?", "News Round-Up — {o}",
    "Why {s} Is Nervous", "{s}: <Analysis> {o}",
] + ["{s} {v} {o}"] * 12
TITLES_DE = [
    "Weltlage am Sonntag", "Kommentar: {s} {v} {o}", "Gedanken zur Lage in Zürich", "Was bedeutet „{o}“?",
    "Über Grenzen & Bündnisse", "Nachrichtenüberblick: {o}",
]
LABELS = [
    "Ukraine", "Russia", "NATO", "China", "Middle East", "Europe", "U.S.", "Cyber War", "Taiwan", "Iran",
    "Economy", "Q&A", "Zürich", "War News Updates", "Nuclear Weapons", "Diplomacy", "Energy", "Africa",
]
CAPTIONS = [
    "Photo: Department of Defense", "Soldiers during an exercise near the border. (Photo: Reuters)",
    "A convoy on the highway outside the capital.", "Foreign ministers before the meeting in Helsinki.",
]

COMMENT_EN = [
    "I don't claim to know more than the editor, but a couple of thoughts come to mind.",
    "Not talking can also mean you can't stand the other party.",
    "Good post. The map in the linked article is worth a look.",
    "This has been coming for a long time.",
    "Putin could very well miscalculate.",
    "Nobody wants escalation, but nobody wants to look weak either.",
    "The numbers in that article don't add up.",
    "Thanks for keeping this blog going, it is one of the few places with sane commentary.",
    "History doesn't repeat, but it rhymes.",
    "Where are the Europeans in all this?",
    "I disagree. Sanctions never worked against a country with that much oil.",
    "Same story every winter. Watch the gas prices.",
    "The real question is what China does next.",
    "Agreed with the first commenter.",
    "That is exactly what they said in 2014.",
    "Logistics, logistics, logistics.",
    "Read the whole thing before commenting, people.",
    "Very interesting. I had not seen this reported anywhere else.",
]
COMMENT_DE = [
    "Ich sehe das ähnlich, aber die Zahlen sind mit Vorsicht zu genießen.",
    "Danke für den Überblick, sehr hilfreich!",
    "Das war doch absehbar.",
    "Wo bleibt eigentlich die EU in dieser Frage?",
    "Schöner Beitrag, der verlinkte Artikel ist lesenswert.",
    "Geschichte wiederholt sich nicht, aber sie reimt sich.",
    "Die Energiepreise werden das eigentliche Thema im Winter.",
    "Grüße aus Köln – und weiter so mit dem Blog.",
    "Ich bin da skeptischer als du.",
    "Genau das hat man 2014 auch gesagt.",
]
UNICODE_SNIPPETS = [
    "Слава Україні! 🇺🇦", "Très intéressant — merci 🙏", "Grüße aus München ☕", "这很有意思。",
    "¡Qué barbaridad! 😮", "Ελπίζω να έχεις δίκιο.", "Zażółć gęślą jaźń — czyli: nie wiem.", "🔥🔥🔥",
    "Hyvä kirjoitus, kiitos! 👍", "Ça ne finira pas bien…",
]
ESCAPE_SNIPPETS = [
    'If supply < demand & prices > $100, the "deterrence" isn\'t working.',
    "Compare <b> with &lt;b&gt; — the tags are text here, not markup.",
    'He said "never" & meant \'maybe\'; 3 > 2 < 5.',
    "a<b && c>d — the usual AT&T vs. O'Reilly problem.",
]
LINK_TARGETS = [
    ("https://www.example-analysis.net/2022/02/logistics.html", "this analysis"),
    ("https://www.warontherocks-notes.org/winter-offensive/", "a longer piece here"),
    ("http://mapsandlines.example.com/?q=front&lang=en", "the map (updated daily)"),
]

COMMENTER_NAMES = [
    "Kevin R.", "Marcus Hale", "oldsoldier", "Fred Dagg", "Ivan in Kharkiv", "Sarah K.", "Peter van der Berg",
    "D. Okafor", "Mike_in_Texas", "Nordic Watcher", "RealityCheck", "Jan Nowak", "Lena", "Professor Plum",
    "Zoë Müller", "Алексей", "José", "Søren", "Łukasz", "李明", "Ngozi A.", "Tom Brennan", "Hiro", "Ana Lúcia",
]
WEBSITE_COMMENTERS = [
    ("Tom at Ridgeline Notes", "https://ridgelinenotes.example.org/"),
    ("Eastern Approaches Blog", "http://eastern-approaches.example.net"),
    ("Gérard Lefèvre", "https://lefevre-blog.example.fr/"),
    ("Strategy Page Reader", "https://strategyreader.example.com/about"),
    ("Maritime Matters", "https://maritimematters.example.com/"),
]
BLOG_TITLES = {
    "en": [("World News Notebook", "Daily commentary on war, diplomacy and the news behind the news."),
           ("The Dispatch Desk", "Notes on the headlines & what they leave out."),
           ("Front Line Watch", "Defence, diplomacy and geopolitics — with reader comments.")],
    "de": [("Weltlage kommentiert", "Tägliche Kommentare zu Krieg, Diplomatie und Politik."),
           ("Die Lagebesprechung", "Nachrichten, Analysen und Leserstimmen.")],
    "fr": [("Carnet du monde", "Revue de presse commentée : guerre, diplomatie, géopolitique."),
           ("L'Observatoire", "L'actualité internationale & vos commentaires.")],
    "es": [("Cuaderno del Mundo", "Comentarios diarios sobre guerra, diplomacia y política."),
           ("La Mesa de Noticias", "Titulares, análisis y opiniones de los lectores.")],
    "it": [("Taccuino del Mondo", "Commenti quotidiani su guerra, diplomazia e politica."),
           ("L'Osservatorio", "Notizie, analisi & commenti dei lettori.")],
    "pt": [("Caderno do Mundo", "Comentários diários sobre guerra, diplomacia e política."),
           ("A Mesa de Notícias", "Manchetes, análises e comentários dos leitores.")],
    "ru": [("Мировой блокнот", "Ежедневные комментарии о войне, дипломатии и политике."),
           ("Обзор событий", "Новости, анализ и мнения читателей.")],
    "nl": [("Wereldnotities", "Dagelijks commentaar op oorlog, diplomatie en politiek."),
           ("De Nieuwsdesk", "Koppen, analyses & reacties van lezers.")],
}
OWNER_NAMES = {
    "en": ["Notebook Editor", "Desk Editor", "The Watchman"], "de": ["Der Lagebeobachter", "Redaktion"],
    "fr": ["Le Veilleur", "La Rédaction"], "es": ["El Observador", "Redacción"], "it": ["L'Osservatore", "Redazione"],
    "pt": ["O Observador", "Redação"], "ru": ["Наблюдатель", "Редакция"], "nl": ["De Waarnemer", "Redactie"],
}
# Reader comments in the other languages (a share of the comments; the rest are English, as on real blogs).
COMMENTS_L10N = {
    "fr": ["Merci pour cette revue de presse, très utile.", "Je ne suis pas d'accord avec l'analyse.",
           "On a déjà entendu ça en 2014…", "Excellent billet, comme d'habitude !",
           "L'Europe reste étrangement silencieuse."],
    "es": ["Gracias por el resumen, muy útil.", "No estoy de acuerdo con el análisis.",
           "¿Y dónde está Europa en todo esto?", "Esto ya lo dijeron en 2014.", "Muy buen artículo, como siempre."],
    "it": ["Grazie per la rassegna, molto utile.", "Non sono d'accordo con l'analisi.",
           "L'Europa resta stranamente in silenzio.", "Ottimo articolo, come sempre.", "Già sentito nel 2014."],
    "pt": ["Obrigado pelo resumo, muito útil.", "Não concordo com a análise.", "E a Europa, onde está?",
           "Já ouvimos isso em 2014.", "Excelente texto, como sempre."],
    "ru": ["Спасибо за обзор, очень полезно.", "Не согласен с анализом.", "Где же Европа во всём этом?",
           "Это уже говорили в 2014 году.", "Отличная статья, как всегда."],
    "nl": ["Bedankt voor het overzicht, erg nuttig.", "Ik ben het niet eens met de analyse.",
           "Waar blijft Europa in dit alles?", "Dat zeiden ze in 2014 ook al.", "Goed stuk, zoals altijd."],
}

# comment body kinds
K_PLAIN, K_MULTI, K_HTML, K_LINK, K_ESCAPE, K_UNICODE, K_URL, K_LONG = range(8)
_KIND_WEIGHTS = [40, 18, 8, 6, 6, 8, 4, 10]


def _image_url(seed: int, size: str) -> str:
    return (f"https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsE{seed:010x}q{seed % 997:03d}"
            f"/{size}/photo-{seed % 10000}.jpg")


def _render_comment_body(kind: int, seed: int, language: str) -> tuple[str, str]:
    """(content_html, content_text) of a generated comment."""
    r = random.Random(seed)
    if language == "de":
        bank = COMMENT_DE if r.random() < 0.75 else COMMENT_EN
    elif language in COMMENTS_L10N:
        bank = COMMENTS_L10N[language] if r.random() < 0.6 else COMMENT_EN
    else:
        bank = COMMENT_EN

    def sents(a: int, b: int) -> str:
        return " ".join(r.sample(bank, r.randint(a, b)))

    paras: list[tuple[str, str]] = []  # (html, text) paragraphs joined by <br /><br />
    if kind == K_PLAIN:
        s = sents(1, 3)
        paras.append((_esc(s), s))
    elif kind == K_MULTI or kind == K_LONG:
        for _ in range(r.randint(2, 3) if kind == K_MULTI else r.randint(4, 7)):
            s = sents(1, 3)
            paras.append((_esc(s), s))
    elif kind == K_HTML:
        a, b = sents(1, 1), sents(1, 2)
        paras.append((f"<b>{_esc(a)}</b> {_esc(b)}", f"{a} {b}"))
        c = sents(1, 1)
        paras.append((f"<i>{_esc(c)}</i>", c))
    elif kind == K_LINK:
        url, label = r.choice(LINK_TARGETS)
        a = sents(1, 2)
        paras.append((f'{_esc(a)} See <a href="{_esc(url)}" rel="nofollow">{_esc(label)}</a> for background.',
                      f"{a} See {label} for background."))
    elif kind == K_ESCAPE:
        s = r.choice(ESCAPE_SNIPPETS)
        a = sents(0, 1)
        paras.append((_esc(s), s))
        if a:
            paras.append((_esc(a), a))
    elif kind == K_UNICODE:
        s = r.choice(UNICODE_SNIPPETS)
        a = sents(0, 2)
        paras.append((_esc(f"{s} {a}".strip()), f"{s} {a}".strip()))
    elif kind == K_URL:
        url, _ = r.choice(LINK_TARGETS)
        a = sents(1, 1)
        paras.append((f"{_esc(url)} {_esc(a)}", f"{url} {a}"))
    h = "<br /><br />".join(p[0] for p in paras)
    t = "\n".join(p[1] for p in paras)
    if kind == K_MULTI and r.random() < 0.5:  # a signature on its own line, like real comments
        sig = r.choice(["Liebe Grüße", "Cheers", "Regards, a long-time reader", "— J."])
        h += "<br />" + _esc(sig)
        t += "\n" + sig
    return h, t


def _headline(r: random.Random) -> str:
    return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"


def _outlet_url(r: random.Random, template: str, headline: str) -> str:
    y, m, d = r.randint(2015, 2024), r.randint(1, 12), r.randint(1, 28)
    mon = MONTHS_ABBR["en"][m - 1].lower()
    return template.format(y=y, m=m, d=d, mon=mon, slug=slugify(headline, 60), n=r.randint(10**7, 10**8),
                           h=f"{r.getrandbits(40):010x}")


def _render_post_body(seed: int, language: str, has_image: bool) -> tuple[str, str]:
    """(content_html, content_text): news-commentary shape (image, 'Outlet: headline', blockquote, Read more, EDITOR)."""
    r = random.Random(seed)
    h: list[str] = []
    t: list[str] = []
    if has_image:
        big, small = _image_url(seed, "s1600"), _image_url(seed, "s320")
        h.append(f'<div class="separator" style="clear: both; text-align: center;"><a href="{big}" '
                 f'style="margin-left: 1em; margin-right: 1em;"><img border="0" data-original-height="720" '
                 f'data-original-width="1280" height="180" src="{small}" width="320" /></a></div>')
        cap = r.choice(CAPTIONS)
        h.append(f"<i>{_esc(cap)}</i><br />")
        t.append(cap)
        h.append("<br />")
    stories = 1 if r.random() < 0.8 else r.randint(2, 3)
    for si in range(stories):
        outlet, tmpl = r.choice(OUTLETS)
        headline = _headline(r)
        url = _outlet_url(r, tmpl, headline)
        h.append(f"<b>{_esc(outlet)}: {_esc(headline)}</b>")
        t.append(f"{outlet}: {headline}")
        h.append("<blockquote>")
        for _ in range(r.randint(1, 3) if stories > 1 else r.randint(2, 4)):
            p = " ".join(r.sample(QUOTE_SENTENCES, r.randint(2, 4)))
            h.append(f"<p>{_esc(p)}</p>")
            t.append(p)
        h.append("</blockquote>")
        h.append(f'<a href="{_esc(url)}">Read more</a> ....<br />')
        t.append("Read more ....")
        h.append("<br />")
    editor = EDITOR_DE if language == "de" else EDITOR_EN
    label = "REDAKTION:" if language == "de" else "EDITOR:"
    first = r.choice(editor)
    h.append(f"<b>{label}</b> {_esc(first)}<br />")
    t.append(f"{label} {first}")
    for p in r.sample(editor, r.randint(0, 3)):
        h.append("<br />")
        h.append(f"{_esc(p)}<br />")
        t.append(p)
    return "\n".join(h), "\n".join(t)


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
            kind = rng.choices(kinds, _KIND_WEIGHTS)[0]
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
