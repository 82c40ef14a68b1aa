from click.testing import CliRunner

from newscrawl.cli import cli


def test_help_reads_like_documentation():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("crawl", "extract", "serve", "demo"):
        assert command in result.output


def test_crawl_rejects_a_bad_url_with_a_clear_message(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "ftp://nowhere", "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert "not a web address" in result.output


def test_crawl_rejects_an_unusable_database(tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not sqlite" * 200)
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "--db", str(garbage)])
    assert result.exit_code != 0
    assert "cannot open database" in result.output


def test_serve_without_database_explains_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code != 0
    assert "newscrawl crawl" in result.output


def test_bad_setting_override(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "http://127.0.0.1:9/", "-s", "NOEQUALS"])
    assert result.exit_code != 0
    assert "NAME=VALUE" in result.output
