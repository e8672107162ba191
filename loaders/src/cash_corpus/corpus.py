"""The corpus on disk: metadata, raw texts, structural layers; and adding a document to it.

Layout (all under `corpus/`):
- `corpus.json`: name, version, schema version.
- `texts/<id>.txt`: the raw bytes of each document, exactly as received (the text of record).
- `documents.jsonl`: one metadata record per document (schema `$defs/document_metadata`).
- `structure.jsonl`: one record per document with zones, sentences and tokens.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CashError, Location, UsageError
from .jsonl import atomic_writer, dumps_line, read_json, read_jsonl, write_json
from .paths import CorpusPaths, is_valid_document_id, safe_child
from .records import Structure
from .schema import label_names


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, source: str) -> str:
    """Strict UTF-8: a document that is not valid UTF-8 is refused, never repaired."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CashError(f"not valid UTF-8 at byte {exc.start}: {exc.reason}", Location(file=source)) from exc


def slug(title: str, max_words: int = 6) -> str:
    """A readable id from a title: ASCII lowercase words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:max_words])[:64].strip("-")


@dataclass
class Corpus:
    """Read access to a corpus root. Streams records; holds nothing but the root path."""

    paths: CorpusPaths

    @classmethod
    def at(cls, root: Path) -> "Corpus":
        return cls(CorpusPaths(Path(root)))

    def info(self) -> dict[str, Any]:
        return read_json(self.paths.corpus_info)

    @property
    def version(self) -> str:
        return self.info()["version"]

    def documents(self) -> Iterator[dict[str, Any]]:
        if not self.paths.documents.exists():
            return
        for _, record in read_jsonl(self.paths.documents):
            yield record

    def document_ids(self) -> list[str]:
        return [d["id"] for d in self.documents()]

    def structures(self) -> Iterator[Structure]:
        if not self.paths.structure.exists():
            return
        for _, record in read_jsonl(self.paths.structure):
            yield Structure.from_dict(record)

    def raw_bytes(self, doc_id: str) -> bytes:
        path = self.paths.text_path(doc_id)
        if not path.is_file():
            raise CashError("document text missing", Location(file=str(path), document_id=doc_id))
        return path.read_bytes()

    def text(self, doc_id: str) -> str:
        path = self.paths.text_path(doc_id)
        return decode_text(self.raw_bytes(doc_id), str(path))


def build_structure(doc_id: str, text: str, text_sha256: str,
                    zone_overrides: Mapping[int, str] | None = None) -> Structure:
    from .segment import SEGMENTER, default_zones, sentences_and_tokens  # spaCy loads on use, not on import
    zones = default_zones(text, zone_overrides)
    sentences, tokens = sentences_and_tokens(text, zones)
    return Structure(doc_id, text_sha256, tuple(zones), "corrected" if zone_overrides else "default", SEGMENTER,
                     tuple(sentences), tuple(tokens))


def not_stated(evidence: str | None = None) -> dict[str, Any]:
    return {"value": None, "status": "not_stated", "evidence": evidence}


def stated(value: str, evidence: str | None) -> dict[str, Any]:
    return {"value": value, "status": "stated", "evidence": evidence}


def make_metadata(doc_id: str, source_name: str, text: str, digest: str, *, title: str, genre: str,
                  language: str, outlet: str | None, outlet_evidence: str | None,
                  date_inferred: str | None, date_evidence: str | None,
                  license_id: str, copyright_note: str) -> dict[str, Any]:
    """The metadata record; author and date are `not_stated` unless the text states them."""
    date = not_stated()
    if date_inferred:
        date["inferred"] = {"value": date_inferred, "evidence": date_evidence or "unknown"}
    else:
        date["inferred"] = None
    return {
        "id": doc_id, "title": title, "source_file": source_name, "genre": genre, "language": language,
        "length": len(text), "sha256": digest,
        "outlet": stated(outlet, outlet_evidence) if outlet else not_stated(),
        "author": not_stated(), "date": date,
        "rights": {"license": license_id, "copyright": copyright_note},
    }


def add_document(root: Path, source: Path, *, title: str, doc_id: str | None = None, genre: str = "opinion",
                 language: str = "en", outlet: str | None = None, outlet_evidence: str | None = None,
                 date_inferred: str | None = None, date_evidence: str | None = None,
                 license_id: str = "unknown",
                 copyright_note: str = "Copyright retained by the original publisher; no licence known.",
                 zone_overrides: Mapping[int, str] | None = None) -> dict[str, Any]:
    """Add `source` to the corpus at `root`: bytes kept exactly, metadata, sha256, structural layers.

    Refuses a duplicate id or duplicate bytes. All files are prepared first and renamed into
    place together, so a refused or failed add leaves the corpus as it was.
    """
    corpus = Corpus.at(root)
    if not source.is_file():
        raise UsageError("no such file", Location(file=str(source)))
    data = source.read_bytes()
    text = decode_text(data, str(source))
    if not text.strip():
        raise CashError("document is empty", Location(file=str(source)))
    digest = sha256_bytes(data)
    doc_id = doc_id or slug(title)
    if not is_valid_document_id(doc_id):
        raise UsageError(f"invalid document id {doc_id!r}", Location(file=str(source), document_id=doc_id),
                         hint="lowercase letters, digits and single hyphens, at most 64 characters")
    if genre not in label_names("genre"):
        raise UsageError(f"unknown genre {genre!r}; expected one of {label_names('genre')}")
    for existing in corpus.documents():
        if existing["id"] == doc_id:
            raise CashError("a document with this id is already in the corpus",
                            Location(file=str(source), document_id=doc_id), hint="choose another --id")
        if existing["sha256"] == digest:
            raise CashError(f"the same bytes are already in the corpus as {existing['id']!r}",
                            Location(file=str(source), document_id=existing["id"]))
    for line, zone_type in (zone_overrides or {}).items():
        if zone_type not in label_names("zone_type"):
            raise UsageError(f"unknown zone type {zone_type!r} for line {line}",
                             Location(file=str(source)), hint=f"one of {label_names('zone_type')}")
    metadata = make_metadata(doc_id, source.name, text, digest, title=title, genre=genre, language=language,
                             outlet=outlet, outlet_evidence=outlet_evidence, date_inferred=date_inferred,
                             date_evidence=date_evidence, license_id=license_id, copyright_note=copyright_note)
    structure = build_structure(doc_id, text, digest, zone_overrides)
    _commit_files(corpus.paths, doc_id, data, metadata, structure)
    return metadata


def _commit_files(paths: CorpusPaths, doc_id: str, data: bytes, metadata: dict, structure: Structure) -> None:
    """Write the text and the two appended JSONL files to temp files; rename them only if all succeed."""
    with ExitStack() as stack:
        text_handle, documents_handle, structure_handle = (
            stack.enter_context(atomic_writer(target, "wb"))
            for target in (paths.text_path(doc_id), paths.documents, paths.structure))
        text_handle.write(data)
        _copy_and_append(documents_handle, paths.documents, metadata)
        _copy_and_append(structure_handle, paths.structure, structure.to_dict())


def _copy_and_append(handle, existing: Path, record: dict) -> None:
    if existing.exists():
        with open(existing, "rb") as old:
            for chunk in iter(lambda: old.read(1 << 20), b""):
                handle.write(chunk)
    handle.write((dumps_line(record) + "\n").encode("utf-8"))


def init_corpus(root: Path, name: str, version: str, schema_version: str) -> None:
    """Create an empty corpus layout at `root` (used by tests and the synthetic generator)."""
    paths = CorpusPaths(root)
    paths.texts_dir.mkdir(parents=True, exist_ok=True)
    paths.annotations_dir.mkdir(parents=True, exist_ok=True)
    if not paths.corpus_info.exists():
        write_json(paths.corpus_info, {"name": name, "version": version, "schema_version": schema_version})
    for path in (paths.documents, paths.structure):
        if not path.exists():
            path.touch()


def rezone_document(root: Path, doc_id: str, zone_overrides: Mapping[int, str]) -> Structure:
    """Correct the zoning of a document already in the corpus: zones, sentences and tokens are
    recomputed from the per-line zone types, `corpus/zoning/<id>.json` records them, and the
    document's line in structure.jsonl is replaced. Both files are written atomically together."""
    corpus = Corpus.at(root)
    metadata = next((d for d in corpus.documents() if d["id"] == doc_id), None)
    if metadata is None:
        raise CashError("no such document in the corpus", Location(file=str(corpus.paths.documents), document_id=doc_id))
    for line, zone_type in zone_overrides.items():
        if zone_type not in label_names("zone_type"):
            raise UsageError(f"unknown zone type {zone_type!r} for line {line}", Location(document_id=doc_id),
                             hint=f"one of {label_names('zone_type')}")
    text = corpus.text(doc_id)
    structure = build_structure(doc_id, text, metadata["sha256"], zone_overrides)
    zoning_file = safe_child(corpus.paths.corpus_dir / "zoning", doc_id, ".json")
    with ExitStack() as stack:
        structure_handle = stack.enter_context(atomic_writer(corpus.paths.structure))
        zoning_handle = stack.enter_context(atomic_writer(zoning_file))
        for _, record in read_jsonl(corpus.paths.structure):
            row = structure.to_dict() if record.get("document_id") == doc_id else record
            structure_handle.write(dumps_line(row) + "\n")
        zoning_handle.write(json.dumps({str(k): v for k, v in sorted(zone_overrides.items())}) + "\n")
    return structure


def recorded_zone_overrides(paths: CorpusPaths, doc_id: str) -> dict[int, str] | None:
    """The per-line zone types `corpus/zoning/<id>.json` recorded when the document was added, or None."""
    path = safe_child(paths.corpus_dir / "zoning", doc_id, ".json")
    if not path.is_file():
        return None
    return {int(line): kind for line, kind in read_json(path).items()}


def resegmented_structures(root: Path) -> list[Structure]:
    """Every document's structure recomputed with the current segmenter from its text and recorded
    zoning: what `cash add` would store today. Ids, zones and text hashes are unchanged."""
    corpus = Corpus.at(root)
    out = []
    for metadata in corpus.documents():
        doc_id = metadata["id"]
        out.append(build_structure(doc_id, corpus.text(doc_id), metadata["sha256"],
                                   recorded_zone_overrides(corpus.paths, doc_id)))
    return out


def resegment_corpus(root: Path) -> list[Structure]:
    """Rewrite structure.jsonl with `resegmented_structures` (a tokenizer change is a data change).

    The one write of this function; it moves onto `cash_corpus.transaction` when that lands.
    """
    structures = resegmented_structures(root)
    with atomic_writer(CorpusPaths(Path(root)).structure) as handle:
        for structure in structures:
            handle.write(dumps_line(structure.to_dict()) + "\n")
    return structures
