"""Ids and paths: an id can never become a path outside its folder."""

from __future__ import annotations

import pytest

from cash_corpus.errors import UsageError
from cash_corpus.paths import CorpusPaths, find_root, is_valid_document_id, is_valid_layer_name, safe_child


@pytest.mark.parametrize("doc_id,ok", [("going-ballistic", True), ("a1", True), ("../x", False), ("a/b", False),
                                       ("A", False), ("a--b", False), ("", False), ("x" * 64, True), ("x" * 65, False)])
def test_document_id_rule(doc_id, ok):
    assert is_valid_document_id(doc_id) is ok


def test_layer_name_rule():
    assert is_valid_layer_name("pass-a") and is_valid_layer_name("gold_v2")
    assert not is_valid_layer_name("../gold") and not is_valid_layer_name("Gold")


def test_paths_refuse_escaping_ids(tmp_path):
    paths = CorpusPaths(tmp_path)
    with pytest.raises(UsageError, match="invalid document id"):
        paths.text_path("../../etc/passwd")
    with pytest.raises(UsageError, match="invalid layer name"):
        paths.layer_path("../x")
    with pytest.raises(UsageError, match="would escape"):
        safe_child(tmp_path, "../x", ".txt")
    assert paths.text_path("ok-id") == (tmp_path / "corpus" / "texts" / "ok-id.txt").resolve()


def test_find_root_walks_up_and_honours_cash_root(small_corpus, monkeypatch):
    nested = small_corpus / "annotations"
    monkeypatch.delenv("CASH_ROOT", raising=False)
    assert find_root(nested) == small_corpus
    monkeypatch.setenv("CASH_ROOT", str(small_corpus))
    assert find_root() == small_corpus
