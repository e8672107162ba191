"""Layer files: streaming read, canonical write, never overwritten silently."""

from __future__ import annotations

import pytest

from cash_corpus.errors import CashError
from cash_corpus.layers import iter_documents, layer_names, read_layer, write_layer
from cash_corpus.paths import CorpusPaths
from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance, Span,
                                 Stance)

HEADER = LayerHeader("test", "1.0.0", Provenance("manual", "a test", "1.0.0", "2026-11-21"), "1.0.0")


def make_document(doc_id: str) -> DocumentAnnotations:
    return DocumentAnnotations(
        doc_id, "a" * 64, (Stance("T_SANCTIONS", "favor"),),
        claims=(Claim("c1", doc_id, Span(0, 4, "Iran"), "factual", "certain", "positive", Holder("attribution", "a1"),
                      (Stance("T_IRAN_REGIME", "against"),), note="😀 a note"),),
        cues=(Cue("h1", doc_id, Span(5, 8, "may"), "hedge", "modal", ("c1",)),),
        attributions=(Attribution("a1", doc_id, Span(9, 13, "𝔸lex"), Span(14, 18, "said"), Span(0, 4, "Iran"),
                                  "person", "indirect", "assertion"),))


def test_write_then_read_gives_the_same_layer(tmp_path):
    path = tmp_path / "test.jsonl"
    docs = [make_document("b-doc"), make_document("a-doc")]
    assert write_layer(path, HEADER, docs) == 1 + 2 * 4
    header, read = read_layer(path)
    assert header == HEADER
    assert read == sorted(docs, key=lambda d: d.document_id)
    assert read[0].claims[0].note == "😀 a note"
    assert "😀" in path.read_text(encoding="utf-8")  # UTF-8 kept, not \u-escaped


def test_write_refuses_to_overwrite_unless_asked(tmp_path):
    path = tmp_path / "test.jsonl"
    write_layer(path, HEADER, [make_document("a")])
    before = path.read_bytes()
    with pytest.raises(CashError, match="refusing to overwrite"):
        write_layer(path, HEADER, [make_document("b")])
    assert path.read_bytes() == before
    write_layer(path, HEADER, [make_document("b")], overwrite=True)
    assert [d.document_id for d in iter_documents(path)] == ["b"]


def test_annotation_outside_its_document_is_located(tmp_path):
    path = tmp_path / "bad.jsonl"
    write_layer(path, HEADER, [make_document("a")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, lines.pop(3))  # move an annotation before its document line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CashError, match="not under its document") as info:
        list(iter_documents(path))
    assert info.value.location.line == 2 and info.value.location.file == str(path)


def test_layer_names_put_gold_first(tmp_path):
    paths = CorpusPaths(tmp_path)
    paths.annotations_dir.mkdir()
    for name in ("pass-b", "gold", "pass-a"):
        (paths.annotations_dir / f"{name}.jsonl").write_text("", encoding="utf-8")
    assert layer_names(paths) == ["gold", "pass-a", "pass-b"]


def test_document_from_records_is_the_inverse_of_records_and_refuses_foreign_annotations():
    from cash_corpus.layers import document_from_records
    doc = make_document("a-doc")
    assert document_from_records(doc.records()) == doc
    foreign = make_document("b-doc").records()[1]
    with pytest.raises(CashError, match="unexpected record 'attribution' in the block") as info:
        document_from_records([*doc.records(), foreign], "x.jsonl")
    assert info.value.location.file == "x.jsonl" and info.value.location.document_id == "a-doc"
