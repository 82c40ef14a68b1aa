from newscrawl.links import outbound_links, registered_domain


def test_outbound_links_skip_own_blog_and_platform_hosts():
    body = (
        '<p>Politico: <a href="https://www.politico.com/news/2022/02/27/x">Pentagon wants back channels</a></p>'
        '<a href="https://blogger.googleusercontent.com/img/a.jpg"><img src="x"></a>'
        '<a href="/search/label/Russia">Russia</a> <a href="https://warnews.blogspot.com/2022/02/other.html">earlier</a>'
        '<a href="https://www.bbc.co.uk/news/1">BBC</a> <a href="mailto:x@y.z">mail</a> <a href="#more">more</a>'
        '<a href="https://otherblog.blogspot.com/p.html">a fellow blogger</a>'
        '<a href="https://warnews.blogspot.de/2021/01/old.html">own post, country domain</a>'
        '<a href="https://otherblog.blogspot.co.uk/q.html">same fellow, UK domain</a>'
    )
    links = outbound_links(body, "https://warnews.blogspot.com/2022/02/post.html")
    assert [(l["domain"], l["anchor_text"]) for l in links] == [
        ("politico.com", "Pentagon wants back channels"),
        ("bbc.co.uk", "BBC"),
        ("otherblog.blogspot.com", "a fellow blogger"),
        ("otherblog.blogspot.com", "same fellow, UK domain"),
    ]
    assert [l["position"] for l in links] == [0, 1, 2, 3]


def test_registered_domain_uses_the_public_suffix_list_offline():
    assert registered_domain("www.bbc.co.uk") == "bbc.co.uk"
    assert registered_domain("edition.cnn.com") == "cnn.com"
    assert registered_domain("127.0.0.1") == "127.0.0.1"


def test_no_links_in_empty_or_linkless_bodies():
    assert outbound_links(None, "https://x.blogspot.com/") == []
    assert outbound_links("<p>plain</p>", "https://x.blogspot.com/") == []
