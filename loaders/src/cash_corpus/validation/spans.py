"""Per-span checks for one document, done on arrays: offsets, stored text vs raw text, edge whitespace.

A document's spans are collected into NumPy arrays and checked together; the raw text is
held as an array of code points (UTF-32), so `raw[start:end] == text` for every span becomes a
single gather-and-compare rather than a Python loop of string slices.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache

import numpy as np


@dataclass(frozen=True)
class SpanVerdicts:
    """Boolean masks over a document's spans, each True where that check fails."""

    empty: np.ndarray          # start >= end
    out_of_range: np.ndarray   # end > len(raw) (only where start < end)
    text_mismatch: np.ndarray  # stored text != raw[start:end] (only where the offsets are fine)
    whitespace: np.ndarray     # raw[start] or raw[end-1] is whitespace (only where the text matches)


def code_points(text: str) -> np.ndarray:
    """The text as an array of code points: index i is character i, as offsets count them."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@cache
def _is_blank() -> np.ndarray:
    """Lookup table: True at every code point for which str.isspace() is true (all lie in the BMP)."""
    table = np.zeros(sys.maxunicode + 1, dtype=bool)
    table[[c for c in range(0x10000) if chr(c).isspace()]] = True
    return table


def check_spans(raw: np.ndarray, starts: np.ndarray, ends: np.ndarray, texts: list[str]) -> SpanVerdicts:
    """Check all spans of one document against its raw text (`raw` from `code_points`)."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    empty = starts >= ends
    out_of_range = ~empty & ((ends > raw.size) | (starts < 0))
    usable = ~empty & ~out_of_range
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    mismatch = usable & (lengths != ends - starts)
    compare = usable & ~mismatch
    if compare.any():
        mismatch |= _differs(raw, starts, ends, texts, compare)
    whitespace = np.zeros_like(empty)
    fine = usable & ~mismatch
    if fine.any():
        blank = _is_blank()
        whitespace[fine] = blank[raw[starts[fine]]] | blank[raw[ends[fine] - 1]]
    return SpanVerdicts(empty, out_of_range, mismatch, whitespace)


def _differs(raw: np.ndarray, starts: np.ndarray, ends: np.ndarray, texts: list[str],
             compare: np.ndarray) -> np.ndarray:
    """True for each compared span whose stored text differs from the raw text at its offsets."""
    chosen = np.flatnonzero(compare)
    stored = code_points("".join(texts[i] for i in chosen))
    lengths = ends[chosen] - starts[chosen]
    firsts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    positions = np.repeat(starts[chosen] - firsts, lengths) + np.arange(stored.size)
    unequal = raw[positions] != stored
    out = np.zeros(starts.size, dtype=bool)
    out[chosen] = np.logical_or.reduceat(unequal, firsts)
    return out
