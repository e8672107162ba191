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
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
from datasets import Features

from ..layers import split_block
from ..schema import schema_cached

SENTENCE_ID_SEPARATOR = ":"
ANNOTATION_KINDS = ("claim", "cue", "attribution")
KIND_RECORD = {"claims": "claim", "cues": "cue", "attributions": "attribution"}  # config kind -> record kind


def claim_key(record: dict[str, Any]) -> tuple:
    return record["start"], record["end"], record["id"]


def attribution_key(record: dict[str, Any]) -> tuple:
    return record["cue"]["start"], record["cue"]["end"], record["id"]


@schema_cached
def value_columns(kind: str) -> tuple[str, ...]:
    """The values a row of record kind `kind` takes from the record: its document, then every column
    of `features.record_fields` (a field added to the schema is one more value, with no edit here)."""
    from .features import record_fields
    return ("document_id", *record_fields(kind))


@dataclass(frozen=True)
class AnnotationBlock:
    """One document's records in one layer file as decoded: its `document` line and its claims,
    cues and attributions, each in canonical order (claims and cues by (start, end, id),
    attributions by (cue start, cue end, id)), whatever order the file holds them in.

    `values` holds each record's `value_columns` as a tuple, read right after decoding while the
    record is still in the CPU cache: gathering them later, a column at a time over a whole shard,
    was the costliest step of the build (a cache miss per record and column)."""

    document: dict[str, Any]
    claims: list[dict[str, Any]]
    cues: list[dict[str, Any]]
    attributions: list[dict[str, Any]]
    values: dict[str, list[tuple]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def document_id(self) -> str:
        return self.document["document_id"]

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], file: str | None = None) -> "AnnotationBlock":
        """A document line, then its annotations (`DocumentAnnotations.records()` order or any other);
        an annotation of an unknown kind or of another document is refused, located in `file`."""
        head, built = split_block(records, file)
        ordered = {"claims": sorted(built["claim"], key=claim_key), "cues": sorted(built["cue"], key=claim_key),
                   "attributions": sorted(built["attribution"], key=attribution_key)}
        values = {kind: [tuple(map(record.get, value_columns(KIND_RECORD[kind]))) for record in found]
                  for kind, found in ordered.items()}
        return cls(head, ordered["claims"], ordered["cues"], ordered["attributions"], values)


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


@dataclass(frozen=True)
class PackedPairs:
    """A document's [start, end) pairs still as the JSON text between their list's brackets
    (`[0, 6], [7, 8]`), as `build.read_structure` cuts them from a structure line: a shard parses
    the pairs of all its documents with one NumPy call, so no Python list or int is made per token
    (the most numerous values of a corpus)."""

    text: bytes

    def __len__(self) -> int:
        return self.text.count(b"[")

    def pairs(self) -> list[list[int]]:
        """The pairs decoded one by one (the slow path, when the packed parse of a shard fails)."""
        return orjson.loads(b"[" + self.text + b"]")


def parse_packed(lists: Sequence[PackedPairs]) -> np.ndarray | None:
    """All the numbers of `lists` in order, or None if any text is not plain integers and brackets."""
    joined = b",".join(packed.text for packed in lists if packed.text).translate(None, b"[] \t\r\n")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # NumPy warns (and will raise) on anything but numbers and commas
            return np.fromstring(joined.decode("ascii"), dtype=np.int64, sep=",")
    except (DeprecationWarning, UnicodeDecodeError, ValueError):
        return None


def flat_pairs(lists: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """(count per list, all [start, end) pairs as an (n, 2) int64 array) of per-document pair lists
    (decoded lists, or `PackedPairs` parsed all at once)."""
    counts = np.fromiter((len(pairs) for pairs in lists), dtype=np.int64, count=len(lists))
    if lists and all(isinstance(pairs, PackedPairs) for pairs in lists):
        flat = parse_packed(lists)
        if flat is not None and len(flat) == 2 * int(counts.sum()):
            return counts, flat.reshape(-1, 2)
    lists = [pairs.pairs() if isinstance(pairs, PackedPairs) else pairs for pairs in lists]
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


def without_validity(array: pa.Array) -> pa.Array:
    """`array` without an all-valid validity bitmap (Arrow's `take` allocates one): the same values as
    Arrow makes from a Python list, and the same `nbytes`, which the card's split sizes count."""
    buffers = array.buffers()
    if array.null_count or buffers[0] is None:
        return array
    return pa.Array.from_buffers(array.type, len(array), [None, *buffers[1:]], null_count=0, offset=array.offset)


def int_array(values: np.ndarray, arrow_type: pa.DataType, null: np.ndarray | None = None) -> pa.Array:
    """An integer column from NumPy, null where `null` is set (a validity bitmap only when some is,
    as Arrow makes from a Python list)."""
    if null is not None and null.any():
        return pa.array(values, type=arrow_type, mask=null)
    return pa.array(values, type=arrow_type)


def pairs_column(counts: np.ndarray, flat: np.ndarray, list_type: pa.DataType) -> pa.Array:
    """A list<struct<start, end>> column from each row's pair count and the concatenated pairs,
    equal to what Arrow makes from the rows' lists of {start, end} dicts, without those objects."""
    struct_type = list_type.value_type
    values = pa.StructArray.from_arrays(
        [pa.array(flat[:, i], type=struct_type.field(i).type) for i in range(2)],
        fields=[struct_type.field(i) for i in range(2)])
    return list_array(np.append(starts_of(counts), int(counts.sum())), values, list_type)


def code_point_bytes(utf8: np.ndarray) -> np.ndarray:
    """The byte offset of every code point of a UTF-8 text (and of its end), to cut it by code
    points: code points start at the bytes that are not continuation bytes (10xxxxxx)."""
    return np.append(np.flatnonzero((utf8 & 0xC0) != 0x80), len(utf8))


@dataclass(frozen=True)
class Spans:
    """Spans on the shard axis: global [start, end), the document each belongs to, and a label."""

    start: np.ndarray
    end: np.ndarray
    doc: np.ndarray
    label: np.ndarray  # an index into the label names of whoever asked (ClassLabel ids, role indexes)


class Shard:
    """The documents of one shard with their geometry on one axis: document d's code point i sits
    at `base[d] + i`, and the bases leave a gap of one between documents, so sorted per-document
    sentences, tokens, zones and spans stay sorted over the whole shard and a search never
    crosses into another document (every offset lies within its own text)."""

    def __init__(self, documents: Iterable[DocumentInput]):
        self.documents = list(documents)
        docs = self.documents
        self.texts = [doc.text for doc in docs]
        self.lengths = np.fromiter((len(t) for t in self.texts), dtype=np.int64, count=len(docs))
        self.base = starts_of(self.lengths + 1)
        self.annotated = np.fromiter((doc.annotations is not None for doc in docs), dtype=bool, count=len(docs))
        self.sentence_counts, self.sentences = flat_pairs([doc.structure["sentences"] for doc in docs])
        self.token_counts, self.tokens = flat_pairs([doc.structure["tokens"] for doc in docs])
        self.sentence_doc = np.repeat(np.arange(len(docs)), self.sentence_counts)
        self.sentence_first = starts_of(self.sentence_counts)
        self.sentences_g = self.sentences + self.base[self.sentence_doc][:, None]
        self.tokens_g = self.tokens + np.repeat(self.base, self.token_counts)[:, None]
        self._arrays: dict[str, dict[str, pa.Array]] = {}
        self._values: dict[str, dict[str, list]] = {}
        self._spans: dict[tuple, Spans] = {}

    @property
    def blocks(self) -> list[AnnotationBlock]:
        return [doc.annotations for doc in self.documents if doc.annotations is not None]

    def record_docs(self, kind: str) -> np.ndarray:
        """The document (index in the shard) of every `kind` record ("claims", "cues", "attributions"), in order."""
        counts = np.fromiter((0 if doc.annotations is None else len(getattr(doc.annotations, kind))
                              for doc in self.documents), dtype=np.int64, count=len(self.documents))
        return np.repeat(np.arange(len(self.documents)), counts)

    def record_values(self, kind: str) -> dict[str, list]:
        """Every `kind` record's `value_columns`, a list per column, in shard order (from the blocks' tuples)."""
        if kind not in self._values:
            names = value_columns(KIND_RECORD[kind])
            rows = list(itertools.chain.from_iterable(block.values[kind] for block in self.blocks))
            columns = list(zip(*rows)) if rows else [()] * len(names)
            self._values[kind] = {name: list(column) for name, column in zip(names, columns)}
        return self._values[kind]

    def record_arrays(self, kind: str) -> dict[str, pa.Array]:
        """The columns of every record of `kind` (`features.record_fields`), encoded once per shard:
        the flat config (`claims`) and the documents config's nested list (`claims`) share them."""
        if kind not in self._arrays:
            from .features import arrow_column, record_fields
            fields = record_fields(KIND_RECORD[kind])
            struct_type = Features(fields).type
            values = self.record_values(kind)
            self._arrays[kind] = {name: arrow_column(feature, values[name], struct_type.field(name).type)
                                  for name, feature in fields.items()}
        return self._arrays[kind]

    def nested_records(self, kind: str, list_type: pa.DataType) -> pa.Array:
        """The documents config's list of `kind` records per document, from `record_arrays`."""
        struct_type = list_type.value_type
        arrays = self.record_arrays(kind)
        values = pa.StructArray.from_arrays([arrays[field.name] for field in struct_type], fields=list(struct_type))
        counts = np.fromiter((0 if doc.annotations is None else len(getattr(doc.annotations, kind))
                              for doc in self.documents), dtype=np.int64, count=len(self.documents))
        return list_array(np.append(starts_of(counts), int(counts.sum())), values, list_type)

    def spans(self, kind: str, label: str | None = None, role: str | None = None) -> Spans:
        """The spans of every `kind` record on the shard axis (their own start/end, or their `role`
        span, skipped where null), with the ClassLabel id of their `label` field (or the role's index
        in `labels`, which is then [role]); read from `record_arrays`, not from the records again. Cached."""
        key = (kind, label, role)
        if key not in self._spans:
            arrays = self.record_arrays(kind)
            docs = self.record_docs(kind)
            if role is not None:
                struct = arrays[role]
                keep = (np.asarray(struct.is_valid(), dtype=bool) if struct.null_count
                        else np.ones(len(struct), dtype=bool))
                starts, ends = (np.asarray(struct.field(name).to_numpy(zero_copy_only=False))[keep]
                                for name in ("start", "end"))
                docs, codes = docs[keep], np.zeros(int(keep.sum()), dtype=np.int64)
            else:
                starts, ends = (arrays[name].to_numpy(zero_copy_only=False) for name in ("start", "end"))
                codes = arrays[label].to_numpy(zero_copy_only=False) if label else np.zeros(len(docs), dtype=np.int64)
            base = self.base[docs]
            self._spans[key] = Spans(starts.astype(np.int64) + base, ends.astype(np.int64) + base, docs,
                                     codes.astype(np.int64))
        return self._spans[key]

    def span_texts(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array]]:
        """(document, start, end, text) of every annotation span of the shard, per record kind and role:
        claims and cues are spans; an attribution has a source (or null), a cue and a content."""
        from ..bio import attribution_roles
        for kind in ("claims", "cues"):
            arrays = self.record_arrays(kind)
            yield (self.record_docs(kind), *(np.asarray(arrays[n].to_numpy(zero_copy_only=False), dtype=np.int64)
                                            for n in ("start", "end")), arrays["text"])
        arrays, docs = self.record_arrays("attributions"), self.record_docs("attributions")
        for role in attribution_roles():
            struct = arrays[role]
            keep = np.asarray(struct.is_valid(), dtype=bool)
            fields = [struct.field(n).filter(pa.array(keep)) for n in ("start", "end", "text")]
            yield (docs[keep], *(np.asarray(f.to_numpy(zero_copy_only=False), dtype=np.int64) for f in fields[:2]),
                   fields[2])

    def spans_match_texts(self) -> bool:
        """Does every annotation span lie inside its text and repeat it exactly? Checked over the whole
        shard at once: bounds with NumPy, then the span texts' UTF-8 bytes against the bytes of the
        joined texts at the spans' offsets (a Python slice per span cost a tenth of the build)."""
        data, at = self._axis_bytes
        for docs, starts, ends, texts in self.span_texts():
            if not len(docs):
                continue
            if not ((starts >= 0) & (starts < ends) & (ends <= self.lengths[docs])).all():
                return False
            base = self.base[docs]
            begin, end = at[base + starts], at[base + ends]
            texts = pa.concat_arrays([texts]) if texts.offset else texts
            offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)[:len(texts) + 1].astype(np.int64)
            values = texts.buffers()[2]
            text_bytes = np.frombuffer(values, dtype=np.uint8) if values is not None else np.zeros(0, dtype=np.uint8)
            if not np.array_equal(end - begin, np.diff(offsets)):
                return False
            at_offsets = data[concat_ranges(begin, end)[0]]
            if not np.array_equal(at_offsets, text_bytes[concat_ranges(offsets[:-1], offsets[1:])[0]]):
                return False
        return True

    @cached_property
    def axis_text(self) -> str:
        """The shard's texts joined by one separator: its code points sit at their shard-axis offsets."""
        return "\n".join(self.texts)

    @cached_property
    def _axis_bytes(self) -> tuple[np.ndarray, np.ndarray]:
        data = np.frombuffer(self.axis_text.encode("utf-8"), dtype=np.uint8)
        return data, code_point_bytes(data)

    def substrings(self, starts: np.ndarray, ends: np.ndarray, pick: np.ndarray | None = None) -> pa.Array:
        """The strings at sorted, disjoint shard-axis [start, end) ranges (those at `pick` if given),
        equal to `text[start:end]` per document without a Python string per item: the ranges and the
        gaps between them are views into the UTF-8 bytes of the joined texts, and Arrow takes the ranges."""
        data, at = self._axis_bytes
        bounds = np.empty(2 * len(starts), dtype=np.int64)
        bounds[0::2], bounds[1::2] = at[starts], at[ends]
        chosen = np.arange(len(starts), dtype=np.int64) if pick is None else pick
        if np.any(np.diff(bounds) < 0):  # overlapping ranges: cut each one by itself
            text = self.axis_text
            return pa.array([text[a:b] for a, b in zip(starts[chosen].tolist(), ends[chosen].tolist())],
                            type=pa.string())
        pieces = pa.StringArray.from_buffers(max(len(bounds) - 1, 0), pa.py_buffer(bounds.astype(np.int32)),
                                             pa.py_buffer(data)) if len(bounds) else pa.array([], type=pa.string())
        return without_validity(pieces.take(pa.array(2 * chosen, type=pa.int64())))

    @cached_property
    def zones(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        zones = [(z["start"] + b, z["end"] + b, z["type"])
                 for doc, b in zip(self.documents, self.base.tolist()) for z in doc.structure["zones"]]
        return (np.asarray([z[0] for z in zones], dtype=np.int64), np.asarray([z[1] for z in zones], dtype=np.int64),
                [z[2] for z in zones])

    def zone_at(self, positions: np.ndarray, feature) -> pa.Array:
        """The zone type (ClassLabel id of `feature`) holding each shard-axis position, null where none
        does (zones are sorted and cover their text)."""
        starts, ends, types = self.zones
        if not types:
            return pa.array([None] * len(positions), type=pa.int64())
        ids = np.asarray([feature.str2int(t) for t in types], dtype=np.int64)
        index = np.searchsorted(starts, positions, side="right") - 1
        inside = (index >= 0) & (positions < ends[np.maximum(index, 0)])
        return int_array(ids[np.maximum(index, 0)], pa.int64(), ~inside)

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
    return {column: list(map(dict.get, records, itertools.repeat(column))) for column in columns}


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
    for kind in KIND_RECORD:
        columns[kind] = shard.nested_records(kind, schema.field(kind).type)
    return columns


def claims_columns(shard: Shard, features) -> dict[str, Any]:
    """One row per claim, with the first sentence it overlaps (the one holding its start)."""
    docs = shard.record_docs("claims")
    columns: dict[str, Any] = {**shard.record_arrays("claims"),
                               "document_id": shard.record_values("claims")["document_id"]}
    spans = shard.spans("claims")
    where = first_overlapping_sentence(shard.sentences_g, spans.start, spans.end)
    missing = where < 0
    safe = np.maximum(where, 0)
    bounds = shard.sentences[safe] if len(shard.sentences) else np.zeros((len(docs), 2), dtype=np.int64)
    schema = features.arrow_schema
    columns["sentence_id"] = int_array(safe - shard.sentence_first[docs], schema.field("sentence_id").type, missing)
    columns["sentence_start"] = int_array(bounds[:, 0], schema.field("sentence_start").type, missing)
    columns["sentence_end"] = int_array(bounds[:, 1], schema.field("sentence_end").type, missing)
    columns["sentence_text"] = [None if gone else shard.texts[d][s:e]
                                for d, s, e, gone in zip(docs.tolist(), bounds[:, 0].tolist(), bounds[:, 1].tolist(),
                                                         missing.tolist())]
    return columns


def record_config_columns(kind: str):
    """The columns of a config of one row per record (`cues`, `attributions`): the record's fields and its document."""
    def columns(shard: Shard, features) -> dict[str, Any]:
        return {**shard.record_arrays(kind), "document_id": shard.record_values(kind)["document_id"]}
    return columns


def sentence_columns(shard: Shard, rows: np.ndarray, features) -> dict[str, pa.Array]:
    """id (`<document id>:<sentence index>`), document_id and sentence_id of the given shard sentences."""
    doc = shard.sentence_doc[rows]
    local = rows - shard.sentence_first[doc]
    names = pa.array([d.document_id for d in shard.documents], type=pa.string())
    document_ids = without_validity(names.take(pa.array(doc)))
    ids = without_validity(pc.binary_join_element_wise(document_ids, pa.array(local).cast(pa.string()),
                                                       SENTENCE_ID_SEPARATOR))
    return {"id": ids, "document_id": document_ids,
            "sentence_id": pa.array(local, type=features.arrow_schema.field("sentence_id").type)}


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
    cue_spans = shard.spans("cues", label="kind")
    kind_names = features_of_record("cue")["kind"]
    has_hedge = touched(cue_spans, cue_spans.label == kind_names.str2int("hedge"))
    local = shard.sentences[rows]
    schema = features.arrow_schema
    certainty = features["certainty"]
    return {
        **sentence_columns(shard, rows, features),
        "start": pa.array(local[:, 0], type=schema.field("start").type),
        "end": pa.array(local[:, 1], type=schema.field("end").type),
        "text": shard.substrings(sentences[:, 0], sentences[:, 1], rows),
        "zone": shard.zone_at(sentences[rows, 0], features["zone"]),
        "has_claim": pa.array(touched(shard.spans("claims"))),
        "has_hedge": pa.array(has_hedge),
        "has_booster": pa.array(touched(cue_spans, cue_spans.label == kind_names.str2int("booster"))),
        "has_attribution": pa.array(touched(shard.spans("attributions", role="cue"))),
        "certainty": pa.array(np.where(has_hedge, certainty.str2int("uncertain"), certainty.str2int("certain")),
                              type=pa.int64()),
    }


def features_of_record(kind: str) -> dict:
    from .features import record_fields
    return record_fields(kind)


def family_spans(shard: Shard, family: str) -> tuple[Spans, list[str]]:
    """The spans of one BIO tag family (`cash_corpus.bio.FAMILIES`) over the shard, and the label names
    their codes index, labelled as `bio.family_spans` does (claim type, cue kind, attribution role)."""
    from ..bio import attribution_roles
    if family == "claim":
        return shard.spans("claims", label="claim_type"), features_of_record("claim")["claim_type"].names
    if family == "cue":
        return shard.spans("cues", label="kind"), features_of_record("cue")["kind"].names
    roles = attribution_roles()
    parts = [shard.spans("attributions", role=role) for role in roles]
    return Spans(np.concatenate([p.start for p in parts]), np.concatenate([p.end for p in parts]),
                 np.concatenate([p.doc for p in parts]),
                 np.concatenate([np.full(len(p.start), i, dtype=np.int64) for i, p in enumerate(parts)])), list(roles)


def tokens_columns(shard: Shard, features) -> dict[str, Any]:
    """Token classification rows, one per sentence of the annotated documents, with BIO tags under
    the nesting policy of `cash_corpus.bio` (placed by `bio.place_tags` over the whole shard)."""
    from ..bio import FAMILIES, family_columns, place_tags
    rows = annotated_sentences(shard)
    firsts, lasts = shard.sentence_token_slices
    index, offsets = concat_ranges(firsts[rows], lasts[rows])
    schema = features.arrow_schema
    local = shard.tokens[index]
    columns: dict[str, Any] = {
        **sentence_columns(shard, rows, features),
        "tokens": list_array(offsets, shard.substrings(shard.tokens_g[:, 0], shard.tokens_g[:, 1], index),
                             schema.field("tokens").type),
        "token_starts": list_array(offsets, pa.array(local[:, 0], type=pa.int32()), schema.field("token_starts").type),
        "token_ends": list_array(offsets, pa.array(local[:, 1], type=pa.int32()), schema.field("token_ends").type),
    }
    for family in FAMILIES:
        spans, labels = family_spans(shard, family)
        names = family_columns(family)
        tags = place_tags(shard.sentences_g, (firsts, lasts), shard.tokens_g, spans.start, spans.end, spans.label,
                          labels, [features[name].feature for name in names])
        for name, column in zip(names, tags):
            columns[name] = list_array(offsets, pa.array(column[index], type=pa.int64()), schema.field(name).type)
    return columns


COLUMN_BUILDERS = {"documents": documents_columns, "claims": claims_columns, "cues": record_config_columns("cues"),
                   "attributions": record_config_columns("attributions"), "sentences": sentences_columns,
                   "tokens": tokens_columns}
