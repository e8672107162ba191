"""Cohen's kappa from paired labels, with an honest null when it is undefined.

kappa = (p_o - p_e) / (1 - p_e), p_o = share of pairs with equal labels, p_e = Σ_c p_a(c)·p_b(c).
When both annotators used one and the same single category, p_e = 1 and kappa is 0/0: it is
reported as None with the reason, never as 1.0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa over n paired labels; value None (with reason) when undefined."""

    value: float | None
    n: int
    observed: float | None
    expected: float | None
    reason: str | None = None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"kappa": self.value, "reason": self.reason, "n": self.n, "observed_agreement": self.observed,
                "expected_agreement": self.expected, "confusion": self.confusion}


def _nested(confusion: Mapping[tuple[str, str], int]) -> dict[str, dict[str, int]]:
    """{label_a: {label_b: count}}, sorted, zero cells left out."""
    nested: dict[str, dict[str, int]] = {}
    for (label_a, label_b), count in sorted(confusion.items()):
        if count:
            nested.setdefault(label_a, {})[label_b] = count
    return nested


def kappa_from_confusion(confusion: Mapping[tuple[str, str], int]) -> Kappa:
    """Kappa from counts of (label by A, label by B); integer arithmetic decides the undefined case."""
    n = sum(confusion.values())
    nested = _nested(confusion)
    if n == 0:
        return Kappa(None, 0, None, None, "no paired items to compare", nested)
    rows: Counter[str] = Counter()
    cols: Counter[str] = Counter()
    agreed = 0
    for (label_a, label_b), count in confusion.items():
        rows[label_a] += count
        cols[label_b] += count
        agreed += count if label_a == label_b else 0
    chance_numerator = sum(rows[c] * cols[c] for c in rows)
    observed, expected = agreed / n, chance_numerator / (n * n)
    if chance_numerator == n * n:
        (only,) = {c for c, k in rows.items() if k}
        return Kappa(None, n, observed, expected,
                     f"both annotators used only the category {only!r}: expected agreement is 1, "
                     "so kappa is 0/0 (undefined)", nested)
    return Kappa((observed - expected) / (1 - expected), n, observed, expected, None, nested)


def cohen_kappa(pairs: Iterable[tuple[str, str]]) -> Kappa:
    """Kappa of (label by A, label by B) pairs for the same items."""
    return kappa_from_confusion(Counter(pairs))
