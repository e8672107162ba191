"""cash synth: valid, deterministic corpora with realistic densities, and a Label Studio export the bridge imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus
from cash_corpus.labelstudio.ids import assign_ids
from cash_corpus.labelstudio.importer import import_export
from cash_corpus.layers import iter_documents
from cash_corpus.synth import iter_synth, write_synth
from cash_corpus.validation import validate_root


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_corpus_is_valid_with_realistic_densities(tmp_path):
    summary = write_synth(tmp_path / "c", 60, seed=5)
    assert validate_root(tmp_path / "c") == []
    assert 8 <= summary.annotations / summary.documents <= 12
    docs = list(iter_documents(tmp_path / "c" / "annotations" / "gold.jsonl"))
    attributions = [a for d in docs for a in d.attributions]
    assert any(a.parent for a in attributions), "nested attributions"
    assert any(a.source is None for a in attributions), "implicit sources"
    corpus = Corpus.at(tmp_path / "c")
    spans = [c.span.text for d in docs for c in d.claims]
    assert any(max(map(ord, t)) > 0xFFFF for t in spans), "non-BMP characters inside spans"
    for d in docs:  # stored span text is the raw text at code-point offsets
        text = corpus.text(d.document_id)
        assert all(text[c.span.start:c.span.end] == c.span.text for c in d.claims)


def test_deterministic_given_seed(tmp_path):
    write_synth(tmp_path / "a", 25, seed=11, ls_export=tmp_path / "a.json")
    write_synth(tmp_path / "b", 25, seed=11, ls_export=tmp_path / "b.json")
    write_synth(tmp_path / "c", 25, seed=12)
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert tree_bytes(tmp_path / "a") != tree_bytes(tmp_path / "c")


def test_stream_matches_files(tmp_path):
    write_synth(tmp_path / "c", 5, seed=3)
    corpus = Corpus.at(tmp_path / "c")
    for metadata, text, structure, doc in iter_synth(5, 3):
        assert corpus.text(metadata["id"]) == text
        assert structure.text_sha256 == doc.text_sha256 == metadata["sha256"]


def test_label_studio_export_imports_to_the_gold_layer(tmp_path):
    root, export = tmp_path / "c", tmp_path / "export.json"
    write_synth(root, 20, seed=9, ls_export=export)
    tasks = json.loads(export.read_text(encoding="utf-8"))
    assert len(tasks) == 20 and all(len(t["annotations"]) == 1 for t in tasks)
    import_export(Corpus.at(root), export, "ls", annotators="merge")
    # the import names records with CASH ids (labelstudio/ids.py) and adds Label Studio provenance
    imported = [json.loads(line) for line in (root / "annotations" / "ls.jsonl").read_text("utf-8").splitlines()[1:]]
    for row in imported:
        row.pop("ls_region_id", None), row.pop("ls_annotation", None)
    gold = [row for doc in iter_documents(root / "annotations" / "gold.jsonl") for row in assign_ids(doc).records()]
    assert imported == gold
    assert validate_root(root) == []


def test_refuses_to_overwrite_and_leaves_nothing(tmp_path):
    out = tmp_path / "c"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="not empty"):
        write_synth(out, 3, seed=1)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["c"], "no staging folder left behind"


def test_cli(tmp_path, capsys):
    assert main(["synth", "--docs", "4", "--seed", "2", "--out", str(tmp_path / "c"),
                 "--ls-export", str(tmp_path / "e.json")]) == 0
    assert "4 documents" in capsys.readouterr().out
    assert main(["synth", "--docs", "4", "--out", str(tmp_path / "c")]) == 2
    assert main(["synth", "--docs", "0", "--out", str(tmp_path / "d")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["synth", "--help"])
    assert exc.value.code == 0
