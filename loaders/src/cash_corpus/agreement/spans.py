"""Span matching and span F1 between two annotators' span lists.

Two matching modes:

- ``exact``: spans match when start and end are both equal.
- ``overlap``: spans match when they share at least one code point
  (``a.start < b.end and b.start < a.end``). Pairs are chosen greedily, largest number of
  shared code points first (ties: smaller boundary distance ``|Δstart| + |Δend|``, then text
  order), and every span is used at most once, so one long span can never match two short
  ones.

Both modes are one-to-one, so F1 is symmetric: ``2·matched / (n_a + n_b)``. Precision and
recall take layer A as the reference (precision = matched / n_b, recall = matched / n_a).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EXACT = "exact"
OVERLAP = "overlap"
MODES = (EXACT, OVERLAP)

EXACT_DEFINITION = "spans match when start and end are both equal (one-to-one)"
OVERLAP_DEFINITION = ("spans match when they share at least one code point; pairs chosen greedily by largest "
                      "number of shared code points (ties: smaller |Δstart|+|Δend|, then text order); "
                      "each span matches at most once")

Offsets = Sequence[tuple[int, int]]


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class MatchCounts:
    """Span counts of two annotators and how many spans were paired; adds up across documents."""

    n_a: int = 0
    n_b: int = 0
    matched: int = 0

    def __add__(self, other: "MatchCounts") -> "MatchCounts":
        return MatchCounts(self.n_a + other.n_a, self.n_b + other.n_b, self.matched + other.matched)

    @property
    def precision(self) -> float | None:
        """Share of B's spans paired with one of A's (A as reference)."""
        return _ratio(self.matched, self.n_b)

    @property
    def recall(self) -> float | None:
        """Share of A's spans paired with one of B's."""
        return _ratio(self.matched, self.n_a)

    @property
    def f1(self) -> float | None:
        """2·matched / (n_a + n_b): symmetric in A and B; None when neither has a span."""
        return _ratio(2 * self.matched, self.n_a + self.n_b)

    def to_dict(self) -> dict:
        return {"n_a": self.n_a, "n_b": self.n_b, "matched": self.matched, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


def match_exact(spans_a: Offsets, spans_b: Offsets) -> list[tuple[int, int]]:
    """Index pairs (i, j) with identical offsets; duplicates pair off one-to-one in order."""
    waiting: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j in range(len(spans_b) - 1, -1, -1):
        waiting[tuple(spans_b[j])].append(j)
    pairs = []
    for i, span in enumerate(spans_a):
        bucket = waiting.get(tuple(span))
        if bucket:
            pairs.append((i, bucket.pop()))
    return pairs


def _starting_inside(x_start: np.ndarray, x_end: np.ndarray, y_start_sorted: np.ndarray):
    """All (x, y-rank) with x.start <= y.start < x.end; output-sensitive via searchsorted."""
    low = np.searchsorted(y_start_sorted, x_start, side="left")
    high = np.searchsorted(y_start_sorted, x_end, side="left")
    counts = np.maximum(high - low, 0)
    x_index = np.repeat(np.arange(len(x_start)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return x_index, np.repeat(low, counts) + within


def overlap_candidates(spans_a: Offsets, spans_b: Offsets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every overlapping pair (i, j) and its shared length, without an all-pairs loop.

    A pair overlaps iff b starts inside a (a.start <= b.start < a.end) or a starts strictly
    inside b (b.start < a.start < b.end); both sets come from sorted starts.
    """
    a = np.asarray(spans_a, dtype=np.int64).reshape(-1, 2)
    b = np.asarray(spans_b, dtype=np.int64).reshape(-1, 2)
    order_a, order_b = np.argsort(a[:, 0], kind="stable"), np.argsort(b[:, 0], kind="stable")
    i1, rank_b = _starting_inside(a[:, 0], a[:, 1], b[order_b, 0])
    j1 = order_b[rank_b]
    j2, rank_a = _starting_inside(b[:, 0], b[:, 1], a[order_a, 0])
    i2 = order_a[rank_a]
    strictly_after = a[i2, 0] > b[j2, 0]
    i = np.concatenate([i1, i2[strictly_after]])
    j = np.concatenate([j1, j2[strictly_after]])
    shared = np.minimum(a[i, 1], b[j, 1]) - np.maximum(a[i, 0], b[j, 0])
    return i, j, shared


def match_overlap(spans_a: Offsets, spans_b: Offsets) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, greedily by largest shared length (see module doc)."""
    if not len(spans_a) or not len(spans_b):
        return []
    i, j, shared = overlap_candidates(spans_a, spans_b)
    a = np.asarray(spans_a, dtype=np.int64).reshape(-1, 2)
    b = np.asarray(spans_b, dtype=np.int64).reshape(-1, 2)
    distance = np.abs(a[i, 0] - b[j, 0]) + np.abs(a[i, 1] - b[j, 1])
    order = np.lexsort((j, i, distance, -shared))
    used_a, used_b = set(), set()
    pairs = []
    for k in order.tolist():
        ai, bj = int(i[k]), int(j[k])
        if ai not in used_a and bj not in used_b:
            used_a.add(ai)
            used_b.add(bj)
            pairs.append((ai, bj))
    return sorted(pairs)


def match_spans(spans_a: Offsets, spans_b: Offsets, mode: str) -> list[tuple[int, int]]:
    if mode == EXACT:
        return match_exact(spans_a, spans_b)
    if mode == OVERLAP:
        return match_overlap(spans_a, spans_b)
    raise ValueError(f"unknown match mode {mode!r}; expected one of {MODES}")


def span_f1(spans_a: Offsets, spans_b: Offsets, mode: str) -> MatchCounts:
    """Counts (and so precision, recall, F1) of one-to-one matching in `mode` ('exact' or 'overlap')."""
    return MatchCounts(len(spans_a), len(spans_b), len(match_spans(spans_a, spans_b, mode)))
