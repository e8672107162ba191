"""From predicted spans to a schema-valid annotation layer document (the part of pre-annotation
that is rules, shared by both baselines).

Per sentence:
- an attribution is built around each predicted attribution cue: its content is the predicted
  content span after the cue (else before it), else the rest of the sentence after the cue
  (without a leading *that* and final punctuation); its source the nearest predicted source
  before the cue, else none (implicit, source type *unnamed*); types are the training layer's
  most frequent ones; `parent` is the attribution whose content strictly contains it;
- claims are the predicted claim spans; where a cue has no claim in its sentence, the sentence
  itself (without final punctuation) is taken as the claim, type *factual* (this is how the
  lexicon baseline, which predicts no claims, yields a valid layer);
- certainty: *possible* with a hedge among may/might/could/possibly/perhaps inside the claim,
  *probable* with another hedge, else *certain*; polarity positive; stance none; the holder is
  the innermost attribution whose content contains the claim, else the author;
- each cue links to the claims of its sentence that contain it, else to all claims of its sentence;
- score (model confidence, schema property `score`), when the model gave span scores
  (`SentencePrediction.scores`): a cue or a predicted claim has its span's score; an attribution
  the mean over the predicted spans it is built from (its cue, and its source and content where
  they were predicted, not made by the rules); a claim made by the sentence rule the mean of its
  sentence's cue scores. Without span scores no record has a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..records import Attribution, Claim, Cue, DocumentAnnotations, Holder, Span

POSSIBLE = frozenset({"may", "might", "could", "possibly", "perhaps"})
FINAL_PUNCT = frozenset(".!?;:,\"'”’“‘)")
DEFAULT_TYPES = {"source_type": "government", "form": "indirect", "parc_type": "assertion"}


@dataclass
class SentencePrediction:
    """Predicted spans of one sentence (code point offsets)."""

    start: int
    end: int
    tokens: Sequence[tuple[int, int]]
    claims: list[tuple[int, int, str]] = field(default_factory=list)
    cues: list[tuple[int, int, str, str]] = field(default_factory=list)     # start, end, kind, cue_type
    roles: list[tuple[int, int, str]] = field(default_factory=list)         # start, end, source|cue|content
    # model confidence per predicted span: (family, start, end) -> 0..1, family one of
    # "claim", "cue" (hedge/booster) or an attribution role ("source", "attribution_cue", "content")
    scores: dict[tuple[str, int, int], float] = field(default_factory=dict)

    def score(self, family: str, start: int, end: int) -> float | None:
        return self.scores.get((family, start, end))


def mean_score(values: Sequence[float | None]) -> float | None:
    """The mean of the scores, rounded to 4 places; None when there is none or one is missing."""
    if not values or any(v is None for v in values):
        return None
    return round(sum(values) / len(values), 4)


def _extra(score: float | None) -> tuple:
    return () if score is None else (("score", score),)


def trimmed(text: str, tokens: Sequence[tuple[int, int]], first: int, last: int) -> tuple[int, int] | None:
    """[start, end) of tokens[first:last] without a leading 'that' and trailing punctuation tokens."""
    while first < last and text[tokens[first][0]:tokens[first][1]].lower() == "that":
        first += 1
    while last > first and all(c in FINAL_PUNCT for c in text[tokens[last - 1][0]:tokens[last - 1][1]]):
        last -= 1
    return (tokens[first][0], tokens[last - 1][1]) if first < last else None


def assemble(doc_id: str, text_sha256: str, text: str, sentences: list[SentencePrediction],
             types: dict[str, str] | None = None) -> DocumentAnnotations:
    types = {**DEFAULT_TYPES, **(types or {})}
    span = lambda s, e: Span(s, e, text[s:e])  # noqa: E731
    attributions: list[Attribution] = []
    claims: list[Claim] = []
    cues: list[Cue] = []
    for sentence in sentences:
        contents = [(s, e) for s, e, role in sentence.roles if role == "content"]
        sources = [(s, e) for s, e, role in sentence.roles if role == "source"]
        for cue_start, cue_end, role in sentence.roles:
            if role != "cue":
                continue
            after = [c for c in contents if c[0] >= cue_end]
            before = [c for c in contents if c[1] <= cue_start]
            parts = [sentence.score("attribution_cue", cue_start, cue_end)]
            if after:
                content = after[0]
            elif before:
                content = before[-1]
            else:
                next_token = next((k for k, t in enumerate(sentence.tokens) if t[0] >= cue_end), len(sentence.tokens))
                content = trimmed(text, sentence.tokens, next_token, len(sentence.tokens))
            if content is None:
                continue
            if after or before:
                parts.append(sentence.score("content", *content))
            source = next((s for s in reversed(sources) if s[1] <= cue_start), None)
            if source:
                parts.append(sentence.score("source", *source))
            attributions.append(Attribution(
                f"a{len(attributions) + 1}", doc_id, span(*source) if source else None, span(cue_start, cue_end),
                span(*content), types["source_type"] if source else "unnamed", types["form"], types["parc_type"],
                extra=_extra(mean_score(parts))))
        sentence_claims = [(*claim, sentence.score("claim", claim[0], claim[1])) for claim in sentence.claims]
        if sentence.cues and not sentence_claims:
            whole = trimmed(text, sentence.tokens, 0, len(sentence.tokens))
            if whole:
                cue_scores = [sentence.score("cue", s, e) for s, e, _, _ in sentence.cues]
                sentence_claims.append((*whole, "factual", mean_score(cue_scores)))
        first_claim = len(claims)
        for start, end, claim_type, claim_score in sentence_claims:
            hedges = [(s, e) for s, e, kind, _ in sentence.cues if kind == "hedge" and start <= s and e <= end]
            if any(text[s:e].lower() in POSSIBLE for s, e in hedges):
                certainty = "possible"
            elif hedges:
                certainty = "probable"
            else:
                certainty = "certain"
            holder = _holder(attributions, start, end)
            claims.append(Claim(f"c{len(claims) + 1}", doc_id, span(start, end), claim_type, certainty, "positive",
                                Holder("attribution", holder) if holder else Holder("author"),
                                extra=_extra(claim_score)))
        mine = claims[first_claim:]
        for start, end, kind, cue_type in sentence.cues:
            linked = [c.id for c in mine if c.span.start <= start and end <= c.span.end] or [c.id for c in mine]
            if linked:
                cues.append(Cue(f"q{len(cues) + 1}", doc_id, span(start, end), kind, cue_type, tuple(linked),
                                extra=_extra(sentence.score("cue", start, end))))
    attributions = _with_parents(attributions)
    return DocumentAnnotations(doc_id, text_sha256, (), tuple(claims), tuple(cues), tuple(attributions))


def _holder(attributions: list[Attribution], start: int, end: int) -> str | None:
    holding = [a for a in attributions if a.content.start <= start and end <= a.content.end]
    return min(holding, key=lambda a: a.content.end - a.content.start).id if holding else None


def _with_parents(attributions: list[Attribution]) -> list[Attribution]:
    from dataclasses import replace
    out = []
    for a in attributions:
        lo = min(a.cue.start, a.content.start, a.source.start if a.source else a.cue.start)
        hi = max(a.cue.end, a.content.end, a.source.end if a.source else a.cue.end)
        outer = [b for b in attributions if b is not a and b.content.start <= lo and hi <= b.content.end
                 and (b.content.end - b.content.start) > (hi - lo)]
        parent = min(outer, key=lambda b: b.content.end - b.content.start).id if outer else None
        out.append(replace(a, parent=parent))
    return out


def majority_types(documents: Sequence[DocumentAnnotations]) -> dict[str, str]:
    """The most frequent source type (of explicit sources), form and PARC type in a training layer."""
    out = {}
    for name in ("source_type", "form", "parc_type"):
        counts = Counter(getattr(a, name) for d in documents for a in d.attributions
                         if name != "source_type" or a.source is not None)
        if counts:
            out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return out
