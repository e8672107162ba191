"""Rows of every config from one document: pure functions, no I/O.

A `DocumentInput` carries everything one document contributes (metadata, raw text, structure
and the annotations of one layer, or None when that layer does not annotate it). The functions
here turn a shard of them into plain row dicts in canonical order; `build.py` makes Parquet.
Per-sentence flags use NumPy interval searches (spans against sorted sentence boundaries), so a
long document costs O((sentences + spans) log sentences), not sentences x spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..schema import schema_cached

from ..records import Attribution, Claim, Cue, DocumentAnnotations, Span, Structure

SENTENCE_ID_SEPARATOR = ":"


@dataclass(frozen=True)
class DocumentInput:
    """One document as a build sees it; `annotations` is None when the layer skips the document."""

    metadata: dict[str, Any]
    text: str
    structure: Structure
    layer: str | None
    annotations: DocumentAnnotations | None

    @property
    def document_id(self) -> str:
        return self.metadata["id"]


def span_row(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def record_row(record: Claim | Cue | Attribution, columns: Sequence[str]) -> dict[str, Any]:
    """The row values of one annotation record, read generically from its on-disk form: one value per
    column of `hf.features.record_fields` (a field the record leaves out, e.g. an unannotated
    optional label or no note, is None), so a labelled field added to the schema needs no edit here."""
    on_disk = record.to_dict()
    return {column: on_disk.get(column) for column in columns}


@schema_cached
def record_columns(kind: str) -> tuple[str, ...]:
    """The nested/row columns of record kind `kind`, for the schema in use."""
    from .features import record_fields
    return tuple(record_fields(kind))


def claim_row(claim: Claim) -> dict[str, Any]:
    return record_row(claim, record_columns("claim"))


def cue_row(cue: Cue) -> dict[str, Any]:
    return record_row(cue, record_columns("cue"))


def attribution_row(attribution: Attribution) -> dict[str, Any]:
    return record_row(attribution, record_columns("attribution"))


def canonical_claims(annotations: DocumentAnnotations | None) -> list[Claim]:
    """Claims by (start, end, id): the order of the layer file, whatever order a caller built."""
    return [] if annotations is None else sorted(annotations.claims, key=lambda c: (c.span.start, c.span.end, c.id))


def canonical_cues(annotations: DocumentAnnotations | None) -> list[Cue]:
    return [] if annotations is None else sorted(annotations.cues, key=lambda q: (q.span.start, q.span.end, q.id))


def canonical_attributions(annotations: DocumentAnnotations | None) -> list[Attribution]:
    return ([] if annotations is None
            else sorted(annotations.attributions, key=lambda a: (a.cue.start, a.cue.end, a.id)))


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


def zone_of(structure: Structure, positions: np.ndarray) -> list[str | None]:
    """The zone type holding each position (zones are sorted and cover the text)."""
    if not structure.zones:
        return [None] * len(positions)
    zone_starts = np.array([z.start for z in structure.zones], dtype=np.int64)
    zone_ends = np.array([z.end for z in structure.zones], dtype=np.int64)
    index = np.searchsorted(zone_starts, positions, side="right") - 1
    return [structure.zones[i].type if i >= 0 and p < zone_ends[i] else None
            for i, p in zip(index.tolist(), positions.tolist())]


def sentence_array(structure: Structure) -> np.ndarray:
    return np.array(structure.sentences, dtype=np.int64).reshape(-1, 2)


# The documents config's columns of [start, end) pairs: `build.documents_table` makes them from
# arrays (no Python object per token) and asks `document_row(..., pairs=False)` for the rest.
PAIR_COLUMNS = ("sentences", "tokens")


def document_row(doc: DocumentInput, pairs: bool = True) -> dict[str, Any]:
    """The documents-config row; `pairs=False` leaves out `PAIR_COLUMNS` (built column-wise)."""
    meta, structure, annotations = doc.metadata, doc.structure, doc.annotations
    row = {
        "id": meta["id"], "title": meta["title"], "text": doc.text, "source_file": meta["source_file"],
        "genre": meta["genre"], "language": meta["language"], "length": meta["length"], "sha256": meta["sha256"],
        "outlet": meta["outlet"], "author": meta["author"], "date": meta["date"], "rights": meta["rights"],
        "annotation_layer": doc.layer if annotations is not None else None,
        "zones": [z.to_dict() for z in structure.zones],
        "sentences": [{"start": s, "end": e} for s, e in structure.sentences] if pairs else None,
        "tokens": [{"start": s, "end": e} for s, e in structure.tokens] if pairs else None,
        "document_stance": ([] if annotations is None
                            else [{"target": s.target, "polarity": s.polarity} for s in annotations.document_stance]),
        "claims": [claim_row(c) for c in canonical_claims(annotations)],
        "cues": [cue_row(q) for q in canonical_cues(annotations)],
        "attributions": [attribution_row(a) for a in canonical_attributions(annotations)],
    }
    if not pairs:
        for key in PAIR_COLUMNS:
            del row[key]
    return row


def claim_rows(doc: DocumentInput) -> Iterator[dict[str, Any]]:
    """One row per claim, with the first sentence it overlaps (the one holding its start)."""
    claims = canonical_claims(doc.annotations)
    sentences = sentence_array(doc.structure)
    where = first_overlapping_sentence(sentences, [c.span.start for c in claims], [c.span.end for c in claims])
    for claim, index in zip(claims, where.tolist()):
        row = claim_row(claim)
        note = row.pop("note")
        row = {"id": row.pop("id"), "document_id": doc.document_id, **row}
        if index >= 0:
            start, end = (int(x) for x in sentences[index])
            row.update(sentence_id=index, sentence_start=start, sentence_end=end, sentence_text=doc.text[start:end])
        else:
            row.update(sentence_id=None, sentence_start=None, sentence_end=None, sentence_text=None)
        row["note"] = note
        yield row


def cue_rows(doc: DocumentInput) -> Iterator[dict[str, Any]]:
    for cue in canonical_cues(doc.annotations):
        row = cue_row(cue)
        yield {"id": row.pop("id"), "document_id": doc.document_id, **row}


def attribution_rows(doc: DocumentInput) -> Iterator[dict[str, Any]]:
    for attribution in canonical_attributions(doc.annotations):
        row = attribution_row(attribution)
        yield {"id": row.pop("id"), "document_id": doc.document_id, **row}


def sentence_rows(doc: DocumentInput) -> Iterator[dict[str, Any]]:
    """Sentence classification rows; only for documents the layer annotates (else labels are unknown)."""
    annotations = doc.annotations
    if annotations is None:
        return
    sentences = sentence_array(doc.structure)
    claims, cues, attributions = annotations.claims, annotations.cues, annotations.attributions
    hedges = [q for q in cues if q.kind == "hedge"]
    boosters = [q for q in cues if q.kind == "booster"]
    has_claim = sentences_touched(sentences, [c.span.start for c in claims], [c.span.end for c in claims])
    has_hedge = sentences_touched(sentences, [q.span.start for q in hedges], [q.span.end for q in hedges])
    has_booster = sentences_touched(sentences, [q.span.start for q in boosters], [q.span.end for q in boosters])
    has_attribution = sentences_touched(sentences, [a.cue.start for a in attributions],
                                        [a.cue.end for a in attributions])
    zones = zone_of(doc.structure, sentences[:, 0]) if len(sentences) else []
    for index, (start, end) in enumerate(sentences.tolist()):
        yield {"id": f"{doc.document_id}{SENTENCE_ID_SEPARATOR}{index}", "document_id": doc.document_id,
               "sentence_id": index, "start": start, "end": end, "text": doc.text[start:end], "zone": zones[index],
               "has_claim": bool(has_claim[index]), "has_hedge": bool(has_hedge[index]),
               "has_booster": bool(has_booster[index]), "has_attribution": bool(has_attribution[index]),
               "certainty": "uncertain" if has_hedge[index] else "certain"}


def token_rows(doc: DocumentInput) -> Iterator[dict[str, Any]]:
    """Token classification rows, one per sentence, BIO tags under the nesting policy of
    `cash_corpus.bio`; only for documents the layer annotates (else the tags are unknown)."""
    from ..bio import sentence_rows as tagged_sentences
    if doc.annotations is None:
        return
    for row in tagged_sentences(doc.text, doc.structure, doc.annotations):
        yield {"id": f"{doc.document_id}{SENTENCE_ID_SEPARATOR}{row['sentence_id']}", "document_id": doc.document_id,
               **row}


ROW_BUILDERS = {
    "documents": lambda doc: iter((document_row(doc),)),
    "claims": claim_rows, "cues": cue_rows, "attributions": attribution_rows, "sentences": sentence_rows,
    "tokens": token_rows,
}


def shard_rows(kind: str, documents: Iterable[DocumentInput]) -> Iterator[dict[str, Any]]:
    """All rows of config kind `kind` for a shard of documents (already in document-id order)."""
    builder = ROW_BUILDERS[kind]
    for doc in documents:
        yield from builder(doc)
