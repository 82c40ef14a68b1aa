"""Shared fixtures: paths to the real saved pages and a replica factory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT.parent / "shared" / "real-pages"


@pytest.fixture(scope="session")
def real_pages() -> Path:
    if not REAL_PAGES.is_dir():
        pytest.skip(f"real pages not found at {REAL_PAGES} (they live in ../shared beside the project)")
    return REAL_PAGES
