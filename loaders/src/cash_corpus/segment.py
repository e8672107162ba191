"""Structural layers: default zoning by lines, sentences and tokens from syntok.

Sentences are split inside each zone, so a sentence never crosses a zone boundary (a title
is never glued to the first body sentence). Offsets are code points over the raw text.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import version

import syntok.segmenter

from .records import Zone

SEGMENTER = f"syntok {version('syntok')}"
PROSE_ZONES = frozenset({"body", "caption", "disclaimer"})


def line_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each line including its terminating newline."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((start, start + len(line)))
        start += len(line)
    return spans


def default_zones(text: str, overrides: Mapping[int, str] | None = None) -> list[Zone]:
    """Zones from lines: line 1 is the title, the rest body, unless `overrides` (1-based line → type)
    says otherwise. Blank lines belong to the zone before them; runs of one type merge.

    The zones cover every character exactly once: each zone runs to the start of the next.
    """
    overrides = dict(overrides or {})
    typed: list[tuple[str, int, int]] = []
    for number, (start, end) in enumerate(line_spans(text), start=1):
        blank = not text[start:end].strip()
        if blank and number not in overrides and typed:
            kind = typed[-1][0]
        else:
            kind = overrides.get(number, "title" if number == 1 else "body")
        if typed and typed[-1][0] == kind:
            typed[-1] = (kind, typed[-1][1], end)
        else:
            typed.append((kind, start, end))
    return [Zone(kind, start, end) for kind, start, end in typed]


def sentences_and_tokens(text: str, zones: list[Zone]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Sentence and token spans of `text`, segmented zone by zone with syntok."""
    sentences: list[tuple[int, int]] = []
    tokens: list[tuple[int, int]] = []
    for zone in zones:
        # Prose zones are segmented whole; in the others (title, credit, author block…) each line
        # stands alone, so "Image by …" and "©" never become one sentence.
        chunks = [(zone.start, zone.end)] if zone.type in PROSE_ZONES else [
            (zone.start + s, zone.start + e) for s, e in line_spans(text[zone.start:zone.end])]
        for chunk_start, chunk_end in chunks:
            for paragraph in syntok.segmenter.analyze(text[chunk_start:chunk_end]):
                for sentence in paragraph:
                    spans = [(chunk_start + t.offset, chunk_start + t.offset + len(t.value)) for t in sentence if t.value]
                    if spans:
                        tokens.extend(spans)
                        sentences.append((spans[0][0], spans[-1][1]))
    return sentences, tokens
