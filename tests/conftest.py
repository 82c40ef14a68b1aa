"""Shared fixtures: paths to the real saved pages and a replica factory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT.parent / "shared" / "real-pages"


# Set in CI (.ci/run): there a missing ../shared/real-pages fails the tests that read it instead of
# skipping them, so that a run without the pages cannot pass as green.
REQUIRE_REAL_PAGES = "NEWSCRAWL_REQUIRE_REAL_PAGES"


def require_real_pages() -> Path:
    """The folder of real saved pages; where it is missing, skip the calling test, or fail it when
    NEWSCRAWL_REQUIRE_REAL_PAGES=1."""
    if not REAL_PAGES.is_dir():
        message = f"real pages not found at {REAL_PAGES} (they live in ../shared beside the project)"
        if os.environ.get(REQUIRE_REAL_PAGES) == "1":
            pytest.fail(f"{message}; {REQUIRE_REAL_PAGES}=1 makes this an error: put the pages there, "
                        f"or unset it to skip these tests locally", pytrace=False)
        pytest.skip(message)
    return REAL_PAGES


@pytest.fixture(scope="session")
def real_pages() -> Path:
    return require_real_pages()
