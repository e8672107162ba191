"""Agreement between two layers: hand-computed span F1, kappa and alpha, and `cash agreement` end to end.

Every expected number is worked out in the test (the comments show the arithmetic).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cash_corpus.agreement import (EXACT, OVERLAP, cohen_kappa, compare_layers, match_exact, match_overlap,
                                   nominal_alpha, pair_counts, span_f1, token_categories)
from cash_corpus.agreement.alpha import alpha_from_coincidences
from cash_corpus.agreement.spans import overlap_candidates
from cash_corpus.cli import main
from cash_corpus.corpus import Corpus, add_document, init_corpus
from cash_corpus.errors import CashError
from cash_corpus.layers import write_layer
from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance,
                                 Span, Stance)
from cash_corpus.schema import schema_version

# ---------------------------------------------------------------- span F1


def test_perfect_agreement_is_f1_one_in_both_modes():
    spans = [(0, 4), (6, 9), (6, 12)]
    for mode in (EXACT, OVERLAP):
        counts = span_f1(spans, list(spans), mode)
        # 3 matched of 3 and 3: F1 = 2·3/(3+3) = 1
        assert (counts.matched, counts.f1, counts.precision, counts.recall) == (3, 1.0, 1.0, 1.0)


def test_disjoint_spans_score_zero():
    a, b = [(0, 5), (10, 15)], [(5, 10), (15, 20)]  # half-open: [0,5) and [5,10) share no code point
    for mode in (EXACT, OVERLAP):
        assert span_f1(a, b, mode).f1 == 0.0


def test_partial_overlap_counts_for_overlap_only():
    a = [(0, 10), (20, 30)]
    b = [(5, 15), (20, 30), (40, 45)]
    # exact: only (20,30) matches -> F1 = 2·1/(2+3) = 0.4, precision 1/3 (B's), recall 1/2 (A's)
    exact = span_f1(a, b, EXACT)
    assert (exact.matched, exact.f1, exact.precision, exact.recall) == (1, 0.4, 1 / 3, 0.5)
    # overlap: (0,10)~(5,15) share 5 code points, (20,30)~(20,30) -> 2 matched, F1 = 4/5
    assert span_f1(a, b, OVERLAP).f1 == pytest.approx(0.8)


def test_overlap_is_one_to_one_and_prefers_largest_overlap():
    # one long span cannot match both short ones: matched 1, F1 = 2·1/(1+2) = 2/3
    assert span_f1([(0, 20)], [(0, 5), (10, 15)], OVERLAP).f1 == pytest.approx(2 / 3)
    # (0,10) shares 4 code points with (0,4) and 7 with (3,10): the larger wins
    assert match_overlap([(0, 10)], [(0, 4), (3, 10)]) == [(0, 1)]
    # greedy, not maximum matching: a0~b0 (5 shared) is taken first, a1~b0 and a0~b1 (3 each) are then blocked
    assert match_overlap([(0, 10), (12, 20)], [(5, 15), (0, 3)]) == [(0, 0)]


def test_no_spans_at_all_gives_null_f1_not_zero():
    counts = span_f1([], [], OVERLAP)
    assert counts.f1 is None and counts.precision is None and counts.recall is None


def test_exact_duplicates_pair_off_one_to_one():
    assert match_exact([(1, 2), (1, 2)], [(1, 2)]) == [(0, 0)]


span_lists = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1])),
                      max_size=12)


@settings(max_examples=150, deadline=None)
@given(span_lists, span_lists)
def test_overlap_matching_properties(a, b):
    # candidates equal the brute-force set of overlapping pairs
    i, j, shared = overlap_candidates(a, b)
    brute = {(x, y): min(a[x][1], b[y][1]) - max(a[x][0], b[y][0]) for x in range(len(a)) for y in range(len(b))
             if a[x][0] < b[y][1] and b[y][0] < a[x][1]}
    assert dict(zip(zip(i.tolist(), j.tolist()), shared.tolist())) == brute
    pairs = match_overlap(a, b)
    assert len({x for x, _ in pairs}) == len(pairs) == len({y for _, y in pairs})
    assert all((x, y) in brute for x, y in pairs)
    # maximal: no unmatched pair of overlapping spans is left over
    used_a, used_b = {x for x, _ in pairs}, {y for _, y in pairs}
    assert not any(x not in used_a and y not in used_b for x, y in brute)
    assert span_f1(a, a, OVERLAP).f1 in (None, 1.0) and span_f1(a, a, EXACT).f1 in (None, 1.0)


# ---------------------------------------------------------------- kappa


def test_kappa_label_confusion_by_hand():
    pairs = ([("factual", "factual")] * 4 + [("evaluative", "evaluative")] * 3 + [("factual", "evaluative")]
             + [("evaluative", "predictive")] + [("predictive", "predictive")])
    # n = 10, p_o = (4+3+1)/10 = 0.8
    # A: factual 5, evaluative 4, predictive 1; B: factual 4, evaluative 4, predictive 2
    # p_e = (5·4 + 4·4 + 1·2)/100 = 0.38; kappa = (0.8-0.38)/(1-0.38) = 0.42/0.62
    k = cohen_kappa(pairs)
    assert (k.n, k.observed, k.expected) == (10, 0.8, 0.38)
    assert k.value == pytest.approx(0.42 / 0.62)
    assert k.confusion["factual"] == {"factual": 4, "evaluative": 1}


def test_kappa_single_shared_category_is_null_with_reason():
    k = cohen_kappa([("hedge", "hedge")] * 5)
    assert k.value is None and "only the category 'hedge'" in k.reason and k.observed == 1.0


def test_kappa_two_different_single_categories_is_zero_not_null():
    # A always 'hedge', B always 'booster': p_o = 0, p_e = 5·0 + 0·5 = 0 -> kappa = 0
    assert cohen_kappa([("hedge", "booster")] * 5).value == 0.0


def test_kappa_no_pairs_is_null():
    k = cohen_kappa([])
    assert k.value is None and k.n == 0 and k.reason


# ---------------------------------------------------------------- alpha


def test_token_categories_cover_every_touched_token_and_later_spans_win():
    tokens = np.array([[0, 4], [5, 7], [8, 12]])
    # [6,9) shares a code point with tokens 1 and 2; then [0,2) overwrites token 0 with 2
    assert token_categories(tokens, [(6, 9, 1), (0, 2, 2)]).tolist() == [2, 1, 1]
    # a span in the gap between tokens touches none
    assert token_categories(tokens, [(4, 5, 1)]).tolist() == [0, 0, 0]


def test_alpha_by_hand_and_equal_to_krippendorff_package():
    a, b = np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0])
    pairs = pair_counts(a, b, 2)
    # coincidences: o00 = 2·2 = 4, o11 = 2, o01 = o10 = 1; n0 = 5, n1 = 3, n = 8
    # alpha = 1 - (n-1)·(o01+o10)/(n0·n1 + n1·n0) = 1 - 7·2/30 = 8/15
    result = nominal_alpha(pairs, ["none", "x"], "test")
    assert result.value == pytest.approx(8 / 15) and result.computed_by == "krippendorff.alpha"
    assert krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal") == pytest.approx(8 / 15)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60))
def test_alpha_paths_agree_with_package_on_raw_data(coded):
    a, b = (np.array(side) for side in zip(*coded))
    pairs = pair_counts(a, b, 4)
    result = nominal_alpha(pairs, ["w", "x", "y", "z"], "test")
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        assert result.value is None and "undefined" in result.reason
        return
    reference = krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal", value_domain=[0, 1, 2, 3])
    assert result.value == pytest.approx(reference)
    assert alpha_from_coincidences(pairs) == pytest.approx(reference)
    assert nominal_alpha(pairs, ["w", "x", "y", "z"], "t", max_package_units=0).value == pytest.approx(reference)


def test_alpha_single_category_is_null():
    result = nominal_alpha(pair_counts(np.zeros(5, dtype=int), np.zeros(5, dtype=int), 3), ["none", "a", "b"], "t")
    assert result.value is None and "'none'" in result.reason


# ---------------------------------------------------------------- end to end on a tiny corpus

TEXT = "Missiles 🚀 and 𝒟iplomacy\nBlinken said Iran 🇮🇷 has sent missiles. The 𝒲est must act. Talks may fail."
DOC = "missiles"


def span(text: str, needle: str) -> Span:
    start = text.index(needle)  # code points: 🚀, 𝒟, 🇮🇷, 𝒲 are outside the BMP
    return Span(start, start + len(needle), needle)


def claim(cid, needle, claim_type, certainty, stance, holder=Holder("author")):
    return Claim(cid, DOC, span(TEXT, needle), claim_type, certainty, "positive", holder,
                 tuple(Stance(t, p) for t, p in stance))


def layer(name: str, claims, parc_type: str, doc_stance, sha: str) -> tuple[LayerHeader, list[DocumentAnnotations]]:
    attribution = Attribution("a1", DOC, span(TEXT, "Blinken"), span(TEXT, "said"),
                              span(TEXT, "Iran 🇮🇷 has sent missiles"), "person", "indirect", parc_type)
    cue = Cue("h1", DOC, span(TEXT, "may"), "hedge", "modal", ("c3",))
    header = LayerHeader(name, schema_version(), Provenance("manual", f"test annotator {name}", "1.0.0", "2026-11-21"),
                         "1.0.0")
    doc = DocumentAnnotations(DOC, sha, tuple(Stance(t, p) for t, p in doc_stance), tuple(claims), (cue,),
                              (attribution,))
    return header, [doc]


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus-root"
    init_corpus(root, "T", "1.0.0", schema_version())
    source = tmp_path / "missiles.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    add_document(root, source, title="Missiles 🚀 and 𝒟iplomacy", doc_id=DOC)
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    by_attr = Holder("attribution", "a1")
    claims_a = [claim("c1", "Iran 🇮🇷 has sent missiles", "factual", "certain", [("T_IRAN_REGIME", "against")], by_attr),
                claim("c2", "The 𝒲est must act", "prescriptive", "certain", [("T_SANCTIONS", "favor")]),
                claim("c3", "Talks may fail", "predictive", "possible", [("T_ENGAGE_IRAN", "neutral")])]
    claims_b = [claim("c1", "Iran 🇮🇷 has sent missiles", "factual", "certain", [("T_IRAN_REGIME", "against")], by_attr),
                claim("c2", "𝒲est must act", "prescriptive", "certain", [("T_SANCTIONS", "favor")]),
                claim("c3", "Talks may fail", "evaluative", "possible", [("T_ENGAGE_IRAN", "neutral")])]
    write_layer(root / "annotations" / "pass-a.jsonl",
                *layer("pass-a", claims_a, "assertion", [("T_IRAN_REGIME", "against"), ("T_SANCTIONS", "favor")], sha))
    write_layer(root / "annotations" / "pass-b.jsonl",
                *layer("pass-b", claims_b, "belief", [("T_IRAN_REGIME", "against"), ("T_SANCTIONS", "against")], sha))
    return root


def run_json(root: Path, capsys, *args: str) -> dict:
    assert main(["--root", str(root), "agreement", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_on_tiny_layers(tiny_corpus: Path, capsys):
    report = run_json(tiny_corpus, capsys, "pass-a", "pass-b")
    assert report["format"] == "cash-agreement/1" and report["documents"]["compared"] == 1
    claims = report["spans"]["claims"]
    # exact: c1 and c3 equal, c2 differs by "The " -> F1 = 2·2/(3+3) = 2/3; overlap: all 3 -> F1 = 1
    assert claims["exact"]["f1"] == pytest.approx(2 / 3) and claims["overlap"]["f1"] == 1.0
    by_type = claims["by_label"]["claim_type"]
    # prescriptive: 1 vs 1, exact 0 -> 0, overlap 1 -> 1; predictive: A 1, B 0 -> 2·0/1 = 0
    assert (by_type["prescriptive"]["exact"]["f1"], by_type["prescriptive"]["overlap"]["f1"]) == (0.0, 1.0)
    assert by_type["predictive"]["overlap"]["f1"] == 0.0 and by_type["evaluative"]["overlap"]["n_b"] == 1
    kappa = report["kappa"]
    # claim_type on 3 matched pairs: (fact,fact) (presc,presc) (pred,eval): p_o = 2/3,
    # p_e = (1·1 + 1·1)/9 = 2/9, kappa = (2/3 - 2/9)/(1 - 2/9) = (4/9)/(7/9) = 4/7
    assert kappa["claims"]["claim_type"]["kappa"] == pytest.approx(4 / 7)
    # certainty: certain, certain, possible on both sides: p_o = 1, p_e = (2·2+1·1)/9 = 5/9 -> kappa = 1
    assert kappa["claims"]["certainty"]["kappa"] == pytest.approx(1.0)
    # polarity: all positive -> undefined, reported as null with a reason
    assert kappa["claims"]["polarity"]["kappa"] is None and "positive" in kappa["claims"]["polarity"]["reason"]
    # claim stance on T_IRAN_REGIME: (against,against) (absent,absent) x2 -> p_e = (1+4)/9, kappa 1
    assert kappa["claim_stance"]["T_IRAN_REGIME"]["kappa"] == pytest.approx(1.0)
    assert kappa["claim_stance"]["T_UKRAINE_STRIKES"]["kappa"] is None
    # one attribution pair (assertion, belief): p_o = 0, p_e = 1·0/1 = 0 -> kappa 0
    assert kappa["attributions"]["parc_type"]["kappa"] == 0.0 and kappa["cues"]["kind"]["kappa"] is None
    for part in ("attribution_source", "attribution_cue", "attribution_content"):
        assert report["spans"][part]["exact"]["f1"] == 1.0
    assert report["attributions"]["attribution_wise"]["matched"] == 1
    assert report["attributions"]["on_matched"]["source"]["exact"]["share"] == 1.0
    # token alpha for claims over the 21 syntok tokens (title 4 + body 17):
    # pairs: (none,none) 9, (fact,fact) 5, (presc,presc) 3, (presc,none) 1 ["The"], (pred,eval) 3 [Talks may fail]
    # coincidences: n_none = 18+1 = 19, n_fact = 10, n_presc = 6+1 = 7, n_pred = 3, n_eval = 3; n = 42
    # disagreement Σ_{c≠k} o = 1+1+3+3 = 8; Σ_{c≠k} n_c n_k = 42² - (19²+10²+7²+3²+3²) = 1764 - 528 = 1236
    # alpha = 1 - 41·8/1236 = 908/1236
    alpha = report["alpha"]
    assert alpha["claims"]["units"] == 21
    assert alpha["claims"]["alpha"] == pytest.approx(908 / 1236)
    assert alpha["attributions"]["alpha"] == pytest.approx(1.0) and alpha["cues"]["alpha"] == pytest.approx(1.0)
    # document stance over 6 targets: (against,against), (favor,against), (absent,absent) x4
    # p_o = 5/6; A: against 1, favor 1, absent 4; B: against 2, absent 4 -> p_e = (1·2 + 4·4)/36 = 1/2
    # kappa = (5/6 - 1/2)/(1/2) = 2/3
    stance = report["document_stance"]
    assert stance["pooled_kappa"]["kappa"] == pytest.approx(2 / 3)
    assert stance["by_target"]["T_SANCTIONS"]["agreed"] == 0 and stance["by_target"]["T_IRAN_REGIME"]["agreed"] == 1
    assert stance["disagreements"]["examples"] == [{"document_id": DOC, "target": "T_SANCTIONS",
                                                    "a": "favor", "b": "against"}]


def test_swapping_layers_keeps_symmetric_scores(tiny_corpus: Path, capsys):
    ab = run_json(tiny_corpus, capsys, "pass-a", "pass-b")
    ba = run_json(tiny_corpus, capsys, "pass-b", "pass-a")
    assert ab["spans"]["claims"]["exact"]["f1"] == ba["spans"]["claims"]["exact"]["f1"]
    assert ab["kappa"]["claims"]["claim_type"]["kappa"] == pytest.approx(ba["kappa"]["claims"]["claim_type"]["kappa"])
    assert ab["alpha"]["claims"]["alpha"] == pytest.approx(ba["alpha"]["claims"]["alpha"])


def test_cli_table_from_real_command_with_paths(tiny_corpus: Path):
    annotations = tiny_corpus / "annotations"
    done = subprocess.run([sys.executable, "-m", "cash_corpus.cli", "--root", str(tiny_corpus), "agreement",
                           str(annotations / "pass-a.jsonl"), str(annotations / "pass-b.jsonl")],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert "A = pass-a (test annotator pass-a)" in done.stdout
    claims_row = next(line for line in done.stdout.splitlines() if line.startswith("claims "))
    assert claims_row.split()[-2:] == ["0.667", "1.000"]
    assert "both annotators used only the category 'positive'" in done.stdout


def test_text_version_mismatch_is_refused_with_location(tiny_corpus: Path, capsys):
    header, docs = layer("pass-c", [], "assertion", [], "0" * 64)
    write_layer(tiny_corpus / "annotations" / "pass-c.jsonl", header, docs)
    assert main(["--root", str(tiny_corpus), "agreement", "pass-a", "pass-c"]) == 1
    err = capsys.readouterr().err
    assert "pass-c.jsonl" in err and f"doc={DOC}" in err and "sha256" in err


def test_missing_layer_is_a_usage_error(tiny_corpus: Path, capsys):
    assert main(["--root", str(tiny_corpus), "agreement", "pass-a", "nope"]) == 2
    assert "nope.jsonl" in capsys.readouterr().err


def test_layers_without_shared_documents_are_refused(tiny_corpus: Path, capsys):
    header, _ = layer("empty", [], "assertion", [], "0" * 64)
    write_layer(tiny_corpus / "annotations" / "empty.jsonl", header, [])
    assert main(["--root", str(tiny_corpus), "agreement", "pass-a", "empty"]) == 1
    assert "share no document" in capsys.readouterr().err


def test_reversed_span_is_refused_with_annotation_and_offsets(tiny_corpus: Path):
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    bad = Claim("c9", DOC, Span(12, 12, "x"), "factual", "certain", "positive", Holder("author"))
    write_layer(tiny_corpus / "annotations" / "bad.jsonl", *layer("bad", [bad], "assertion", [], sha))
    corpus = Corpus.at(tiny_corpus)
    with pytest.raises(CashError) as caught:
        compare_layers(tiny_corpus / "annotations" / "pass-a.jsonl", tiny_corpus / "annotations" / "bad.jsonl", corpus)
    assert "ann=c9" in str(caught.value) and "[12, 12)" in str(caught.value)


def test_markdown_report_for_the_datasheet_has_no_paths(tiny_corpus: Path):
    from cash_corpus.agreement import markdown_report
    annotations = tiny_corpus / "annotations"
    text = markdown_report(compare_layers(annotations / "pass-a.jsonl", annotations / "pass-b.jsonl",
                                          Corpus.at(tiny_corpus)))
    assert str(tiny_corpus) not in text
    assert "| claims | 3 | 3 | 0.667 | 1.000 |" in text
    assert "| claims.polarity | undefined | 3 | 1.000 |" in text
    assert "pooled kappa 0.667" in text
