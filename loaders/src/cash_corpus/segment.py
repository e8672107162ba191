"""Structural layers: default zoning by lines, sentences and tokens from spaCy's rule-based English tokenizer.

Tokens tile the text: every non-whitespace code point lies in exactly one token and no token
holds whitespace. They come from `spacy.blank("en")` (rules only, no model download), with two
infix rules added so that dashes and emoji are tokens of their own wherever they stand (spaCy
splits an em-dash only between two letters, so `Resistance’—a` stayed one token), and every
spaCy token that still holds whitespace is cut at it. Sentences come from spaCy's rule-based
`sentencizer`, run one line at a time: a line break always ends a sentence (the texts hold one
paragraph per line), and a sentence never crosses a zone boundary (a title is never glued to the
first body sentence). Offsets are code points over the raw text.

The segmenter's name and version are recorded in every structure record (`segmenter`), so a
change of tokenizer is a visible, versioned data change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib.metadata import version

from .records import Zone

SEGMENTER = f"spacy {version('spacy')} blank:en tokenizer+sentencizer (cash rules 2)"
PROSE_ZONES = frozenset({"body", "caption", "disclaimer"})

# Dashes (figure, en, em, horizontal bar, minus) split anywhere; hyphens already split between
# letters/digits in spaCy's English rules. Pictographs, dingbats, regional indicators, variation
# selectors and ZWJ sequences are cut off from letters and punctuation.
_DASHES = "\u2012\u2013\u2014\u2015\u2212"
_EMOJI = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF"
          "\U0001F1E6-\U0001F1FF")
_EMOJI_SEQUENCE = (f"(?:[\U0001F1E6-\U0001F1FF]{{2}}|[{_EMOJI}](?:[\uFE0E\uFE0F\U0001F3FB-\U0001F3FF]"
                   f"|\u200D[{_EMOJI}])*[\uFE0E\uFE0F]?)")
# A quote next to a dash is cut off it (`Resistance’—a` -> `Resistance`, `’`, `—`, `a`).
_QUOTES = "'\"‘’“”"
EXTRA_INFIXES = (_EMOJI_SEQUENCE, f"[{_DASHES}]", f"[{_QUOTES}](?=[{_DASHES}])", f"(?<=[{_DASHES}])[{_QUOTES}]")
_NON_SPACE = re.compile(r"\S+")


@cache
def _nlp():
    """spaCy's blank English pipeline with CASH's extra infix rules and a sentencizer (built once)."""
    import spacy
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("en")
    defaults = nlp.Defaults
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(EXTRA_INFIXES) + list(defaults.infixes)).finditer
    nlp.tokenizer.prefix_search = compile_prefix_regex([_EMOJI_SEQUENCE, f"[{_DASHES}]"] + list(defaults.prefixes)).search
    nlp.tokenizer.suffix_search = compile_suffix_regex([_EMOJI_SEQUENCE, f"[{_DASHES}]"] + list(defaults.suffixes)).search
    nlp.add_pipe("sentencizer")
    return nlp


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token spans of `text` (code points): spaCy's tokens, cut at any whitespace they hold."""
    spans: list[tuple[int, int]] = []
    for token in _nlp().tokenizer(text):
        start = token.idx
        for piece in _NON_SPACE.finditer(token.text):
            spans.append((start + piece.start(), start + piece.end()))
    return spans


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


OPENERS = frozenset("([{‘“«")


def _line_sentences(line: str) -> list[list[tuple[int, int]]]:
    """Token spans of one line grouped into sentences (spaCy sentencizer), offsets within the line.

    The sentencizer keeps punctuation after a full stop with the sentence it ends, opening brackets
    and quotes included (`Tehran. (` | `Photo by …)`); those openers are moved to the sentence they open.
    """
    doc = _nlp()(line)
    sentences: list[list[tuple[int, int]]] = []
    for sentence in doc.sents:
        spans = []
        for token in sentence:
            for piece in _NON_SPACE.finditer(token.text):
                spans.append((token.idx + piece.start(), token.idx + piece.end()))
        if spans:
            sentences.append(spans)
    for k in range(len(sentences) - 1):
        while len(sentences[k]) > 1 and line[sentences[k][-1][0]:sentences[k][-1][1]] in OPENERS:
            sentences[k + 1].insert(0, sentences[k].pop())
    return sentences


def sentences_and_tokens(text: str, zones: list[Zone]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Sentence and token spans of `text`, line by line inside each zone.

    Each line is tokenized and split into sentences on its own, so neither a token nor a
    sentence crosses a line or zone boundary (zones are unions of whole lines).
    """
    sentences: list[tuple[int, int]] = []
    tokens: list[tuple[int, int]] = []
    for zone in zones:
        for line_start, line_end in line_spans(text[zone.start:zone.end]):
            base = zone.start + line_start
            line = text[base:zone.start + line_end]
            if not line.strip():
                continue
            for sentence in _line_sentences(line):
                spans = [(base + s, base + e) for s, e in sentence]
                tokens.extend(spans)
                sentences.append((spans[0][0], spans[-1][1]))
    return sentences, tokens


def boundaries_inside_tokens(tokens, starts, ends):
    """Boolean masks (start_inside, end_inside) over spans: True where a span boundary falls strictly
    inside a token, so the span cannot be written as whole tokens (BIO tags, CoNLL, spaCy spans).

    `tokens` is a sorted, non-overlapping sequence of (start, end) pairs; vectorised with searchsorted.
    """
    import numpy as np

    bounds = np.asarray(tokens, dtype=np.int64).reshape(-1, 2)
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    if not len(bounds):
        return np.zeros(len(starts), dtype=bool), np.zeros(len(ends), dtype=bool)

    def inside(positions):
        index = np.searchsorted(bounds[:, 0], positions, side="right") - 1
        safe = np.maximum(index, 0)
        return (index >= 0) & (bounds[safe, 0] < positions) & (positions < bounds[safe, 1])

    return inside(starts), inside(ends)
