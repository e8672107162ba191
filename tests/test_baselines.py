"""Baselines: the lexicon matcher, the CRF trained on one document and scored on the other end to end
through `cash predict` and `cash score`, and the committed results table."""

from __future__ import annotations

import json
import shutil

import pytest

from cash_corpus.baselines import BLOCK, baselines_table, leave_one_document_out
from cash_corpus.baselines.lexicon import match
from cash_corpus.cli import main
from cash_corpus.generated import begin
from cash_corpus.layers import iter_documents, read_header, write_layer

A, B = "going-ballistic", "mullahs-missiles"


def test_lexicon_matches_whole_tokens_longest_first():
    words = ["Iran", "may", "have", "sent", "up", "to", "200", "missiles", ",", "according", "to", "officials", "mayor"]
    assert match(words, "cue") == [(1, 2, ("hedge", "modal")), (4, 6, ("hedge", "approximator"))]
    assert match(words, "attribution") == [(9, 11, "cue")]


@pytest.fixture
def corpus_copy(repo_root, tmp_path):
    root = tmp_path / "corpus-root"
    for name in ("corpus", "annotations", "schema"):
        shutil.copytree(repo_root / name, root / name)
    return root


def test_crf_trained_on_one_document_scores_the_other_end_to_end(corpus_copy, capsys):
    header = read_header(corpus_copy / "annotations" / "gold.jsonl")
    only_a = [d for d in iter_documents(corpus_copy / "annotations" / "gold.jsonl") if d.document_id == A]
    write_layer(corpus_copy / "annotations" / "train-a.jsonl", header.__class__("train-a", header.schema_version,
                header.provenance, header.corpus_version), only_a)
    root = ["--root", str(corpus_copy)]
    assert main([*root, "predict", "--model", "crf", "--train-layer", "train-a", "--document", B, "--out", "crf-b"]) == 0
    provenance = read_header(corpus_copy / "annotations" / "crf-b.jsonl").provenance
    assert provenance.method == "automatic" and "train-a" in provenance.notes and "sklearn-crfsuite" in provenance.tool
    assert main([*root, "validate"]) == 0
    capsys.readouterr()
    assert main([*root, "score", "gold", "crf-b", "--document", B, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    claims = report["spans"]["claims"]
    assert claims["overlap"]["predicted"] > 0 and claims["overlap"]["f1"] > 0.3
    assert claims["exact"]["f1"] < 1.0  # held out: not memorised
    # the same figures as the leave-one-document-out run for this held-out document (same training data)
    lodo = leave_one_document_out(corpus_copy, "gold", ["crf"])
    held_out = lodo["crf"]["per_document"][B]
    assert held_out["spans"] == report["spans"] and held_out["claims_matched"] == report["claims_matched"]
    assert main([*root, "predict", "--model", "crf", "--train-layer", "train-a", "--out", "crf-b"]) == 1  # exists


def test_lexicon_prediction_is_a_valid_layer(corpus_copy):
    assert main(["--root", str(corpus_copy), "predict", "--model", "lexicon", "--out", "lex"]) == 0
    docs = list(iter_documents(corpus_copy / "annotations" / "lex.jsonl"))
    assert [d.document_id for d in docs] == [A, B]
    assert all(q.claims for d in docs for q in d.cues)
    assert main(["--root", str(corpus_copy), "validate"]) == 0


def test_committed_baseline_tables_are_current(repo_root):
    table = baselines_table(leave_one_document_out(repo_root))
    for name in ("DATASHEET.md", "README.md"):
        text = (repo_root / name).read_text(encoding="utf-8")
        block = text.split(begin(BLOCK), 1)[1].split("<!-- END GENERATED -->", 1)[0]
        assert block.strip("\n") == table, f"{name}: run `cash baselines --write`"
