"""Annotation layers on disk: `annotations/<layer>.jsonl`, one JSON record per line.

A layer file is a header line (`record: layer`, with schema version and provenance), then for
each document a `document` line followed by that document's `attribution`, `claim` and `cue`
lines. One annotation per line keeps diffs and merges readable, and a reader can stream a
million documents holding one at a time. Records here are assumed schema-valid; run
`cash validate` (module `validation`) for located findings on bad files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import CashError, Location
from .jsonl import read_jsonl, write_jsonl
from .paths import CorpusPaths
from .records import Attribution, Claim, Cue, DocumentAnnotations, LayerHeader, Stance


def layer_names(paths: CorpusPaths) -> list[str]:
    """Layers present, gold first, then the others by name."""
    names = sorted(p.stem for p in paths.annotations_dir.glob("*.jsonl")) if paths.annotations_dir.exists() else []
    return sorted(names, key=lambda n: (n != "gold", n))


def _document(record: dict, claims: list, cues: list, attributions: list) -> DocumentAnnotations:
    return DocumentAnnotations(
        record["document_id"], record["text_sha256"],
        tuple(Stance(s["target"], s["polarity"]) for s in record["document_stance"]),
        tuple(claims), tuple(cues), tuple(attributions), record.get("note"))


def read_header(path: Path) -> LayerHeader:
    for number, record in read_jsonl(path):
        if record.get("record") != "layer":
            raise CashError("first record must be the layer header (record: layer)", Location(file=str(path), line=number))
        return LayerHeader.from_dict(record)
    raise CashError("empty layer file", Location(file=str(path)))


def iter_documents(path: Path) -> Iterator[DocumentAnnotations]:
    """Stream the documents of a layer file, one DocumentAnnotations at a time."""
    current: dict | None = None
    claims: list[Claim] = []
    cues: list[Cue] = []
    attributions: list[Attribution] = []
    builders = {"claim": (Claim, claims), "cue": (Cue, cues), "attribution": (Attribution, attributions)}
    for number, record in read_jsonl(path):
        kind = record.get("record")
        if kind == "layer":
            continue
        if kind == "document":
            if current is not None:
                yield _document(current, claims, cues, attributions)
                claims.clear(), cues.clear(), attributions.clear()
            current = record
            continue
        if kind not in builders:
            raise CashError(f"unknown record kind {kind!r}", Location(file=str(path), line=number))
        if current is None or record.get("document_id") != current["document_id"]:
            raise CashError("annotation is not under its document's record",
                            Location(file=str(path), line=number, document_id=record.get("document_id"),
                                     annotation_id=record.get("id")))
        cls, bucket = builders[kind]
        bucket.append(cls.from_dict(record))
    if current is not None:
        yield _document(current, claims, cues, attributions)


def read_layer(path: Path) -> tuple[LayerHeader, list[DocumentAnnotations]]:
    return read_header(path), list(iter_documents(path))


def document_from_records(records: Iterable[dict]) -> DocumentAnnotations:
    """The inverse of `DocumentAnnotations.records()`: a document line then its annotations."""
    claims: list[Claim] = []
    cues: list[Cue] = []
    attributions: list[Attribution] = []
    builders = {"claim": (Claim, claims), "cue": (Cue, cues), "attribution": (Attribution, attributions)}
    iterator = iter(records)
    head = next(iterator)
    for record in iterator:
        cls, bucket = builders[record["record"]]
        bucket.append(cls.from_dict(record))
    return _document(head, claims, cues, attributions)


def layer_rows(header: LayerHeader, documents: Iterable[DocumentAnnotations], *,
               presorted: bool = False) -> Iterator[dict]:
    """Header then every document's records, documents by id. `presorted=True` trusts the
    caller's order and streams (no list of all documents in memory)."""
    yield header.to_dict()
    ordered = documents if presorted else sorted(documents, key=lambda d: d.document_id)
    for document in ordered:
        yield from document.records()


def write_layer(path: Path, header: LayerHeader, documents: Iterable[DocumentAnnotations], *,
                overwrite: bool = False, presorted: bool = False) -> int:
    """Write a whole layer atomically; refuses to replace an existing file unless `overwrite`."""
    if path.exists() and not overwrite:
        raise CashError("layer file exists; refusing to overwrite annotations", Location(file=str(path)),
                        hint="choose another layer name, or pass --overwrite to replace it deliberately")
    return write_jsonl(path, layer_rows(header, documents, presorted=presorted))
