"""The official scorer on hand-computed cases, gold vs gold = 1.0, and the CLI."""

from __future__ import annotations

import dataclasses
import json

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.layers import write_layer
from cash_corpus.records import Span
from cash_corpus.score import macro_f1, score_layers

from hf_helpers import gold_annotations, header, make_corpus


@pytest.fixture
def corpus(tmp_path):
    return make_corpus(tmp_path / "corpus")


def f1(report, layer, mode="exact"):
    return report["spans"][layer][mode]["f1"]


def test_gold_against_a_partial_prediction(corpus):
    """pass-a holds claim c1 and attribution a1 of the first document only (see hf_helpers)."""
    report = score_layers(corpus / "annotations" / "gold.jsonl", corpus / "annotations" / "pass-a.jsonl").to_dict()
    claims = report["spans"]["claims"]["exact"]
    assert (claims["gold"], claims["predicted"], claims["matched"]) == (3, 1, 1)
    assert claims["precision"] == 1.0 and claims["recall"] == pytest.approx(1 / 3) and claims["f1"] == 0.5
    cues = report["spans"]["cues"]["overlap"]
    assert (cues["gold"], cues["predicted"], cues["precision"], cues["recall"], cues["f1"]) == (3, 0, None, 0.0, 0.0)
    for role in ("source", "cue", "content"):
        assert f1(report, f"attribution_{role}") == 1.0
    assert report["claims_matched"]["claim_type"] == {"pairs": 1, "accuracy": 1.0, "macro_f1": 1.0}
    assert report["stance"]["T_IRAN_REGIME"]["f1"] == 1.0
    assert report["stance"]["T_SANCTIONS"] == {"gold": 1, "predicted": 0, "matched": 0, "precision": None,
                                               "recall": 0.0, "f1": 0.0}
    one = score_layers(corpus / "annotations" / "gold.jsonl", corpus / "annotations" / "pass-a.jsonl",
                       ["missiles-alliances"]).to_dict()
    assert f1(one, "claims") == pytest.approx(2 / 3) and one["documents"] == ["missiles-alliances"]


def test_shifted_and_relabelled_claim(corpus):
    """c1 shortened (overlap, not exact) and relabelled factual/possible -> evaluative/certain; c2 kept."""
    first = gold_annotations(corpus)[0]
    c1, c2 = first.claims
    moved = dataclasses.replace(c1, span=Span(c1.span.start, c1.span.end - len(" to Russia"),
                                              c1.span.text[:-len(" to Russia")]),
                                claim_type="evaluative", certainty="certain")
    pred = dataclasses.replace(first, claims=(moved, c2))
    path = corpus / "annotations" / "pred.jsonl"
    write_layer(path, header("pred"), [pred])
    report = score_layers(corpus / "annotations" / "gold.jsonl", path).to_dict()
    assert f1(report, "claims", "exact") == pytest.approx(2 * 1 / 5)
    assert f1(report, "claims", "overlap") == pytest.approx(2 * 2 / 5)
    by_label = report["spans"]["claims"]["by_label"]
    assert by_label["prescriptive"]["exact"]["f1"] == 1.0
    assert by_label["factual"]["overlap"]["f1"] == 0.0 and by_label["evaluative"]["overlap"]["f1"] == 0.0
    assert report["claims_matched"]["claim_type"]["accuracy"] == 0.5
    assert report["claims_matched"]["claim_type"]["macro_f1"] == pytest.approx(1 / 3)  # factual 0, evaluative 0, prescriptive 1
    assert report["claims_matched"]["certainty"]["macro_f1"] == pytest.approx((0 + 2 / 3) / 2)


def test_macro_f1():
    from collections import Counter
    assert macro_f1(Counter({("a", "a"): 2, ("a", "b"): 1, ("b", "b"): 1})) == pytest.approx((0.8 + 2 / 3) / 2)
    assert macro_f1(Counter()) is None


def test_gold_against_gold_is_one_everywhere(repo_root, capsys):
    assert main(["--root", str(repo_root), "score", "gold", "gold", "--json", "--per-document"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "cash-score/1"
    for scope in [report, *report["per_document"].values()]:
        for entry in scope["spans"].values():
            for scores in [entry, *entry["by_label"].values()]:
                for mode in ("exact", "overlap"):
                    assert scores[mode]["f1"] == 1.0 or scores[mode]["gold"] == 0
        for matched in scope["claims_matched"].values():
            assert matched["accuracy"] == matched["macro_f1"] == 1.0
        assert all(s["f1"] == 1.0 for s in scope["stance"].values())


def test_unknown_document_is_refused(corpus):
    with pytest.raises(CashError, match="not in the gold layer"):
        score_layers(corpus / "annotations" / "gold.jsonl", corpus / "annotations" / "pass-a.jsonl", ["nope"])


def test_human_output(repo_root, capsys):
    assert main(["--root", str(repo_root), "score", "gold", "pass-a"]) == 0
    out = capsys.readouterr().out
    assert "claims                 all            exact" in out and "stance T_ENGAGE_IRAN" in out
