"""The trained baseline: a linear-chain CRF (sklearn-crfsuite) per tag family on the BIO tags of
the `tokens` config (outer columns: claims by type, cues by kind, attribution roles).

Features are the usual ones of CoNLL-style taggers: the word, its lower case, prefix/suffix,
shape, and whether it is in the guideline lexicons (`lexicon.in_lexicon`), for the token and a
window of two on each side. Training is deterministic (L-BFGS, fixed settings), so a rerun on
the same data gives the same model and the same scores.

Confidence: `predict_with_marginals` also returns, per family, each token's marginal probability
of the tag the CRF chose (crfsuite's forward-backward `predict_marginals`); a predicted span's
score is the mean of those probabilities over its tokens (`span_score`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..bio import FAMILIES
from .lexicon import in_lexicon

SETTINGS = {"algorithm": "lbfgs", "c1": 0.1, "c2": 0.05, "max_iterations": 100, "all_possible_transitions": True}


def shape(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"\d", "0", word))))


def word_features(word: str, prefix: str) -> dict[str, object]:
    lexicon = in_lexicon(word)
    return {f"{prefix}lower": word.lower(), f"{prefix}suffix3": word[-3:].lower(), f"{prefix}prefix3": word[:3].lower(),
            f"{prefix}shape": shape(word), f"{prefix}title": word.istitle(), f"{prefix}punct": not any(c.isalnum() for c in word),
            f"{prefix}hedge": lexicon["hedge"], f"{prefix}booster": lexicon["booster"],
            f"{prefix}attribution": lexicon["attribution"]}


def sentence_features(words: Sequence[str]) -> list[dict[str, object]]:
    out = []
    for i in range(len(words)):
        features: dict[str, object] = {"bias": 1.0, "position": min(i, 5), "to_end": min(len(words) - 1 - i, 5)}
        for offset in (-2, -1, 0, 1, 2):
            j = i + offset
            if 0 <= j < len(words):
                features.update(word_features(words[j], f"{offset}:"))
            else:
                features[f"{offset}:pad"] = True
        out.append(features)
    return out


@dataclass
class CrfTagger:
    """One CRF per tag family, trained on sentence rows of `cash_corpus.bio.sentence_rows`."""

    models: dict = field(default_factory=dict)
    sentences: int = 0

    def fit(self, rows: Iterable[dict]) -> "CrfTagger":
        import sklearn_crfsuite
        rows = list(rows)
        features = [sentence_features(row["tokens"]) for row in rows]
        for family in FAMILIES:
            model = sklearn_crfsuite.CRF(**SETTINGS)
            model.fit(features, [row[f"{family}_tags"] for row in rows])
            self.models[family] = model
        self.sentences = len(rows)
        return self

    def predict(self, words: Sequence[str]) -> dict[str, list[str]]:
        if not words:
            return {family: [] for family in FAMILIES}
        features = [sentence_features(words)]
        return {family: list(model.predict(features)[0]) for family, model in self.models.items()}

    def predict_with_marginals(self, words: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, list[float]]]:
        """The tags of `predict` and, per family, each token's marginal probability of its tag."""
        tags = self.predict(words)
        if not words:
            return tags, {family: [] for family in FAMILIES}
        features = [sentence_features(words)]
        marginals = {}
        for family, model in self.models.items():
            per_token = model.predict_marginals(features)[0]
            marginals[family] = [float(probabilities.get(tag, 0.0)) for probabilities, tag in zip(per_token, tags[family])]
        return tags, marginals


def span_score(tokens: Sequence[tuple[int, int]], probabilities: Sequence[float], start: int, end: int) -> float:
    """Mean marginal probability of the tags of the tokens inside [start, end), rounded to 4 places."""
    inside = [p for (s, e), p in zip(tokens, probabilities) if start <= s and e <= end]
    return round(sum(inside) / len(inside), 4) if inside else 0.0


def library_version() -> str:
    from importlib.metadata import version
    return f"sklearn-crfsuite {version('sklearn-crfsuite')}"
