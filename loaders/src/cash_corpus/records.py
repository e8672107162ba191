"""Typed records for everything on disk: documents, structure, annotation layers.

Records are frozen dataclasses built from already schema-validated dicts (see `validation`),
and `to_dict` gives back exactly the canonical on-disk form, so `from_dict(to_dict(x)) == x`.
Notes (free text) are excluded from equality, so a re-annotation that only adds a note still
compares equal on the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schema import record_kinds, load_schema, schema_cached

Extra = tuple[tuple[str, Any], ...]


@schema_cached
def extra_field_names(kind: str, named: frozenset[str]) -> tuple[str, ...]:
    """The properties the schema gives record `kind` ("claim", "document", …) that its dataclass
    does not name (`named`), in schema order: labelled fields added to the schema after the code
    was written. They travel in the record's `extra`, so adding a field needs no code change."""
    properties = load_schema()["$defs"][record_kinds()[kind]].get("properties", {})
    return tuple(name for name in properties if name not in named)


def read_extra(kind: str, named: frozenset[str], d: dict[str, Any]) -> Extra:
    """The further schema properties present in `d`, in schema order."""
    return tuple((name, d[name]) for name in extra_field_names(kind, named) if name in d)


def _ordered(kind: str, named: frozenset[str], extra: Extra) -> Extra:
    """`extra` in schema order (callers may build it in any order; equality and output use this one)."""
    order = {name: n for n, name in enumerate(extra_field_names(kind, named))}
    return tuple(sorted(extra, key=lambda item: order.get(item[0], len(order))))


@dataclass(frozen=True, order=True)
class Span:
    """Half-open [start, end) in code points over the raw text; `text` is raw[start:end]."""

    start: int
    end: int
    text: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(d["start"], d["end"], d["text"])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Provenance:
    method: str
    annotator: str
    guideline_version: str
    date: str
    tool: str | None = None
    notes: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Provenance":
        return cls(d["method"], d["annotator"], d["guideline_version"], d["date"], d.get("tool"), d.get("notes"))

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "annotator": self.annotator, "tool": self.tool,
                "guideline_version": self.guideline_version, "date": self.date, "notes": self.notes}


@dataclass(frozen=True)
class LayerHeader:
    """First line of a layer file: name, schema version and provenance."""

    layer: str
    schema_version: str
    provenance: Provenance
    corpus_version: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "LayerHeader":
        return cls(d["layer"], d["schema_version"], Provenance.from_dict(d["provenance"]), d.get("corpus_version"))

    def to_dict(self) -> dict[str, Any]:
        return {"record": "layer", "layer": self.layer, "schema_version": self.schema_version,
                "corpus_version": self.corpus_version, "provenance": self.provenance.to_dict()}


@dataclass(frozen=True)
class Stance:
    target: str
    polarity: str

    def to_dict(self) -> dict[str, str]:
        return {"target": self.target, "polarity": self.polarity}


@dataclass(frozen=True)
class Holder:
    """The author (attribution_id None) or the source of attribution `attribution_id`."""

    type: str
    attribution_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "attribution_id": self.attribution_id}


@dataclass(frozen=True)
class Claim:
    id: str
    document_id: str
    span: Span
    claim_type: str
    certainty: str
    polarity: str
    holder: Holder
    stance: tuple[Stance, ...] = ()
    note: str | None = field(default=None, compare=False)
    ls_region_id: str | None = field(default=None, compare=False)  # provenance only (Label Studio import)
    # Schema properties this class does not name (a labelled field added to the schema), in
    # schema order; written after the named fields, before the note.
    extra: Extra = ()

    NAMED = frozenset({"record", "id", "document_id", "start", "end", "text", "claim_type", "certainty",
                       "polarity", "holder", "stance", "note", "ls_region_id"})

    def __post_init__(self) -> None:
        if self.extra:
            object.__setattr__(self, "extra", _ordered("claim", self.NAMED, tuple(self.extra)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        return cls(d["id"], d["document_id"], Span.from_dict(d), d["claim_type"], d["certainty"],
                   d["polarity"], Holder(d["holder"]["type"], d["holder"].get("attribution_id")),
                   tuple(Stance(s["target"], s["polarity"]) for s in d["stance"]), d.get("note"),
                   d.get("ls_region_id"), read_extra("claim", cls.NAMED, d))

    def to_dict(self) -> dict[str, Any]:
        out = {"record": "claim", "id": self.id, "document_id": self.document_id, **self.span.to_dict(),
               "claim_type": self.claim_type, "certainty": self.certainty, "polarity": self.polarity,
               "holder": self.holder.to_dict(), "stance": [s.to_dict() for s in self.stance], **dict(self.extra)}
        if self.note is not None:
            out["note"] = self.note
        if self.ls_region_id is not None:
            out["ls_region_id"] = self.ls_region_id
        return out


@dataclass(frozen=True)
class Cue:
    id: str
    document_id: str
    span: Span
    kind: str
    cue_type: str
    claims: tuple[str, ...]
    note: str | None = field(default=None, compare=False)
    ls_region_id: str | None = field(default=None, compare=False)
    extra: Extra = ()  # further schema properties, as in Claim

    NAMED = frozenset({"record", "id", "document_id", "start", "end", "text", "kind", "cue_type", "claims",
                       "note", "ls_region_id"})

    def __post_init__(self) -> None:
        if self.extra:
            object.__setattr__(self, "extra", _ordered("cue", self.NAMED, tuple(self.extra)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Cue":
        return cls(d["id"], d["document_id"], Span.from_dict(d), d["kind"], d["cue_type"],
                   tuple(d["claims"]), d.get("note"), d.get("ls_region_id"), read_extra("cue", cls.NAMED, d))

    def to_dict(self) -> dict[str, Any]:
        out = {"record": "cue", "id": self.id, "document_id": self.document_id, **self.span.to_dict(),
               "kind": self.kind, "cue_type": self.cue_type, "claims": list(self.claims), **dict(self.extra)}
        if self.note is not None:
            out["note"] = self.note
        if self.ls_region_id is not None:
            out["ls_region_id"] = self.ls_region_id
        return out


@dataclass(frozen=True)
class Attribution:
    id: str
    document_id: str
    source: Span | None
    cue: Span
    content: Span
    source_type: str
    form: str
    parc_type: str
    parent: str | None = None
    note: str | None = field(default=None, compare=False)
    # Optional since schema 1.1.0 (guidelines 1.2.0 §4.4, §4.6); None = not annotated, and then
    # the key is left out on writing, so layers made before 1.2.0 round-trip byte for byte.
    hypothetical: bool | None = None
    author_commitment: str | None = None
    ls_region_id: str | None = field(default=None, compare=False)
    extra: Extra = ()  # further schema properties, as in Claim

    NAMED = frozenset({"record", "id", "document_id", "source", "cue", "content", "source_type", "form",
                       "parc_type", "parent", "note", "hypothetical", "author_commitment", "ls_region_id"})

    def __post_init__(self) -> None:
        if self.extra:
            object.__setattr__(self, "extra", _ordered("attribution", self.NAMED, tuple(self.extra)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Attribution":
        return cls(d["id"], d["document_id"], Span.from_dict(d["source"]) if d["source"] else None,
                   Span.from_dict(d["cue"]), Span.from_dict(d["content"]), d["source_type"], d["form"],
                   d["parc_type"], d.get("parent"), d.get("note"), d.get("hypothetical"),
                   d.get("author_commitment"), d.get("ls_region_id"), read_extra("attribution", cls.NAMED, d))

    def to_dict(self) -> dict[str, Any]:
        out = {"record": "attribution", "id": self.id, "document_id": self.document_id,
               "source": self.source.to_dict() if self.source else None, "cue": self.cue.to_dict(),
               "content": self.content.to_dict(), "source_type": self.source_type, "form": self.form,
               "parc_type": self.parc_type, "parent": self.parent}
        if self.hypothetical is not None:
            out["hypothetical"] = self.hypothetical
        if self.author_commitment is not None:
            out["author_commitment"] = self.author_commitment
        out.update(self.extra)
        if self.note is not None:
            out["note"] = self.note
        if self.ls_region_id is not None:
            out["ls_region_id"] = self.ls_region_id
        return out


@dataclass(frozen=True)
class DocumentAnnotations:
    """All annotations of one document in one layer, in canonical order."""

    document_id: str
    text_sha256: str
    document_stance: tuple[Stance, ...] = ()
    claims: tuple[Claim, ...] = ()
    cues: tuple[Cue, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    note: str | None = field(default=None, compare=False)
    ls_annotation: dict[str, Any] | None = field(default=None, compare=False)  # Label Studio provenance
    extra: Extra = ()  # further schema properties of the document line, as in Claim

    NAMED = frozenset({"record", "document_id", "text_sha256", "document_stance", "note", "ls_annotation"})

    def __post_init__(self) -> None:
        if self.extra:
            object.__setattr__(self, "extra", _ordered("document", self.NAMED, tuple(self.extra)))

    def document_record(self) -> dict[str, Any]:
        out = {"record": "document", "document_id": self.document_id, "text_sha256": self.text_sha256,
               "document_stance": [s.to_dict() for s in self.document_stance], **dict(self.extra)}
        if self.note is not None:
            out["note"] = self.note
        if self.ls_annotation is not None:
            out["ls_annotation"] = self.ls_annotation
        return out

    def records(self) -> list[dict[str, Any]]:
        """The document line followed by its annotations: attributions, claims, cues, each by offset."""
        rows = [self.document_record()]
        rows += [a.to_dict() for a in sorted(self.attributions, key=lambda a: (a.cue.start, a.cue.end, a.id))]
        rows += [c.to_dict() for c in sorted(self.claims, key=lambda c: (c.span.start, c.span.end, c.id))]
        rows += [q.to_dict() for q in sorted(self.cues, key=lambda q: (q.span.start, q.span.end, q.id))]
        return rows


@dataclass(frozen=True)
class Zone:
    type: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Structure:
    """Standoff structural layers of one document: zones, sentences, tokens."""

    document_id: str
    text_sha256: str
    zones: tuple[Zone, ...]
    zones_source: str
    segmenter: str
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[tuple[int, int], ...]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Structure":
        return cls(d["document_id"], d["text_sha256"], tuple(Zone(z["type"], z["start"], z["end"]) for z in d["zones"]),
                   d["zones_source"], d["segmenter"], tuple(tuple(p) for p in d["sentences"]),
                   tuple(tuple(p) for p in d["tokens"]))

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "text_sha256": self.text_sha256,
                "zones": [z.to_dict() for z in self.zones], "zones_source": self.zones_source,
                "segmenter": self.segmenter,
                "sentences": [list(p) for p in self.sentences], "tokens": [list(p) for p in self.tokens]}


@dataclass(frozen=True)
class Inference:
    """A value inferred from the content (never stated metadata), with the evidence for it."""

    value: str
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "evidence": self.evidence}


@dataclass(frozen=True)
class Attested:
    """A metadata value with its status: `stated` by the text (with evidence) or `not_stated` (value None)."""

    value: str | None
    status: str
    evidence: str | None = None

    @classmethod
    def stated(cls, value: str, evidence: str | None) -> "Attested":
        return cls(value, "stated", evidence)

    @classmethod
    def not_stated(cls, evidence: str | None = None) -> "Attested":
        return cls(None, "not_stated", evidence)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "status": self.status, "evidence": self.evidence}


@dataclass(frozen=True)
class DocumentMetadata:
    """One line of corpus/documents.jsonl (`$defs/document_metadata`). Author and date are
    `not_stated` unless the text states them; an inferred date is kept apart as an inference."""

    id: str
    title: str
    source_file: str
    genre: str
    language: str
    length: int
    sha256: str
    outlet: Attested
    author: Attested
    date: Attested
    date_inferred: Inference | None
    license: str
    copyright: str

    def to_dict(self) -> dict[str, Any]:
        date = self.date.to_dict()
        date["inferred"] = self.date_inferred.to_dict() if self.date_inferred else None
        return {"id": self.id, "title": self.title, "source_file": self.source_file, "genre": self.genre,
                "language": self.language, "length": self.length, "sha256": self.sha256,
                "outlet": self.outlet.to_dict(), "author": self.author.to_dict(), "date": date,
                "rights": {"license": self.license, "copyright": self.copyright}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DocumentMetadata":
        def attested(x: dict[str, Any]) -> Attested:
            return Attested(x["value"], x["status"], x.get("evidence"))
        inferred = d["date"].get("inferred")
        return cls(d["id"], d["title"], d["source_file"], d["genre"], d["language"], d["length"], d["sha256"],
                   attested(d["outlet"]), attested(d["author"]), attested(d["date"]),
                   Inference(inferred["value"], inferred["evidence"]) if inferred else None,
                   d["rights"]["license"], d["rights"]["copyright"])
