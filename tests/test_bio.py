"""BIO tags from spans and back: placement under the nesting policy, decoding, the gold round trip."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given, settings, strategies as st

from cash_corpus.bio import (FAMILIES, FAMILY_LEVELS, LabelledSpan, OUTSIDE, attribution_roles, decode,
                             family_columns, family_spans, nesting_counts, place_spans, sentence_spans,
                             sentence_token_slices, tag_names)
from cash_corpus.corpus import Corpus
from cash_corpus.layers import iter_documents
from cash_corpus.schema import label_names

ROOT = Path(__file__).resolve().parents[1]
TOKENS = [(0, 4), (5, 7), (8, 12), (13, 17), (18, 20), (20, 21)]  # "Iran may have sent it ."


def test_label_names_come_from_the_schema():
    assert tag_names("claim") == ["O"] + [f"{p}-{t}" for t in label_names("claim_type") for p in "BI"]
    assert tag_names("cue") == ["O"] + [f"{p}-{k}" for k in label_names("cue_kind") for p in "BI"]
    assert attribution_roles() == ("source", "cue", "content")
    assert family_columns("claim") == ["claim_tags", "claim_tags_inner"] and family_columns("cue") == ["cue_tags"]


def test_outermost_claim_wins_and_the_inner_one_gets_its_own_column():
    outer = LabelledSpan(0, 21, "factual")
    inner = LabelledSpan(8, 17, "predictive")
    placement = place_spans(TOKENS, [inner, outer])
    assert placement.columns[0] == ["B-factual"] + ["I-factual"] * 5
    assert placement.columns[1] == ["O", "O", "B-predictive", "I-predictive", "O", "O"]
    assert placement.placed == Counter(outer=1, inner=1)
    third = LabelledSpan(13, 17, "evaluative")
    assert place_spans(TOKENS, [inner, outer, third]).placed == Counter(outer=1, inner=1, dropped=1)
    assert place_spans(TOKENS, [outer, inner], levels=1).placed == Counter(outer=1, dropped=1)


def test_decode_inverts_place_and_reads_adjacent_spans_apart():
    spans = [LabelledSpan(0, 4, "source"), LabelledSpan(5, 7, "cue"), LabelledSpan(8, 17, "content"),
             LabelledSpan(18, 20, "content")]
    column = place_spans(TOKENS, spans).columns[0]
    assert column == ["B-source", "B-cue", "B-content", "I-content", "B-content", "O"]
    assert decode(TOKENS, column) == spans
    assert decode(TOKENS, ["I-cue", "I-cue", "O", "I-x", "B-x", "I-y"]) == [
        LabelledSpan(0, 7, "cue"), LabelledSpan(13, 17, "x"), LabelledSpan(18, 20, "x"), LabelledSpan(20, 21, "y")]


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6), st.sampled_from(["a", "b"])), max_size=6))
def test_non_overlapping_spans_round_trip(raw):
    spans, taken = [], set()
    for first, length, label in raw:
        last = min(first + length, len(TOKENS))
        if taken.isdisjoint(range(first, last)):
            taken.update(range(first, last))
            spans.append(LabelledSpan(TOKENS[first][0], TOKENS[last - 1][1], label))
    placement = place_spans(TOKENS, spans, levels=1)
    assert decode(TOKENS, placement.columns[0]) == sorted(spans, key=lambda s: s.start)


def test_sentence_helpers():
    assert sentence_token_slices([(0, 12), (13, 21)], TOKENS) == [(0, 3), (3, 6)]
    pieces, crossing = sentence_spans([LabelledSpan(5, 17, "x")], 0, 12)
    assert pieces == [LabelledSpan(5, 12, "x")] and crossing == 1


def gold_documents():
    corpus = Corpus.at(ROOT)
    structures = {s.document_id: s for s in corpus.structures()}
    for doc in iter_documents(ROOT / "annotations" / "gold.jsonl"):
        structure = structures[doc.document_id]
        yield doc, structure.sentences, structure.tokens


def test_gold_bio_decodes_back_to_the_gold_spans_nesting_counted():
    """Every gold span comes back from the tag columns exactly; inner spans from the inner column."""
    counts = nesting_counts(gold_documents())
    for family in FAMILIES:
        assert counts[family]["dropped"] == counts[family]["crossing_sentence"] == counts[family]["no_token"] == 0
        assert counts[family]["outer"] + counts[family]["inner"] == counts[family]["spans"]
    assert counts["claim"]["inner"] == 5  # the five nested claim pairs of the gold layer
    for doc, sentences, tokens in gold_documents():
        for family in FAMILIES:
            decoded = []
            for (start, end), (first, last) in zip(sentences, sentence_token_slices(sentences, tokens)):
                pieces, _ = sentence_spans(family_spans(doc, family), start, end)
                for column in place_spans(tokens[first:last], pieces, FAMILY_LEVELS[family]).columns:
                    assert len(column) == last - first
                    decoded += decode(tokens[first:last], column)
            assert sorted(decoded, key=lambda s: (s.start, -s.end, s.label)) == family_spans(doc, family)
            assert all(tag == OUTSIDE or tag in tag_names(family) for tag in column)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=8))
def test_spans_by_sentence_equals_the_per_sentence_loop(raw):
    from cash_corpus.bio import spans_by_sentence
    sentences = [(0, 5), (6, 12), (12, 20), (25, 31)]
    spans = sorted((LabelledSpan(s, s + n, "x") for s, n in raw), key=lambda sp: (sp.start, -sp.end))
    assert spans_by_sentence(sentences, spans) == [sentence_spans(spans, s, e) for s, e in sentences]


@st.composite
def documents_with_spans(draw):
    """A few documents laid end to end on one axis (as `hf.rows.Shard` lays a shard): sorted, disjoint
    tokens, sorted sentences (tokens between or past them included), and spans that nest, overlap,
    cross sentence edges, cover no token or share bounds, with labels from a small alphabet."""
    sentences, tokens, spans, base = [], [], [], 0
    for _ in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 40))
        cuts = sorted(draw(st.sets(st.integers(0, length), min_size=2, max_size=16)))
        doc_tokens = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
        bounds = sorted(draw(st.sets(st.integers(0, length), max_size=8)))
        doc_sentences = [(a, b) for a, b in zip(bounds[::2], bounds[1::2]) if a < b]
        for _ in range(draw(st.integers(0, 8))):
            start = draw(st.integers(0, length - 1))
            end = draw(st.integers(start + 1, length))
            spans.append((start + base, end + base, draw(st.sampled_from(["b", "a", "c"]))))
        sentences += [(a + base, b + base) for a, b in doc_sentences]
        tokens += [(a + base, b + base) for a, b in doc_tokens]
        base += length + 1
    return sentences, tokens, spans


@settings(max_examples=300, deadline=None)
@given(documents_with_spans(), st.sampled_from([1, 2]))
def test_place_tags_equals_place_spans_per_sentence(case, levels):
    """The shard-wide vectorised placement gives, token for token, the tags of the per-sentence
    reference (`spans_by_sentence` + `place_spans`), for one and two levels."""
    import numpy as np
    from datasets import ClassLabel

    from cash_corpus.bio import place_tags, spans_by_sentence
    sentences, tokens, raw = case
    names = ["a", "b", "c"]
    column = ClassLabel(names=[OUTSIDE] + [f"{p}-{x}" for x in names for p in "BI"])
    spans = sorted((LabelledSpan(s, e, label) for s, e, label in raw), key=lambda sp: (sp.start, -sp.end, sp.label))
    slices = sentence_token_slices(sentences, tokens)
    sentence_array = np.asarray(sentences, dtype=np.int64).reshape(-1, 2)
    token_array = np.asarray(tokens, dtype=np.int64).reshape(-1, 2)
    got = place_tags(sentence_array, (np.asarray([f for f, _ in slices], dtype=np.int64),
                                      np.asarray([l for _, l in slices], dtype=np.int64)),
                     token_array, np.asarray([s for s, _, _ in raw], dtype=np.int64),
                     np.asarray([e for _, e, _ in raw], dtype=np.int64),
                     np.asarray([names.index(label) for _, _, label in raw], dtype=np.int64), names, [column] * levels)
    for (first, last), (pieces, _) in zip(slices, spans_by_sentence(sentences, spans)):
        want = place_spans(tokens[first:last], pieces, levels).columns
        for level in range(levels):
            assert [column.int2str(int(t)) for t in got[level][first:last]] == want[level]
