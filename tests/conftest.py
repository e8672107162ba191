"""Shared fixtures: the repository root, the seeds, and small throwaway corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from cash_corpus.corpus import add_document, init_corpus
from cash_corpus.schema import schema_version

# No per-example deadline: CI machines are shared and slow examples are not failures; a failing
# example is printed with its reproduction blob.
settings.register_profile("cash", deadline=None, print_blob=True)
settings.load_profile("cash")

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("CASH_SEEDS", REPO_ROOT.parent / "shared" / "seeds"))

# A text with characters outside the Basic Multilingual Plane before and inside later spans,
# so any code-point / UTF-16 confusion shifts offsets and is caught.
NON_BMP_TEXT = (
    "Missiles 🚀 and 𝔸lliances\n"
    "Officials said that Iran 🇮🇷 may have sent missiles to Russia.\n"
    "The West must act clearly now.\n"
)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.fail(f"seed folder {SEEDS_DIR} not found: the corpus tests compare against ../shared/seeds")
    return SEEDS_DIR


@pytest.fixture
def empty_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus-root"
    init_corpus(root, "T", "1.0.0", schema_version())
    return root


@pytest.fixture
def small_corpus(empty_corpus: Path, tmp_path: Path) -> Path:
    """A one-document corpus whose text has non-BMP characters."""
    source = tmp_path / "nonbmp.txt"
    source.write_text(NON_BMP_TEXT, encoding="utf-8")
    add_document(empty_corpus, source, title="Missiles 🚀 and 𝔸lliances", doc_id="non-bmp")
    return empty_corpus


# Debian's Chromium, driven by Playwright (never a downloaded browser). One Playwright driver per
# test process: the sync API refuses a second one while another is open in the same thread, so
# every browser test (the viewer's and the Label Studio editor's) shares this session fixture.
CHROMIUM = Path(os.environ.get("CASH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium for the whole session; a missing browser fails (never skips)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: install the Debian package `chromium` (.ci/run does); "
                    "the browser tests never download a browser")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
