"""The columns of every config for a shard of documents: pure functions, no I/O.

A `DocumentInput` carries what one document contributes (metadata, raw text, structure and the
annotation records of one layer, or None when that layer does not annotate it), as decoded from
the corpus files: plain dicts, trusted because the corpus is validated before a build. A `Shard`
lays the shard's sentences, tokens, zones and spans on one axis (each document's code-point
offsets shifted past the documents before it), so every per-sentence and per-token question is a
handful of NumPy searches over the whole shard, not a Python loop per document or per token.
`build.config_table` turns the columns made here into Arrow tables with `features.encode_table`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa

from ..errors import CashError, Location
from ..schema import schema_cached

SENTENCE_ID_SEPARATOR = ":"
ANNOTATION_KINDS = ("claim", "cue", "attribution")


def claim_key(record: dict[str, Any]) -> tuple:
    return record["start"], record["end"], record["id"]


def attribution_key(record: dict[str, Any]) -> tuple:
    return record["cue"]["start"], record["cue"]["end"], record["id"]


@dataclass(frozen=True)
class AnnotationBlock:
    """One document's records in one layer file as decoded: its `document` line and its claims,
    cues and attributions, each in canonical order (claims and cues by (start, end, id),
    attributions by (cue start, cue end, id)), whatever order the file holds them in."""

    document: dict[str, Any]
    claims: list[dict[str, Any]]
    cues: list[dict[str, Any]]
    attributions: list[dict[str, Any]]

    @property
    def document_id(self) -> str:
        return self.document["document_id"]

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], file: str | None = None) -> "AnnotationBlock":
        """A document line, then its annotations (`DocumentAnnotations.records()` order or any other);
        an annotation of an unknown kind or of another document is refused, located in `file`."""
        iterator = iter(records)
        head = next(iterator)
        built: dict[str, list] = {kind: [] for kind in ANNOTATION_KINDS}
        for record in iterator:
            kind = record.get("record")
            if kind not in built or record.get("document_id") != head["document_id"]:
                raise CashError(f"unexpected record {kind!r} in the block of this document",
                                Location(file=file, document_id=head["document_id"], annotation_id=record.get("id")))
            built[kind].append(record)
        return cls(head, sorted(built["claim"], key=claim_key), sorted(built["cue"], key=claim_key),
                   sorted(built["attribution"], key=attribution_key))


@dataclass(frozen=True)
class DocumentInput:
    """One document as a build sees it; `annotations` is None when the layer skips the document."""

    metadata: dict[str, Any]
    text: str
    structure: dict[str, Any]
    layer: str | None
    annotations: AnnotationBlock | None

    @property
    def document_id(self) -> str:
        return self.metadata["id"]


@schema_cached
def record_columns(kind: str) -> tuple[str, ...]:
    """The nested/row columns of record kind `kind`, for the schema in use."""
    from .features import record_fields
    return tuple(record_fields(kind))


def flat_pairs(lists: Sequence[Sequence[Sequence[int]]]) -> tuple[np.ndarray, np.ndarray]:
    """(count per list, all [start, end) pairs as an (n, 2) int64 array) of per-document pair lists."""
    counts = np.fromiter((len(pairs) for pairs in lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(lists)), dtype=np.int64,
                       count=2 * int(counts.sum()))
    return counts, flat.reshape(-1, 2)


def starts_of(counts: np.ndarray) -> np.ndarray:
    """Index of each group's first item in the concatenation of groups of `counts` items."""
    out = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def concat_ranges(firsts: np.ndarray, lasts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indexes first..last-1 of every [first, last) range, concatenated; each range's start in them)."""
    lengths = np.maximum(lasts - firsts, 0)
    begins = starts_of(lengths)
    index = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(firsts - begins, lengths)
    return index, np.append(begins, int(lengths.sum()))


def list_array(offsets: np.ndarray, values: pa.Array, list_type: pa.DataType) -> pa.Array:
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values, type=list_type)


def pairs_column(counts: np.ndarray, flat: np.ndarray, list_type: pa.DataType) -> pa.Array:
    """A list<struct<start, end>> column from each row's pair count and the concatenated pairs,
    equal to what Arrow makes from the rows' lists of {start, end} dicts, without those objects."""
    struct_type = list_type.value_type
    values = pa.StructArray.from_arrays(
        [pa.array(flat[:, i], type=struct_type.field(i).type) for i in range(2)],
        fields=[struct_type.field(i) for i in range(2)])
    return list_array(np.append(starts_of(counts), int(counts.sum())), values, list_type)


def code_point_bytes(text: str) -> np.ndarray:
    """UTF-8 byte offset of every code point of `text` (and of its end), to cut it by code points."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    widths = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
    out = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum(widths, out=out[1:])
    return out


@dataclass(frozen=True)
class Spans:
    """Spans on the shard axis: global [start, end), the document each belongs to, and a label."""

    start: np.ndarray
    end: np.ndarray
    doc: np.ndarray
    label: list[str]


class Shard:
    """The documents of one shard with their geometry on one axis: document d's code point i sits
    at `base[d] + i`, and the bases leave a gap of one between documents, so sorted per-document
    sentences, tokens, zones and spans stay sorted over the whole shard and a search never
    crosses into another document (every offset lies within its own text)."""

    def __init__(self, documents: Iterable[DocumentInput]):
        self.documents = list(documents)
        docs = self.documents
        self.texts = [doc.text for doc in docs]
        lengths = np.fromiter((len(t) for t in self.texts), dtype=np.int64, count=len(docs))
        self.base = starts_of(lengths + 1)
        self.annotated = np.fromiter((doc.annotations is not None for doc in docs), dtype=bool, count=len(docs))
        self.sentence_counts, self.sentences = flat_pairs([doc.structure["sentences"] for doc in docs])
        self.token_counts, self.tokens = flat_pairs([doc.structure["tokens"] for doc in docs])
        self.sentence_doc = np.repeat(np.arange(len(docs)), self.sentence_counts)
        self.sentence_first = starts_of(self.sentence_counts)
        self.sentences_g = self.sentences + self.base[self.sentence_doc][:, None]
        self.tokens_g = self.tokens + np.repeat(self.base, self.token_counts)[:, None]

    @property
    def blocks(self) -> list[AnnotationBlock]:
        return [doc.annotations for doc in self.documents if doc.annotations is not None]

    def records(self, kind: str) -> tuple[list[dict[str, Any]], np.ndarray]:
        """Every record of `kind` ("claims", "cues", "attributions") in document order, and its document."""
        records, docs = [], []
        for index, doc in enumerate(self.documents):
            if doc.annotations is not None:
                found = getattr(doc.annotations, kind)
                records += found
                docs += [index] * len(found)
        return records, np.asarray(docs, dtype=np.int64)

    def spans(self, records: list[dict[str, Any]], docs: np.ndarray, label: str | None = None,
              role: str | None = None) -> Spans:
        """The spans of `records` (their own start/end, or their `role` span, skipped when null)."""
        if role is not None:
            keep = [i for i, r in enumerate(records) if r[role] is not None]
            records, docs = [records[i] for i in keep], docs[np.asarray(keep, dtype=np.int64)]
            pairs = [(r[role]["start"], r[role]["end"]) for r in records]
        else:
            pairs = [(r["start"], r["end"]) for r in records]
        flat = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        base = self.base[docs] if len(docs) else np.zeros(0, dtype=np.int64)
        labels = [role] * len(records) if role is not None else [r[label] for r in records] if label else []
        return Spans(flat[:, 0] + base, flat[:, 1] + base, docs, labels)

    @cached_property
    def axis_text(self) -> str:
        """The shard's texts joined by one separator: its code points sit at their shard-axis offsets."""
        return "\n".join(self.texts)

    @cached_property
    def _axis_bytes(self) -> tuple[np.ndarray, np.ndarray]:
        data = self.axis_text.encode("utf-8")
        return np.frombuffer(data, dtype=np.uint8), code_point_bytes(self.axis_text)

    def substrings(self, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
        """The strings at shard-axis [start, end) ranges, cut from the UTF-8 bytes of the joined texts
        (equal to `text[start:end]` per document, without a Python string per item)."""
        data, at = self._axis_bytes
        byte_starts, byte_ends = at[starts], at[ends]
        index, offsets = concat_ranges(byte_starts, byte_ends)
        return pa.StringArray.from_buffers(len(starts), pa.py_buffer(offsets.astype(np.int32)),
                                           pa.py_buffer(data[index].tobytes()))

    @cached_property
    def zones(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        zones = [(z["start"] + b, z["end"] + b, z["type"])
                 for doc, b in zip(self.documents, self.base.tolist()) for z in doc.structure["zones"]]
        return (np.asarray([z[0] for z in zones], dtype=np.int64), np.asarray([z[1] for z in zones], dtype=np.int64),
                [z[2] for z in zones])

    def zone_at(self, positions: np.ndarray) -> list[str | None]:
        """The zone type holding each shard-axis position (zones are sorted and cover their text), or None."""
        starts, ends, types = self.zones
        if not types:
            return [None] * len(positions)
        index = np.searchsorted(starts, positions, side="right") - 1
        inside = (index >= 0) & (positions < ends[np.maximum(index, 0)])
        return [types[i] if ok else None for i, ok in zip(index.tolist(), inside.tolist())]

    @cached_property
    def sentence_token_slices(self) -> tuple[np.ndarray, np.ndarray]:
        """[first, last) token indexes of every sentence (tokens starting inside it, as `bio` has it)."""
        starts = self.tokens_g[:, 0]
        return (np.searchsorted(starts, self.sentences_g[:, 0], side="left"),
                np.searchsorted(starts, self.sentences_g[:, 1], side="left"))


def first_overlapping_sentence(sentences: np.ndarray, starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
    """For each span, the index of the first sentence it overlaps, or -1 when it overlaps none.

    `sentences` is an (n, 2) array of sorted, non-overlapping [start, end) pairs.
    """
    spans_start = np.asarray(starts, dtype=np.int64)
    spans_end = np.asarray(ends, dtype=np.int64)
    if len(sentences) == 0 or len(spans_start) == 0:
        return np.full(len(spans_start), -1, dtype=np.int64)
    first = np.searchsorted(sentences[:, 1], spans_start, side="right")
    inside = first < len(sentences)
    safe = np.minimum(first, len(sentences) - 1)
    hit = inside & (sentences[safe, 0] < spans_end)
    return np.where(hit, first, -1)


def sentences_touched(sentences: np.ndarray, starts: Sequence[int], ends: Sequence[int]) -> np.ndarray:
    """Boolean per sentence: does any of the spans overlap it? (difference array over index ranges)."""
    flags = np.zeros(len(sentences) + 1, dtype=np.int64)
    if len(sentences) == 0 or len(starts) == 0:
        return flags[:-1].astype(bool)
    spans_start = np.asarray(starts, dtype=np.int64)
    spans_end = np.asarray(ends, dtype=np.int64)
    first = np.searchsorted(sentences[:, 1], spans_start, side="right")
    last = np.searchsorted(sentences[:, 0], spans_end, side="left")  # exclusive
    valid = first < last
    np.add.at(flags, first[valid], 1)
    np.add.at(flags, last[valid], -1)
    return np.cumsum(flags)[:-1] > 0


def gather(records: list[dict[str, Any]], columns: Iterable[str]) -> dict[str, list]:
    """One value list per column, read by name from each record (None where a record leaves it out:
    an unannotated optional label, no note), so a field added to the schema needs no edit here."""
    return {column: [record.get(column) for record in records] for column in columns}


# ---------------------------------------------------------------- one function per config kind

def documents_columns(shard: Shard, features) -> dict[str, Any]:
    docs = shard.documents
    metadata = [doc.metadata for doc in docs]
    computed = {"text", "annotation_layer", "zones", "sentences", "tokens", "document_stance",
                "claims", "cues", "attributions"}
    columns: dict[str, Any] = gather(metadata, [name for name in features if name not in computed])
    columns["text"] = shard.texts
    columns["annotation_layer"] = [doc.layer if doc.annotations is not None else None for doc in docs]
    columns["zones"] = [doc.structure["zones"] for doc in docs]
    schema = features.arrow_schema
    columns["sentences"] = pairs_column(shard.sentence_counts, shard.sentences, schema.field("sentences").type)
    columns["tokens"] = pairs_column(shard.token_counts, shard.tokens, schema.field("tokens").type)
    columns["document_stance"] = [[] if doc.annotations is None else doc.annotations.document["document_stance"]
                                  for doc in docs]
    for kind in ("claims", "cues", "attributions"):
        columns[kind] = [[] if doc.annotations is None else getattr(doc.annotations, kind) for doc in docs]
    return columns


def claims_columns(shard: Shard, features) -> dict[str, Any]:
    """One row per claim, with the first sentence it overlaps (the one holding its start)."""
    claims, docs = shard.records("claims")
    computed = ("sentence_id", "sentence_start", "sentence_end", "sentence_text")
    columns: dict[str, Any] = gather(claims, [name for name in features if name not in computed])
    spans = shard.spans(claims, docs)
    where = first_overlapping_sentence(shard.sentences_g, spans.start, spans.end)
    hit = where >= 0
    safe = np.where(hit, where, 0)
    local = np.where(hit, safe - shard.sentence_first[docs] if len(docs) else safe, -1)
    bounds = shard.sentences[safe] if len(shard.sentences) else np.zeros((len(claims), 2), dtype=np.int64)
    columns["sentence_id"] = [i if ok else None for i, ok in zip(local.tolist(), hit.tolist())]
    columns["sentence_start"] = [s if ok else None for s, ok in zip(bounds[:, 0].tolist(), hit.tolist())]
    columns["sentence_end"] = [e if ok else None for e, ok in zip(bounds[:, 1].tolist(), hit.tolist())]
    columns["sentence_text"] = [shard.texts[d][s:e] if ok else None
                                for d, s, e, ok in zip(docs.tolist(), bounds[:, 0].tolist(), bounds[:, 1].tolist(),
                                                       hit.tolist())]
    return columns


def cues_columns(shard: Shard, features) -> dict[str, Any]:
    return gather(shard.records("cues")[0], features)


def attributions_columns(shard: Shard, features) -> dict[str, Any]:
    return gather(shard.records("attributions")[0], features)


def sentence_ids(shard: Shard, rows: np.ndarray) -> list[str]:
    """`<document id>:<sentence index>` of the given shard sentences."""
    ids = [doc.document_id for doc in shard.documents]
    local = rows - shard.sentence_first[shard.sentence_doc[rows]]
    return [f"{ids[d]}{SENTENCE_ID_SEPARATOR}{k}" for d, k in zip(shard.sentence_doc[rows].tolist(), local.tolist())]


def annotated_sentences(shard: Shard) -> np.ndarray:
    """Indexes of the sentences of the documents the layer annotates (the others' labels are unknown)."""
    return np.flatnonzero(shard.annotated[shard.sentence_doc])


def sentences_columns(shard: Shard, features) -> dict[str, Any]:
    """Sentence classification rows; only for documents the layer annotates."""
    rows = annotated_sentences(shard)
    sentences = shard.sentences_g

    def touched(spans: Spans, keep: np.ndarray | None = None) -> np.ndarray:
        starts, ends = (spans.start, spans.end) if keep is None else (spans.start[keep], spans.end[keep])
        return sentences_touched(sentences, starts, ends)[rows]
    claims, claim_docs = shard.records("claims")
    cues, cue_docs = shard.records("cues")
    attributions, attribution_docs = shard.records("attributions")
    cue_spans = shard.spans(cues, cue_docs)
    kinds = np.asarray([q["kind"] for q in cues], dtype=object)
    has_hedge = touched(cue_spans, kinds == "hedge")
    local = sentences[rows] - shard.base[shard.sentence_doc[rows]][:, None]
    return {
        "id": sentence_ids(shard, rows),
        "document_id": [shard.documents[d].document_id for d in shard.sentence_doc[rows].tolist()],
        "sentence_id": (rows - shard.sentence_first[shard.sentence_doc[rows]]).tolist(),
        "start": local[:, 0].tolist(), "end": local[:, 1].tolist(),
        "text": shard.substrings(sentences[rows, 0], sentences[rows, 1]),
        "zone": shard.zone_at(sentences[rows, 0]),
        "has_claim": touched(shard.spans(claims, claim_docs)).tolist(),
        "has_hedge": has_hedge.tolist(),
        "has_booster": touched(cue_spans, kinds == "booster").tolist(),
        "has_attribution": touched(shard.spans(attributions, attribution_docs, role="cue")).tolist(),
        "certainty": ["uncertain" if flag else "certain" for flag in has_hedge.tolist()],
    }


def tokens_columns(shard: Shard, features) -> dict[str, Any]:
    """Token classification rows, one per sentence of the annotated documents, with BIO tags under
    the nesting policy of `cash_corpus.bio` (placed by `bio.place_tags` over the whole shard)."""
    from ..bio import FAMILIES, attribution_roles, family_columns, place_tags
    rows = annotated_sentences(shard)
    firsts, lasts = shard.sentence_token_slices
    index, offsets = concat_ranges(firsts[rows], lasts[rows])
    schema = features.arrow_schema
    local = shard.tokens[index]
    columns: dict[str, Any] = {
        "id": sentence_ids(shard, rows),
        "document_id": [shard.documents[d].document_id for d in shard.sentence_doc[rows].tolist()],
        "sentence_id": (rows - shard.sentence_first[shard.sentence_doc[rows]]).tolist(),
        "tokens": list_array(offsets, shard.substrings(shard.tokens_g[index, 0], shard.tokens_g[index, 1]),
                             schema.field("tokens").type),
        "token_starts": list_array(offsets, pa.array(local[:, 0], type=pa.int32()), schema.field("token_starts").type),
        "token_ends": list_array(offsets, pa.array(local[:, 1], type=pa.int32()), schema.field("token_ends").type),
    }
    for family in FAMILIES:
        if family == "claim":
            records, docs = shard.records("claims")
            spans = shard.spans(records, docs, label="claim_type")
        elif family == "cue":
            records, docs = shard.records("cues")
            spans = shard.spans(records, docs, label="kind")
        else:
            records, docs = shard.records("attributions")
            parts = [shard.spans(records, docs, role=role) for role in attribution_roles()]
            spans = Spans(np.concatenate([p.start for p in parts]), np.concatenate([p.end for p in parts]),
                          np.concatenate([p.doc for p in parts]), [label for p in parts for label in p.label])
        names = family_columns(family)
        tags = place_tags(shard.sentences_g, (firsts, lasts), shard.tokens_g, spans.start, spans.end, spans.label,
                          [features[name].feature for name in names])
        for name, column in zip(names, tags):
            columns[name] = list_array(offsets, pa.array(column[index], type=pa.int64()), schema.field(name).type)
    return columns


COLUMN_BUILDERS = {"documents": documents_columns, "claims": claims_columns, "cues": cues_columns,
                   "attributions": attributions_columns, "sentences": sentences_columns, "tokens": tokens_columns}
