"""Text of the generated blogs: HTML/text helpers (what Blogger stores for a typed comment, slugs), the content
banks (our own news-commentary sentences, names, titles in several languages, snippets that need escaping) and
the deterministic renderers of post and comment bodies from a seed (:func:`render_post_body`,
:func:`render_comment_body`). ``model.py`` draws from these; so does ``substack_model.py``.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata

from .formats import MONTHS_ABBR

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
KIND_WEIGHTS = [40, 18, 8, 6, 6, 8, 4, 10]


def image_src(seed: int, size: str) -> str:
    return (f"https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsE{seed:010x}q{seed % 997:03d}"
            f"/{size}/photo-{seed % 10000}.jpg")


def render_comment_body(kind: int, seed: int, language: str) -> tuple[str, str]:
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


def render_post_body(seed: int, language: str, has_image: bool) -> tuple[str, str]:
    """(content_html, content_text): news-commentary shape (image, 'Outlet: headline', blockquote, Read more, EDITOR)."""
    r = random.Random(seed)
    h: list[str] = []
    t: list[str] = []
    if has_image:
        big, small = image_src(seed, "s1600"), image_src(seed, "s320")
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
