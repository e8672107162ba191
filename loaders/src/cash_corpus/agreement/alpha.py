"""Token-level nominal Krippendorff's alpha for span layers (PolNeAR-style token coding).

Each corpus token (corpus/structure.jsonl) of a compared document is one unit; each
annotator gives it one category: the label of the span covering it, or 'none'. A token is
covered by a span when they share at least one code point. Codes are given in order and a
later span overwrites an earlier one, so callers order spans to say which wins (e.g. inner
spans after outer ones, attribution cue after source after content).

Only the coincidence matrix matters for alpha, so documents are reduced to a V×V matrix of
(category by A, category by B) token counts as they stream past. Alpha itself comes from the
`krippendorff` package on an exactly equivalent, compressed set of units: all tokens where
both agree on category c become one unit holding 2·k values c (it contributes 2·k to o_cc,
exactly like k two-coder units), and each disagreeing token stays its own unit. Past
`MAX_PACKAGE_UNITS` disagreeing tokens the same formula is evaluated directly from the
coincidence matrix (Krippendorff 2011, nominal), to keep memory bounded; tests check that the
two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np

NONE = "none"
MAX_PACKAGE_UNITS = 200_000


@dataclass(frozen=True)
class Alpha:
    """Nominal alpha over `units` tokens; value None (with reason) when undefined."""

    value: float | None
    units: int
    categories: tuple[str, ...]
    coding: str
    reason: str | None = None
    computed_by: str | None = None

    def to_dict(self) -> dict:
        return {"alpha": self.value, "reason": self.reason, "units": self.units, "unit": "token",
                "level": "nominal", "categories": list(self.categories), "coding": self.coding,
                "computed_by": self.computed_by}


def token_categories(tokens: np.ndarray, coded_spans: Sequence[tuple[int, int, int]]) -> np.ndarray:
    """Category code per token (0 = none); each (start, end, code) overwrites the tokens it touches.

    `tokens` is an (n, 2) array of sorted, non-overlapping [start, end) code-point offsets.
    """
    codes = np.zeros(len(tokens), dtype=np.int64)
    if not len(tokens):
        return codes
    if not len(coded_spans):
        return codes
    spans = np.asarray(coded_spans, dtype=np.int64).reshape(-1, 3)
    first = np.searchsorted(tokens[:, 1], spans[:, 0], side="right").tolist()
    stop = np.searchsorted(tokens[:, 0], spans[:, 1], side="left").tolist()
    for begin, end, code in zip(first, stop, spans[:, 2].tolist()):
        codes[begin:end] = code
    return codes


def pair_counts(codes_a: np.ndarray, codes_b: np.ndarray, n_categories: int) -> np.ndarray:
    """V×V matrix: [c, k] = number of tokens A coded c and B coded k."""
    flat = np.bincount(codes_a * n_categories + codes_b, minlength=n_categories * n_categories)
    return flat.reshape(n_categories, n_categories)


def compressed_value_counts(pairs: np.ndarray) -> np.ndarray:
    """Units × categories counts whose coincidence matrix equals that of the token pairs."""
    size = pairs.shape[0]
    rows = [np.eye(size, dtype=np.int64)[c] * 2 * pairs[c, c] for c in range(size) if pairs[c, c]]
    for c in range(size):
        for k in range(size):
            if c != k and pairs[c, k]:
                row = np.zeros(size, dtype=np.int64)
                row[c] = row[k] = 1
                rows.append(np.repeat(row[np.newaxis, :], pairs[c, k], axis=0))
    return np.vstack([r.reshape(-1, size) for r in rows])


def alpha_from_coincidences(pairs: np.ndarray) -> float:
    """Nominal alpha = 1 - (n-1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k (coincidences o = pairs + pairsᵀ)."""
    coincidences = (pairs + pairs.T).astype(np.float64)
    n_c = coincidences.sum(axis=1)
    n = n_c.sum()
    disagreement = coincidences.sum() - np.trace(coincidences)
    expected = n_c.sum() ** 2 - (n_c ** 2).sum()
    return float(1 - (n - 1) * disagreement / expected)


def nominal_alpha(pairs: np.ndarray, categories: Sequence[str], coding: str,
                  max_package_units: int = MAX_PACKAGE_UNITS) -> Alpha:
    """Alpha from a V×V token pair matrix; None with a reason when fewer than 2 units or 1 category."""
    units = int(pairs.sum())
    used = [categories[c] for c in range(len(categories)) if pairs[c, :].sum() + pairs[:, c].sum()]
    if units < 2:
        return Alpha(None, units, tuple(categories), coding, "fewer than two tokens to compare")
    if len(used) < 2:
        return Alpha(None, units, tuple(categories), coding,
                     f"every token has the category {used[0]!r} for both annotators: expected "
                     "disagreement is 0, so alpha is 0/0 (undefined)")
    disagreeing = units - int(np.trace(pairs))
    if disagreeing <= max_package_units:
        value = krippendorff.alpha(value_counts=compressed_value_counts(pairs), level_of_measurement="nominal")
        return Alpha(float(value), units, tuple(categories), coding, None, "krippendorff.alpha")
    return Alpha(alpha_from_coincidences(pairs), units, tuple(categories), coding, None, "coincidence matrix")
