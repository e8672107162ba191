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
from .records import Attribution, Claim, Cue, DocumentAnnotations, LayerHeader, Stance, read_extra


ANNOTATION_RECORDS = {"claim": Claim, "cue": Cue, "attribution": Attribution}


def layer_names(paths: CorpusPaths) -> list[str]:
    """Layers present, gold first, then the others by name."""
    names = sorted(p.stem for p in paths.annotations_dir.glob("*.jsonl")) if paths.annotations_dir.exists() else []
    return sorted(names, key=lambda n: (n != "gold", n))


def read_header(path: Path) -> LayerHeader:
    for number, record in read_jsonl(path):
        if record.get("record") != "layer":
            raise CashError("first record must be the layer header (record: layer)", Location(file=str(path), line=number))
        return LayerHeader.from_dict(record)
    raise CashError("empty layer file", Location(file=str(path)))


def iter_documents(path: Path) -> Iterator[DocumentAnnotations]:
    """Stream the documents of a layer file, one DocumentAnnotations at a time."""
    for block in record_blocks(read_jsonl(path), path):
        yield document_from_records(block, str(path))


def record_blocks(numbered: Iterable[tuple[int, dict]], path: Path) -> Iterator[list[dict]]:
    """A layer's (line number, record) pairs grouped by document: each block is a document record
    followed by its annotations (the header is skipped). An unknown kind, or an annotation that is
    not under its own document's record, is refused with its location."""
    block: list[dict] = []
    for number, record in numbered:
        kind = record.get("record")
        if kind == "layer":
            continue
        if kind == "document":
            if block:
                yield block
            block = [record]
            continue
        if kind not in ANNOTATION_RECORDS:
            raise CashError(f"unknown record kind {kind!r}", Location(file=str(path), line=number))
        if not block or record.get("document_id") != block[0]["document_id"]:
            raise CashError("annotation is not under its document's record",
                            Location(file=str(path), line=number, document_id=record.get("document_id"),
                                     annotation_id=record.get("id")))
        block.append(record)
    if block:
        yield block


def read_layer(path: Path) -> tuple[LayerHeader, list[DocumentAnnotations]]:
    return read_header(path), list(iter_documents(path))


def split_block(records: Iterable[dict], file: str | None = None) -> tuple[dict, dict[str, list[dict]]]:
    """A document block (its document line, then its annotations in any order) as (document line,
    {kind: annotation lines}); an annotation of an unknown kind or of another document is
    refused, located in `file`."""
    iterator = iter(records)
    head = next(iterator)
    built: dict[str, list] = {kind: [] for kind in ANNOTATION_RECORDS}
    for record in iterator:
        kind = record.get("record")
        if kind not in ANNOTATION_RECORDS or record.get("document_id") != head["document_id"]:
            raise CashError(f"unexpected record {kind!r} in the block of this document",
                            Location(file=file, document_id=head["document_id"], annotation_id=record.get("id")))
        built[kind].append(record)
    return head, built


def document_from_records(records: Iterable[dict], file: str | None = None) -> DocumentAnnotations:
    """The inverse of `DocumentAnnotations.records()`: a document line, then its annotations.
    An annotation of an unknown kind or of another document is refused, located in `file`."""
    head, lines = split_block(records, file)
    built = {kind: tuple(ANNOTATION_RECORDS[kind].from_dict(line) for line in found) for kind, found in lines.items()}
    return DocumentAnnotations(
        head["document_id"], head["text_sha256"],
        tuple(Stance(s["target"], s["polarity"]) for s in head["document_stance"]),
        built["claim"], built["cue"], built["attribution"], head.get("note"),
        head.get("ls_annotation"), read_extra("document", DocumentAnnotations.NAMED, head))


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


def stage_layer(txn, layer: str, header: LayerHeader, documents: Iterable[DocumentAnnotations], *,
                presorted: bool = False) -> int:
    """Stage a whole layer file in a corpus transaction (`transaction.corpus_transaction`), which
    validates it with the rest of the corpus before it lands. The caller decides about overwriting."""
    path = txn.paths.layer_path(layer)
    return txn.write_jsonl(path.relative_to(txn.root).as_posix(), layer_rows(header, documents, presorted=presorted))
