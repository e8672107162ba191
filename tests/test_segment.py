"""Zoning and segmentation: every character in exactly one zone, sentences never cross zones."""

from __future__ import annotations

from hypothesis import given, strategies as st

from pathlib import Path

import pytest

from cash_corpus.corpus import Corpus, build_structure, resegmented_structures
from cash_corpus.layers import iter_documents
from cash_corpus.segment import (SEGMENTER, boundaries_inside_tokens, default_zones, line_spans,
                                 sentences_and_tokens, tokenize)

ROOT = Path(__file__).resolve().parents[1]


def test_default_zoning_title_then_body_blank_lines_attach_backwards():
    text = "Title 🚀\n\nFirst para.\n\nSecond para."
    zones = default_zones(text)
    assert [(z.type, text[z.start:z.end]) for z in zones] == [("title", "Title 🚀\n\n"), ("body", "First para.\n\nSecond para.")]


def test_overrides_by_line():
    text = "T\nCaption here\n©\nBody."
    zones = default_zones(text, {2: "caption", 3: "credit"})
    assert [z.type for z in zones] == ["title", "caption", "credit", "body"]


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=15), min_size=1, max_size=8))
def test_zones_partition_any_text(lines):
    text = "\n".join(lines)
    zones = default_zones(text)
    assert "".join(text[z.start:z.end] for z in zones) == text
    assert all(z.start < z.end for z in zones)
    assert sum(len(text[s:e]) for s, e in line_spans(text)) == len(text)


def test_sentences_and_tokens_are_code_point_offsets_within_zones():
    text = "Missiles 🚀 and 𝔸lliances\nIran 🇮🇷 may have sent missiles. The West must act."
    zones = default_zones(text)
    sentences, tokens = sentences_and_tokens(text, zones)
    assert [text[s:e] for s, e in sentences] == ["Missiles 🚀 and 𝔸lliances", "Iran 🇮🇷 may have sent missiles.",
                                                 "The West must act."]
    assert "🚀" in [text[s:e] for s, e in tokens]
    assert all(text[s:e].strip() == text[s:e] for s, e in tokens)


def test_segmenter_version_is_recorded():
    from importlib.metadata import version
    assert SEGMENTER.startswith(f"spacy {version('spacy')} ")
    assert {s.segmenter for s in Corpus.at(ROOT).structures()} == {SEGMENTER}


def assert_tiles(text: str, tokens, sentences=(), zones=()) -> None:
    """Every non-whitespace code point in exactly one token; tokens hold no whitespace, are sorted and
    disjoint, and none crosses a sentence or zone boundary."""
    covered = [0] * len(text)
    previous_end = 0
    for start, end in tokens:
        assert previous_end <= start < end <= len(text)
        assert not any(ch.isspace() for ch in text[start:end]), (text[start:end],)
        for i in range(start, end):
            covered[i] += 1
        previous_end = end
    assert all(covered[i] == (0 if ch.isspace() else 1) for i, ch in enumerate(text))
    for bounds in (sentences, zones):
        edges = sorted({e for pair in bounds for e in pair})
        for start, end in tokens:
            assert not any(start < edge < end for edge in edges)


def test_known_splits():
    pieces = lambda text: [text[s:e] for s, e in tokenize(text)]
    assert pieces("the so-called ‘Axis of Resistance’—a network") == [
        "the", "so", "-", "called", "‘", "Axis", "of", "Resistance", "’", "—", "a", "network"]
    assert pieces("Iran—and Russia – a move") == ["Iran", "—", "and", "Russia", "–", "a", "move"]
    assert pieces("Wow!🚀🚀 great 👍🏽x 🇮🇷Iran") == ["Wow", "!", "🚀", "🚀", "great", "👍🏽", "x", "🇮🇷", "Iran"]
    assert pieces("a\r\nb  c\u00a0d") == ["a", "b", "c", "d"]


def test_tokens_tile_every_corpus_text_and_no_gold_boundary_falls_inside_a_token():
    corpus = Corpus.at(ROOT)
    structures = {s.document_id: s for s in corpus.structures()}
    assert structures == {s.document_id: s for s in resegmented_structures(ROOT)}  # structure.jsonl is current
    for doc_id, structure in structures.items():
        text = corpus.text(doc_id)
        assert_tiles(text, structure.tokens, structure.sentences, [(z.start, z.end) for z in structure.zones])
    inside = 0
    for doc in iter_documents(ROOT / "annotations" / "gold.jsonl"):
        spans = [c.span for c in doc.claims] + [q.span for q in doc.cues] + [
            s for a in doc.attributions for s in (a.source, a.cue, a.content) if s is not None]
        starts, ends = boundaries_inside_tokens(structures[doc.document_id].tokens,
                                                [s.start for s in spans], [s.end for s in spans])
        inside += int(starts.sum() + ends.sum())
    assert inside == 0


def test_boundaries_inside_tokens():
    starts, ends = boundaries_inside_tokens([(0, 4), (5, 9)], [0, 1, 5, 6], [4, 9, 7, 9])
    assert starts.tolist() == [False, True, False, True]
    assert ends.tolist() == [False, False, True, False]


PIECES = st.sampled_from(["so-called", "—", "–", "-", "Iran", "’", "“", "”", "🚀", "👍🏽", "🇮🇷", "𝔸lliances", "U.S.",
                          "2,000", ".", "!", "?", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "e-mail", "👨‍👩‍👧",
                          "Resistance’—a", "x", "(", ")", ":", ";"])


@given(st.lists(PIECES | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6), max_size=30))
def test_tokens_tile_generated_texts(parts):
    text = "".join(parts)
    assert_tiles(text, tokenize(text))
    zones = default_zones(text)
    sentences, tokens = sentences_and_tokens(text, zones)
    assert_tiles(text, tokens, sentences, [(z.start, z.end) for z in zones])
    assert all(text[s:e].strip() == text[s:e] for s, e in sentences)
