"""Counts per document and label: what a layer holds, for the datasheet and `cash report`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import Corpus
from .layers import iter_documents
from .schema import labelled_fields, record_kinds


@dataclass
class DocumentCounts:
    document_id: str
    characters: int = 0
    sentences: int = 0
    tokens: int = 0
    claims: int = 0
    cues: int = 0
    attributions: int = 0
    labels: Counter = field(default_factory=Counter)  # (field, value) -> count


def structure_counts(corpus: Corpus) -> dict[str, DocumentCounts]:
    counts = {}
    lengths = {d["id"]: d["length"] for d in corpus.documents()}
    for structure in corpus.structures():
        counts[structure.document_id] = DocumentCounts(structure.document_id, lengths.get(structure.document_id, 0),
                                                       len(structure.sentences), len(structure.tokens))
    return counts


def layer_counts(corpus: Corpus, layer_file: Path) -> dict[str, DocumentCounts]:
    """Structure counts plus, per document, how many annotations of each kind and label.

    The labelled fields are the schema's (`schema.labelled_fields` of each record kind), so a new
    labelled field is counted without touching this module.
    """
    counts = structure_counts(corpus)
    kinds = record_kinds()
    for document in iter_documents(layer_file):
        entry = counts.setdefault(document.document_id, DocumentCounts(document.document_id))
        entry.claims, entry.cues, entry.attributions = len(document.claims), len(document.cues), len(document.attributions)
        for record in document.records():
            entry.labels.update(label_values(kinds[record["record"]], record))
        for attribution in document.attributions:  # structural facts, not labels
            entry.labels.update([("attribution.source", "explicit" if attribution.source else "implicit"),
                                 ("attribution.nesting", "nested" if attribution.parent else "top-level")])
    return counts


def label_values(def_name: str, record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, label) for every labelled field of one on-disk record, named `record.field`.

    Fields of the objects in an array are joined per element, so a stance counts as a pair
    ("claim.stance", "T_SANCTIONS:against"). Absent optional fields are skipped.
    """
    kind = record.get("record", def_name)
    arrays: dict[str, list[str]] = {}
    for path in labelled_fields(def_name):
        if "[]." in path:
            prefix, field_name = path.split("[].", 1)
            arrays.setdefault(prefix, []).append(field_name)
            continue
        value: Any = record
        for part in path.removesuffix("[]").split("."):
            value = value.get(part) if isinstance(value, dict) else None
        for item in (value if isinstance(value, list) else [value]):
            if item is not None:
                yield f"{kind}.{path.removesuffix('[]')}", str(item)
    for prefix, fields in arrays.items():
        for element in record.get(prefix) or ():
            yield f"{kind}.{prefix}", ":".join(str(element.get(name)) for name in fields)


def overview_table(counts: dict[str, DocumentCounts]) -> list[str]:
    rows = ["| document | characters | sentences | tokens | claims | cues | attributions |", "|---|---:|---:|---:|---:|---:|---:|"]
    total = DocumentCounts("**total**")
    for doc_id in sorted(counts):
        c = counts[doc_id]
        rows.append(f"| `{doc_id}` | {c.characters:,} | {c.sentences} | {c.tokens:,} | {c.claims} | {c.cues} | {c.attributions} |")
        for name in ("characters", "sentences", "tokens", "claims", "cues", "attributions"):
            setattr(total, name, getattr(total, name) + getattr(c, name))
    rows.append(f"| {total.document_id} | {total.characters:,} | {total.sentences} | {total.tokens:,} | {total.claims} | "
                f"{total.cues} | {total.attributions} |")
    return rows


def label_table(counts: dict[str, DocumentCounts]) -> list[str]:
    doc_ids = sorted(counts)
    keys = sorted({key for c in counts.values() for key in c.labels})
    rows = ["| field | label | " + " | ".join(f"`{d}`" for d in doc_ids) + " | total |",
            "|---|---|" + "---:|" * (len(doc_ids) + 1)]
    for key in keys:
        values = [counts[d].labels.get(key, 0) for d in doc_ids]
        rows.append(f"| {key[0]} | `{key[1]}` | " + " | ".join(str(v) for v in values) + f" | {sum(values)} |")
    return rows
