"""Against a REAL Label Studio 1.23.2 on 127.0.0.1 (tests/ls_server.py starts it; failing to start fails)."""

from __future__ import annotations

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.labelstudio import client as ls
from cash_corpus.labelstudio.offsets import Counting
from cash_corpus.labelstudio.tasks import document_results

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
