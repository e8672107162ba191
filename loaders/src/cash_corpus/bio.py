"""Span layers as BIO token tags, and back: the `tokens` config, CoNLL, the CRF baseline.

Three tag families, each with label names derived from the schema:

- `claim`: B-/I- per claim type (`$defs/claim_type`);
- `cue`: B-/I- per cue kind (`$defs/cue_kind`);
- `attribution`: B-/I- per attribution role (the span-valued properties of `$defs/attribution`:
  source, cue, content).

Nesting policy (stated in the card and the datasheet, counted by `nesting_counts`): BIO holds
one span per token, so claims and attributions have two columns each, the outer one
(`claim_tags`) and the inner one (`claim_tags_inner`); cues, which do not nest in any layer so
far, have one (`cue_tags`). Spans are placed longest-first at each start, i.e. in the order
(start, -end): a span goes to the outer column if none of its tokens is taken there, else to
the inner column if none is taken there, else it is dropped (counted). So where claims nest,
the outermost wins the outer column and the one inside it gets the inner column.

Tags are computed per sentence over the sentence's tokens; a span is tagged on the tokens it
shares at least one code point with (spans whose boundaries fall inside a token are reported by
the `span-inside-token` check; gold has none).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from .records import DocumentAnnotations, Structure
from .schema import label_names, load_schema

OUTSIDE = "O"
FAMILIES = ("claim", "cue", "attribution")
LEVELS = ("", "_inner")  # column suffixes: outer, inner
FAMILY_LEVELS = {"claim": 2, "cue": 1, "attribution": 2}


@cache
def attribution_roles() -> tuple[str, ...]:
    """The span-valued properties of `$defs/attribution` in schema order (source, cue, content)."""
    properties = load_schema()["$defs"]["attribution"]["properties"]

    def is_span(node) -> bool:
        if not isinstance(node, dict):
            return False
        if node.get("$ref") == "#/$defs/span":
            return True
        return any(is_span(option) for option in node.get("anyOf", []) + node.get("oneOf", []))
    return tuple(name for name, node in properties.items() if is_span(node))


def family_labels(family: str) -> list[str]:
    """The span labels of a tag family, from the schema."""
    if family == "claim":
        return label_names("claim_type")
    if family == "cue":
        return label_names("cue_kind")
    if family == "attribution":
        return list(attribution_roles())
    raise ValueError(f"unknown tag family {family!r}; expected one of {FAMILIES}")


def tag_names(family: str) -> list[str]:
    """ClassLabel names of a family: O, then B-/I- per label in schema order."""
    names = [OUTSIDE]
    for label in family_labels(family):
        names += [f"B-{label}", f"I-{label}"]
    return names


def family_columns(family: str) -> list[str]:
    """The tag columns of a family, outer first: claim_tags, claim_tags_inner; cue_tags; …"""
    return [f"{family}_tags{level}" for level in LEVELS[:FAMILY_LEVELS[family]]]


def tag_columns() -> list[str]:
    """claim_tags, claim_tags_inner, cue_tags, attribution_tags, attribution_tags_inner."""
    return [column for family in FAMILIES for column in family_columns(family)]


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str


def family_spans(annotations: DocumentAnnotations | None, family: str) -> list[LabelledSpan]:
    """The spans of one family in a document, sorted by (start, -end, label)."""
    if annotations is None:
        return []
    if family == "claim":
        spans = [LabelledSpan(c.span.start, c.span.end, c.claim_type) for c in annotations.claims]
    elif family == "cue":
        spans = [LabelledSpan(q.span.start, q.span.end, q.kind) for q in annotations.cues]
    else:
        spans = [LabelledSpan(s.start, s.end, role) for a in annotations.attributions
                 for role in attribution_roles() if (s := getattr(a, role)) is not None]
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label))


def token_range(token_starts: Sequence[int], token_ends: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """[first, last) indexes of the tokens sharing a code point with [start, end) (tokens sorted, disjoint)."""
    first = bisect_right(token_ends, start)
    last = bisect_left(token_starts, end)
    return first, max(first, last)


@dataclass
class Placement:
    """Where each span of a family went in one sentence: level 0 (outer), 1 (inner) or dropped."""

    columns: list[list[str]]
    placed: Counter


def place_spans(tokens: Sequence[tuple[int, int]], spans: Iterable[LabelledSpan], levels: int = 2) -> Placement:
    """BIO columns for `tokens` (one sentence) from `spans` under the nesting policy (module doc)."""
    token_starts = [t[0] for t in tokens]
    token_ends = [t[1] for t in tokens]
    columns = [[OUTSIDE] * len(tokens) for _ in range(levels)]
    placed: Counter = Counter()
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.label)):
        first, last = token_range(token_starts, token_ends, span.start, span.end)
        if first >= last:
            placed["no_token"] += 1
            continue
        for level, column in enumerate(columns):
            if all(tag == OUTSIDE for tag in column[first:last]):
                column[first] = f"B-{span.label}"
                for k in range(first + 1, last):
                    column[k] = f"I-{span.label}"
                placed[("outer", "inner")[level] if level < 2 else f"level_{level}"] += 1
                break
        else:
            placed["dropped"] += 1
    return Placement(columns, placed)


def decode(tokens: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[LabelledSpan]:
    """Spans from one BIO column: a B- opens a span, I- of the same label extends it; an I- after O
    or after another label opens a span too (lenient, as seqeval does for IOB1-like output)."""
    spans: list[LabelledSpan] = []
    open_label, open_start, open_end = None, 0, 0
    for (start, end), tag in zip(tokens, tags):
        prefix, _, label = tag.partition("-")
        if tag == OUTSIDE or prefix == "B" or (prefix == "I" and label != open_label):
            if open_label is not None:
                spans.append(LabelledSpan(open_start, open_end, open_label))
                open_label = None
            if tag != OUTSIDE:
                open_label, open_start, open_end = label, start, end
        else:
            open_end = end
    if open_label is not None:
        spans.append(LabelledSpan(open_start, open_end, open_label))
    return spans


def sentence_token_slices(sentences: Sequence[tuple[int, int]], tokens: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each sentence, the [first, last) indexes of its tokens (tokens never cross sentences)."""
    token_starts = np.asarray([t[0] for t in tokens], dtype=np.int64)
    out = []
    for start, end in sentences:
        first = int(np.searchsorted(token_starts, start, side="left"))
        last = int(np.searchsorted(token_starts, end, side="left"))
        out.append((first, last))
    return out


def sentence_spans(spans: list[LabelledSpan], start: int, end: int) -> tuple[list[LabelledSpan], int]:
    """The spans overlapping sentence [start, end), clipped to it, and how many of them cross its edges."""
    inside, crossing = [], 0
    for span in spans:
        if span.start < end and start < span.end:
            if span.start < start or span.end > end:
                crossing += 1
            inside.append(LabelledSpan(max(span.start, start), min(span.end, end), span.label))
    return inside, crossing


def spans_by_sentence(sentences: Sequence[tuple[int, int]], spans: list[LabelledSpan]
                      ) -> list[tuple[list[LabelledSpan], int]]:
    """`sentence_spans` for every sentence at once: each span is bucketed into the sentences it overlaps
    (searchsorted on sorted sentence bounds), so a long document costs O(sentences + spans), not their product."""
    buckets: list[list[LabelledSpan]] = [[] for _ in sentences]
    crossing = [0] * len(sentences)
    if sentences and spans:
        bounds = np.asarray(sentences, dtype=np.int64).reshape(-1, 2)
        starts = np.fromiter((sp.start for sp in spans), dtype=np.int64, count=len(spans))
        ends = np.fromiter((sp.end for sp in spans), dtype=np.int64, count=len(spans))
        first = np.searchsorted(bounds[:, 1], starts, side="right").tolist()
        last = np.searchsorted(bounds[:, 0], ends, side="left").tolist()
        for span, lo, hi in zip(spans, first, last):
            for k in range(lo, hi):
                s_start, s_end = sentences[k]
                if span.start < s_start or span.end > s_end:
                    crossing[k] += 1
                buckets[k].append(LabelledSpan(max(span.start, s_start), min(span.end, s_end), span.label))
    return list(zip(buckets, crossing))


def nesting_counts(documents: Iterable[tuple[DocumentAnnotations, Sequence[tuple[int, int]],
                                             Sequence[tuple[int, int]]]]) -> dict[str, Counter]:
    """Per family: spans placed in the outer / inner column, dropped, with no token, and span pieces
    crossing a sentence edge, over (annotations, sentences, tokens) of each document."""
    totals = {family: Counter() for family in FAMILIES}
    for annotations, sentences, tokens in documents:
        slices = sentence_token_slices(sentences, tokens)
        for family in FAMILIES:
            spans = family_spans(annotations, family)
            totals[family]["spans"] += len(spans)
            for (first, last), (pieces, crossing) in zip(slices, spans_by_sentence(sentences, spans)):
                totals[family]["crossing_sentence"] += crossing
                totals[family].update(place_spans(tokens[first:last], pieces, FAMILY_LEVELS[family]).placed)
    return totals


def sentence_rows(text: str, structure: Structure, annotations: DocumentAnnotations) -> Iterable[dict]:
    """One dict per sentence: sentence_id, tokens, token_starts, token_ends and every tag column."""
    tokens = structure.tokens
    buckets = {family: spans_by_sentence(structure.sentences, family_spans(annotations, family))
               for family in FAMILIES}
    for index, (first, last) in enumerate(sentence_token_slices(structure.sentences, tokens)):
        sentence_tokens = tokens[first:last]
        row = {"sentence_id": index, "tokens": [text[s:e] for s, e in sentence_tokens],
               "token_starts": [s for s, _ in sentence_tokens], "token_ends": [e for _, e in sentence_tokens]}
        for family in FAMILIES:
            pieces = buckets[family][index][0]
            placement = place_spans(sentence_tokens, pieces, FAMILY_LEVELS[family])
            row.update(zip(family_columns(family), placement.columns))
        yield row


def place_levels(first: np.ndarray, last: np.ndarray, levels: int) -> np.ndarray:
    """The level (0 outer, 1 inner, …; -1 dropped) of each span under the nesting policy, given the
    [first, last) token ranges (non-empty) of spans already in placement order (start, -end, label).

    A span whose tokens overlap no earlier span's is free at every level, so it goes to the outer
    column: that is nearly every span, found with one running maximum. Only chains of overlapping
    spans ("clusters", which never reach across a sentence) are placed one by one, as `place_spans` does.
    """
    level = np.zeros(len(first), dtype=np.int64)
    if len(first) < 2:
        return level
    reach = np.maximum.accumulate(last)
    opens = np.empty(len(first), dtype=bool)
    opens[0] = True
    opens[1:] = first[1:] >= reach[:-1]
    heads = np.flatnonzero(opens)
    ends = np.append(heads[1:], len(first))
    for head, end in zip(heads[(ends - heads) > 1].tolist(), ends[(ends - heads) > 1].tolist()):
        low = int(first[head])
        taken = [bytearray(int(reach[end - 1]) - low) for _ in range(levels)]
        for i in range(head, end):
            a, b = int(first[i]) - low, int(last[i]) - low
            for depth, column in enumerate(taken):
                if not any(column[a:b]):
                    column[a:b] = b"\x01" * (b - a)
                    level[i] = depth
                    break
            else:
                level[i] = -1
    return level


def place_tags(sentences: np.ndarray, sentence_tokens: tuple[np.ndarray, np.ndarray], tokens: np.ndarray,
               starts: np.ndarray, ends: np.ndarray, codes: np.ndarray, labels: Sequence[str],
               columns: Sequence) -> list[np.ndarray]:
    """BIO tag ids of every token for one family, one array per column (outer first), for many
    documents at once: what `sentence_rows` gives per sentence, as ClassLabel ids of `columns`.

    `sentences` and `tokens` are sorted (n, 2) [start, end) arrays on one offset axis (documents laid
    end to end, as `hf.rows.Shard` does), `sentence_tokens` each sentence's [first, last) token
    indexes, and starts/ends/codes the family's spans on that axis, `labels[code]` naming each one's
    label. As in `spans_by_sentence`, a span is cut into one piece per sentence it overlaps; pieces
    are ordered by (start, -end, label) and tagged on the tokens of their sentence that they share
    a code point with (`token_range`).
    """
    out = [np.zeros(len(tokens), dtype=np.int64) for _ in columns]
    for column, tags in zip(columns, out):
        tags[:] = column.str2int(OUTSIDE)
    if len(starts) == 0 or len(sentences) == 0:
        return out
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    low = np.searchsorted(sentences[:, 1], starts, side="right")
    high = np.searchsorted(sentences[:, 0], ends, side="left")
    counts = np.maximum(high - low, 0)
    owner = np.repeat(np.arange(len(starts)), counts)
    begins = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=begins[1:])
    sentence = np.repeat(low - begins, counts) + np.arange(int(counts.sum()))
    piece_start = np.maximum(starts[owner], sentences[sentence, 0])
    piece_end = np.minimum(ends[owner], sentences[sentence, 1])
    names = sorted(set(labels))
    rank = np.asarray([names.index(label) for label in labels], dtype=np.int64)  # code -> rank of its name
    label_rank = rank[np.asarray(codes, dtype=np.int64)[owner]]
    order = np.lexsort((label_rank, -piece_end, piece_start))
    piece_start, piece_end = piece_start[order], piece_end[order]
    sentence, label_rank = sentence[order], label_rank[order]
    lo, hi = sentence_tokens[0][sentence], sentence_tokens[1][sentence]
    first = np.clip(np.searchsorted(tokens[:, 1], piece_start, side="right"), lo, hi)
    last = np.clip(np.searchsorted(tokens[:, 0], piece_end, side="left"), lo, hi)
    placed = first < last
    first, last, label_rank = first[placed], last[placed], label_rank[placed]
    level = place_levels(first, last, len(columns))
    for depth, (column, tags) in enumerate(zip(columns, out)):
        here = level == depth
        begin_ids = np.asarray([column.str2int(f"B-{name}") for name in names], dtype=np.int64)
        inside_ids = np.asarray([column.str2int(f"I-{name}") for name in names], dtype=np.int64)
        tags[first[here]] = begin_ids[label_rank[here]]
        lengths = last[here] - first[here] - 1
        inside = (np.repeat(first[here] + 1 - np.append(0, np.cumsum(lengths)[:-1]), lengths)
                  + np.arange(int(lengths.sum())))
        tags[inside] = np.repeat(inside_ids[label_rank[here]], lengths)
    return out
