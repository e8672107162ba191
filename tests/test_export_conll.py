"""CoNLL export: the line grammar holds, and the tags read back decode to the gold spans."""

from __future__ import annotations

import re

import pytest

from cash_corpus.bio import decode, family_spans, sentence_token_slices
from cash_corpus.cli import main
from cash_corpus.corpus import Corpus
from cash_corpus.errors import CashError
from cash_corpus.export.conll import COLUMNS, read
from cash_corpus.layers import iter_documents

TAG = r"(O|[BI]-[a-z_]+)"
LINE = re.compile(rf"^(-DOCSTART-\t[a-z0-9-]+|[^\s]+(\t{TAG}){{{len(COLUMNS)}}}|)$")


def test_gold_export_keeps_the_grammar_and_decodes_to_the_gold_spans(repo_root, tmp_path):
    assert main(["--root", str(repo_root), "export", "--format", "conll", "--layer", "gold", "--out", str(tmp_path)]) == 0
    path = tmp_path / "gold.conll"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert all(LINE.match(line) for line in lines), [line for line in lines if not LINE.match(line)][:3]
    documents = read(path)
    corpus = Corpus.at(repo_root)
    structures = {s.document_id: s for s in corpus.structures()}
    gold = {d.document_id: d for d in iter_documents(repo_root / "annotations" / "gold.jsonl")}
    assert [d.document_id for d in documents] == sorted(gold)
    for doc in documents:
        structure, text = structures[doc.document_id], corpus.text(doc.document_id)
        assert len(doc.sentences) == len(structure.sentences)
        decoded = {"claim": [], "cue": [], "attribution": []}
        for sentence, (first, last) in zip(doc.sentences, sentence_token_slices(structure.sentences, structure.tokens)):
            tokens = structure.tokens[first:last]
            assert sentence.tokens == [text[s:e] for s, e in tokens]
            for column in COLUMNS:
                decoded[column.split("_tags")[0]] += decode(tokens, sentence.tags[column])
        for family, spans in decoded.items():
            assert sorted(spans, key=lambda s: (s.start, -s.end, s.label)) == family_spans(gold[doc.document_id], family)


def test_reader_refuses_a_broken_line(tmp_path):
    path = tmp_path / "x.conll"
    path.write_text("-DOCSTART-\tdoc\n\nIran\tB-factual\tO\tO\tO\n", encoding="utf-8")
    with pytest.raises(CashError, match="tabs") as info:
        read(path)
    assert info.value.location.line == 3
