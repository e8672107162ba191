"""The real Label Studio editor in a real browser (Debian's chromium, driven by Playwright for Python).

No browser is ever downloaded: Chromium comes from the system (`apt-get install chromium`, which
`.ci/run` does) and is launched by path. If it is missing, the test fails saying so: never a skip.
Every page goes through `editor_page`, which saves a screenshot next to the server log when the
test fails inside it, and names it in the failure.

Use from a test module: `from ls_browser import browser_context  # noqa: F401`.
"""

from __future__ import annotations

import contextlib
import json
import re

import pytest

LOAD_TIMEOUT_MS = 60_000

# Where the editor puts a text's character at: the bounding box of the code points `needle` covers.
_SPAN_BOX_JS = """([needle, nth]) => {
  const root = document.querySelector('.lsf-htx-richtext');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let full = '', nodes = [];
  while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]); full += walker.currentNode.data; }
  let at = -1;
  for (let i = 0; i <= nth; i++) { at = full.indexOf(needle, at + 1); if (at < 0) return null; }
  const locate = (pos) => { for (const [n, off] of nodes) if (pos >= off && pos < off + n.data.length) return [n, pos - off]; };
  const box = (pos) => { const [n, o] = locate(pos); const r = document.createRange();
    r.setStart(n, o); r.setEnd(n, o + (n.data.codePointAt(o) > 0xffff ? 2 : 1)); return r.getBoundingClientRect(); };
  let last = at + needle.length - 1;
  if (last > at && needle.charCodeAt(needle.length - 1) >= 0xdc00 && needle.charCodeAt(needle.length - 1) < 0xe000) last -= 1;
  const a = box(at), b = box(last);
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
}"""

# What the editor holds for the selected annotation: its regions and relations, as its own store has them.
_STATE_JS = """() => {
  const a = window.Htx && window.Htx.annotationStore && window.Htx.annotationStore.selected;
  if (!a) return null;
  const safe = (f) => { try { return f(); } catch (e) { return 'unresolved: ' + e.message.slice(0, 120); } };
  return {regions: a.regionStore.regions.map(r => [r.startOffset, r.endOffset, (r.labels || []).join(',')]),
          relations: a.relationStore.relations.map(r => [safe(() => r.node1.startOffset), safe(() => r.node2.startOffset),
                                                         r.direction, (r.selectedValues || []).join(',')])};
}"""

# The highlights drawn in the text, one per region: a region across a line break is drawn as several
# elements sharing the class htx-highlight-<region>, the first carrying data-start, the last data-end.
_HIGHLIGHTS_JS = """() => {
  const byRegion = new Map();
  for (const e of document.querySelectorAll('.lsf-htx-richtext .htx-highlight')) {
    const key = [...e.classList].find(c => c.startsWith('htx-highlight-'));
    const h = byRegion.get(key) || {start: null, end: null, label: ''};
    if (e.dataset.start !== undefined && h.start === null) h.start = +e.dataset.start;
    if (e.dataset.end !== undefined) h.end = +e.dataset.end;
    if (e.dataset.label) h.label = e.dataset.label.replace(/^\\d+:/, '');
    byRegion.set(key, h);
  }
  return [...byRegion.values()].map(h => [h.start, h.end, h.label]);
}"""


@pytest.fixture(scope="session")
def browser_context(label_studio_server, chromium, tmp_path_factory):  # noqa: F811  (fixture from ls_server)
    """A context of the session's Chromium (conftest), logged in to the test server as the test user."""
    from ls_server import PASSWORD, USERNAME
    context = chromium.new_context(viewport={"width": 1600, "height": 1000})
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    page = context.new_page()
    with editor_page(page, label_studio_server, "login"):
        page.goto(f"{label_studio_server.url}/user/login/")
        page.fill('input[name="email"]', USERNAME)
        page.fill('input[name="password"]', PASSWORD)
        page.click('button[type="submit"], input[type="submit"]')
        page.wait_for_url(re.compile(r".*/(projects|)/?$|.*/projects/.*"))
    page.close()
    try:
        yield context
    finally:
        context.close()


@contextlib.contextmanager
def editor_page(page, server, name: str):
    """Run a browser step; on any failure save a screenshot beside the server log and name it."""
    try:
        yield page
    except BaseException as exc:
        shot = server.log.parent / f"editor-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}-failure.png"
        with contextlib.suppress(Exception):
            page.screenshot(path=str(shot), full_page=True)
        if isinstance(exc, Exception):
            raise AssertionError(f"{exc}\n(editor screenshot: {shot}; server log: {server.log})") from exc
        raise


def open_task(page, server, project_id: int, task_id: int) -> dict:
    """Open a task in the labeling view; returns the editor's state once it has rendered (or shown errors)."""
    page.goto(f"{server.url}/projects/{project_id}/data?task={task_id}")
    page.wait_for_function("() => document.querySelector('.lsf-errors') || (document.querySelector('.lsf-htx-richtext')"
                           " && window.Htx && window.Htx.annotationStore && window.Htx.annotationStore.selected)",
                           timeout=LOAD_TIMEOUT_MS)
    page.wait_for_timeout(500)  # relations are drawn after the regions mount
    return editor_state(page)


def editor_state(page) -> dict:
    errors = [e.inner_text() for e in page.locator(".lsf-errors").all()]
    text = page.evaluate("() => { const t = document.querySelector('.lsf-htx-richtext'); return t ? t.textContent : null }")
    state = page.evaluate(_STATE_JS) or {"regions": [], "relations": []}
    highlights = page.evaluate(_HIGHLIGHTS_JS)
    return {"errors": errors, "text": text, "highlights": highlights, **state}


def select_text(page, needle: str, nth: int = 0) -> None:
    """Drag the mouse over the `nth` occurrence of `needle` in the shown text, as an annotator does."""
    box = page.evaluate(_SPAN_BOX_JS, [needle, nth])
    assert box, f"{needle!r} is not shown in the editor"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=3)
    page.mouse.move(box["x2"], box["y2"], steps=3)
    page.mouse.up()


def shown(text: str) -> str:
    """The text as the editor's DOM holds it: line breaks become <br> elements, not characters."""
    return text.replace("\r\n", "").replace("\n", "").replace("\r", "")


def dump(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False)[:2000]
