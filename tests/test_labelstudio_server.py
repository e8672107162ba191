"""Against a REAL Label Studio 1.23.2 on 127.0.0.1 (tests/ls_server.py starts it; failing to start fails)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.labelstudio import client as ls
from cash_corpus.labelstudio.offsets import Counting
from cash_corpus.labelstudio.tasks import document_results
from cash_corpus.corpus import sha256_bytes
from cash_corpus.manifest import file_sha256
from cash_corpus.records import Claim, DocumentAnnotations, Holder, Span

from labelstudio_helpers import gold_document, imported_records, expected_records, make_corpus, write_gold
from ls_server import label_studio_server  # noqa: F401  (session fixture)

pytestmark = pytest.mark.labelstudio


def _annotate(server, project_id: int, result: list[dict]) -> None:
    """What an annotator's browser does: POST an annotation with Label Studio results."""
    sdk = ls.connect(server.url, server.token)
    task = next(iter(sdk.tasks.list(project=project_id, fields="all")))
    sdk.annotations.create(id=task.id, result=result)


def test_push_annotate_pull_equals_gold(label_studio_server, tmp_path, monkeypatch):  # noqa: F811
    corpus = make_corpus(tmp_path / "root")
    gold = gold_document(corpus)
    gold_path = write_gold(corpus, [gold])
    first = ls.push(corpus, label_studio_server.url, label_studio_server.token, "cash-roundtrip", ["gold"])
    assert (first.created, first.imported) == (True, 1)
    again = ls.push(corpus, label_studio_server.url, label_studio_server.token, "cash-roundtrip", ["gold"])
    assert (again.created, again.imported, again.already_there) == (False, 0, 1)
    _annotate(label_studio_server, first.project_id, document_results(gold, corpus.text("d1")))
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio_server.token)
    root = str(corpus.paths.root)
    assert main(["--root", root, "ls", "pull", "--url", label_studio_server.url, "--project", "cash-roundtrip",
                 "--layer", "pulled", "--annotators", "merge"]) == 0
    assert imported_records(corpus.paths.layer_path("pulled")) == expected_records(gold_path)
    # A second pull of the same annotations changes nothing.
    before = corpus.paths.layer_path("pulled").read_bytes()
    stats = ls.pull(corpus, label_studio_server.url, label_studio_server.token, "cash-roundtrip", "pulled",
                    annotators="merge")
    assert stats.unchanged == ["pulled"] and corpus.paths.layer_path("pulled").read_bytes() == before


def test_utf16_offsets_from_an_old_front_end_survive_the_server(label_studio_server, tmp_path):  # noqa: F811
    corpus = make_corpus(tmp_path / "root")
    gold = gold_document(corpus)
    gold_path = write_gold(corpus, [gold])
    pushed = ls.push(corpus, label_studio_server.url, label_studio_server.token, "cash-utf16")
    _annotate(label_studio_server, pushed.project_id, document_results(gold, corpus.text("d1"), Counting.UTF16))
    stats = ls.pull(corpus, label_studio_server.url, label_studio_server.token, "cash-utf16", "old")
    assert stats.utf16_regions > 0 and len(stats.written) == 1
    assert imported_records(corpus.paths.layer_path(stats.written[0])) == expected_records(gold_path)


def test_server_accepts_garbage_but_pull_refuses_it(label_studio_server, tmp_path):  # noqa: F811
    corpus = make_corpus(tmp_path / "root")
    gold = gold_document(corpus)
    pushed = ls.push(corpus, label_studio_server.url, label_studio_server.token, "cash-garbage")
    result = document_results(gold, corpus.text("d1"))
    result[0]["value"]["labels"] = ["opinion"]
    _annotate(label_studio_server, pushed.project_id, result)
    with pytest.raises(CashError, match=r"annotation \d+, region [A-Za-z0-9_-]{10}: unknown label 'opinion'"):
        ls.pull(corpus, label_studio_server.url, label_studio_server.token, "cash-garbage", "bad")
    assert list(corpus.paths.annotations_dir.glob("bad*")) == []


# Issue 18: push keeps a project in step with the corpus.

def _tasks(server, project_id):
    sdk = ls.connect(server.url, server.token)
    return sorted(sdk.tasks.list(project=project_id, fields="all"), key=lambda t: t.id)


def test_push_adds_and_refreshes_predictions_and_follows_changed_texts(label_studio_server, tmp_path):  # noqa: F811
    server = label_studio_server
    texts = {"d1": "𝐀lice said 😀 prices rise.", "d2": "Bob 🙂 thinks so."}
    corpus = make_corpus(tmp_path / "root", texts)
    first = ls.push(corpus, server.url, server.token, "cash-in-step", overlap=2)
    assert (first.created, first.imported, first.overlap) == (True, 2, 2)
    sdk = ls.connect(server.url, server.token)
    assert sdk.projects.get(id=first.project_id).maximum_annotations == 2
    # a layer pushed into the existing project becomes predictions on the existing tasks
    span = Span(0, 5, "𝐀lice")
    doc = DocumentAnnotations("d1", sha256_bytes(corpus.raw_bytes("d1")), (), (
        Claim("c1", "d1", span, "factual", "certain", "positive", Holder("author")),))
    write_gold(corpus, [doc])
    added = ls.push(corpus, server.url, server.token, "cash-in-step", ["gold"])
    assert (added.imported, added.already_there, added.predictions_added, added.predictions_refreshed) == (0, 2, 1, 0)
    again = ls.push(corpus, server.url, server.token, "cash-in-step", ["gold"])
    assert (again.predictions_added, again.predictions_refreshed) == (0, 0)
    # a new version of the layer replaces its prediction
    corpus.paths.layer_path("gold").unlink()
    write_gold(corpus, [DocumentAnnotations(doc.document_id, doc.text_sha256, (), (replace(doc.claims[0],
                                                                                            certainty="probable"),))])
    refreshed = ls.push(corpus, server.url, server.token, "cash-in-step", ["gold"])
    assert (refreshed.predictions_added, refreshed.predictions_refreshed) == (0, 1)
    task1 = next(t for t in _tasks(server, first.project_id) if t.data["document_id"] == "d1")
    assert [p.model_version for p in task1.predictions] == [f"gold@{file_sha256(corpus.paths.layer_path('gold'))[:12]}"]
    # someone annotates d1; then both texts change: d2 (unannotated) is updated in place, d1 gets a new
    # task and its old task is kept and reported stale
    sdk.annotations.create(id=task1.id, result=document_results(doc, texts["d1"]))
    changed = make_corpus(tmp_path / "root2", {"d1": texts["d1"].replace("rise", "fall"),
                                                "d2": texts["d2"].replace("so", "not")})
    moved = ls.push(changed, server.url, server.token, "cash-in-step")
    assert (moved.imported, moved.updated, moved.already_there) == (1, 1, 0)
    assert [(s.task_id, s.document_id, s.annotations) for s in moved.stale] == [(task1.id, "d1", 1)]
    tasks = _tasks(server, first.project_id)
    assert len(tasks) == 3 and {t.data["text"] for t in tasks if t.data["document_id"] == "d2"} == {
        texts["d2"].replace("so", "not")}
    # the import refuses the stale task, naming it; --skip-stale leaves it out and lists it
    with pytest.raises(CashError, match=rf"1 stale task\(s\).*task {task1.id} \(document d1\)"):
        ls.pull(changed, server.url, server.token, "cash-in-step", "p")
    stats = ls.pull(changed, server.url, server.token, "cash-in-step", "p", skip_stale=True)
    assert [s.task for s in stats.stale] == [task1.id] and stats.written == []
    # pushing the changed corpus again changes nothing and still reports the stale task
    steady = ls.push(changed, server.url, server.token, "cash-in-step")
    assert (steady.imported, steady.updated, steady.already_there, len(steady.stale)) == (0, 0, 2, 1)


def test_a_numeric_project_title_is_a_title(label_studio_server, tmp_path):  # noqa: F811
    corpus = make_corpus(tmp_path / "root", {"d1": "A text."})
    made = ls.push(corpus, label_studio_server.url, label_studio_server.token, "424242")
    assert made.created
    again = ls.push(corpus, label_studio_server.url, label_studio_server.token, "424242")
    assert (again.created, again.project_id, again.already_there) == (False, made.project_id, 1)


def test_pull_names_annotators_by_email(label_studio_server, tmp_path):  # noqa: F811
    corpus = make_corpus(tmp_path / "root")
    gold = gold_document(corpus)
    pushed = ls.push(corpus, label_studio_server.url, label_studio_server.token, "cash-emails")
    _annotate(label_studio_server, pushed.project_id, document_results(gold, corpus.text("d1")))
    stats = ls.pull(corpus, label_studio_server.url, label_studio_server.token, "cash-emails", "e")
    assert stats.written == ["e-cash-tests-example-org"]


def _field(obj, name):
    return getattr(obj, name) if hasattr(obj, name) else obj.get(name)


def test_a_predicted_layer_reaches_the_server_with_its_scores(label_studio_server, tmp_path):  # noqa: F811
    """Scores reach Label Studio both ways a prediction is stored: inside imported tasks (new
    project) and through the predictions API (a layer pushed into an existing project)."""
    from test_labelstudio_tasks import _scored
    from cash_corpus.labelstudio.tasks import document_score, record_score
    server = label_studio_server
    corpus = make_corpus(tmp_path / "root")
    doc = _scored(gold_document(corpus))
    write_gold(corpus, [doc], name="pred")
    expected = {r.id: record_score(r) for r in (*doc.claims, *doc.cues, *doc.attributions)}
    with_tasks = ls.push(corpus, server.url, server.token, "cash-scores-import", ["pred"])
    later = ls.push(corpus, server.url, server.token, "cash-scores-api")
    assert later.predictions_added == 0
    assert ls.push(corpus, server.url, server.token, "cash-scores-api", ["pred"]).predictions_added == 1
    for project_id in (with_tasks.project_id, later.project_id):
        [task] = _tasks(server, project_id)
        [prediction] = task.predictions
        assert _field(prediction, "score") == pytest.approx(document_score(doc))
        stored = {}
        for result in _field(prediction, "result"):
            if result["type"] == "labels":
                stored.setdefault(result["meta"]["cash_id"], set()).add(result["score"])
        assert stored == {record_id: {score} for record_id, score in expected.items()}
