"""The real Label Studio editor (1.23.2) in a real browser against the real server the tests start.

1. Every task `cash ls push --layer gold` sends, for the repository's own corpus and for a test
   text with characters outside the BMP, opens with its text shown, no error box, and exactly the
   layer's regions and relations; a task made the old way (region ids with `#`) is caught by the
   same checks, so they can fail.
2. An annotator's session: in a text with emoji with skin-tone modifiers and ZWJ sequences,
   mathematical letters and CRLF line breaks, the test selects text with the mouse, picks labels
   and per-region choices, draws an attribution's relations and labels them, keeps the
   prediction the editor pre-filled, submits; then `cash ls pull` exports through the API and
   imports, and every imported span equals the raw text at its offsets.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus, sha256_bytes
from cash_corpus.labelstudio import client as ls
from cash_corpus.labelstudio.tasks import document_results, task_data
from cash_corpus.layers import iter_documents
from cash_corpus.records import Claim, DocumentAnnotations, Holder, Span

from labelstudio_helpers import gold_document, layer_records, make_corpus, write_gold
from ls_browser import browser_context, dump, editor_page, editor_state, open_task, select_text, shown  # noqa: F401
from ls_server import label_studio_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.labelstudio

REPO = Path(__file__).resolve().parents[1]
EDITOR_ID = re.compile(r"^[A-Za-z0-9_-]{10}$")
# Emoji with a skin-tone modifier and ZWJ sequences, mathematical bold/script letters, CRLF line breaks.
ASTRAL = "𝐌𝐚𝐫𝐲 👩🏽‍🔬 wrote: prices 👍🏿 will rise.\r\nOfficials 🙅🏽‍♀️ said that the 𝒮anctions will fail.\r\n"


def expected_view(doc: DocumentAnnotations) -> tuple[Counter, int]:
    """The regions (start, end, label) and the number of relations the editor must show for a layer document."""
    regions = Counter((c.span.start, c.span.end, "claim") for c in doc.claims)
    regions += Counter((q.span.start, q.span.end, "cue") for q in doc.cues)
    relations = sum(len(q.claims) for q in doc.cues) + sum(c.holder.attribution_id is not None for c in doc.claims)
    for a in doc.attributions:
        regions[(a.cue.start, a.cue.end, "attribution_cue")] += 1
        regions[(a.content.start, a.content.end, "attribution_content")] += 1
        relations += 1 + (a.parent is not None)
        if a.source is not None:
            regions[(a.source.start, a.source.end, "attribution_source")] += 1
            relations += 1
    return regions, relations


def _push_with_gold(corpus: Corpus, server, title: str) -> tuple[int, dict[str, int]]:
    result = ls.push(corpus, server.url, server.token, title, ["gold"])
    sdk = ls.connect(server.url, server.token)
    tasks = {t.data["document_id"]: t.id for t in sdk.tasks.list(project=result.project_id, fields="all")}
    return result.project_id, tasks


def _check_rendered(page, server, project_id: int, task_id: int, text: str, doc: DocumentAnnotations) -> None:
    state = open_task(page, server, project_id, task_id)
    assert state["errors"] == [], f"editor shows errors for {doc.document_id}: {state['errors']}"
    assert state["text"] == shown(text), f"editor does not show the text of {doc.document_id}"
    regions, relations = expected_view(doc)
    assert Counter(tuple(r) for r in state["regions"]) == regions, dump(state)
    assert {tuple(h) for h in state["highlights"]} == set(regions), "highlights shown differ from the layer"
    assert len(state["relations"]) == relations, dump(state)


def test_every_pushed_task_renders_with_all_its_regions_and_relations(label_studio_server, browser_context,  # noqa: F811
                                                                     tmp_path):
    server = label_studio_server
    real = Corpus.at(REPO)
    small = make_corpus(tmp_path / "root")
    write_gold(small, [gold_document(small)])
    page = browser_context.new_page()
    checked = 0
    for name, corpus in (("repository", real), ("fixture", small)):
        project_id, tasks = _push_with_gold(corpus, server, f"cash-editor-{name}")
        for doc in iter_documents(corpus.paths.layer_path("gold")):
            with editor_page(page, server, f"{name}-{doc.document_id}"):
                t0 = time.monotonic()
                _check_rendered(page, server, project_id, tasks[doc.document_id], corpus.text(doc.document_id), doc)
            checked += 1
            print(f"{name} {doc.document_id}: {time.monotonic() - t0:.1f} s")
    assert checked == 3
    page.screenshot(path=str(tmp_path / "editor-fixture-gold.png"))  # an artefact of a passing run

    # The same checks catch the 1.0.0 way (region ids `a1#source`): the editor then shows an error box.
    results = document_results(gold_document(small), small.text("d1"))
    old_ids = {r["id"]: r["meta"]["cash_id"] + ("#" + r["meta"]["cash_part"] if r["meta"]["cash_part"] in
                                                 ("source", "content") else "")
               for r in results if r["type"] == "labels"}
    for r in results:
        for key in ("id", "from_id", "to_id"):
            if r.get(key) in old_ids:
                r[key] = old_ids[r[key]]
    sdk = ls.connect(server.url, server.token)
    project = ls.find_project(sdk, "cash-editor-fixture")
    made = sdk.projects.import_tasks(id=project.id, request=[{"data": task_data(small, "d1"), "predictions": [
        {"model_version": "1.0.0 ids", "result": results}]}], return_task_ids=True)
    with editor_page(page, server, "old-ids"):
        state = open_task(page, server, project.id, made.task_ids[0])
        assert state["errors"] and "Failed to resolve reference" in " ".join(state["errors"]), dump(state)
    page.close()


def _choose(page, header: str, value: str) -> None:
    """Tick `value` in the Choices block under the header `header` (a per-region block when a region is selected)."""
    block = page.locator("h3:visible", has_text=re.compile(f"^{re.escape(header)}$")).locator(
        "xpath=following-sibling::div[contains(@class,'lsf-choices')][1]")
    block.locator("label", has_text=re.compile(f"^{re.escape(value)}$")).click()


def _region(page, start: int, label: str):
    return page.locator(f'.htx-highlight[data-start="{start}"][data-label$=":{label}"]').last


def _select_region(page, start: int, label: str) -> None:
    """Click a region in the text so that it alone is selected (a click on a selected region unselects it)."""
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.Htx.annotationStore.selected.selectedRegions.length === 0")
    _region(page, start, label).click()
    page.wait_for_function("() => window.Htx.annotationStore.selected.selectedRegions.length === 1")


def _label_span(page, label: str, needle: str) -> None:
    page.locator(".lsf-label", has_text=re.compile(f"^{label}")).first.click()
    select_text(page, needle)
    page.wait_for_timeout(200)


def test_an_annotator_session_in_the_editor_imports_exactly(label_studio_server, browser_context, tmp_path,  # noqa: F811
                                                           monkeypatch):
    server = label_studio_server
    corpus = make_corpus(tmp_path / "root", {"astral": ASTRAL})
    text = corpus.text("astral")
    assert text == ASTRAL and "\r\n" in text
    start = text.index("prices")
    predicted = Claim("c1", "astral", Span(start, text.index("\r\n"), text[start:text.index("\r\n")]), "predictive",
                      "probable", "positive", Holder("author"))
    write_gold(corpus, [DocumentAnnotations("astral", sha256_bytes(corpus.raw_bytes("astral")), (), (predicted,))])
    project_id, tasks = _push_with_gold(corpus, server, "cash-editor-session")
    where = {s: text.index(s) for s in ("said", "Officials", "the 𝒮anctions will fail.")}
    page = browser_context.new_page()
    with editor_page(page, server, "session"):
        state = open_task(page, server, project_id, tasks["astral"])
        assert state["errors"] == [] and len(state["regions"]) == 1, dump(state)  # the prediction, pre-filled
        _label_span(page, "attribution_cue", "said")
        _label_span(page, "attribution_source", "Officials")
        _label_span(page, "attribution_content", "the 𝒮anctions will fail.")
        _select_region(page, where["said"], "attribution_cue")
        for header, value in (("source type", "government"), ("form", "indirect"), ("parc type", "assertion")):
            _choose(page, header, value)
        for target, label in (("the 𝒮anctions will fail.", "attribution_content"), ("Officials", "attribution_source")):
            _select_region(page, where["said"], "attribution_cue")
            page.get_by_label("Create Relation").first.click()
            _region(page, where[target], label).click()
            page.wait_for_timeout(200)
        page.keyboard.press("Escape")
        page.locator(".lsf-panel-tabs__tab, [role=tab]", has_text="Relations").first.click()
        items = page.locator(".lsf-relations__item")
        assert items.count() == 2
        for n, label in ((0, "content"), (1, "source")):
            items.nth(n).hover()
            items.nth(n).get_by_label("Show Relation Labels").click()
            items.nth(n).get_by_text("Select labels").click()
            page.get_by_role("option", name=label, exact=True).click()
            page.keyboard.press("Escape")
        state = editor_state(page)
        assert sorted(r[3] for r in state["relations"]) == ["content", "source"], dump(state)
        page.screenshot(path=str(tmp_path / "editor-session-before-submit.png"))
        page.get_by_role("button", name="Submit").click()
        sdk = ls.connect(server.url, server.token)
        for _ in range(60):
            task = sdk.tasks.get(id=tasks["astral"])
            if task.annotations:
                break
            page.wait_for_timeout(500)
        assert task.annotations, "the submitted annotation never reached the server"
    page.close()

    export = tmp_path / "editor-export.json"  # kept as an artefact of the run
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", server.token)
    assert main(["--root", str(corpus.paths.root), "ls", "pull", "--url", server.url, "--project",
                 "cash-editor-session", "--layer", "editor", "--annotators", "merge", "--keep-export", str(export)]) == 0
    annotation = json.loads(export.read_text(encoding="utf-8"))[0]["annotations"][0]
    assert annotation["parent_prediction"] is not None  # the annotation started from the accepted prediction
    origins = Counter(r.get("origin") for r in annotation["result"] if r["type"] == "labels")
    assert origins == {"prediction": 1, "manual": 3}
    rows = layer_records(corpus.paths.layer_path("editor"))
    for row in rows:
        for span in ([row] if row["record"] in ("claim", "cue") else
                     [row[k] for k in ("source", "cue", "content") if row.get(k)] if row["record"] == "attribution"
                     else []):
            assert text[span["start"]:span["end"]] == span["text"], (row, span)
    claims = [r for r in rows if r["record"] == "claim"]
    attributions = [r for r in rows if r["record"] == "attribution"]
    assert [(c["start"], c["end"], c["claim_type"]) for c in claims] == [(predicted.span.start, predicted.span.end,
                                                                          "predictive")]
    assert len(attributions) == 1 and len(rows) == 3  # document, attribution, claim
    a = attributions[0]
    assert (a["source"]["text"], a["cue"]["text"], a["content"]["text"]) == ("Officials", "said",
                                                                            "the 𝒮anctions will fail.")
    assert a["cue"]["start"] == where["said"] == 55  # code points over the raw text, CRLF counted as two
    assert (a["source_type"], a["form"], a["parc_type"]) == ("government", "indirect", "assertion")
    assert all(EDITOR_ID.match(r["ls_region_id"]) for r in claims + attributions)
