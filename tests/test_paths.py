"""Ids and paths: an id can never become a path outside its folder."""

from __future__ import annotations

from pathlib import Path

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


# --- ids matched whole, Windows device names, regular files only (issue 11) ---

@pytest.mark.parametrize("doc_id", ["a\n", "alpha-report\n", "a\n\x1b[31m", "con", "NUL", "com1", "lpt9", "aux.txt"])
def test_document_ids_are_matched_whole_and_windows_device_names_refused(doc_id):
    assert not is_valid_document_id(doc_id)


@pytest.mark.parametrize("name", ["x\n", "gold\n", "prn", "com9", "lpt1"])
def test_layer_names_are_matched_whole_and_windows_device_names_refused(name, tmp_path):
    assert not is_valid_layer_name(name)
    with pytest.raises(UsageError, match="invalid layer name"):
        CorpusPaths(tmp_path).layer_path(name)


def test_names_that_only_start_like_device_names_are_fine():
    assert is_valid_document_id("console-report") and is_valid_layer_name("com10") and is_valid_layer_name("nul_a")


def test_the_id_rule_is_the_schemas_pattern_with_ecma_anchors():
    from cash_corpus.paths import ecma_pattern
    from cash_corpus.schema import load_schema
    defs = load_schema()["$defs"]
    assert ecma_pattern(defs["document_id"]["pattern"]) == r"^[a-z0-9]+(-[a-z0-9]+)*\Z"
    assert ecma_pattern(r"^a[$]\$$") == r"^a[$]\$\Z"
    assert is_valid_document_id("x" * defs["document_id"]["maxLength"])
    assert not is_valid_document_id("x" * (defs["document_id"]["maxLength"] + 1))


def test_open_regular_refuses_a_symlink_without_following_it(tmp_path):
    from cash_corpus.paths import UnsafeFileError, open_regular, read_regular_bytes
    (tmp_path / "real.txt").write_bytes(b"data")
    (tmp_path / "link.txt").symlink_to("/proc/self/environ")
    assert read_regular_bytes(tmp_path / "real.txt") == b"data"
    with pytest.raises(UnsafeFileError, match="symbolic link") as caught:
        open_regular(tmp_path / "link.txt")
    assert "PATH=" not in str(caught.value)
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "missing.txt")


def test_open_regular_refuses_a_fifo_and_a_device_without_blocking(tmp_path):
    import os
    from cash_corpus.paths import UnsafeFileError, open_regular
    os.mkfifo(tmp_path / "pipe.jsonl")  # opening this for reading would block forever
    with pytest.raises(UnsafeFileError, match="FIFO"):
        open_regular(tmp_path / "pipe.jsonl")
    with pytest.raises(UnsafeFileError, match="device"):
        open_regular(Path("/dev/zero"))
