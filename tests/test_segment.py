"""Zoning and segmentation: every character in exactly one zone, sentences never cross zones."""

from __future__ import annotations

from hypothesis import given, strategies as st

from cash_corpus.segment import SEGMENTER, default_zones, line_spans, sentences_and_tokens


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
    assert SEGMENTER.startswith("syntok 1.")
