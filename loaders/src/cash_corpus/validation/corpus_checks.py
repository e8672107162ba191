"""Checks of the corpus folder: corpus.json, documents.jsonl, the raw texts, structure.jsonl; and the schema file."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..paths import CorpusPaths, UnsafeFileError, is_valid_document_id, read_regular_bytes, unsafe_kind
from ..schema import inventories, is_supported_schema_version
from .findings import Finding, Related, finding
from .inputs import control_characters
from .reading import iter_lines, read_json_file, unsafe_finding
from .shapes import id_findings
from .shapes import schema_findings
from .textcache import TextCache

SEMVER_KEYS = ("version", "schema_version")


@dataclass
class _DocumentFacts:
    """What structure.jsonl is checked against: documents.jsonl line, sha256, length in code points."""

    line: int
    sha256: str
    length: int
    has_structure: bool = False


def check_schema_file(path: Path, file: str) -> Iterator[Finding]:
    """The schema is a valid JSON Schema 2020-12 and every label inventory is oneOf/const with a description."""
    schema, problems = read_json_file(path, file)
    yield from problems
    if schema is None:
        return
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        yield finding("schema-invalid", "not-json-schema", reason=exc.message, file=file,
                      found="/".join(map(str, exc.path)) or None)
        return
    defs = schema.get("$defs", {}) if isinstance(schema, dict) else {}
    for name in inventories():
        options = defs.get(name, {}).get("oneOf") if isinstance(defs.get(name), dict) else None
        if not isinstance(options, list) or not all(
                isinstance(o, dict) and isinstance(o.get("const"), str) and o.get("description") for o in options):
            yield finding("schema-invalid", name=name, file=file,
                          expected="oneOf: [{const, title, description, examples}, …]")


def unsafe_folders(paths: CorpusPaths, display) -> list[Finding]:
    """The corpus root's folders that are symlinks (or not folders at all): nothing under them is read."""
    out = []
    for folder in (paths.corpus_dir, paths.texts_dir, paths.annotations_dir, paths.root / "schema",
                   paths.corpus_dir / "zoning"):
        kind = unsafe_kind(folder, folder=True)
        if kind is not None:
            out.append(unsafe_finding(kind, display(folder)))
    return out


def check_corpus(paths: CorpusPaths, display, texts: TextCache | None = None) -> Iterator[Finding]:
    """All corpus-level findings; `display(path)` gives the file name to report. Each raw text read
    (and found UTF-8) is offered to `texts`, so the layer checks need not read it again."""
    yield from _corpus_info(paths, display)
    facts: dict[str, _DocumentFacts] = {}
    yield from _documents(paths, display, facts, texts)
    yield from _orphan_texts(paths, display, facts)
    yield from _structures(paths, display, facts)
    documents_file = display(paths.documents)
    for doc_id, fact in facts.items():
        if not fact.has_structure and os.path.lexists(paths.structure):
            yield finding("structure-missing", file=documents_file, line=fact.line, document_id=doc_id)


def _corpus_info(paths: CorpusPaths, display) -> Iterator[Finding]:
    file = display(paths.corpus_info)
    info, problems = read_json_file(paths.corpus_info, file)
    yield from problems
    if info is None:
        return
    if not isinstance(info, dict):
        yield finding("corpus-info-invalid", "not-object", file=file)
        return
    if not isinstance(info.get("name"), str) or not info.get("name"):
        yield finding("corpus-info-invalid", file=file, expected="name: a string")
    for key in SEMVER_KEYS:
        value = info.get(key)
        if not isinstance(value, str) or schema_findings(value, "semver", {}):
            yield finding("corpus-info-invalid", "version", key=key, file=file,
                          found=None if value is None else repr(value), expected="e.g. 1.0.0")
        elif key == "schema_version" and not is_supported_schema_version(value):
            yield finding("schema-version-unsupported", "corpus", file=file, found=value,
                          expected="same MAJOR, not newer than the shipped schema")


def _documents(paths: CorpusPaths, display, facts: dict[str, _DocumentFacts],
               texts: TextCache | None = None) -> Iterator[Finding]:
    file = display(paths.documents)
    if not os.path.lexists(paths.documents):
        yield finding("file-missing", file=file)
        return
    for number, record in iter_lines(paths.documents, file):
        if isinstance(record, Finding):
            yield record
            continue
        doc_id = record.get("id")
        problems = schema_findings(record, "document_metadata", {"file": file, "line": number, "document_id": doc_id})
        yield from problems
        if not problems:
            yield from id_findings(doc_id, {"file": file, "line": number, "document_id": doc_id}, "$.id")
        if not is_valid_document_id(doc_id):
            continue
        where = {"file": file, "line": number, "document_id": doc_id}
        if doc_id in facts:
            yield finding("document-duplicate", "documents", related=[Related("first at", file, facts[doc_id].line,
                                                                              doc_id)], **where)
            continue
        sha = record.get("sha256") if isinstance(record.get("sha256"), str) else ""
        length = record.get("length") if isinstance(record.get("length"), int) else -1
        facts[doc_id] = fact = _DocumentFacts(number, sha, length)
        yield from _text(paths, display, doc_id, fact, where, texts)


def _text(paths: CorpusPaths, display, doc_id: str, fact: _DocumentFacts, where: dict[str, Any],
          texts: TextCache | None = None) -> Iterator[Finding]:
    """The raw text exists, is UTF-8, and matches its recorded sha256 and length (read once).

    The text's real length replaces the recorded one in `fact`: structure offsets are checked
    against the text itself, so a wrong `length` is reported once, not again as zone gaps.
    """
    sha, length = fact.sha256, fact.length
    path = paths.text_path(doc_id)
    try:
        data = read_regular_bytes(path)
    except FileNotFoundError:
        yield finding("text-missing", found=display(path), **where)
        return
    except UnsafeFileError as exc:
        yield finding("file-unsafe", "text", reason=exc.message, found=display(path), **where)
        return
    digest = hashlib.sha256(data).hexdigest()
    if sha and digest != sha:
        yield finding("text-sha256-mismatch", found=digest, expected=sha, **where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield finding("text-not-utf8", byte=exc.start, **where)
        return
    if length >= 0 and len(text) != length:
        yield finding("text-length-mismatch", found=str(len(text)), expected=str(length), **where)
    fact.length = len(text)
    controls = control_characters(text)
    if controls:
        first = controls[0]
        yield finding("text-control-character", count=len(controls), found=text[first:first + 1], start=first,
                      end=first + 1, expected="printable text, tab, LF or CR", **where)
    if texts is not None:
        texts.keep(doc_id, text)


def _orphan_texts(paths: CorpusPaths, display, facts: dict[str, _DocumentFacts]) -> Iterator[Finding]:
    if not paths.texts_dir.is_dir():
        return
    with os.scandir(paths.texts_dir) as entries:
        names = sorted((entry.name, entry.is_file(follow_symlinks=False)) for entry in entries
                       if not entry.name.startswith(".") and not entry.is_dir(follow_symlinks=False))
    for name, regular in names:
        if name.endswith(".txt") and name[:-4] in facts:
            continue  # listed: read (or refused) by _text
        path = paths.texts_dir / name
        if not regular:
            yield unsafe_finding(unsafe_kind(path) or "not a regular file", display(path))
        else:
            yield finding("text-orphan", file=display(path))


def _structures(paths: CorpusPaths, display, facts: dict[str, _DocumentFacts]) -> Iterator[Finding]:
    file = display(paths.structure)
    if not os.path.lexists(paths.structure):
        yield finding("file-missing", file=file)
        return
    seen: dict[str, int] = {}  # document id -> line of its first record
    for number, record in iter_lines(paths.structure, file):
        if isinstance(record, Finding):
            yield record
            continue
        doc_id = record.get("document_id")
        where = {"file": file, "line": number, "document_id": doc_id}
        problems = schema_findings(record, "structure_record", where)
        yield from problems
        if not problems:
            yield from id_findings(doc_id, where, "$.document_id")
        if not is_valid_document_id(doc_id):
            continue
        if doc_id in seen:
            yield finding("document-duplicate", "structure", related=[Related("first at", file, seen[doc_id], doc_id)],
                          **where)
            continue
        seen[doc_id] = number
        fact = facts.get(doc_id)
        if fact is None:
            yield finding("document-unknown", "structure", **where)
            continue
        fact.has_structure = True
        if problems:
            continue
        if record["text_sha256"] != fact.sha256:
            yield finding("text-version-mismatch", "structure", found=record["text_sha256"], expected=fact.sha256,
                          **where)
            continue
        yield from _zones(record["zones"], fact.length, where)
        for key in ("sentences", "tokens"):
            yield from _ordered_spans(key, record[key], fact.length, where)


def _zones(zones: list[dict[str, Any]], length: int, where: dict[str, Any]) -> Iterator[Finding]:
    """Zones cover [0, length) exactly once, in order: report every gap and overlap."""
    starts = np.array([z["start"] for z in zones], dtype=np.int64)
    ends = np.array([z["end"] for z in zones], dtype=np.int64)
    yield from _ordered_spans("zones", [[int(s), int(e)] for s, e in zip(starts, ends)], length, where,
                              check_order=False)
    bounds_start = np.concatenate(([0], ends))          # where each zone should start
    bounds_end = np.concatenate((starts, [length]))     # where the previous zone should end
    for i in np.flatnonzero(bounds_end > bounds_start):
        yield finding("zones-gap", **where, start=int(bounds_start[i]), end=int(bounds_end[i]))
    for i in np.flatnonzero(starts[1:] < ends[:-1]):
        yield finding("zones-overlap", index=i + 1, previous=i, **where, start=int(starts[i + 1]),
                      end=int(min(ends[i], ends[i + 1])))


def _ordered_spans(key: str, pairs: list[list[int]], length: int, where: dict[str, Any],
                   check_order: bool = True) -> Iterator[Finding]:
    """Sentence/token (or zone) offsets: inside the text, non-empty, sorted and disjoint."""
    if not pairs:
        return
    array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    starts, ends = array[:, 0], array[:, 1]
    bad = (starts < 0) | (ends > length) | (starts >= ends)
    if check_order:
        bad[1:] |= starts[1:] < ends[:-1]
    for i in np.flatnonzero(bad):
        s, e = int(starts[i]), int(ends[i])
        why = ("start >= end" if s >= e else "outside the text" if s < 0 or e > length
               else "overlaps or precedes the previous one")
        yield finding("structure-offset-invalid", key=key, index=i, reason=why, **where, start=s, end=e,
                      expected=f"sorted, disjoint, non-empty spans within [0, {length})")
