"""HTML pages of the replica, in the markup of real Blogger templates.

Template families, chosen per server (``ReplicaServer(template=...)``):

* ``minima``: classic layout (2ality / Minima): ``dl#comments-block`` with ``dt.comment-author`` / ``dd.comment-body``
  / ``dd.comment-footer``; comments flat and chronological (replies are not shown as replies).
* ``threaded``: Layouts-era widget (Watermark / derpapierplanet): ``div.comment-thread > ol#top-ra > li.comment``
  with replies nested in ``div.comment-replies``.
* ``simple``: Layouts "Simple" (emacspeak, siliconexposed): microdata post markup, fauxcolumn chrome, the classic
  ``dl#comments-block`` followed by the embedded comment form (see :class:`SimpleTemplate`).
* ``contempo``: 2017+ themes (Contempo/Soho/Emporio/Notable/Essential): ``article.post-outer-container``, bylines,
  ``time.published``, ``section.comments.threaded`` (see :class:`ContempoTemplate`).
* ``dynamicviews``: the Dynamic Views shell (juliasleseblog): no posts or comments in the HTML at all.

A new family is a subclass of :class:`Template` registered in :data:`TEMPLATES`. Strings come from :data:`STRINGS`
(en, de, fr, es, it, pt, ru, nl).
"""

from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Iterable
from urllib.parse import quote

from .model import MONTHS_STANDALONE, ReplicaComment, ReplicaPost, format_datetime, iso_s, pid_for

if TYPE_CHECKING:  # pragma: no cover
    from .server import Site

_EN = {
    "said": "said...", "posted_by": "Posted by", "at": "at", "labels": "Labels:",
    "comment": "comment", "comments": "comments", "no_comments": "No comments",
    "older_posts": "Older Posts", "newer_posts": "Newer Posts", "home": "Home",
    "older_post": "Older Post", "newer_post": "Newer Post", "subscribe": "Subscribe to:",
    "post_comments_atom": "Post Comments (Atom)", "posts_atom": "Posts (Atom)", "reply": "Reply", "replies": "Replies",
    "delete": "Delete", "add_comment": "Add comment", "load_more": "Load more...", "archive": "Blog Archive",
    "post_a_comment": "Post a Comment", "oldest": "&#171;Oldest", "older": "&#8249;Older",
    "newer": "Newer&#8250;", "newest": "Newest&#187;", "of": "of", "about_me": "About Me",
    "view_profile": "View my complete profile", "with_label": "Showing posts with label",
    "show_all": "Show all posts", "no_posts": "No posts.", "not_found": "Sorry, the page you were looking "
    "for in this blog does not exist.", "edit_post": "Edit Post", "email_this": "Email This",
    "blog_this": "BlogThis!", "share_twitter": "Share to Twitter", "share_facebook": "Share to Facebook",
    "comments_title": "Comments", "read_more": "Read more", "more_posts": "More posts", "share": "Share",
    "colon": ":",
}
STRINGS = {
    "en": _EN,
    "de": {
        **_EN,
        "said": "hat gesagt…", "posted_by": "Eingestellt von", "at": "um", "labels": "Labels:",
        "comment": "Kommentar", "comments": "Kommentare", "no_comments": "Keine Kommentare",
        "older_posts": "Ältere Posts", "newer_posts": "Neuere Posts", "home": "Startseite",
        "older_post": "Älterer Post", "newer_post": "Neuerer Post", "subscribe": "Abonnieren",
        "post_comments_atom": "Kommentare zum Post (Atom)", "posts_atom": "Posts (Atom)", "reply": "Antworten", "replies": "Antworten",
        "delete": "Löschen", "add_comment": "Kommentar hinzufügen", "load_more": "Weitere laden...",
        "archive": "Blog-Archiv", "post_a_comment": "Kommentar veröffentlichen", "oldest": "&#171;Älteste",
        "older": "&#8249;Ältere", "newer": "Neuere&#8250;", "newest": "Neueste&#187;", "of": "von",
        "about_me": "Über mich", "view_profile": "Mein Profil vollständig anzeigen",
        "with_label": "Posts mit dem Label", "show_all": "Alle Posts anzeigen", "no_posts": "Keine Posts.",
        "not_found": "Die gesuchte Seite existiert in diesem Blog leider nicht.", "edit_post": "Post bearbeiten",
        "email_this": "Diesen Post per E-Mail versenden", "blog_this": "BlogThis!",
        "share_twitter": "In X teilen", "share_facebook": "In Facebook freigeben",
        "comments_title": "Kommentare", "read_more": "Weiterlesen", "more_posts": "Weitere Posts", "share": "Teilen",
    },
    "fr": {
        **_EN,
        "said": "a dit…", "posted_by": "Publié par", "at": "à", "labels": "Libellés :",
        "comment": "commentaire", "comments": "commentaires", "no_comments": "Aucun commentaire",
        "older_posts": "Articles plus anciens", "newer_posts": "Articles plus récents", "home": "Accueil",
        "older_post": "Article plus ancien", "newer_post": "Article plus récent", "subscribe": "Inscription à :",
        "post_comments_atom": "Publier les commentaires (Atom)", "posts_atom": "Articles (Atom)",
        "reply": "Répondre", "replies": "Réponses", "delete": "Supprimer", "add_comment": "Ajouter un commentaire",
        "load_more": "Charger la suite...", "archive": "Archives du blog",
        "post_a_comment": "Enregistrer un commentaire", "oldest": "&#171;Le plus ancien", "older": "&#8249;Plus ancien",
        "newer": "Plus récent&#8250;", "newest": "Le plus récent&#187;", "of": "sur", "about_me": "Qui êtes-vous ?",
        "view_profile": "Afficher mon profil complet", "with_label": "Affichage des articles dont le libellé est",
        "show_all": "Afficher tous les articles", "no_posts": "Aucun article.",
        "not_found": "Désolé, la page que vous recherchez dans ce blog n'existe pas.", "edit_post": "Modifier l'article",
        "email_this": "Envoyer par e-mail", "share_twitter": "Partager sur X", "share_facebook": "Partager sur Facebook",
        "comments_title": "Commentaires", "read_more": "Lire la suite", "more_posts": "Plus d'articles",
        "share": "Partager", "colon": " :",
    },
    "es": {
        **_EN,
        "said": "dijo...", "posted_by": "Publicado por", "at": "en", "labels": "Etiquetas:",
        "comment": "comentario", "comments": "comentarios", "no_comments": "No hay comentarios",
        "older_posts": "Entradas antiguas", "newer_posts": "Entradas más recientes", "home": "Inicio",
        "older_post": "Entrada antigua", "newer_post": "Entrada más reciente", "subscribe": "Suscribirse a:",
        "post_comments_atom": "Enviar comentarios (Atom)", "posts_atom": "Entradas (Atom)", "reply": "Responder",
        "replies": "Respuestas", "delete": "Eliminar", "add_comment": "Añadir comentario", "load_more": "Cargar más...",
        "archive": "Archivo del blog", "post_a_comment": "Publicar un comentario", "oldest": "&#171;Más antiguo",
        "older": "&#8249;Anterior", "newer": "Siguiente&#8250;", "newest": "Más reciente&#187;", "of": "de",
        "about_me": "Datos personales", "view_profile": "Ver todo mi perfil",
        "with_label": "Mostrando entradas con la etiqueta", "show_all": "Mostrar todas las entradas",
        "no_posts": "No hay entradas.", "not_found": "Lo sentimos, pero la página que buscas no existe en este blog.",
        "edit_post": "Editar entrada", "email_this": "Enviar por correo electrónico", "blog_this": "Escribe un blog",
        "share_twitter": "Compartir en X", "share_facebook": "Compartir con Facebook", "comments_title": "Comentarios",
        "read_more": "Leer más", "more_posts": "Más entradas", "share": "Compartir",
    },
    "it": {
        **_EN,
        "said": "ha detto...", "posted_by": "Pubblicato da", "at": "alle", "labels": "Etichette:",
        "comment": "commento", "comments": "commenti", "no_comments": "Nessun commento",
        "older_posts": "Post più vecchi", "newer_posts": "Post più recenti", "home": "Home page",
        "older_post": "Post più vecchio", "newer_post": "Post più recente", "subscribe": "Iscriviti a:",
        "post_comments_atom": "Commenti sul post (Atom)", "posts_atom": "Post (Atom)", "reply": "Rispondi",
        "replies": "Risposte", "delete": "Elimina", "add_comment": "Aggiungi commento", "load_more": "Carica altro...",
        "archive": "Archivio blog", "post_a_comment": "Posta un commento", "oldest": "&#171;Meno recenti",
        "older": "&#8249;Precedenti", "newer": "Successivi&#8250;", "newest": "Più recenti&#187;", "of": "di",
        "about_me": "Informazioni personali", "view_profile": "Visualizza il mio profilo completo",
        "with_label": "Visualizzazione dei post con etichetta", "show_all": "Mostra tutti i post",
        "no_posts": "Nessun post.", "not_found": "Spiacenti, la pagina che stavi cercando in questo blog non esiste.",
        "edit_post": "Modifica post", "email_this": "Invia tramite email", "blog_this": "Postalo sul blog",
        "share_twitter": "Condividi su X", "share_facebook": "Condividi su Facebook", "comments_title": "Commenti",
        "read_more": "Leggi tutto", "more_posts": "Altri post", "share": "Condividi",
    },
    "pt": {
        **_EN,
        "said": "disse...", "posted_by": "Postado por", "at": "às", "labels": "Marcadores:",
        "comment": "comentário", "comments": "comentários", "no_comments": "Nenhum comentário",
        "older_posts": "Postagens mais antigas", "newer_posts": "Postagens mais recentes", "home": "Página inicial",
        "older_post": "Postagem mais antiga", "newer_post": "Postagem mais recente", "subscribe": "Assinar:",
        "post_comments_atom": "Postar comentários (Atom)", "posts_atom": "Postagens (Atom)", "reply": "Responder",
        "replies": "Respostas", "delete": "Excluir", "add_comment": "Adicionar comentário",
        "load_more": "Carregar mais...", "archive": "Arquivo do blog", "post_a_comment": "Postar um comentário",
        "oldest": "&#171;Mais antigos", "older": "&#8249;Mais antigos", "newer": "Mais recentes&#8250;",
        "newest": "Mais recentes&#187;", "of": "de", "about_me": "Quem sou eu", "view_profile": "Ver meu perfil completo",
        "with_label": "Mostrando postagens com marcador", "show_all": "Mostrar todas as postagens",
        "no_posts": "Nenhuma postagem.", "not_found": "Desculpe, a página que você procurava neste blog não existe.",
        "edit_post": "Editar postagem", "email_this": "Enviar por e-mail", "blog_this": "Postar no blog!",
        "share_twitter": "Compartilhar no X", "share_facebook": "Compartilhar no Facebook",
        "comments_title": "Comentários", "read_more": "Leia mais", "more_posts": "Mais postagens",
        "share": "Compartilhar",
    },
    "ru": {
        **_EN,
        "said": "сказал(а)...", "posted_by": "Автор:", "at": "в", "labels": "Ярлыки:",
        "comment": "комментарий", "comment_few": "комментария", "comment_many": "комментариев",
        "comments": "комментариев", "no_comments": "Комментариев нет",
        "older_posts": "Предыдущие", "newer_posts": "Следующие", "home": "Главная страница",
        "older_post": "Предыдущее", "newer_post": "Следующее", "subscribe": "Подписаться на:",
        "post_comments_atom": "Комментарии к сообщению (Atom)", "posts_atom": "Сообщения (Atom)", "reply": "Ответить",
        "replies": "Ответы", "delete": "Удалить", "add_comment": "Добавить комментарий", "load_more": "Ещё...",
        "archive": "Архив блога", "post_a_comment": "Отправить комментарий", "oldest": "&#171;Самые старые",
        "older": "&#8249;Старые", "newer": "Новые&#8250;", "newest": "Самые новые&#187;", "of": "из",
        "about_me": "Обо мне", "view_profile": "Просмотреть профиль", "with_label": "Показаны сообщения с ярлыком",
        "show_all": "Показать все сообщения", "no_posts": "Сообщений нет.",
        "not_found": "К сожалению, запрошенная страница в этом блоге не существует.",
        "edit_post": "Изменить сообщение", "email_this": "Отправить по электронной почте",
        "blog_this": "Написать об этом в блоге", "share_twitter": "Поделиться в X",
        "share_facebook": "Опубликовать в Facebook", "comments_title": "Комментарии", "read_more": "Читать дальше",
        "more_posts": "Другие сообщения", "share": "Поделиться",
    },
    "nl": {
        **_EN,
        "said": "zei...", "posted_by": "Gepost door", "at": "om", "labels": "Labels:",
        "comment": "opmerking", "comments": "opmerkingen", "no_comments": "Geen opmerkingen",
        "older_posts": "Oudere posts", "newer_posts": "Nieuwere posts", "home": "Homepage",
        "older_post": "Oudere post", "newer_post": "Nieuwere post", "subscribe": "Abonneren op:",
        "post_comments_atom": "Reacties posten (Atom)", "posts_atom": "Posts (Atom)", "reply": "Beantwoorden",
        "replies": "Reacties", "delete": "Verwijderen", "add_comment": "Reactie toevoegen", "load_more": "Meer laden...",
        "archive": "Blogarchief", "post_a_comment": "Een reactie posten", "oldest": "&#171;Oudste",
        "older": "&#8249;Ouder", "newer": "Nieuwer&#8250;", "newest": "Nieuwste&#187;", "of": "van",
        "about_me": "Over mij", "view_profile": "Mijn volledige profiel tonen", "with_label": "Posts met het label",
        "show_all": "Alle posts weergeven", "no_posts": "Geen posts.",
        "not_found": "Sorry, de pagina die je zoekt bestaat niet in deze blog.", "edit_post": "Post bewerken",
        "email_this": "Dit e-mailen", "blog_this": "Dit bloggen!", "share_twitter": "Delen op X",
        "share_facebook": "Delen op Facebook", "comments_title": "Reacties", "read_more": "Meer lezen",
        "more_posts": "Meer posts", "share": "Delen",
    },
}

ANON_AVATAR = "//resources.blogblog.com/img/blank.gif"


def esc(s: str) -> str:
    """Escape for text and single- or double-quoted attributes."""
    return escape(s, quote=True).replace("&#x27;", "&#39;")


def label_url(site: "Site", label: str) -> str:
    return f"{site.base}/search/label/{quote(label, safe='')}"


def avatar_url(c: ReplicaComment) -> str:
    if c.author_url and "blogger.com/profile/" in c.author_url:
        return f"//blogger.googleusercontent.com/img/b/avatar/{c.author_url.rsplit('/', 1)[-1][-8:]}/s35/photo.jpg"
    return ANON_AVATAR


def comment_word(lang: str, n: int) -> str:
    """'comment' / 'comments' in the blog's language, with Russian plural forms (1 комментарий, 2 комментария,
    5 комментариев, 21 комментарий)."""
    s = STRINGS[lang]
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return s["comment"]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return s["comment_few"]
        return s["comment_many"]
    return s["comment"] if n == 1 else s["comments"]


def header_text(lang: str, n: int) -> str:
    """The h4 over the comments: '3 comments:', '1 comment:', 'No comments:' / '3 Kommentare:' / '2 commentaires :'
    / 'No hay comentarios:' / '5 комментариев:' / 'Комментариев нет:'."""
    s = STRINGS[lang]
    if n == 0:
        return f"{s['no_comments']}{s['colon']}"
    return f"{n} {comment_word(lang, n)}{s['colon']}"


def count_text(lang: str, n: int) -> str:
    return f"{n} {comment_word(lang, n)}"


class Template:
    """Shared page chrome; families override the post and comment parts."""

    name = "base"
    threaded_comments = False  # True: the threaded widget (replies nested, comment pages hold whole threads)

    def __init__(self, site: "Site"):
        self.site = site
        self.blog = site.blog
        self.lang = site.blog.language
        self.s = STRINGS[self.lang]

    # ---------------------------------------------------------------- page chrome
    def head(self, title: str, canonical: str, post: ReplicaPost | None = None) -> str:
        site, blog = self.site, self.blog
        t = esc(blog.title)
        out = [
            "<!DOCTYPE html>",
            self.html_tag(),
            "<head>",
            f"<meta content='{self.viewport}' name='viewport'/>",
            "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
            "<meta content='blogger' name='generator'/>",
            f"<link href='{site.base}/favicon.ico' rel='icon' type='image/x-icon'/>",
            f"<link href='{esc(canonical)}' rel='canonical'/>",
        ]
        if site.feeds != "none":
            out += [
                f'<link rel="alternate" type="application/atom+xml" title="{t} - Atom" '
                f'href="{site.base}/feeds/posts/default" />',
                f'<link rel="alternate" type="application/rss+xml" title="{t} - RSS" '
                f'href="{site.base}/feeds/posts/default?alt=rss" />',
                f'<link rel="service.post" type="application/atom+xml" title="{t} - Atom" '
                f'href="https://www.blogger.com/feeds/{blog.blog_id}/posts/default" />',
            ]
            if post is not None:
                out.append(f'<link rel="alternate" type="application/atom+xml" title="{t} - Atom" '
                           f'href="{site.base}/feeds/{post.post_id}/comments/default" />')
        out += [
            f'<link rel="EditURI" type="application/rsd+xml" title="RSD" '
            f'href="https://www.blogger.com/rsd.g?blogID={blog.blog_id}" />',
            f"<title>{esc(title)}</title>",
            f"<meta content='{esc(canonical)}' property='og:url'/>",
            f"<meta content='{esc(title)}' property='og:title'/>",
        ]
        if post is not None and post.image_url:
            out.append(f"<meta content='{esc(post.image_url)}' property='og:image'/>")
        out += ["<style id='page-skin-1' type='text/css'><!--", "/* Blogger Template Style: replica of "
                f"{self.name} */", ".deleted-comment { font-style:italic; color:gray; }", "--></style>",
                "</head>"]
        return "\n".join(out)

    viewport = "width=1100"

    def html_tag(self) -> str:
        return (f"<html class='v2' dir='ltr' lang='{self.blog.language}' xmlns='http://www.w3.org/1999/xhtml' "
                "xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' "
                "xmlns:expr='http://www.google.com/2005/gml/expr'>")

    def page(self, title: str, canonical: str, main: str, expanded: tuple[int, int | None] | None,
             post: ReplicaPost | None = None, body_class: str = "index") -> str:
        blog, site = self.blog, self.site
        parts = [
            self.head(title, canonical, post),
            f"<body class='loading {body_class}'>",
            "<div class='content'>",
            "<div class='content-outer'>",
            "<header>",
            "<div class='header section' id='header'><div class='widget Header' data-version='1' id='Header1'>",
            "<div id='header-inner'>",
            "<div class='titlewrapper'>",
            "<h1 class='title'>",
            f"<a href='{site.base}/'>{esc(blog.title)}</a>",
            "</h1>",
            "</div>",
            "<div class='descriptionwrapper'>",
            f"<p class='description'><span>{esc(blog.description)}</span></p>",
            "</div>",
            "</div>",
            "</div></div>",
            "</header>",
            "<div class='main-outer'>",
            "<div class='columns fauxcolumns'>",
            "<div class='columns-inner'>",
            "<div class='column-center-outer'>",
            "<div class='column-center-inner'>",
            "<div class='main section' id='main' name='Main'><div class='widget Blog' data-version='1' id='Blog1'>",
            main,
            "</div></div>",
            "</div>",
            "</div>",
            "<div class='column-right-outer'>",
            "<div class='column-right-inner'>",
            "<aside>",
            "<div class='sidebar section' id='sidebar-right-1'>",
            self.profile_widget(),
            self.archive_widget(expanded),
            "</div>",
            "</aside>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
            "<footer>",
            "<div class='footer-outer'>",
            f"<div class='widget Attribution' id='Attribution1'><div class='widget-content' style='text-align: "
            f"center;'>Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div></div>",
            "</div>",
            "</footer>",
            "</div>",
            "</div>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts)

    def profile_widget(self) -> str:
        blog = self.blog
        return "\n".join([
            "<div class='widget Profile' data-version='1' id='Profile1'>",
            f"<h2>{self.s['about_me']}</h2>",
            "<div class='widget-content'>",
            "<dl class='profile-datablock'>",
            "<dt class='profile-data'>",
            f"<a class='profile-name-link g-profile' href='{esc(blog.author_url)}' rel='author' "
            f"style='background-image: url(//www.blogger.com/img/logo-16.png);'>",
            esc(blog.author_name),
            "</a>",
            "</dt>",
            "</dl>",
            f"<a class='profile-link' href='{esc(blog.author_url)}' rel='author'>{self.s['view_profile']}</a>",
            "<div class='clear'></div>",
            "</div>",
            "</div>",
        ])

    def archive_widget(self, expanded: tuple[int, int | None] | None) -> str:
        """BlogArchive1 in 'hierarchy' style: every year and month, the expanded month lists all its posts."""
        site = self.site
        archive = site.archive()  # [(year, count, [(month, [posts newest first])...])...] newest first
        exp_year, exp_month = expanded if expanded else (None, None)
        months = self.lang_months()
        out = [
            "<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>",
            f"<h2>{self.s['archive']}</h2>",
            "<div class='widget-content'>",
            "<div id='ArchiveList'>",
            "<div id='BlogArchive1_ArchiveList'>",
        ]
        for year, ycount, mlist in archive:
            yopen = year == exp_year
            out += [
                "<ul class='hierarchy'>",
                f"<li class='archivedate {'expanded' if yopen else 'collapsed'}'>",
                self._toggle(yopen),
                f"<a class='post-count-link' href='{site.base}/{year}/'>{year}</a>",
                f"<span class='post-count' dir='ltr'>({ycount})</span>",
            ]
            for month, mposts in mlist:
                mopen = yopen and month == exp_month
                out += [
                    "<ul class='hierarchy'>",
                    f"<li class='archivedate {'expanded' if mopen else 'collapsed'}'>",
                    self._toggle(mopen),
                    f"<a class='post-count-link' href='{site.base}/{year}/{month:02d}/'>{months[month - 1]}</a>",
                    f"<span class='post-count' dir='ltr'>({len(mposts)})</span>",
                ]
                if mopen:
                    out.append("<ul class='posts'>")
                    for p in mposts:
                        title = p.title if len(p.title) <= 50 else p.title[:50] + "..."
                        out.append(f"<li><a href='{site.post_url(p)}'>{esc(title)}</a></li>")
                    out.append("</ul>")
                out += ["</li>", "</ul>"]
            out += ["</li>", "</ul>"]
        out += ["</div>", "</div>", "<div class='clear'></div>", "</div>", "</div>"]
        return "\n".join(out)

    @staticmethod
    def _toggle(is_open: bool) -> str:
        if is_open:
            return ("<a class='toggle' href='javascript:void(0)'>\n<span class='zippy toggle-open'>&#9660;&#160;"
                    "</span>\n</a>")
        return ("<a class='toggle' href='javascript:void(0)'>\n<span class='zippy'>\n\n          &#9658;&#160;\n"
                "        \n</span>\n</a>")

    def lang_months(self) -> list[str]:
        return MONTHS_STANDALONE[self.lang]

    # ---------------------------------------------------------------- posts
    def date_header(self, post: ReplicaPost) -> str:
        return esc(format_datetime(post.published, self.blog.date_header_format, self.lang))

    def posts_block(self, posts: list[ReplicaPost], single: ReplicaPost | None = None,
                    comment_page: int = 1) -> str:
        """div.blog-posts.hfeed with Blogger's date grouping (one date-outer per local day)."""
        out = ["<div class='blog-posts hfeed'>"]
        last_day = None
        for p in posts:
            day = p.published.date()
            if day != last_day:
                if last_day is not None:
                    out.append("\n        </div></div>\n      ")
                out.append("\n          <div class=\"date-outer\">\n        ")
                out.append(f"<h2 class='date-header'><span>{self.date_header(p)}</span></h2>")
                out.append("\n          <div class=\"date-posts\">\n        ")
                last_day = day
            out.append("<div class='post-outer'>")
            out.append(self.post(p, single is not None))
            if single is not None:
                out.append(self.comments(p, comment_page))
            out.append("</div>")
        if last_day is not None:
            out.append("\n        </div></div>\n      ")
        out.append("</div>")
        return "\n".join(out)

    def title_html(self, post: ReplicaPost, single: bool) -> str:
        if not post.title:
            return ""
        inner = esc(post.title) if single else f"<a href='{self.site.post_url(post)}'>{esc(post.title)}</a>"
        return f"<h3 class='post-title entry-title'{self.title_attrs}>\n{inner}\n</h3>"

    title_attrs = ""

    def timestamp_html(self, post: ReplicaPost) -> str:
        url = self.site.post_url(post)
        shown = esc(format_datetime(post.published, self.blog.timestamp_format, self.lang))
        return (f"<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'>"
                f"<abbr class='published'{self.abbr_attrs} title='{iso_s(post.published)}'>{shown}</abbr></a>")

    abbr_attrs = ""

    def labels_html(self, post: ReplicaPost) -> str:
        if not post.labels:
            return ""
        links = ",\n".join(f"<a href='{label_url(self.site, lb)}' rel='tag'>{esc(lb)}</a>" for lb in post.labels)
        return f"<span class='post-labels'>\n{self.s['labels']}\n{links}\n</span>"

    def comment_link_html(self, post: ReplicaPost, single: bool) -> str:
        if single:
            return "<span class='post-comment-link'>\n</span>"
        return (f"<span class='post-comment-link'>\n<a class='comment-link' href='{self.site.post_url(post)}"
                f"#comment-form' onclick=''>{count_text(self.lang, len(post.comments))}</a>\n</span>")

    def share_html(self, post: ReplicaPost) -> str:
        b = f"https://www.blogger.com/share-post.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}"
        s = self.s
        return ("<div class='post-share-buttons goog-inline-block'>"
                f"<a class='goog-inline-block share-button sb-email' href='{b}&amp;target=email' target='_blank' "
                f"title='{s['email_this']}'><span class='share-button-link-text'>{s['email_this']}</span></a>"
                f"<a class='goog-inline-block share-button sb-blog' href='{b}&amp;target=blog' target='_blank' "
                f"title='{s['blog_this']}'><span class='share-button-link-text'>{s['blog_this']}</span></a>"
                f"<a class='goog-inline-block share-button sb-twitter' href='{b}&amp;target=twitter' "
                f"target='_blank' title='{s['share_twitter']}'><span class='share-button-link-text'>"
                f"{s['share_twitter']}</span></a>"
                f"<a class='goog-inline-block share-button sb-facebook' href='{b}&amp;target=facebook' "
                f"target='_blank' title='{s['share_facebook']}'><span class='share-button-link-text'>"
                f"{s['share_facebook']}</span></a></div>")

    def post_icons(self, post: ReplicaPost) -> str:
        return ("<span class='post-icons'>\n"
                f"<span class='item-control blog-admin {pid_for(post.author_name, post.author_url)}'>\n"
                f"<a href='https://www.blogger.com/post-edit.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}"
                f"&amp;from=pencil' title='{self.s['edit_post']}'>\n<img alt='' class='icon-action' height='18' "
                "src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif' width='18'/>\n</a>\n</span>\n</span>")

    def post(self, post: ReplicaPost, single: bool) -> str:
        raise NotImplementedError

    def comments(self, post: ReplicaPost, page: int) -> str:
        raise NotImplementedError

    # ---------------------------------------------------------------- comment paging (shared)
    def paging_html(self, post: ReplicaPost, page: int, pages: list[list[ReplicaComment]]) -> str:
        """Blogger's classic comment paging: '«Oldest ‹Older 1 – 200 of 320 Newer› Newest»'."""
        if len(pages) <= 1:
            return ""
        url = self.site.post_url(post)
        total = sum(len(p) for p in pages)
        first = sum(len(p) for p in pages[:page - 1]) + 1
        last = first + len(pages[page - 1]) - 1
        s = self.s
        out = ["<span class='paging-control-container'>"]
        if page > 1:
            out += [f"<a class='paging-control' href='{url}?commentPage=1'>{s['oldest']}</a>", "&#160;",
                    f"<a class='paging-control' href='{url}?commentPage={page - 1}'>{s['older']}</a>", "&#160;"]
        out.append(f"{first} &#8211; {last} {s['of']} {total}")
        if page < len(pages):
            out += ["&#160;", f"<a class='paging-control' href='{url}?commentPage={page + 1}'>{s['newer']}</a>",
                    "&#160;", f"<a class='paging-control' href='{url}?commentPage={len(pages)}'>{s['newest']}</a>"]
        out.append("</span>")
        return "\n".join(out)

    def removed_html(self, c: ReplicaComment) -> str:
        return f"<span class='deleted-comment'>{c.content_html}</span>"

    def display_time(self, c: ReplicaComment) -> str:
        return esc(format_datetime(c.published.astimezone(self.blog.tz), self.blog.comment_timestamp_format,
                                   self.lang))

    def comment_url(self, post: ReplicaPost, c: ReplicaComment) -> str:
        return f"{self.site.post_url(post)}?showComment={c.epoch_ms}#c{c.comment_id}"

    def delete_url(self, c: ReplicaComment) -> str:
        return f"https://www.blogger.com/delete-comment.g?blogID={self.blog.blog_id}&amp;postID={c.comment_id}"

    # ---------------------------------------------------------------- pages
    def pager(self, newer: tuple[str, str] | None, older: tuple[str, str] | None) -> str:
        out = ["<div class='blog-pager' id='blog-pager'>"]
        if newer:
            out.append(f"<span id='blog-pager-newer-link'>\n<a class='blog-pager-newer-link' href='{esc(newer[0])}' "
                       f"id='Blog1_blog-pager-newer-link' title='{newer[1]}'>{newer[1]}</a>\n</span>")
        if older:
            out.append(f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' href='{esc(older[0])}' "
                       f"id='Blog1_blog-pager-older-link' title='{older[1]}'>{older[1]}</a>\n</span>")
        out.append(f"<a class='home-link' href='{self.site.base}/'>{self.s['home']}</a>")
        out.append("</div>\n<div class='clear'></div>")
        return "\n".join(out)

    def feed_links(self, post: ReplicaPost | None) -> str:
        if self.site.feeds == "none":
            return ""
        if post is not None:
            href, text = f"{self.site.base}/feeds/{post.post_id}/comments/default", self.s["post_comments_atom"]
        else:
            href, text = f"{self.site.base}/feeds/posts/default", self.s["posts_atom"]
        return ("<div class='post-feeds'>\n<div class='feed-links'>\n"
                f"{self.s['subscribe']}\n<a class='feed-link' href='{href}' target='_blank' "
                f"type='application/atom+xml'>{text}</a>\n</div>\n</div>")

    def list_page(self, title: str, canonical: str, posts: list[ReplicaPost], older_url: str | None,
                  newer_url: str | None, expanded: tuple[int, int | None] | None, status: str = "") -> str:
        s = self.s
        main = "\n".join(x for x in [
            status,
            self.posts_block(posts) if posts else f"<div class='blog-posts hfeed'>\n{s['no_posts']}\n</div>",
            self.pager((newer_url, s["newer_posts"]) if newer_url else None,
                       (older_url, s["older_posts"]) if older_url else None),
            self.feed_links(None),
        ] if x)
        return self.page(title, canonical, main, expanded)

    def post_page(self, post: ReplicaPost, comment_page: int, newer: ReplicaPost | None,
                  older: ReplicaPost | None) -> str:
        s = self.s
        main = "\n".join(x for x in [
            self.posts_block([post], single=post, comment_page=comment_page),
            self.pager((self.site.post_url(newer), s["newer_post"]) if newer else None,
                       (self.site.post_url(older), s["older_post"]) if older else None),
            self.feed_links(post),
        ] if x)
        title = f"{self.blog.title}: {post.title}" if post.title else self.blog.title
        return self.page(title, self.site.post_url(post), main, (post.year, post.month), post=post,
                         body_class="item")

    def not_found_page(self) -> str:
        main = (f"<div class='status-msg-wrap'>\n<div class='status-msg-body'>\n{esc(self.s['not_found'])}\n</div>\n"
                "<div class='status-msg-border'>\n<div class='status-msg-bg'>\n<div class='status-msg-hidden'>"
                f"{esc(self.s['not_found'])}</div>\n</div>\n</div>\n</div>\n<div style='clear: both;'></div>")
        return self.page(self.blog.title, f"{self.site.base}/", main, None, body_class="error")

    def label_status(self, label: str) -> str:
        return ("<div class='status-msg-wrap'>\n<div class='status-msg-body'>\n"
                f"{self.s['with_label']} <b>{esc(label)}</b>. <a href=\"{self.site.base}/\">{self.s['show_all']}</a>\n"
                "</div>\n<div class='status-msg-border'>\n<div class='status-msg-bg'>\n"
                "<div class='status-msg-hidden'></div>\n</div>\n</div>\n</div>\n<div style='clear: both;'></div>")


class MinimaTemplate(Template):
    """Classic markup (like 2ality.com): flat ``dl#comments-block``, '... said...', timestamp permalink."""

    name = "minima"

    def post(self, post: ReplicaPost, single: bool) -> str:
        s = self.s
        return "\n".join(x for x in [
            "<div class='post hentry'>",
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'></div>",
            "</div>",
            f"<div class='post-body entry-content' id='post-body-{post.post_id}'>",
            post.content_html,
            "<div style='clear: both;'></div>",
            "</div>",
            "<div class='post-footer'>",
            "<div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>",
            s["posted_by"],
            f"<span class='fn'>{esc(post.author_name)}</span>",
            "</span>",
            "<span class='post-timestamp'>",
            s["at"],
            self.timestamp_html(post),
            "</span>",
            self.comment_link_html(post, single),
            self.post_icons(post),
            self.share_html(post),
            "</div>",
            f"<div class='post-footer-line post-footer-line-2'>{self.labels_html(post)}</div>",
            "<div class='post-footer-line post-footer-line-3'></div>",
            "</div>",
            "</div>",
        ] if x)

    def comment_author(self, c: ReplicaComment) -> str:
        name = esc(c.author_name)
        if c.author_url:
            url = esc(c.author_url)
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><a href="{url}" '
                      f'rel="nofollow" onclick=""><img src="{ANON_AVATAR}" width="16" height="16" alt="" '
                      f'title="{name}">\n\n</a></span></div>')
            who = f"<a href='{url}' rel='nofollow'>{name}</a>"
        else:
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="{ANON_AVATAR}" '
                      f'width="16" height="16" alt="" title="{name}">\n\n</span></div>')
            who = name
        return f"{avatar}\n{who}\n{self.s['said']}"

    def comments(self, post: ReplicaPost, page: int) -> str:
        footer = [
            "<p class='comment-footer'>",
            f"<a href='https://www.blogger.com/comment.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}' "
            f"onclick=''>{self.s['post_a_comment']}</a>",
            "</p>",
        ]
        return self.dl_comments(post, page, footer)

    def dl_comments(self, post: ReplicaPost, page: int, footer: list[str]) -> str:
        """The classic ``div.comments > dl#comments-block`` list (flat, chronological) with ``footer`` after it."""
        pages = self.site.comment_pages(post, self.name)
        page = min(max(page, 1), max(len(pages), 1))
        shown = pages[page - 1] if pages else []
        paging = self.paging_html(post, page, pages)
        out = [
            "<div class='comments' id='comments'>",
            "<a name='comments'></a>",
            f"<h4>{header_text(self.lang, len(post.comments))}</h4>",
        ]
        if paging:
            out.append(paging)
        out += ["<div id='Blog1_comments-block-wrapper'>", "<dl class='avatar-comment-indent' id='comments-block'>"]
        for c in shown:
            cid = c.comment_id
            body = self.removed_html(c) if c.removed else f"<p>\n{c.content_html}\n</p>"
            out += [
                f"<dt class='comment-author {'blog-author' if c.is_blog_author else ''}' id='c{cid}'>",
                f"<a name='c{cid}'></a>",
                self.comment_author(c),
                "</dt>",
                f"<dd class='comment-body' id='Blog1_cmt-{cid}'>",
                body,
                "</dd>",
                "<dd class='comment-footer'>",
                "<span class='comment-timestamp'>",
                f"<a href='{self.comment_url(post, c)}' title='comment permalink'>",
                self.display_time(c),
                "</a>",
                f"<span class='item-control blog-admin {pid_for(c.author_name, c.author_url)}'>",
                f"<a class='comment-delete' href='{self.delete_url(c)}' title='Delete Comment'>",
                "<img src='//www.blogger.com/img/icon_delete13.gif'/>",
                "</a>",
                "</span>",
                "</span>",
                "</dd>",
            ]
        out += ["</dl>", "</div>"]
        if paging:
            out.append(paging)
        out += footer
        out += [
            "<div id='backlinks-container'>",
            "<div id='Blog1_backlinks-container'>",
            "</div>",
            "</div>",
            "</div>",
        ]
        return "\n".join(out)


class ThreadedTemplate(Template):
    """Layouts-era threaded widget (like Watermark / derpapierplanet.de): ``li.comment`` in ``ol#top-ra``."""

    name = "threaded"
    threaded_comments = True
    title_attrs = " itemprop='name'"
    abbr_attrs = " itemprop='datePublished'"

    def post(self, post: ReplicaPost, single: bool) -> str:
        s, blog = self.s, self.blog
        url = self.site.post_url(post)
        meta_img = f"<meta content='{esc(post.image_url)}' itemprop='image_url'/>" if post.image_url else ""
        return "\n".join(x for x in [
            "<div class='post hentry' itemprop='blogPost' itemscope='itemscope' "
            "itemtype='http://schema.org/BlogPosting'>",
            meta_img,
            f"<meta content='{blog.blog_id}' itemprop='blogId'/>",
            f"<meta content='{post.post_id}' itemprop='postId'/>",
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'></div>",
            "</div>",
            f"<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='articleBody'>",
            post.content_html,
            "<div style='clear: both;'></div>",
            "</div>",
            "<div class='post-footer'>",
            "<div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>",
            s["posted_by"],
            "<span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'>",
            f"<meta content='{esc(post.author_url)}' itemprop='url'/>",
            f"<a class='g-profile' href='{esc(post.author_url)}' rel='author' title='author profile'>",
            f"<span itemprop='name'>{esc(post.author_name)}</span>",
            "</a>",
            "</span>",
            "</span>",
            "<span class='post-timestamp'>",
            s["at"],
            f"<meta content='{url}' itemprop='url'/>",
            self.timestamp_html(post),
            "</span>",
            self.comment_link_html(post, single),
            self.post_icons(post),
            self.share_html(post),
            "</div>",
            f"<div class='post-footer-line post-footer-line-2'>{self.labels_html(post)}\n</div>",
            "<div class='post-footer-line post-footer-line-3'><span class='post-location'>\n</span>\n</div>",
            "</div>",
            "</div>",
        ] if x)

    def comment_li(self, post: ReplicaPost, c: ReplicaComment, replies: list[ReplicaComment] | None) -> str:
        """One li.comment exactly as Blogger's threaded widget renders it (replies is None for a reply itself)."""
        s = self.s
        cid = c.comment_id
        name = esc(c.author_name)
        cite = f'<a href="{esc(c.author_url)}" rel="nofollow">{name}</a>' if c.author_url else name
        body = self.li_body(c)
        reply_link = (f'<a class="comment-reply" target="_self" data-comment-id="{cid}">{s["reply"]}</a>'
                      if replies is not None else "")
        inner = "".join(self.comment_li(post, r, None) for r in (replies or []))
        hidden = "" if replies else " hidden"
        return (
            f'<li class="comment" id="c{cid}"><div class="avatar-image-container"><img src="{self.li_avatar(c)}" '
            f'alt=""/></div><div class="comment-block"><div class="comment-header"><cite class="user">{cite}</cite>'
            f'<span class="icon user {"blog-author" if c.is_blog_author else ""}"></span>'
            f'<span class="datetime secondary-text"><a rel="nofollow" href="{self.comment_url(post, c)}">'
            f'{self.display_time(c)}</a></span></div><p class="comment-content">{body}</p>'
            f'<span class="comment-actions secondary-text">{reply_link}<span class="item-control blog-admin '
            f'blog-admin {self.li_admin_class(c)}"><a target="_self" href="{self.delete_url(c)}">'
            f'{s["delete"]}</a></span></span></div>'
            f'<div class="comment-replies"><div id="c{cid}-rt" class="comment-thread inline-thread{hidden}">'
            f'<span class="thread-toggle thread-expanded"><span class="thread-arrow"></span>'
            f'<span class="thread-count"><a target="_self">{s["replies"]}</a></span></span><ol id="c{cid}-ra" class="thread-chrome thread-expanded"><div>{inner}</div>'
            f'<div id="c{cid}-continue" class="continue"><a class="comment-reply" target="_self" '
            f'data-comment-id="{cid}">{s["reply"]}</a></div></ol></div></div>'
            f'<div class="comment-replybox-single" id="c{cid}-ce"></div></li>'
        )

    def li_avatar(self, c: ReplicaComment) -> str:
        return avatar_url(c)

    def li_body(self, c: ReplicaComment) -> str:
        """Inside ``p.comment-content``: the body, or the removal sentence in ``span.deleted-comment``."""
        return f'<span class="deleted-comment">{c.content_html}</span>' if c.removed else c.content_html

    def li_admin_class(self, c: ReplicaComment) -> str:
        return pid_for(c.author_name, c.author_url)

    def thread_html(self, post: ReplicaPost, page: int) -> tuple[str, str]:
        """(``div.comment-thread.toplevel-thread`` with this comment page's threads, the paging links)."""
        pages = self.site.comment_pages(post, self.name)
        page = min(max(page, 1), max(len(pages), 1))
        shown = pages[page - 1] if pages else []
        s = self.s
        ids = {c.comment_id for c in shown}
        replies: dict[str, list[ReplicaComment]] = {}
        tops: list[ReplicaComment] = []
        for c in shown:
            if c.parent_id and c.parent_id in ids:
                replies.setdefault(c.parent_id, []).append(c)
            else:
                tops.append(c)
        more = page < len(pages)
        thread = (
            '<div class="comment-thread toplevel-thread"><ol id="top-ra">'
            + "".join(self.comment_li(post, t, replies.get(t.comment_id, [])) for t in tops)
            + f'</ol><div id="top-continue" class="continue"><a class="comment-reply" target="_self">'
              f'{s["add_comment"]}</a></div><div class="comment-replybox-thread" id="top-ce"></div>'
              f'<div class="loadmore{"" if more else " hidden"}" data-post-id="{post.post_id}">'
              f'<a target="_self">{s["load_more"]}</a></div></div>'
        )
        return thread, self.paging_html(post, page, pages)

    def comments(self, post: ReplicaPost, page: int) -> str:
        thread, paging = self.thread_html(post, page)
        out = [
            "<div class='comments' id='comments'>",
            "<a name='comments'></a>",
            f"<h4>{header_text(self.lang, len(post.comments))}</h4>",
            "<div class='comments-content'>",
            "<script async='async' src='' type='text/javascript'></script>",
            "<script type='text/javascript'>\n    (function() {\n      var items = null;\n      var msgs = null;\n"
            "      var config = {};\n    })();\n  </script>",
            "<div id='comment-holder'>",
            thread,
            "</div>",
            "</div>",
        ]
        if paging:
            out.append(paging)
        out += [
            "<p class='comment-footer'>",
            "<div class='comment-form'>",
            "<a name='comment-form'></a>",
            f"<a href='https://www.blogger.com/comment-iframe.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}'"
            " id='comment-editor-src'></a>",
            "<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' "
            "frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>",
            "</div>",
            "</p>",
            "<div id='backlinks-container'>",
            "<div id='Blog1_backlinks-container'>",
            "</div>",
            "</div>",
            "</div>",
        ]
        return "\n".join(out)


def _caps(prefix: str = "") -> list[str]:
    """Layouts-era decoration: ``div.cap-top`` with its left/right halves (``PREFIX-cap-top cap-top``)."""
    top = f"{prefix}-cap-top cap-top" if prefix else "cap-top"
    return [f"<div class='{top}'>", "<div class='cap-left'></div>", "<div class='cap-right'></div>", "</div>"]


def _fauxcolumn(extra: str) -> list[str]:
    return ([f"<div class='fauxcolumn-outer {extra}'>"] + _caps()
            + ["<div class='fauxborder-left'>", "<div class='fauxborder-right'></div>",
               "<div class='fauxcolumn-inner'>", "</div>", "</div>",
               "<div class='cap-bottom'>", "<div class='cap-left'></div>", "<div class='cap-right'></div>", "</div>",
               "</div>"])


class SimpleTemplate(MinimaTemplate):
    """Layouts "Simple" (emacspeak: ``body.variant-bold``; siliconexposed: ``body.variant-simplysimple``).

    Post markup of the Layouts Blog widget with schema.org microdata (``div.post.hentry[itemprop=blogPost]``,
    ``meta[itemprop=blogId|postId]``, ``abbr.published[itemprop=datePublished][title]``,
    ``span.post-author.vcard > span.fn[itemprop=author] > a.g-profile > span[itemprop=name]``,
    ``div.post-body.entry-content#post-body-ID[itemprop='description articleBody']``), the page wrapped in the
    Layouts fauxcolumn chrome. Comments: both real pages show the classic, non-threaded list
    (``h4`` + ``dl#comments-block`` with ``dt.comment-author`` / ``dd.comment-body`` / ``dd.comment-footer``;
    siliconexposed: "No comments:" over an empty ``dl.avatar-comment-indent#comments-block``) followed by the embedded
    comment form (``div.comment-form`` with its own ``h4#comment-post-message`` and ``iframe#comment-editor``).
    Replies are shown flat, in time order, like Minima. Profile commenters get the ``avatar-hovercard`` avatar
    whose ``img[title]`` repeats the name.
    """

    name = "simple"
    title_attrs = " itemprop='name'"
    abbr_attrs = " itemprop='datePublished'"

    @property
    def variant(self) -> str:
        return "bold" if int(self.blog.blog_id) % 2 else "simplysimple"

    def page(self, title: str, canonical: str, main: str, expanded: tuple[int, int | None] | None,
             post: ReplicaPost | None = None, body_class: str = "index") -> str:
        blog, site = self.blog, self.site
        out = [self.head(title, canonical, post), f"<body class='loading variant-{self.variant}'>",
               "<div class='navbar no-items section' id='navbar' name='Navbar'>", "</div>",
               "<div class='body-fauxcolumns'>"] + _fauxcolumn("body-fauxcolumn-outer") + ["</div>"]
        out += ["<div class='content'>", "<div class='content-fauxcolumns'>"]
        out += _fauxcolumn("content-fauxcolumn-outer") + ["</div>", "<div class='content-outer'>"]
        out += _caps("content")
        out += ["<div class='fauxborder-left content-fauxborder-left'>",
                "<div class='fauxborder-right content-fauxborder-right'></div>", "<div class='content-inner'>",
                "<header>", "<div class='header-outer'>"] + _caps("header") + [
                "<div class='fauxborder-left header-fauxborder-left'>",
                "<div class='fauxborder-right header-fauxborder-right'></div>",
                "<div class='region-inner header-inner'>",
                "<div class='header section' id='header' name='Header'><div class='widget Header' data-version='1' "
                "id='Header1'>",
                "<div id='header-inner'>", "<div class='titlewrapper'>", "<h1 class='title'>",
                f"<a href='{site.base}/'>{esc(blog.title)}</a>", "</h1>", "</div>", "<div class='descriptionwrapper'>",
                f"<p class='description'><span>{esc(blog.description)}</span></p>", "</div>", "</div>",
                "</div></div>", "</div>", "</div>",
                "<div class='header-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>", "</header>",
                "<div class='tabs-outer'>"] + _caps("tabs") + [
                "<div class='fauxborder-left tabs-fauxborder-left'>",
                "<div class='fauxborder-right tabs-fauxborder-right'></div>", "<div class='region-inner tabs-inner'>",
                "<div class='tabs no-items section' id='crosscol' name='Cross-Column'></div>",
                "<div class='tabs no-items section' id='crosscol-overflow' name='Cross-Column 2'></div>",
                "</div>", "</div>", "<div class='tabs-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>",
                "<div class='main-outer'>"] + _caps("main") + [
                "<div class='fauxborder-left main-fauxborder-left'>",
                "<div class='fauxborder-right main-fauxborder-right'></div>", "<div class='region-inner main-inner'>",
                "<div class='columns fauxcolumns'>"]
        out += _fauxcolumn("fauxcolumn-center-outer") + _fauxcolumn("fauxcolumn-left-outer")
        out += _fauxcolumn("fauxcolumn-right-outer")
        out += ["<!-- corrects IE6 width calculation -->", "<div class='columns-inner'>",
                "<div class='column-center-outer'>", "<div class='column-center-inner'>",
                "<div class='main section' id='main' name='Main'><div class='widget Blog' data-version='1' id='Blog1'>",
                main, "</div></div>", "</div>", "</div>",
                "<div class='column-left-outer'>", "<div class='column-left-inner'>", "<aside>", "</aside>", "</div>",
                "</div>", "<div class='column-right-outer'>", "<div class='column-right-inner'>", "<aside>",
                "<div class='sidebar section' id='sidebar-right-1'>", self.profile_widget(),
                self.archive_widget(expanded), "</div>", "</aside>", "</div>", "</div>", "</div>",
                "<div style='clear: both'></div>", "<!-- columns -->", "</div>", "<!-- main -->", "</div>", "</div>",
                "<div class='main-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>",
                "<footer>", "<div class='footer-outer'>"] + _caps("footer") + [
                "<div class='fauxborder-left footer-fauxborder-left'>",
                "<div class='fauxborder-right footer-fauxborder-right'></div>", "<div class='region-inner footer-inner'>",
                "<div class='foot section' id='footer-3' name='Footer'><div class='widget Attribution' "
                "data-version='1' id='Attribution1'>",
                "<div class='widget-content' style='text-align: center;'>",
                "Simple theme. Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.",
                "</div>", "<div class='clear'></div>", "</div></div>", "</div>", "</div>",
                "<div class='footer-cap-bottom cap-bottom'>", "<div class='cap-left'></div>",
                "<div class='cap-right'></div>", "</div>", "</div>", "</footer>",
                "<!-- content -->", "</div>", "</div>", "<div class='content-cap-bottom cap-bottom'>",
                "<div class='cap-left'></div>", "<div class='cap-right'></div>", "</div>", "</div>", "</div>",
                "</body>", "</html>"]
        return "\n".join(out)

    def post(self, post: ReplicaPost, single: bool) -> str:
        s, blog = self.s, self.blog
        url = self.site.post_url(post)
        meta_img = f"<meta content='{esc(post.image_url)}' itemprop='image_url'/>" if post.image_url else ""
        extra = " uncustomized-post-template" if self.variant == "bold" else ""
        return "\n".join(x for x in [
            f"<div class='post hentry{extra}' itemprop='blogPost' itemscope='itemscope' "
            "itemtype='http://schema.org/BlogPosting'>",
            meta_img,
            f"<meta content='{blog.blog_id}' itemprop='blogId'/>",
            f"<meta content='{post.post_id}' itemprop='postId'/>",
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'></div>",
            "</div>",
            f"<div class='post-body entry-content' id='post-body-{post.post_id}' "
            "itemprop='description articleBody'>",
            post.content_html,
            "<div style='clear: both;'></div>",
            "</div>",
            "<div class='post-footer'>",
            "<div class='post-footer-line post-footer-line-1'>",
            "<span class='post-author vcard'>",
            s["posted_by"],
            "<span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'>",
            f"<meta content='{esc(post.author_url)}' itemprop='url'/>",
            f"<a class='g-profile' href='{esc(post.author_url)}' rel='author' title='author profile'>",
            f"<span itemprop='name'>{esc(post.author_name)}</span>",
            "</a>",
            "</span>",
            "</span>",
            "<span class='post-timestamp'>",
            s["at"],
            f"<meta content='{url}' itemprop='url'/>",
            self.timestamp_html(post),
            "</span>",
            "<span class='reaction-buttons'>\n</span>",
            self.comment_link_html(post, single),
            self.post_icons(post),
            self.share_html(post),
            "</div>",
            f"<div class='post-footer-line post-footer-line-2'>{self.labels_html(post)}\n</div>",
            "<div class='post-footer-line post-footer-line-3'><span class='post-location'>\n</span>\n</div>",
            "</div>",
            "</div>",
        ] if x)

    def comment_author(self, c: ReplicaComment) -> str:
        name = esc(c.author_name)
        if c.author_url and "blogger.com/profile/" in c.author_url:
            url = esc(c.author_url)
            avatar = (f'<div class="avatar-image-container vcard"><span dir="ltr"><a href="{url}" target="" '
                      f'rel="nofollow" onclick="" class="avatar-hovercard" id="av-0-{c.author_url.rsplit("/", 1)[-1]}">'
                      f'<img src="{avatar_url(c)}" width="35" height="35" alt="" title="{name}">\n\n</a></span></div>')
            who = f"<a href='{url}' rel='nofollow'>{name}</a>"
        elif c.author_url:
            url = esc(c.author_url)
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><a href="{url}" '
                      f'rel="nofollow" onclick=""><img src="{ANON_AVATAR}" width="35" height="35" alt="" '
                      f'title="{name}">\n\n</a></span></div>')
            who = f"<a href='{url}' rel='nofollow'>{name}</a>"
        else:
            avatar = (f'<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="{ANON_AVATAR}" '
                      f'width="35" height="35" alt="" title="{name}">\n\n</span></div>')
            who = name
        return f"{avatar}\n{who}\n{self.s['said']}"

    def comments(self, post: ReplicaPost, page: int) -> str:
        footer = [
            "<p class='comment-footer'>",
            "<div class='comment-form'>",
            "<a name='comment-form'></a>",
            f"<h4 id='comment-post-message'>{self.s['post_a_comment']}</h4>",
            "<p>",
            "</p>",
            f"<a href='https://www.blogger.com/comment-iframe.g?blogID={self.blog.blog_id}&amp;postID={post.post_id}'"
            " id='comment-editor-src'></a>",
            "<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' "
            "frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>",
            "</div>",
            "</p>",
        ]
        return self.dl_comments(post, page, footer)


class ContempoTemplate(ThreadedTemplate):
    """The 2017+ responsive themes (Contempo, Soho, Emporio, Notable, Essential share the v2 Blog widget).

    ``div.blog-posts.hfeed.container > article.post-outer-container > div.post-outer > div.post`` (no ``hentry``, no
    date headers, no microdata: a ``script[type='application/ld+json']`` BlogPosting instead). Title
    ``h3.post-title.entry-title``; header byline ``span.byline.post-timestamp > a.timestamp-link >
    time.published[datetime][title]`` (text in the blog's date format); body
    ``div.post-body.entry-content.float-container#post-body-ID``; footer bylines in ``div.post-bottom >
    div.post-footer``: ``span.byline.post-author.vcard > span.post-author-label + span.fn > a.g-profile > span`` and
    ``span.byline.post-labels > span.byline-label + a[rel=tag]`` (no commas). Index pages show a snippet
    (``div.post-body#post-snippet-ID``) and a "Read more" jump link, not the body. Comments:
    ``section.comments.threaded#comments[data-num-comments]`` with ``h3.title`` "Comments" (no count) over the
    threaded widget (``div.comment-thread > ol#top-ra > li.comment``, replies in ``div.comment-replies``); a
    removed comment is the bare sentence in ``p.comment-content`` (no ``span.deleted-comment``), as on 2023 pages.
    """

    name = "contempo"
    viewport = "width=device-width, initial-scale=1"
    title_attrs = ""

    @property
    def variant(self) -> str:
        return ["indie_light", "indie_dark", "jet", "rock_light"][int(self.blog.blog_id) % 4]

    def html_tag(self) -> str:
        return f"<html dir='ltr' lang='{self.blog.language}'>"

    def page(self, title: str, canonical: str, main: str, expanded: tuple[int, int | None] | None,
             post: ReplicaPost | None = None, body_class: str = "index") -> str:
        blog, site = self.blog, self.site
        parts = [
            self.head(title, canonical, post),
            f"<body class='version-1-3-3 variant-{self.variant}'>",
            "<a class='skip-navigation' href='#main' tabindex='0'>",
            "Skip to main content",
            "</a>",
            "<div class='page'>",
            "<div class='bg-photo-overlay'></div>",
            "<div class='bg-photo-container'>",
            "<div class='bg-photo'></div>",
            "</div>",
            "<div class='page_body'>",
            "<div class='centered'>",
            "<div class='centered-top-placeholder'></div>",
            "<header class='centered-top-container' role='banner'>",
            "<div class='centered-top'>",
            "<div class='blog-name container'>",
            "<div class='container section' id='header' name='Header'><div class='widget Header' data-version='2' "
            "id='Header1'>",
            "<div class='header-widget'>",
            "<div>",
            "<h1>",
            f"<a href='{site.base}/'>",
            esc(blog.title),
            "</a>",
            "</h1>",
            "</div>",
            "<p>",
            esc(blog.description),
            "</p>",
            "</div>",
            "</div></div>",
            "</div>",
            "</div>",
            "</header>",
            "<div>",
            "<main class='centered-bottom' id='main' role='main' tabindex='-1'>",
            "<div class='main section' id='page_body' name='Page Body'>",
            "<div class='widget Blog' data-version='2' id='Blog1'>",
            main,
            "</div>",
            "</div>",
            "</main>",
            "</div>",
            "</div>",
            "</div>",
            "<aside class='sidebar-container container sidebar-invisible' role='complementary'>",
            "<div class='sidebar_top_wrapper'>",
            "<div class='sidebar_top section' id='sidebar_top' name='Sidebar (Top)'>",
            self.profile_widget(),
            "</div>",
            "</div>",
            "<div class='sidebar_bottom section' id='sidebar_bottom' name='Sidebar (Bottom)'>",
            self.archive_widget(expanded),
            "</div>",
            "</aside>",
            "<footer class='footer section' id='footer' name='Footer'><div class='widget Attribution' "
            "data-version='2' id='Attribution1'>",
            "<div class='widget-content'>",
            "<div class='blogger'>",
            "<a href='https://www.blogger.com' rel='nofollow'>",
            "Powered by Blogger",
            "</a>",
            "</div>",
            "</div>",
            "</div></footer>",
            "</div>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts)

    def profile_widget(self) -> str:
        blog = self.blog
        return "\n".join([
            "<div class='widget Profile' data-version='2' id='Profile1'>",
            "<div class='wrapper solo'>",
            "<div class='widget-content individual'>",
            "<div class='profile-info'>",
            "<dl class='profile-datablock'>",
            "<dt class='profile-data'>",
            f"<a class='profile-link g-profile' href='{esc(blog.author_url)}' rel='author nofollow'>",
            esc(blog.author_name),
            "</a>",
            "</dt>",
            "</dl>",
            f"<a class='profile-link visit-profile' href='{esc(blog.author_url)}' rel='author'>",
            self.s["view_profile"],
            "</a>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
        ])

    def archive_widget(self, expanded: tuple[int, int | None] | None) -> str:
        """BlogArchive v2: ``details > summary`` title, ``div.hierarchy-title > a.post-count-link`` whose text ends with
        the count in ``span.post-count`` (the link text is "October3" unless the count is taken apart)."""
        site = self.site
        exp_year, exp_month = expanded if expanded else (None, None)
        months = self.lang_months()
        out = ["<div class='widget BlogArchive' data-version='2' id='BlogArchive1'>",
               "<details class='collapsible extendable'>",
               "<summary>",
               "<div class='collapsible-title'>",
               f"<h3 class='title'>{self.s['archive']}</h3>",
               "</div>",
               "</summary>",
               "<div class='widget-content'>",
               "<div id='ArchiveList'>",
               "<div id='BlogArchive1_ArchiveList'>",
               "<ul class='hierarchy'>"]
        for year, ycount, mlist in site.archive():
            out += ["<li class='archivedate'>", "<div class='hierarchy-title'>",
                    f"<a class='post-count-link' href='{site.base}/{year}/'>",
                    str(year),
                    f"<span class='post-count-wrapper'>\n<span class='post-count'>{ycount}</span>\n</span>",
                    "</a>", "</div>", "<div class='hierarchy-content'>", "<ul class='hierarchy'>"]
            for month, mposts in mlist:
                out += ["<li class='archivedate'>", "<div class='hierarchy-title'>",
                        f"<a class='post-count-link' href='{site.base}/{year}/{month:02d}/'>",
                        months[month - 1],
                        f"<span class='post-count-wrapper'>\n<span class='post-count'>{len(mposts)}</span>\n</span>",
                        "</a>", "</div>", "<div class='hierarchy-content'>"]
                if year == exp_year and month == exp_month:
                    out.append("<ul class='posts hierarchy'>")
                    for p in mposts:
                        out.append(f"<li><a href='{site.post_url(p)}'>{esc(p.title)}</a></li>")
                    out.append("</ul>")
                out += ["</div>", "</li>"]
            out += ["</ul>", "</div>", "</li>"]
        out += ["</ul>", "</div>", "</div>", "</div>", "</details>", "</div>"]
        return "\n".join(out)

    def posts_block(self, posts: list[ReplicaPost], single: ReplicaPost | None = None,
                    comment_page: int = 1) -> str:
        out = ["<div class='blog-posts hfeed container'>"]
        for p in posts:
            out += ["<article class='post-outer-container'>", "<div class='post-outer'>", self.post(p, single is not None),
                    "</div>"]
            if single is not None:
                out.append(self.comments(p, comment_page))
            out.append("</article>")
        out.append("</div>")
        return "\n".join(out)

    def snippet(self, post: ReplicaPost, n: int = 150) -> str:
        text = " ".join(post.content_text.split())
        return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + "…"

    def ld_json(self, post: ReplicaPost) -> str:
        doc = {
            "@context": "http://schema.org",
            "@type": "BlogPosting",
            "mainEntityOfPage": {"@type": "WebPage", "@id": self.site.post_url(post)},
            "headline": post.title,
            "description": self.snippet(post),
            "datePublished": iso_s(post.published),
            "dateModified": iso_s(post.updated),
            "publisher": {"@type": "Organization", "name": "Blogger"},
            "author": {"@type": "Person", "name": post.author_name},
        }
        body = json.dumps(doc, ensure_ascii=False, indent=2).replace("</", "<\\/")
        return f"<script type='application/ld+json'>{body}</script>"

    def title_html(self, post: ReplicaPost, single: bool) -> str:
        if not post.title:
            return ""
        inner = esc(post.title) if single else f"<a href='{self.site.post_url(post)}'>{esc(post.title)}</a>"
        return f"<h3 class='post-title entry-title'>\n{inner}\n</h3>"

    def post(self, post: ReplicaPost, single: bool) -> str:
        s = self.s
        url = self.site.post_url(post)
        date = esc(format_datetime(post.published, self.blog.date_header_format, self.lang))
        if single:
            body = [f"<div class='post-body entry-content float-container' id='post-body-{post.post_id}'>",
                    post.content_html, "</div>"]
        else:
            body = [f"<div class='container post-body entry-content' id='post-snippet-{post.post_id}'>",
                    "<div class='post-snippet snippet-container r-snippet-container'>",
                    "<div class='snippet-item r-snippetized'>", esc(self.snippet(post)), "</div>",
                    "<a class='snippet-fade r-snippetized'></a>", "</div>", "</div>",
                    "<div class='jump-link flat-button'>",
                    f"<a href='{url}#more' title='{esc(post.title)}'>", s["read_more"], "</a>", "</div>"]
        labels = []
        if post.labels:
            labels = ["<div class='post-footer-line post-footer-line-2'>", "<span class='byline post-labels'>",
                      f"<span class='byline-label'>{s['labels']}</span>"]
            labels += [f"<a href='{label_url(self.site, lb)}' rel='tag'>\n{esc(lb)}\n</a>" for lb in post.labels]
            labels += ["</span>", "</div>"]
        comment_link = []
        if not single:
            n = len(post.comments)
            text = count_text(self.lang, n) if n else s["post_a_comment"]
            comment_link = ["<span class='byline post-comment-link container'>",
                            f"<a class='comment-link' href='{url}#comments' onclick=''>", text, "</a>", "</span>"]
        return "\n".join(x for x in [
            "<div class='post'>",
            self.ld_json(post),
            f"<a name='{post.post_id}'></a>",
            self.title_html(post, single),
            "<div class='post-header'>",
            "<div class='post-header-line-1'>",
            "<span class='byline post-timestamp'>",
            f"<meta content='{url}'/>",
            f"<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'>",
            f"<time class='published' datetime='{iso_s(post.published)}' title='{iso_s(post.published)}'>",
            date,
            "</time>",
            "</a>",
            "</span>",
            "</div>",
            "</div>",
            *body,
            "<div class='post-bottom'>",
            "<div class='post-footer float-container'>",
            "<div class='post-footer-line post-footer-line-1'>",
            "<span class='byline post-author vcard'>",
            "<span class='post-author-label'>",
            s["posted_by"],
            "</span>",
            "<span class='fn'>",
            f"<meta content='{esc(post.author_url)}'/>",
            f"<a class='g-profile' href='{esc(post.author_url)}' rel='author' title='author profile'>",
            f"<span>{esc(post.author_name)}</span>",
            "</a>",
            "</span>",
            "</span>",
            *comment_link,
            "</div>",
            *labels,
            "</div>",
            "<div class='post-share-buttons post-share-buttons-bottom invisible'>",
            "<div class='byline post-share-buttons goog-inline-block'>",
            f"<div aria-owns='sharing-popup-Blog1-byline-{post.post_id}' class='sharing' "
            f"data-title='{esc(post.title)}'>",
            f"<button aria-controls='sharing-popup-Blog1-byline-{post.post_id}' aria-label='{s['share']}' "
            f"class='sharing-button touch-icon-button' id='sharing-button-Blog1-byline-{post.post_id}' "
            "role='button'>",
            "</button>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
            "</div>",
        ] if x)

    def li_avatar(self, c: ReplicaComment) -> str:
        if c.author_url and "blogger.com/profile/" in c.author_url:
            return "//www.blogger.com/img/blogger_logo_round_35.png"
        return ANON_AVATAR

    def li_body(self, c: ReplicaComment) -> str:
        return c.content_html  # removed: the bare sentence, as on 2023 pages

    def li_admin_class(self, c: ReplicaComment) -> str:
        return "" if c.removed else pid_for(c.author_name, c.author_url)

    def comments(self, post: ReplicaPost, page: int) -> str:
        thread, paging = self.thread_html(post, page)
        blog = self.blog
        out = [
            f"<section class='comments threaded' data-embed='true' data-num-comments='{len(post.comments)}' "
            "id='comments'>",
            "<a name='comments'></a>",
            f"<h3 class='title'>{self.s['comments_title']}</h3>",
            "<div class='comments-content'>",
            "<script async='async' src='' type='text/javascript'></script>",
            "<script type='text/javascript'>\n(function() {\n  var items = null;\n  var msgs = null;\n"
            "  var config = {};\n})();\n</script>",
            "<div id='comment-holder'>",
            thread,
            "</div>",
            "</div>",
        ]
        if paging:
            out.append(paging)
        out += [
            "<p class='comment-footer'>",
            "<div class='comment-form'>",
            "<a name='comment-form'></a>",
            f"<h4 id='comment-post-message'>{self.s['post_a_comment']}</h4>",
            f"<a href='https://www.blogger.com/comment/frame/{blog.blog_id}?po={post.post_id}&amp;hl={blog.language}'"
            " id='comment-editor-src'></a>",
            "<iframe allowtransparency='allowtransparency' class='blogger-iframe-colorize blogger-comment-from-post' "
            "height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>",
            "</div>",
            "</p>",
            "</section>",
        ]
        return "\n".join(out)

    def pager(self, newer: tuple[str, str] | None, older: tuple[str, str] | None) -> str:
        out = ["<div class='blog-pager container' id='blog-pager'>"]
        if newer:
            out.append(f"<a class='blog-pager-newer-link' href='{esc(newer[0])}' id='Blog1_blog-pager-newer-link' "
                       f"title='{newer[1]}'>\n{newer[1]}\n</a>")
        if older:
            text = self.s["more_posts"] if older[1] == self.s["older_posts"] else older[1]
            out.append(f"<a class='blog-pager-older-link flat-button ripple' href='{esc(older[0])}' "
                       f"id='Blog1_blog-pager-older-link' title='{text}'>\n{text}\n</a>")
        out.append("</div>")
        return "\n".join(out)

    def feed_links(self, post: ReplicaPost | None) -> str:
        html = super().feed_links(post)
        return html.replace("<div class='post-feeds'>", "<div class='blog-feeds'>", 1) if post is None else html


def _js(value: str) -> str:
    """A JavaScript single-quoted string body the way Blogger writes them (<, >, =, &, quotes as \\xNN)."""
    out = []
    for ch in value:
        if ch in "<>=&'\"\\":
            out.append(f"\\x{ord(ch):02x}")
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return "".join(out)


class DynamicViewsTemplate(Template):
    """Dynamic Views (juliasleseblog: ``meta[name=blogger-template][content=dynamic]``): every page is the same
    nearly empty shell (``div.main.section#main`` with no posts, no comments) that script fills from the blog's
    feeds. Head tags still carry the title, canonical URL, ``og:*`` tags and feed links, and
    ``_WidgetManager._SetDataContext`` names ``blogId`` / ``pageType`` / ``postId``. With feeds="none" nothing of
    the content can be read, as on Blogger."""

    name = "dynamicviews"
    VIEWS = ["classic", "flipcard", "magazine", "mosaic", "sidebar", "snapshot", "timeslide"]

    def shell(self, title: str, canonical: str, page_type: str, post: ReplicaPost | None = None) -> str:
        blog, site = self.blog, self.site
        t = esc(blog.title)
        view = self.VIEWS[int(blog.blog_id) % len(self.VIEWS)]
        head = [
            "<!DOCTYPE html>",
            f"<html class='v2' dir='ltr' lang='{blog.language}'>",
            "<head>",
            "<link href='https://www.blogger.com/static/v1/widgets/css_bundle_v2.css' rel='stylesheet' "
            "type='text/css'/>",
            "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
            "<meta content='blogger' name='generator'/>",
            f"<link href='{site.base}/favicon.ico' rel='icon' type='image/x-icon'/>",
            f"<link href='{esc(canonical)}' rel='canonical'/>",
        ]
        if site.feeds != "none":
            head += [
                f'<link rel="alternate" type="application/atom+xml" title="{t} - Atom" '
                f'href="{site.base}/feeds/posts/default" />',
                f'<link rel="alternate" type="application/rss+xml" title="{t} - RSS" '
                f'href="{site.base}/feeds/posts/default?alt=rss" />',
                f'<link rel="service.post" type="application/atom+xml" title="{t} - Atom" '
                f'href="https://www.blogger.com/feeds/{blog.blog_id}/posts/default" />',
            ]
            if post is not None:
                head.append(f'<link rel="alternate" type="application/atom+xml" title="{t} - Atom" '
                            f'href="{site.base}/feeds/{post.post_id}/comments/default" />')
        if post is not None and post.image_url:
            head.append(f"<link href='{esc(post.image_url)}' rel='image_src'/>")
        page_name = post.title if post is not None else ""
        head += [
            f"<meta content='{esc(canonical)}' property='og:url'/>",
            f"<meta content='{esc(page_name or blog.title)}' property='og:title'/>",
            f"<meta content='{t}' property='og:description'/>",
            f"<title>{esc(title)}</title>",
            "<meta content='!' name='fragment'/>",
            "<meta content='dynamic' name='blogger-template'/>",
            "<meta content='IE=9,chrome=1' http-equiv='X-UA-Compatible'/>",
            "<meta content='initial-scale=1.0, maximum-scale=1.0, user-scalable=no, width=device-width' "
            "name='viewport'/>",
            "<style id='page-skin-1' type='text/css'>/* Dynamic Views (replica) */</style>",
            "<script src='//www.blogblog.com/dynamicviews/replica/js/common.js' type='text/javascript'></script>",
            f"<script src='//www.blogblog.com/dynamicviews/replica/js/{view}.js' type='text/javascript'></script>",
            "<script src='//www.blogblog.com/dynamicviews/replica/js/comments.js'></script>",
            "</head>",
        ]
        data = {
            "blogId": blog.blog_id, "title": blog.title, "url": canonical, "canonicalUrl": canonical,
            "homepageUrl": f"{site.base}/", "searchUrl": f"{site.base}/search", "locale": blog.language,
            "isPrivate": "false", "adultContent": "false", "pageType": page_type,
            "pageName": page_name, "pageTitle": title,
        }
        if post is not None:
            data["postId"] = post.post_id
        fields = ", ".join(f"'{k}': {v}" if v in ("true", "false") else f"'{k}': '{_js(v)}'" for k, v in data.items())
        views = ", ".join(f"'{v}': {{'name': '{v}', 'url': '?view\\x3d{v}'}}" for v in self.VIEWS)
        body = [
            f"<body class='variant-{view}'>",
            "<div class='content'>", "<div class='content-outer'>", "<div class='fauxborder-left content-fauxborder-left'>",
            "<div class='content-inner'>", "<div class='main-outer'>", "<div class='fauxborder-left main-fauxborder-left'>",
            "<div class='region-inner main-inner'>", "<div class='columns fauxcolumns'>",
            "<div class='column-center-outer'>", "<div class='column-center-inner'>",
            "<div class='main section' id='main'>", "</div>", "</div>", "</div>",
            "<div class='column-right-outer'>", "<div class='column-right-inner'>", "<aside>",
            "<div class='sidebar section' id='sidebar-right-1'>", "</div>", "</aside>", "</div>", "</div>",
            "<div style='clear: both'></div>", "</div>", "</div>", "</div>", "</div>", "</div>", "</div>", "</div>",
            "</div>",
            "<script language='javascript' type='text/javascript'>\n      window.onload = function() {\n"
            "        blogger.ui().configure().view();\n      };\n    </script>",
            "<script type='text/javascript'>\n"
            f"_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d{blog.blog_id}','{_js(canonical)}',"
            f"'{blog.blog_id}');\n"
            f"_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{{fields}}}}}, "
            f"{{'name': 'view', 'data': {{{views}}}}}]);\n</script>",
            "</body>",
            "</html>",
        ]
        return "\n".join(head + body)

    def list_page(self, title: str, canonical: str, posts: list[ReplicaPost], older_url: str | None,
                  newer_url: str | None, expanded: tuple[int, int | None] | None, status: str = "") -> str:
        page_type = "index" if canonical.rstrip("/") == self.site.base else "archive"
        return self.shell(title, canonical, page_type)

    def post_page(self, post: ReplicaPost, comment_page: int, newer: ReplicaPost | None,
                  older: ReplicaPost | None) -> str:
        title = f"{self.blog.title}: {post.title}" if post.title else self.blog.title
        return self.shell(title, self.site.post_url(post), "item", post)

    def not_found_page(self) -> str:
        return self.shell(self.blog.title, f"{self.site.base}/", "error")

    def label_status(self, label: str) -> str:
        return ""

    def post(self, post: ReplicaPost, single: bool) -> str:  # never rendered: the shell has no posts
        return ""

    def comments(self, post: ReplicaPost, page: int) -> str:
        return ""


TEMPLATES: dict[str, type[Template]] = {"minima": MinimaTemplate, "threaded": ThreadedTemplate,
                                        "simple": SimpleTemplate, "contempo": ContempoTemplate,
                                        "dynamicviews": DynamicViewsTemplate}


def threads(comments: Iterable[ReplicaComment]) -> list[list[ReplicaComment]]:
    """Group chronological comments into threads: [top-level, its replies...] in order of the top-level comment."""
    groups: dict[str, list[ReplicaComment]] = {}
    order: list[list[ReplicaComment]] = []
    for c in comments:
        if c.parent_id and c.parent_id in groups:
            groups[c.parent_id].append(c)
        else:
            g = [c]
            groups[c.comment_id] = g
            order.append(g)
    return order


def paginate_comments(comments: list[ReplicaComment], template: str, per_page: int) -> list[list[ReplicaComment]]:
    """Comment pages of a post. Classic lists (minima, simple): chronological slices of ``per_page``. Threaded
    widget (threaded, contempo): whole threads packed into
    pages of at most ``per_page`` comments (a thread is never split unless it alone exceeds ``per_page``)."""
    if not comments:
        return []
    if not getattr(TEMPLATES.get(template), "threaded_comments", False):
        return [comments[i:i + per_page] for i in range(0, len(comments), per_page)]
    pages: list[list[ReplicaComment]] = []
    cur: list[ReplicaComment] = []
    for g in threads(comments):
        if cur and len(cur) + len(g) > per_page:
            pages.append(cur)
            cur = []
        while len(g) > per_page:
            pages.append(g[:per_page])
            g = g[per_page:]
        cur.extend(g)
    if cur:
        pages.append(cur)
    return pages


def robots_txt(base: str) -> str:
    return (f"User-agent: Mediapartners-Google\nDisallow: \n\nUser-agent: *\nDisallow: /search\nAllow: /\n\n"
            f"Sitemap: {base}/sitemap.xml\n")
