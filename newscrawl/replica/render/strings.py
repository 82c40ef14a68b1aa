"""The words on Blogger pages in each replica language (:data:`STRINGS`: en, de, fr, es, it, pt, ru, nl) and the
comment-count phrases built from them, Russian plural forms included."""

from __future__ import annotations

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
