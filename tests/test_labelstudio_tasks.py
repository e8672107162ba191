"""Tasks for Label Studio (`labelstudio/tasks.py`): predictions of a scored layer carry region and
prediction scores; a layer without scores gives the results it always gave."""

from __future__ import annotations

import json
from dataclasses import replace

from cash_corpus.layers import iter_documents
from cash_corpus.labelstudio.tasks import document_results, document_score, iter_tasks, record_score
from cash_corpus.records import DocumentAnnotations

from labelstudio_helpers import gold_document, make_corpus, write_gold


def _scored(doc: DocumentAnnotations) -> DocumentAnnotations:
    """The same records, each with a distinct score (as `cash predict` writes them)."""
    def add(records, first):
        return tuple(replace(r, extra=(("score", round(first + n / 10, 4)),)) for n, r in enumerate(records))
    return replace(doc, claims=add(doc.claims, 0.1), cues=add(doc.cues, 0.55), attributions=add(doc.attributions, 0.8))


def test_a_layer_without_scores_gives_no_score_anywhere(tmp_path):
    corpus = make_corpus(tmp_path / "root")
    write_gold(corpus, [gold_document(corpus)])
    [task] = list(iter_tasks(corpus, ["gold"]))
    [prediction] = task["predictions"]
    assert set(prediction) == {"model_version", "result"}
    assert not [r for r in prediction["result"] if "score" in r]


def test_a_scored_layer_gives_region_and_prediction_scores(tmp_path):
    corpus = make_corpus(tmp_path / "root")
    doc = _scored(gold_document(corpus))
    write_gold(corpus, [doc], name="pred")
    [task] = list(iter_tasks(corpus, ["pred"]))
    [prediction] = task["predictions"]
    scores = [record_score(r) for r in (*doc.claims, *doc.cues, *doc.attributions)]
    assert prediction["score"] == round(sum(scores) / len(scores), 4) == document_score(doc)
    regions = [r for r in prediction["result"] if r["type"] == "labels"]
    by_record = {}
    for region in regions:
        by_record.setdefault(region["meta"]["cash_id"], set()).add(region["score"])
    # every region of a record (an attribution's cue, source and content) carries that record's score
    assert by_record == {r.id: {record_score(r)} for r in (*doc.claims, *doc.cues, *doc.attributions)}
    # only regions carry a score; the rest of the result is what an unscored layer gives
    unscored = document_results(gold_document(corpus), corpus.text("d1"))
    assert [{k: v for k, v in r.items() if k != "score"} for r in prediction["result"]] == unscored
    json.dumps(task)  # Label Studio's import takes it as JSON


def test_the_layer_file_keeps_the_score(tmp_path):
    corpus = make_corpus(tmp_path / "root")
    doc = _scored(gold_document(corpus))
    path = write_gold(corpus, [doc], name="pred")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["score"] for r in rows if r["record"] in ("claim", "cue", "attribution")) == sorted(
        record_score(r) for r in (*doc.claims, *doc.cues, *doc.attributions))
    assert [d.claims[0].extra for d in iter_documents(path)] == [doc.claims[0].extra]
    assert document_score(gold_document(corpus)) is None


def test_an_accepted_scored_prediction_imports_without_scores(tmp_path):
    """What an annotator submits is human: the region scores of an accepted prediction are not imported."""
    from cash_corpus.labelstudio.importer import _Where, results_to_document
    corpus = make_corpus(tmp_path / "root")
    doc = _scored(gold_document(corpus))
    results = document_results(doc, corpus.text("d1"))
    assert any("score" in r for r in results)
    back = results_to_document(results, corpus.text("d1"), "d1", doc.text_sha256, _Where("export.json", "1"))
    records = (*back.claims, *back.cues, *back.attributions)
    assert len(records) == 7 and all(record_score(r) is None for r in records)
