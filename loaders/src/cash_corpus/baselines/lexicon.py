"""The lexicon baseline: hedge/booster cues and attribution cues by word lists from the guidelines.

Every entry below is a word or phrase that schema/GUIDELINES.md names (§2 for hedges and boosters
with their cue types, §3 and §4 for attribution cues), with the inflected forms a reporting verb
takes in running text. Matching is case-insensitive over the corpus tokens, longest phrase first,
and never inside a token. It predicts cue spans (with kind and cue type) and attribution cue
spans; it has no notion of scope, so it says nothing about claims or contents by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

GUIDELINE_VERSION = "1.1.0"  # the guidelines the lists were taken from

# phrase -> (kind, cue_type); GUIDELINES §2 (1.1.0)
CUES: dict[str, tuple[str, str]] = {
    **{w: ("hedge", "modal") for w in ("may", "might", "could")},
    **{w: ("hedge", "lexical_verb") for w in ("suggest", "suggests", "suggested", "appear", "appears", "appeared",
                                               "seem", "seems", "seemed", "indicate", "indicates", "indicated")},
    **{w: ("hedge", "adverb") for w in ("probably", "possibly", "perhaps", "reportedly", "allegedly")},
    **{w: ("hedge", "adjective") for w in ("likely", "unlikely", "poised to")},
    **{w: ("hedge", "noun") for w in ("possibility", "likelihood", "risk of")},
    **{w: ("hedge", "approximator") for w in ("up to", "about", "several", "dozens of", "partly")},
    **{w: ("hedge", "conditional") for w in ("if", "unless")},
    **{w: ("booster", "adverb") for w in ("clearly", "certainly", "undoubtedly", "indeed")},
    **{w: ("booster", "other") for w in ("in fact", "of course", "it is clear")},
    **{w: ("booster", "negation") for w in ("never",)},
    **{w: ("booster", "lexical_verb") for w in ("shows", "underscores", "demonstrates")},
    **{w: ("booster", "noun") for w in ("evidence",)},
}

# GUIDELINES §3 (cue, parc_type) and §4 (reporting verbs that are also hedges)
ATTRIBUTION_CUES: tuple[str, ...] = (
    "according to", "said", "says", "say", "saying", "warned", "warns", "warn", "warning", "declared", "declares",
    "declare", "announced", "announces", "announce", "condemned", "condemns", "characterizing", "characterized",
    "described", "describes", "called", "calls", "think", "thinks", "thought", "perceive", "perceives",
    "concerned", "disclosed", "discloses", "know", "knows", "knew", "revealed", "reveals", "showed", "shows",
    "pledge", "pledged", "pledges", "demand", "demanded", "demands", "want", "wants", "wanted", "intend",
    "intends", "denied", "has denied", "denies", "indicating", "suggest", "suggests", "suggested",
    "issued a stark warning", "send a clear message",
)


@cache
def _phrases(kind: str) -> list[tuple[tuple[str, ...], str | tuple[str, str]]]:
    """(lower-cased token sequence, value) longest first."""
    source = CUES.items() if kind == "cue" else ((p, "cue") for p in ATTRIBUTION_CUES)
    out = [(tuple(phrase.split()), value) for phrase, value in source]
    return sorted(out, key=lambda item: -len(item[0]))


def match(words: Sequence[str], kind: str) -> list[tuple[int, int, object]]:
    """Non-overlapping (first, last) token ranges matching the lexicon `kind` ('cue' or 'attribution')."""
    lowered = [w.lower() for w in words]
    taken = [False] * len(words)
    found = []
    for phrase, value in _phrases(kind):
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(lowered[i:i + n]) == phrase and not any(taken[i:i + n]):
                taken[i:i + n] = [True] * n
                found.append((i, i + n, value))
    return sorted(found, key=lambda f: f[0])


@cache
def in_lexicon(word: str) -> dict[str, bool]:
    """Token features for the CRF: is the word (part of) a hedge, booster or attribution cue entry?"""
    w = word.lower()
    return {"hedge": any(w in p.split() and v[0] == "hedge" for p, v in CUES.items()),
            "booster": any(w in p.split() and v[0] == "booster" for p, v in CUES.items()),
            "attribution": any(w in p.split() for p in ATTRIBUTION_CUES)}
