"""The fast path of `validate_root`: prove a corpus root clean in bulk, or say it cannot.

Why: a clean corpus is the common case (every write validates the corpus as it will be), and for
it the exact path spends its time on per-record Python: a schema check per record and nested
span, a location dict and a `_Line` per record, a dozen NumPy calls per document. Here the
inputs are decoded once into typed Structs compiled from the schema (`typed.lines_decoder`,
which checks the schema while it parses), documents, structure and every layer are walked
together in document-id order, a chunk of documents at a time, so each raw text is read once,
and the cross-record checks run over whole chunks.

The only answer is "clean" (no finding at all, warnings included) or "not proven". The
fast path never reports a finding: when anything is unusual (a record msgspec refuses, files out
of order, one failing check, a construct the typed decoder cannot compile) it stops and
`validate_root` runs the exact path, which then says what is wrong, with the same findings as
ever. So the findings cannot differ between the two paths; what must hold is that "clean" is
only said of a root the exact path finds clean (tests/test_fastpath.py checks that on every
corruption the exact path's fixtures and property tests make, and more).

Memory is bounded by one chunk (CHUNK_DOCUMENTS documents with their structure, texts and
annotations) plus nothing per document: ids are checked to increase strictly instead of being
kept in a set.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from ..corpus import Corpus
from ..errors import CashError
from ..jsonl import decode_json, gc_paused
from ..paths import CorpusPaths, is_reserved_name, open_regular, read_regular_bytes
from ..typed import Unsupported, lines_decoder, typed_def
from .index import CorpusIndex
from .inputs import _CONTROL
from .corpus_checks import _corpus_info
from .layer_checks import KIND_ORDER, _LayerState

CHUNK_DOCUMENTS = 10_000
READ_BLOCK = 8 << 20  # bytes of JSON Lines decoded per msgspec call
LAYER_KINDS = ("document_record", "claim", "cue", "attribution")
_ATTRIBUTION_ROLES = ("source", "cue", "content")
_DOCUMENT_RANK = -1


class NotProven(Exception):
    """Something is not as in a clean corpus: the exact path takes over (and names it)."""


def prove_clean(paths: CorpusPaths) -> bool:
    """True only if the exact checks would find nothing (no error, no warning) under `paths`.

    Callers have already refused symlinked folders and checked schema/cash.schema.json."""
    try:
        with gc_paused():
            _prove(paths)
    except (NotProven, Unsupported, msgspec.MsgspecError, CashError, OSError, UnicodeError, ValueError,
            KeyError, TypeError, IndexError, RecursionError):
        return False
    return True


def _require(condition: Any) -> None:
    if not condition:
        raise NotProven


# ---------------------------------------------------------------- reading

def _records(path: Path, *def_names: str, skip_first_line: bool = False) -> Iterator[Any]:
    """Typed records of a JSON Lines file, decoded a block of lines at a time (regular files only)."""
    decoder, _ = lines_decoder(*def_names)
    with open_regular(path) as handle:
        if skip_first_line:
            handle.readline()
        tail = b""
        while True:
            block = handle.read(READ_BLOCK)
            if not block:
                break
            data = tail + block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                tail = data
                continue
            tail = data[cut:]
            yield from decoder.decode_lines(data[:cut])
        if tail.strip():
            yield from decoder.decode_lines(tail)


class _Peekable:
    def __init__(self, iterator: Iterator[Any]):
        self.iterator = iterator
        self.head: Any = next(iterator, None)

    def pop(self) -> Any:
        item, self.head = self.head, next(self.iterator, None)
        return item


# ---------------------------------------------------------------- the walk

@dataclass
class _Chunk:
    """A run of consecutive documents (id order) with their texts and token arrays."""

    ids: list[str]
    last: str                 # the greatest id: layer records up to it belong to this chunk
    position: dict[str, int]
    sha256: list[str]
    texts: list[str]
    token_starts: np.ndarray  # every token of the chunk, global coordinates (document base + offset)
    token_ends: np.ndarray
    bases: np.ndarray         # the global coordinate of offset 0 of each document


def _prove(paths: CorpusPaths) -> None:
    corpus = Corpus(paths)
    info = decode_json(read_regular_bytes(paths.corpus_info))
    _require(isinstance(info, dict) and isinstance(info.get("version"), str))
    _require(not list(_corpus_info(paths, str)))
    index = CorpusIndex(corpus, version=info["version"])
    _require(not typed_def("document_metadata").unique_fields and not typed_def("structure_record").unique_fields)
    layers = [_Layer(path, index) for path in sorted(paths.annotations_dir.glob("*.jsonl"))] \
        if paths.annotations_dir.is_dir() else []
    documents = _records(paths.documents, "document_metadata")
    structures = _records(paths.structure, "structure_record")
    previous: str | None = None
    count = 0
    while True:
        metadata = list(itertools.islice(documents, CHUNK_DOCUMENTS))
        structure = list(itertools.islice(structures, len(metadata) or 1))
        if not metadata:
            _require(not structure)
            break
        chunk = _corpus_chunk(paths, metadata, structure, previous)
        previous = chunk.last
        count += len(chunk.ids)
        for layer in layers:
            layer.check(chunk)
    for layer in layers:
        layer.finish()
    _require(_text_files_match(paths, count))


def _text_files_match(paths: CorpusPaths, documents: int) -> bool:
    """No file in texts/ but the documents' own texts (each already read as a regular file)."""
    count = 0
    with os.scandir(paths.texts_dir) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False) or not entry.name.endswith(".txt"):
                return False
            count += 1
    return count == documents


def _corpus_chunk(paths: CorpusPaths, metadata: list, structure: list, previous: str | None) -> _Chunk:
    """documents.jsonl and structure.jsonl records of one chunk, and their raw texts."""
    ids = [m.id for m in metadata]
    _require(len(structure) == len(metadata) and [s.document_id for s in structure] == ids)
    # ids rise from chunk to chunk (so they are unique without a corpus-wide set); within a chunk
    # any order, as long as they are distinct (a small corpus in the order documents were added)
    _require(len(set(ids)) == len(ids) and (previous is None or previous < min(ids)))
    _require(not any(is_reserved_name(i) for i in ids))
    shas = [m.sha256 for m in metadata]
    _require([s.text_sha256 for s in structure] == shas)
    texts_dir = str(paths.texts_dir)
    texts = [_text(texts_dir, m) for m in metadata]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    _check_zones(structure, lengths)
    bases = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    _check_pairs([s.sentences for s in structure], lengths, bases)
    token_starts, token_ends = _check_pairs([s.tokens for s in structure], lengths, bases)
    return _Chunk(ids, max(ids), {doc_id: i for i, doc_id in enumerate(ids)}, shas, texts, token_starts, token_ends, bases)


def _text(texts_dir: str, metadata: Any) -> str:
    """The raw text of one document, read as `paths.read_regular_bytes` does (lstat first, so a
    symlink, FIFO or device is never opened; O_NOFOLLOW and fstat for a swap in between), without
    its pathlib overhead: this runs once per document."""
    path = f"{texts_dir}/{metadata.id}.txt"
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise NotProven
    descriptor = os.open(path, _READ_FLAGS)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotProven
        data = os.read(descriptor, status.st_size + 1)
        if len(data) > status.st_size:
            raise NotProven  # grew while being read: leave it to the exact path
    finally:
        os.close(descriptor)
    if hashlib.sha256(data).hexdigest() != metadata.sha256:
        raise NotProven
    text = data.decode("utf-8")
    if len(text) != metadata.length or _CONTROL.search(text) is not None:
        raise NotProven
    return text


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _check_zones(structure: list, lengths: np.ndarray) -> None:
    """Zones tile [0, length) exactly, in order, none empty."""
    for record, length in zip(structure, lengths.tolist()):
        position = 0
        for zone in record.zones:
            _require(zone.start == position and zone.end > zone.start)
            position = zone.end
        _require(position == length)


def _check_pairs(lists: list[list[tuple[int, int]]], lengths: np.ndarray, bases: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Sentences or tokens: non-empty, inside the text, sorted and disjoint, per document;
    returned in global coordinates (document base + offset), which are sorted across the chunk."""
    counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(lists)), dtype=np.int64,
                       count=2 * int(counts.sum())).reshape(-1, 2)
    starts, ends = flat[:, 0], flat[:, 1]
    owner = np.repeat(np.arange(len(lists)), counts)
    _require(not np.any((starts >= ends) | (ends > lengths[owner])))
    same_document = owner[1:] == owner[:-1]
    _require(not np.any(same_document & (starts[1:] < ends[:-1])))
    return starts + bases[owner], ends + bases[owner]


class _Layer:
    """One layer file walked alongside the corpus chunks."""

    def __init__(self, path: Path, index: CorpusIndex):
        self.path = path
        header = _first_line(path)
        state = _LayerState(index, str(path), path.stem, True)
        record = decode_json(header)
        _require(isinstance(record, dict))
        _require(not list(state.feed(1, record)))
        _require(record.get("record") == "layer")
        self.records = _Peekable(iter(_records(path, *LAYER_KINDS, skip_first_line=True)))
        self.previous: str | None = None
        self.kinds = _layer_types()

    def check(self, chunk: _Chunk) -> None:
        last = chunk.last
        spans: list[tuple[int, int, int]] = []  # (document position, start, end) for the token check
        while self.records.head is not None:
            head = self.records.head
            _require(type(head) is self.kinds.document)
            if head.document_id > last:
                break
            self.records.pop()
            annotations = []
            while self.records.head is not None and type(self.records.head) is not self.kinds.document:
                annotations.append(self.records.pop())
            _check_document(head, annotations, chunk, self.previous, spans, self.kinds)
            self.previous = head.document_id
        if spans:
            _check_token_boundaries(spans, chunk)

    def finish(self) -> None:
        _require(self.records.head is None)


def _first_line(path: Path) -> bytes:
    with open_regular(path) as handle:
        line = handle.readline()
    _require(line.strip())
    return line


@dataclass(frozen=True)
class _LayerTypes:
    """The Struct types the layer decoder gives each record kind, and each type's list fields
    whose items must be unique (`uniqueItems`, which msgspec cannot check while decoding)."""

    document: type
    claim: type
    cue: type
    attribution: type
    unique_fields: dict[type, tuple[str, ...]]


def _layer_types() -> _LayerTypes:
    _, compiled = lines_decoder(*LAYER_KINDS)
    types = [compiled[name].type for name in LAYER_KINDS]
    return _LayerTypes(*types, {d.type: d.unique_fields for d in compiled.values() if d.unique_fields})


def _check_document(head: Any, annotations: list, chunk: _Chunk, previous: str | None,
                    spans: list[tuple[int, int, int]], kinds: _LayerTypes) -> None:
    """Every check of `layer_checks.check_document` and of the layer's order rules, for one
    document (written out flat: this loop runs once per annotation of the corpus)."""
    doc_id = head.document_id
    position = chunk.position.get(doc_id)
    if (previous is not None and previous >= doc_id) or position is None \
            or head.text_sha256 != chunk.sha256[position] or not _distinct([s.target for s in head.document_stance]):
        raise NotProven
    text = chunk.texts[position]
    length = len(text)
    ids: set[str] = set()
    claims: set[str] = set()
    attributions: dict[str, Any] = {}
    parents: dict[str, str] = {}
    previous_key: tuple = ()
    add_span = spans.append
    unique, attribution_type, claim_type, cue_type = kinds.unique_fields, kinds.attribution, kinds.claim, kinds.cue
    rank_attribution, rank_claim, rank_cue = KIND_ORDER["attribution"], KIND_ORDER["claim"], KIND_ORDER["cue"]
    for record in annotations:
        record_id, kind = record.id, type(record)
        if record.document_id != doc_id or record_id in ids:
            raise NotProven
        ids.add(record_id)
        if kind in unique and not all(_distinct(getattr(record, name)) for name in unique[kind]):
            raise NotProven
        if kind is attribution_type:
            attributions[record_id] = record
            if record.parent is not None:
                parents[record_id] = record.parent
            cue, content, source = record.cue, record.content, record.source
            for span in (source, cue, content):
                if span is not None:
                    start, end, stored = span.start, span.end, span.text
                    if not (start < end <= length and text[start:end] == stored) \
                            or stored[0].isspace() or stored[-1].isspace():
                        raise NotProven
                    add_span((position, start, end))
            if (content.start <= cue.start and cue.end <= content.end) or (
                    source is not None and source.start == content.start and source.end == content.end):
                raise NotProven  # attribution-cue-in-content / attribution-source-is-content
            key = (rank_attribution, cue.start, cue.end, record_id)
        else:
            start, end, stored = record.start, record.end, record.text
            if not (start < end <= length and text[start:end] == stored) or stored[0].isspace() \
                    or stored[-1].isspace():
                raise NotProven
            add_span((position, start, end))
            if kind is claim_type:
                claims.add(record_id)
                if len(record.stance) > 1 and not _distinct([s.target for s in record.stance]):
                    raise NotProven
                key = (rank_claim, start, end, record_id)
            elif kind is cue_type:
                key = (rank_cue, start, end, record_id)
            else:
                raise NotProven
        if key < previous_key:
            raise NotProven  # record-unsorted
        previous_key = key
    for record in annotations:
        kind = type(record)
        if kind is claim_type:
            holder = record.holder
            target = holder.attribution_id
            if (holder.type == "attribution") != (target is not None):
                raise NotProven
            if target is not None:
                outer = attributions.get(target)
                if outer is None or not (outer.content.start <= record.start and record.end <= outer.content.end):
                    raise NotProven
        elif kind is cue_type:
            if not claims.issuperset(record.claims):
                raise NotProven
        elif record.parent is not None:
            outer = attributions.get(record.parent)
            if outer is None:
                raise NotProven
            parts = [s for s in (record.source, record.cue, record.content) if s is not None]
            if not (outer.content.start <= min(s.start for s in parts)
                    and max(s.end for s in parts) <= outer.content.end):
                raise NotProven
    if parents and not _acyclic(parents):
        raise NotProven


def _distinct(values: list) -> bool:
    return len(values) < 2 or len(set(values)) == len(values)


def _acyclic(parents: dict[str, str]) -> bool:
    """No attribution is its own ancestor (linear: each node is walked once)."""
    done: set[str] = set()
    for start in parents:
        path: set[str] = set()
        node = start
        while node in parents and node not in done:
            if node in path:
                return False
            path.add(node)
            node = parents[node]
        done |= path
    return True


def _check_token_boundaries(spans: list[tuple[int, int, int]], chunk: _Chunk) -> None:
    """No span starts or ends strictly inside a corpus token (`span-inside-token`), for the
    whole chunk at once: global coordinates keep each document's tokens apart."""
    array = np.array(spans, dtype=np.int64).reshape(-1, 3)
    base = chunk.bases[array[:, 0]]
    for positions in (array[:, 1] + base, array[:, 2] + base):
        index = np.searchsorted(chunk.token_starts, positions, side="right") - 1
        safe = np.maximum(index, 0)
        inside = (index >= 0) & (chunk.token_starts[safe] < positions) & (positions < chunk.token_ends[safe])
        _require(not inside.any())
