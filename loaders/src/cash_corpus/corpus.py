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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CashError, Location, UsageError
from .jsonl import dumps_line, read_json, read_jsonl, write_json
from .paths import CorpusPaths, is_valid_document_id, read_regular_bytes, safe_child
from .records import Attested, DocumentMetadata, Inference, Structure
from .schema import label_names
from .transaction import Transaction, corpus_transaction


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
        try:
            return read_regular_bytes(path)  # a symlink, FIFO or device is refused, never read
        except FileNotFoundError:
            raise CashError("document text missing", Location(file=str(path), document_id=doc_id)) from None

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


def make_metadata(doc_id: str, source_name: str, text: str, digest: str, *, title: str, genre: str,
                  language: str, outlet: str | None, outlet_evidence: str | None,
                  date_inferred: str | None, date_evidence: str | None,
                  license_id: str, copyright_note: str) -> DocumentMetadata:
    """The metadata record; author and date are `not_stated` unless the text states them."""
    return DocumentMetadata(
        doc_id, title, source_name, genre, language, len(text), digest,
        Attested.stated(outlet, outlet_evidence) if outlet else Attested.not_stated(),
        Attested.not_stated(), Attested.not_stated(),
        Inference(date_inferred, date_evidence or "unknown") if date_inferred else None,
        license_id, copyright_note)


def add_document(root: Path, source: Path, *, title: str, doc_id: str | None = None, genre: str = "opinion",
                 language: str = "en", outlet: str | None = None, outlet_evidence: str | None = None,
                 date_inferred: str | None = None, date_evidence: str | None = None,
                 license_id: str = "unknown",
                 copyright_note: str = "Copyright retained by the original publisher; no licence known.",
                 zone_overrides: Mapping[int, str] | None = None) -> DocumentMetadata:
    """Add `source` to the corpus at `root`: bytes kept exactly, metadata, sha256, structural layers.

    Refuses a duplicate id or duplicate bytes. Everything is computed first; then, under the corpus
    lock, the duplicate checks run on the corpus as it is, the three files are staged and the
    corpus is validated as it will be (`transaction`), so a refused, failed or interrupted add
    leaves the corpus as it was, and two adds at once both land.
    """
    if not source.is_file():
        raise UsageError("no such file", Location(file=str(source)))
    data = source.read_bytes()
    text = decode_text(data, str(source))
    if not text.strip():
        raise CashError("document is empty", Location(file=str(source)))
    from .validation.inputs import require_clean_text, require_language  # validation imports this module
    require_clean_text(text, source)
    require_language(language)
    digest = sha256_bytes(data)
    doc_id = doc_id or slug(title)
    if not is_valid_document_id(doc_id):
        raise UsageError(f"invalid document id {doc_id!r}", Location(file=str(source), document_id=doc_id),
                         hint="lowercase letters, digits and single hyphens, at most 64 characters")
    if genre not in label_names("genre"):
        raise UsageError(f"unknown genre {genre!r}; expected one of {label_names('genre')}")
    check_zone_lines(text, zone_overrides, Location(file=str(source)))
    metadata = make_metadata(doc_id, source.name, text, digest, title=title, genre=genre, language=language,
                             outlet=outlet, outlet_evidence=outlet_evidence, date_inferred=date_inferred,
                             date_evidence=date_evidence, license_id=license_id, copyright_note=copyright_note)
    structure = build_structure(doc_id, text, digest, zone_overrides)
    with corpus_transaction(root, "add") as txn:
        # Read under the lock: a concurrent add has either committed or not started.
        for existing in Corpus(txn.paths).documents():
            if existing["id"] == doc_id:
                raise CashError("a document with this id is already in the corpus",
                                Location(file=str(source), document_id=doc_id), hint="choose another --id")
            if existing["sha256"] == digest:
                raise CashError(f"the same bytes are already in the corpus as {existing['id']!r}",
                                Location(file=str(source), document_id=existing["id"]))
        txn.write_bytes(_relative(txn, txn.paths.text_path(doc_id)), data)
        _stage_appended(txn, txn.paths.documents, metadata.to_dict())
        _stage_appended(txn, txn.paths.structure, structure.to_dict())
    return metadata


def check_zone_lines(text: str, zone_overrides: Mapping[int, str] | None, where: Location) -> None:
    """Zone corrections must name lines the text has (counted from 1) and known zone types."""
    line_count = len(text.splitlines()) or 1
    for line, zone_type in (zone_overrides or {}).items():
        if zone_type not in label_names("zone_type"):
            raise UsageError(f"unknown zone type {zone_type!r} for line {line}", where,
                             hint=f"one of {label_names('zone_type')}")
        if not 1 <= line <= line_count:
            raise UsageError(f"zone correction for line {line}, but the text has lines 1 to {line_count}", where,
                             hint="line numbers count from 1, as in an editor")


def _relative(txn: Transaction, path: Path) -> str:
    try:
        return path.relative_to(txn.root).as_posix()
    except ValueError:  # a folder on the way resolved elsewhere: a link under the root
        raise CashError("resolves outside the corpus root (a symbolic link on the way?)",
                        Location(file=str(path))) from None


def _stage_appended(txn: Transaction, existing: Path, record: dict) -> None:
    """Stage `existing` plus one JSON line (a streamed copy: the file is never held in memory)."""
    with txn.open(_relative(txn, existing), "wb") as handle:
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
    document's line in structure.jsonl is replaced; both in one transaction."""
    with corpus_transaction(root, "zones") as txn:
        corpus = Corpus(txn.paths)
        metadata = next((d for d in corpus.documents() if d["id"] == doc_id), None)
        if metadata is None:
            raise CashError("no such document in the corpus",
                            Location(file=str(corpus.paths.documents), document_id=doc_id))
        text = corpus.text(doc_id)
        check_zone_lines(text, zone_overrides, Location(document_id=doc_id))
        structure = build_structure(doc_id, text, metadata["sha256"], zone_overrides)
        zoning_file = safe_child(corpus.paths.corpus_dir / "zoning", doc_id, ".json")
        with txn.open(_relative(txn, corpus.paths.structure)) as handle:
            for _, record in read_jsonl(corpus.paths.structure):
                row = structure.to_dict() if record.get("document_id") == doc_id else record
                handle.write(dumps_line(row) + "\n")
        txn.write_text(_relative(txn, zoning_file),
                       json.dumps({str(k): v for k, v in sorted(zone_overrides.items())}) + "\n")
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
    """Rewrite structure.jsonl with `resegmented_structures` (a tokenizer change is a data change),
    in one transaction: the corpus is validated as it will be before anything is renamed into place."""
    with corpus_transaction(root, "resegment") as txn:
        structures = resegmented_structures(txn.root)
        with txn.open(_relative(txn, txn.paths.structure)) as handle:
            for structure in structures:
                handle.write(dumps_line(structure.to_dict()) + "\n")
    return structures
