"""Counts per document and label: what a layer holds, for the datasheet and `cash report`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import Corpus
from .layers import iter_documents


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
    """Structure counts plus, per document, how many annotations of each kind and label."""
    counts = structure_counts(corpus)
    for document in iter_documents(layer_file):
        entry = counts.setdefault(document.document_id, DocumentCounts(document.document_id))
        entry.claims, entry.cues, entry.attributions = len(document.claims), len(document.cues), len(document.attributions)
        for claim in document.claims:
            entry.labels.update([("claim_type", claim.claim_type), ("certainty", claim.certainty),
                                 ("polarity", claim.polarity), ("holder", claim.holder.type)])
            entry.labels.update(("stance", f"{s.target}:{s.polarity}") for s in claim.stance)
        for cue in document.cues:
            entry.labels.update([("cue_kind", cue.kind), ("cue_type", cue.cue_type)])
        for attribution in document.attributions:
            entry.labels.update([("source_type", attribution.source_type), ("form", attribution.form),
                                 ("parc_type", attribution.parc_type),
                                 ("source", "explicit" if attribution.source else "implicit"),
                                 ("nesting", "nested" if attribution.parent else "top-level")])
        entry.labels.update(("document_stance", f"{s.target}:{s.polarity}") for s in document.document_stance)
    return counts


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
