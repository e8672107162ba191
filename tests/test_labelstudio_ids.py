"""CASH ids for imported records: from kind and offsets, never from the editor's region ids."""

from __future__ import annotations

import json
import re

from cash_corpus.labelstudio.ids import assign_ids
from cash_corpus.labelstudio.importer import import_export
from cash_corpus.labelstudio.tasks import document_results
from cash_corpus.records import Claim, Cue, DocumentAnnotations, Holder, Span

from labelstudio_helpers import (export_task, expected_records, gold_document, imported_records, layer_records,
                                 make_corpus, write_export, write_gold)

EDITOR_ID = re.compile(r"^[A-Za-z0-9_-]{10}$")


def test_task_region_ids_look_like_the_editors_and_never_hold_a_hash(tmp_path):
    corpus = make_corpus(tmp_path / "root")
    results = document_results(gold_document(corpus), corpus.text("d1"))
    ids = {r["id"] for r in results if r["type"] == "labels"}
    assert len(ids) == 10  # a1: cue, source, content; a2: cue, content; 3 claims; 2 cues; all distinct
    assert all(EDITOR_ID.match(rid) for rid in ids), ids
    assert all("#" not in json.dumps(r.get("id", "")) for r in results)
    # the record a region shows is in the result's meta, not in its id
    shown = {(r["meta"]["cash_id"], r["meta"]["cash_part"]) for r in results if r["type"] == "labels"}
    assert ("a1", "source") in shown and ("a1", "content") in shown and ("a2", "cue") in shown
    assert all(r["from_id"] in ids and r["to_id"] in ids for r in results if r["type"] == "relation")


def _rename_regions(results: list[dict], new_ids: dict[str, str]) -> list[dict]:
    out = []
    for r in results:
        r = dict(r)
        for key in ("id", "from_id", "to_id"):
            if key in r and r[key] in new_ids:
                r[key] = new_ids[r[key]]
        r.pop("meta", None)
        out.append(r)
    return out


def test_any_editor_id_imports_even_those_the_schema_id_pattern_refuses(tmp_path):
    corpus = make_corpus(tmp_path / "root")
    gold = gold_document(corpus)
    gold_path = write_gold(corpus, [gold])
    task = export_task(corpus, 5, gold, [(1, 3)])
    result = task["annotations"][0]["result"]
    region_ids = sorted({r["id"] for r in result if r["type"] == "labels"})
    editor_ids = ["_" + "x" * 9, "-" + "y" * 9, "__-_-_-_-_", "-_abcDEF09", "_9aZ-_9aZ-", "--________",
                  "_a_a_a_a_a", "-b-b-b-b-b", "_c_c_c_c_c", "-d-d-d-d-d"]
    new_ids = dict(zip(region_ids, editor_ids, strict=True))
    task["annotations"][0]["result"] = _rename_regions(result, new_ids)
    stats = import_export(corpus, write_export(tmp_path / "e.json", [task]), "ls")
    path = corpus.paths.layer_path(stats.written[0])
    assert imported_records(path) == expected_records(gold_path)
    kept = {row["ls_region_id"] for row in layer_records(path) if "ls_region_id" in row}
    assert kept and kept <= set(editor_ids)


def test_ids_come_from_kind_and_offsets_and_duplicates_are_numbered():
    span = Span(3, 8, "abcde")
    claims = (Claim("zz", "d", span, "factual", "certain", "positive", Holder("author")),
              Claim("yy", "d", span, "predictive", "certain", "positive", Holder("author")),
              Claim("xx", "d", Span(0, 2, "ab"), "factual", "certain", "positive", Holder("author")))
    cue = Cue("-_weird_id", "d", Span(0, 1, "a"), "hedge", "modal", ("zz", "yy"))
    doc = assign_ids(DocumentAnnotations("d", "0" * 64, (), claims, (cue,), ()))
    assert [c.id for c in doc.claims] == ["c3-8", "c3-8.2", "c0-2"]  # factual < predictive by content
    assert doc.cues[0].id == "q0-1" and doc.cues[0].claims == ("c3-8", "c3-8.2")
    # independent of the incoming ids
    swapped = assign_ids(DocumentAnnotations("d", "0" * 64, (), (claims[1], claims[0], claims[2]),
                                             (Cue("other", "d", Span(0, 1, "a"), "hedge", "modal", ("zz", "yy")),),
                                             ()))
    assert {c.id: c.claim_type for c in swapped.claims} == {c.id: c.claim_type for c in doc.claims}


def test_push_tells_which_layer_a_prediction_shows_also_for_1_0_0_predictions():
    from cash_corpus.labelstudio.client import _layer_of
    from cash_corpus.labelstudio.tasks import model_version
    assert _layer_of(model_version("gold", "0123456789abcdef")) == "gold"
    assert _layer_of("gold (adjudicated; LLM agent; no tool; guidelines 1.1.0; 2026-11-21)") == "gold"
    assert _layer_of("someone's model v2") is None and _layer_of("x (foo)") is None
