"""Baselines: the lexicon matcher, the CRF trained on one document and scored on the other end to end
through `cash predict` and `cash score`, and the committed results table."""

from __future__ import annotations

import json
import shutil

import pytest

from cash_corpus.baselines import BLOCK, LEXICON_SCORE, baselines_table, leave_one_document_out
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
    # a score per record: the CRF's mean tag marginals, in [0, 1] and not one constant
    predicted = [r for d in iter_documents(corpus_copy / "annotations" / "crf-b.jsonl")
                 for r in (*d.claims, *d.cues, *d.attributions)]
    scores = [dict(r.extra)["score"] for r in predicted]
    assert len(scores) == len(predicted) and all(0.0 <= s <= 1.0 for s in scores) and len(set(scores)) > 1
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
    records = [r for d in docs for r in (*d.claims, *d.cues, *d.attributions)]
    assert {dict(r.extra).get("score") for r in records} == {LEXICON_SCORE}
    assert main(["--root", str(corpus_copy), "validate"]) == 0


def test_crf_span_score_is_the_mean_marginal_of_its_tags():
    pytest.importorskip("sklearn_crfsuite")
    from cash_corpus.baselines.crf import CrfTagger, sentence_features, span_score
    rows = [{"tokens": ["Iran", "may", "send", "missiles", "."], "claim_tags": ["B-predictive"] * 1 + ["I-predictive"] * 3 + ["O"],
             "cue_tags": ["O", "B-hedge", "O", "O", "O"], "attribution_tags": ["O"] * 5},
            {"tokens": ["Iran", "sent", "missiles", "."], "claim_tags": ["B-factual", "I-factual", "I-factual", "O"],
             "cue_tags": ["O"] * 4, "attribution_tags": ["O"] * 4}]
    tagger = CrfTagger().fit(rows)
    words = ["Iran", "may", "send", "rockets", "."]
    tags, marginals = tagger.predict_with_marginals(words)
    assert tags == tagger.predict(words)
    for family, model in tagger.models.items():
        [per_token] = model.predict_marginals([sentence_features(words)])
        assert marginals[family] == [per_token[i][tag] for i, tag in enumerate(tags[family])]
        assert all(0.0 <= p <= 1.0 for p in marginals[family])
    tokens = [(0, 4), (5, 8), (9, 13), (14, 21), (21, 22)]
    probabilities = [0.9, 0.5, 0.7, 0.3, 1.0]
    assert span_score(tokens, probabilities, 5, 21) == 0.5  # (0.5 + 0.7 + 0.3) / 3
    assert span_score(tokens, probabilities, 0, 4) == 0.9


def test_a_score_outside_0_1_is_refused(corpus_copy, capsys):
    assert main(["--root", str(corpus_copy), "predict", "--model", "lexicon", "--out", "lex"]) == 0
    path = corpus_copy / "annotations" / "lex.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if '"record": "cue"' in line)
    lines[n] = lines[n].replace('"score": 0.5', '"score": 1.5')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(corpus_copy), "validate"]) == 1
    captured = capsys.readouterr()
    assert "lex.jsonl" in captured.out + captured.err and "schema-constraint] $.score: 1.5" in captured.out + captured.err


def test_committed_baseline_tables_are_current(repo_root):
    table = baselines_table(leave_one_document_out(repo_root))
    for name in ("DATASHEET.md", "README.md"):
        text = (repo_root / name).read_text(encoding="utf-8")
        block = text.split(begin(BLOCK), 1)[1].split("<!-- END GENERATED -->", 1)[0]
        assert block.strip("\n") == table, f"{name}: run `cash baselines --write`"
