"""`cash view` pages in a real browser: Debian's Chromium (/usr/bin/chromium) driven by Playwright.

The site is served by the viewer's own server on 127.0.0.1 (and once opened over file://). Every
request the pages make goes through a Playwright route that records its URL and aborts anything not
on 127.0.0.1 or file:, and the tests assert that nothing else was asked for. A screenshot of every
page is saved under the pytest tmp dir (paths printed; run with -s to see them).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cash_corpus.view import build_site, make_server

from view_helpers import DOC_ID, expected_fragments, make_view_corpus



# For each annotation element key of one layer panel: the text of its fragments, concatenated in
# document order (a crossing span is split into fragments; nesting puts inner text inside outer).
FRAGMENT_TEXTS = """(layer) => {
  const panel = [...document.querySelectorAll('section.panel')].find(p => p.dataset.layer === layer);
  const out = {};
  for (const el of panel.querySelectorAll('.doc-text [data-key]')) {
    if (!el.hasAttribute('data-ann')) continue;
    out[el.dataset.key] = (out[el.dataset.key] || '') + el.textContent;
  }
  return {fragments: out, whole: panel.querySelector('.doc-text').textContent};
}"""


@pytest.fixture(scope="module")
def browser(chromium):
    """The session's Chromium (conftest): one Playwright driver per process."""
    return chromium


class Site:
    """A built site served on 127.0.0.1, with a browser context that records every request."""

    def __init__(self, browser, folder: Path):
        self.folder = folder
        self.server = make_server(folder, 0, quiet=True)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        parts = urlsplit(url)
        if parts.scheme == "file" or (parts.scheme == "http" and parts.hostname == "127.0.0.1"):
            route.continue_()
        else:
            route.abort()

    def open(self, relative: str):
        page = self.context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        page.goto(self.base + relative)
        page.wait_for_load_state("load")
        return page

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.base) or u.startswith("file:"))]

    def close(self):
        self.context.close()
        self.server.shutdown()
        self.server.server_close()


def shot(page, directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    assert path.stat().st_size > 10_000
    return path


@pytest.fixture(scope="module")
def small_site(browser, tmp_path_factory):
    base = tmp_path_factory.mktemp("view-small")
    root = make_view_corpus(base)
    build_site(root, base / "site")
    site = Site(browser, base / "site")
    yield site, root
    site.close()


@pytest.fixture(scope="module")
def real_site(browser, tmp_path_factory, repo_root):
    base = tmp_path_factory.mktemp("view-real")
    build_site(repo_root, base / "site")
    site = Site(browser, base / "site")
    yield site
    site.close()


def check_all_annotations(page, root: Path, doc_id: str, layers: list[str]) -> int:
    raw = (root / "corpus" / "texts" / f"{doc_id}.txt").read_bytes().decode("utf-8")
    checked = 0
    for layer in layers:
        expected = expected_fragments(root / "annotations" / f"{layer}.jsonl", {doc_id: raw}).get(doc_id, {})
        found = page.evaluate(FRAGMENT_TEXTS, layer)
        assert found["whole"] == raw, f"{layer}: the rendered text is not the raw text"
        assert found["fragments"] == expected, f"{layer}: annotations in the DOM differ from the layer"
        checked += len(expected)
    return checked


def test_every_annotation_is_in_the_dom_with_its_raw_text_astral(small_site, tmp_path_factory):
    site, root = small_site
    page = site.open(f"docs/{DOC_ID}.html")
    assert check_all_annotations(page, root, DOC_ID, ["gold", "pass-b"]) == 2 * (6 + 2) + 4 + 3   # attribution parts and cues in both layers, claims 4 + 3
    # the crossing claim c4 is split into fragments (at the title zone's end and inside a1's source)
    fragments = page.locator('.panel[data-layer="gold"] .doc-text [data-key="c4"]')
    assert fragments.count() == 3
    assert page.locator('[id="gold--a1.source"] [data-key="c4"]').count() == 1
    # the nested attribution a2 sits inside a1's content and names its parent
    assert page.locator('[id="gold--a1.content"] [data-key="a2.cue"]').count() == 1
    assert page.get_attribute('[id="gold--a2.cue"]', "data-parent") == "a1"
    assert page.errors == []
    page.close()


def test_hovering_an_attribution_cue_highlights_source_content_and_held_claims(small_site, tmp_path_factory):
    site, _ = small_site
    page = site.open(f"docs/{DOC_ID}.html")
    page.hover('[id="gold--a1.cue"]')
    highlighted = page.evaluate("""() => [...document.querySelectorAll('.panel[data-layer="gold"] .doc-text .hl')]
                                       .map(e => e.dataset.key)""")
    assert {"a1.source", "a1.cue", "a1.content", "c1"} <= set(highlighted)
    assert not {"c2", "c3", "q1", "a2.cue"} & set(highlighted)      # c2 is held by a2, not by a1
    outline = page.evaluate("""() => getComputedStyle(document.getElementById('gold--a1.source')).outlineStyle""")
    assert outline == "solid"
    inspector = page.locator("#inspector")
    assert inspector.is_visible() and "Officials 👩🏽‍🚀" in inspector.inner_text()
    assert "source type" in inspector.inner_text() and "government" in inspector.inner_text()
    shot(page, tmp_path_factory.getbasetemp() / "view-screenshots", "small-hover-a1-cue")
    # the nested attribution: hovering a2's cue marks its parent a1 as such
    page.hover('[id="gold--a2.cue"]')
    assert "hl-parent" in page.get_attribute('[id="gold--a1.cue"]', "class")
    assert "hl" in page.get_attribute('[id="gold--c2"]', "class")
    page.close()


def test_script_and_onerror_in_text_title_and_notes_render_as_text_and_run_nothing(small_site, tmp_path_factory):
    site, _ = small_site
    for relative in ("index.html", f"docs/{DOC_ID}.html", "stats.html"):
        page = site.open(relative)
        page.wait_for_timeout(300)
        shot(page, tmp_path_factory.getbasetemp() / "view-screenshots", "small-" + relative.replace("/", "-")[:-5])
        assert page.evaluate("() => window.__pwned") is None, relative
        assert page.locator("script").count() == 1 and page.locator("script").get_attribute("src").endswith("view.js")
        assert page.locator('img[src="x"]').count() == 0
        if relative.startswith("docs/"):
            assert "<script>window.__pwned = \"title\";</script>" in page.locator("h1").inner_text()
            note = page.locator('[id="info-gold--c3"] .note').inner_text()
            assert "<img src=x onerror=" in note and "<script>" in note
            page.hover('[id="gold--c3"]')                        # the inspector copies the note: still text
            page.hover('[id="gold--q2"]')
            assert "<script>" in page.locator("#inspector").inner_text()
            page.wait_for_timeout(200)
            assert page.evaluate("() => window.__pwned") is None
        assert page.errors == []
        page.close()
    assert site.foreign_requests() == []


def test_keyboard_reaches_annotations_and_focus_is_visible(small_site):
    site, _ = small_site
    page = site.open(f"docs/{DOC_ID}.html")
    page.focus('[id="gold--c4"]')
    keys = []
    for _ in range(6):
        keys.append(page.evaluate("() => document.activeElement.dataset.key"))
        page.keyboard.press("Tab")
    assert keys[0] == "c4" and keys[1:4] == ["a1.source", "a1.cue", "a1.content"]
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle; }""")
    assert style != "none"
    assert page.locator("#inspector").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("#inspector").is_hidden()
    page.close()


def test_compare_layers_marks_disagreements_and_side_by_side_shows_both(small_site, tmp_path_factory):
    site, _ = small_site
    page = site.open(f"docs/{DOC_ID}.html")
    assert page.locator('.panel[data-layer="pass-b"]').is_hidden()
    assert page.locator(".is-diff").count() == 0
    page.check('input[name="compare"][value="pass-b"]')
    page.check("#side-by-side")
    assert page.locator('.panel[data-layer="pass-b"]').is_visible()
    diff_keys = set(page.evaluate("() => [...document.querySelectorAll('.doc-text .is-diff')].map(e => e.dataset.layer + ':' + e.dataset.key)"))
    assert {"gold:c1", "gold:c4", "pass-b:c1"} <= diff_keys
    assert not {"gold:c2", "gold:q1", "pass-b:c2"} & diff_keys
    assert "certainty possible in pass-b" in page.locator('[id="info-gold--c1"] .diff-reason.shown').inner_text()
    assert page.locator("tr.stance-differ").count() == 1         # T_SANCTIONS favor vs neutral
    page.check("#show-structure")
    assert page.evaluate("() => document.body.classList.contains('show-structure')")
    assert page.locator('.panel[data-layer="gold"] .doc-text [data-role="sentence"]').count() >= 2
    shot(page, tmp_path_factory.getbasetemp() / "view-screenshots", "small-compare-side-by-side")
    page.check('input[name="layer"][value="pass-b"]')
    page.check('input[name="compare"][value=""]')
    assert page.locator('.panel[data-layer="gold"]').is_hidden() and page.locator(".is-diff").count() == 0
    page.close()


def test_real_corpus_every_page_every_layer_and_screenshots(real_site, repo_root: Path, tmp_path_factory):
    shots = tmp_path_factory.getbasetemp() / "view-screenshots"
    layers = [p.stem for p in sorted((repo_root / "annotations").glob("*.jsonl"))]
    page = real_site.open("index.html")
    links = page.eval_on_selector_all("table.index a", "els => els.map(e => e.getAttribute('href'))")
    shot(page, shots, "real-index")
    page.close()
    doc_ids = sorted(p.stem for p in (repo_root / "corpus" / "texts").glob("*.txt"))
    assert links == [f"docs/{d}.html" for d in doc_ids]
    total = 0
    for doc_id in doc_ids:
        page = real_site.open(f"docs/{doc_id}.html")
        total += check_all_annotations(page, repo_root, doc_id, layers)
        shot(page, shots, f"real-{doc_id}")
        assert page.errors == []
        page.close()
    expected = sum(len(keys) for layer in layers for keys in expected_fragments(
        repo_root / "annotations" / f"{layer}.jsonl",
        {d: (repo_root / "corpus" / "texts" / f"{d}.txt").read_text(encoding="utf-8") for d in doc_ids}).values())
    assert total == expected > 100
    page = real_site.open("stats.html")
    images = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth])")
    assert len(images) >= 12 and all(width > 0 for _, width in images), images
    shot(page, shots, "real-stats")
    page.close()
    assert real_site.foreign_requests() == []
    assert any(u.endswith(".svg") for u in real_site.requests) and any(u.endswith("view.js") for u in real_site.requests)


def test_file_url_site_works_without_a_server(browser, small_site, tmp_path_factory):
    site, root = small_site
    folder = tmp_path_factory.mktemp("view-file") / "site"
    shutil.copytree(site.folder, folder)
    requests: list[str] = []
    context = browser.new_context()

    def record(route):
        requests.append(route.request.url)
        route.continue_() if route.request.url.startswith("file:") else route.abort()

    context.route("**/*", record)
    page = context.new_page()
    page.goto((folder / "docs" / f"{DOC_ID}.html").as_uri())
    assert check_all_annotations(page, root, DOC_ID, ["gold"]) == 6 + 2 + 4
    page.hover('[id="gold--a1.cue"]')
    assert "hl" in page.get_attribute('[id="gold--a1.content"]', "class")
    context.close()
    assert requests and all(u.startswith("file:") for u in requests), requests
