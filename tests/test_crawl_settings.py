"""crawling.CrawlSettings: the settings each blog's crawler gets are a copy as independent as
Scrapy's deepcopy, made without deepcopy (one per blog: its cost counts in a run of 1,000)."""

import copy

from newscrawl.crawling import project_settings


def test_a_copy_has_every_value_and_changes_alone():
    settings = project_settings({"DOWNLOAD_DELAY": 0.5})
    ours, deep = settings.copy(), copy.deepcopy(settings)
    assert ours.copy_to_dict() == deep.copy_to_dict()
    assert {name: ours.getpriority(name) for name in ours} == {name: deep.getpriority(name) for name in deep}

    ours.set("DOWNLOAD_DELAY", 9, "spider")
    ours["DOWNLOADER_MIDDLEWARES"]["example.Middleware"] = 5
    ours["ITEM_PIPELINES"]["example.Pipeline"] = 1
    assert settings["DOWNLOAD_DELAY"] == 0.5
    assert "example.Middleware" not in settings["DOWNLOADER_MIDDLEWARES"]
    assert "example.Pipeline" not in settings["ITEM_PIPELINES"]
    frozen = settings.frozencopy()
    assert frozen.frozen and not settings.frozen and type(frozen) is type(settings)


def test_no_endpoint_that_runs_code_is_opened():
    """Scrapy 2.19's remote control (a localhost endpoint that runs Python code) and the telnet
    console are off in every crawl: each extension refuses to start with newscrawl's settings."""
    import pytest
    from scrapy.exceptions import NotConfigured
    from scrapy.extensions.remote_control import RemoteControl
    from scrapy.extensions.telnet import TelnetConsole
    from scrapy import Spider
    from scrapy.crawler import Crawler

    crawler = Crawler(Spider, project_settings())
    for extension in (RemoteControl, TelnetConsole):
        with pytest.raises(NotConfigured):
            extension.from_crawler(crawler)


def test_the_remote_control_is_not_even_loaded():
    """Disabled by its setting, it would still be imported (aiohttp: 0.12 s per crawl process); the
    rest of Scrapy's extensions are all there."""
    from scrapy.settings import default_settings
    from scrapy.utils.conf import build_component_list

    extensions = build_component_list(project_settings().getwithbase("EXTENSIONS"))
    assert "newscrawl.bookkeeping.CrawlBookkeeping" in extensions
    assert not [path for path in extensions if "remote_control" in str(path)]
    others = [path for path in default_settings.EXTENSIONS_BASE if "remote_control" not in path]
    assert set(others) <= set(extensions)
