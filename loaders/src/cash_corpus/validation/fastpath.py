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
annotations) plus a few facts per chunk: ids are checked to rise from chunk to chunk instead of
being kept in a corpus-wide set. The chunks are independent (`plan_proof` gives each its byte
ranges), so they are proven one after another here or as tasks on a Dask cluster.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from ..corpus import Corpus
from ..errors import CashError
from ..jsonl import decode_json, gc_paused
from ..paths import CorpusPaths, is_reserved_name, open_regular, read_regular_bytes
from ..segment import boundaries_inside_tokens
from ..typed import Unsupported, lines_decoder, typed_def
from .index import CorpusIndex
from .inputs import _CONTROL
from .corpus_checks import _corpus_info
from .layer_checks import KIND_ORDER, _LayerState

# Documents per chunk. Measured on 10k synthetic documents (best of 3, one process): 250 → 0.68 s,
# 1,000 → 0.71 s, 10,000 → 0.80 s, peak RSS 63 / 77 / 287 MB: small chunks stay in cache and keep
# memory flat; the plan costs one binary search per chunk and layer (a Dask task per chunk).
CHUNK_DOCUMENTS = 1_000
READ_BLOCK = 8 << 20  # bytes of JSON Lines decoded per msgspec call
LAYER_KINDS = ("document_record", "claim", "cue", "attribution")
_ATTRIBUTION_ROLES = ("source", "cue", "content")
_DOCUMENT_RANK = -1


class NotProven(Exception):
    """Something is not as in a clean corpus: the exact path takes over (and names it)."""


def prove_clean(paths: CorpusPaths) -> bool:
    """True only if the exact checks would find nothing (no error, no warning) under `paths`.

    Callers have already refused symlinked folders and checked schema/cash.schema.json. The
    chunks are proven one after another here; `distributed.validate_on_dask` proves them as
    cluster tasks with the same three functions (plan, prove each chunk, combine)."""
    plan = plan_proof(paths)
    return plan is not None and combine(plan, [prove_chunk(plan.root, plan.layers, chunk) for chunk in plan.chunks])


_NOT_CLEAN = (NotProven, Unsupported, msgspec.MsgspecError, CashError, OSError, UnicodeError, ValueError,
              KeyError, TypeError, IndexError, RecursionError)


def _require(condition: Any) -> None:
    if not condition:
        raise NotProven


# ---------------------------------------------------------------- the plan: byte ranges per chunk

@dataclass(frozen=True)
class ByteRange:
    """Lines [start, end) of a file, in bytes: whole lines."""

    start: int
    end: int


@dataclass(frozen=True)
class ChunkPlan:
    """One chunk: its lines of documents.jsonl and structure.jsonl, and of each layer the lines of
    the documents that fall before the next chunk's first document id."""

    documents: ByteRange
    structure: ByteRange
    layers: tuple[ByteRange, ...]


@dataclass(frozen=True)
class ProofPlan:
    """What the chunk proofs need (plain data, so it travels to Dask workers)."""

    root: str
    layers: tuple[str, ...]
    chunks: tuple[ChunkPlan, ...]
    text_files: int


@dataclass(frozen=True)
class ChunkFacts:
    """What a proven chunk tells the combining step: its least and greatest id and its size."""

    first: str
    last: str
    documents: int


def plan_proof(paths: CorpusPaths, chunk_documents: int | None = None) -> ProofPlan | None:
    """The chunks of a proof, or None when the root cannot be proven clean from its files' outline
    (corpus.json, each layer header, the number of texts). Cheap: it reads one line per chunk and
    binary-searches the layer files (sorted by document id) for each chunk's first id."""
    try:
        with gc_paused():
            return _plan(paths, chunk_documents or CHUNK_DOCUMENTS)
    except _NOT_CLEAN:
        return None


def _plan(paths: CorpusPaths, chunk_documents: int) -> ProofPlan:
    info = decode_json(read_regular_bytes(paths.corpus_info))
    _require(isinstance(info, dict) and isinstance(info.get("version"), str))
    _require(not list(_corpus_info(paths, str)))
    index = CorpusIndex(Corpus(paths), version=info["version"])
    _require(not typed_def("document_metadata").unique_fields and not typed_def("structure_record").unique_fields)
    _layer_types()  # compiles, or raises Unsupported
    layers = sorted(paths.annotations_dir.glob("*.jsonl")) if paths.annotations_dir.is_dir() else []
    document_starts = _every_nth_line(paths.documents, chunk_documents)
    structure_starts = _every_nth_line(paths.structure, chunk_documents)
    _require(len(document_starts) == len(structure_starts) and len(document_starts) >= 2)
    with open_regular(paths.documents) as handle:
        boundaries = [_first_id(handle, start, "id") for start in document_starts[1:-1]]
    layer_starts = [_layer_starts(path, index, boundaries) for path in layers]
    chunks = tuple(
        ChunkPlan(ByteRange(document_starts[c], document_starts[c + 1]),
                  ByteRange(structure_starts[c], structure_starts[c + 1]),
                  tuple(ByteRange(starts[c], starts[c + 1]) for starts in layer_starts))
        for c in range(len(document_starts) - 1))
    return ProofPlan(str(paths.root), tuple(str(p) for p in layers), chunks, _text_file_count(paths))


def _every_nth_line(path: Path, n: int) -> list[int]:
    """Byte offsets of lines 0, n, 2n, ... and the file's end (a final line may lack its newline)."""
    starts = [0]
    offset, lines = 0, 0
    with open_regular(path) as handle:
        while block := handle.read(READ_BLOCK):
            newlines = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
            # the line after newline k is line lines + k + 1: a chunk starts at every multiple of n
            first = (-(lines + 1)) % n
            starts += (offset + newlines[first::n] + 1).tolist()
            lines += newlines.size
            offset += len(block)
    if starts[-1] == offset:
        starts.pop()  # the file ends with a newline: no chunk starts there
    _require(offset > 0)
    return starts + [offset]


def _first_id(handle, offset: int, key: str) -> str:
    handle.seek(offset)
    value = decode_json(handle.readline())
    _require(isinstance(value, dict) and isinstance(value.get(key), str))
    return value[key]


def _layer_starts(path: Path, index: CorpusIndex, boundaries: list[str]) -> list[int]:
    """Where each chunk's part of a layer begins: after the header, then at the first document
    record whose id is at least the chunk's first id; and the file's end."""
    with open_regular(path) as handle:
        header = handle.readline()
        _require(header.strip())
        record = decode_json(header)
        _require(isinstance(record, dict) and record.get("record") == "layer")
        _require(not list(_LayerState(index, str(path), path.stem, True).feed(1, record)))
        body = handle.tell()
        size = os.fstat(handle.fileno()).st_size
        starts = [body]
        for boundary in boundaries:
            starts.append(_first_document_at_least(handle, max(starts[-1], body), size, boundary))
    return starts + [size]


def _first_document_at_least(handle, low: int, size: int, boundary: str) -> int:
    """The offset of the first document record with id >= boundary at or after `low` (or `size`),
    by binary search over byte offsets (a valid layer's document ids rise through the file)."""
    high = size
    while low < high:
        middle = (low + high) // 2
        found = _next_document(handle, middle, size)
        if found is None or found[1] >= boundary:
            high = middle
        else:
            low = found[0] + 1
    found = _next_document(handle, low, size)
    return size if found is None else found[0]


def _next_document(handle, offset: int, size: int) -> tuple[int, str] | None:
    """(offset, id) of the first document record whose line starts at or after `offset`."""
    handle.seek(max(offset - 1, 0))
    if offset > 0 and handle.read(1) != b"\n":
        handle.readline()  # inside a line: skip to the next one
    while (position := handle.tell()) < size:
        value = decode_json(handle.readline())
        _require(isinstance(value, dict))
        if value.get("record") == "document":
            _require(isinstance(value.get("document_id"), str))
            return position, value["document_id"]
    return None


def _text_file_count(paths: CorpusPaths) -> int:
    """Entries of texts/ (dot files aside); anything but a `*.txt` that is not a folder fails."""
    count = 0
    with os.scandir(paths.texts_dir) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            _require(not entry.is_dir(follow_symlinks=False) and entry.name.endswith(".txt"))
            count += 1
    return count


def combine(plan: ProofPlan, facts: list[ChunkFacts | None]) -> bool:
    """Clean when every chunk was proven, ids rise from chunk to chunk (so they are unique with
    no corpus-wide set), and texts/ holds exactly the documents' texts (each read as a regular file)."""
    if not facts or any(f is None for f in facts):
        return False
    if any(a.last >= b.first for a, b in zip(facts, facts[1:])):
        return False
    return sum(f.documents for f in facts) == plan.text_files


# ---------------------------------------------------------------- one chunk

def prove_chunk(root: str, layers: tuple[str, ...], chunk: ChunkPlan) -> ChunkFacts | None:
    """Every check of the exact path for the documents of `chunk` and their annotations in each
    layer file, or None when any fails (a pure function of the files: a Dask task, sent only its
    own chunk's ranges)."""
    paths = CorpusPaths(Path(root))
    try:
        with gc_paused():
            metadata = _decode_range(paths.documents, chunk.documents, "document_metadata")
            structure = _decode_range(paths.structure, chunk.structure, "structure_record")
            corpus = _corpus_chunk(paths, metadata, structure)
            kinds = _layer_types()
            for layer, part in zip(layers, chunk.layers):
                _check_layer_part(_decode_range(Path(layer), part, *LAYER_KINDS), corpus, kinds)
    except _NOT_CLEAN:
        return None
    return ChunkFacts(min(corpus.ids), corpus.last, len(corpus.ids))


def _decode_range(path: Path, part: ByteRange, *def_names: str) -> list:
    """The typed records of whole lines [start, end) of a file: one record a line, or NotProven."""
    decoder, _ = lines_decoder(*def_names)
    with open_regular(path) as handle:
        handle.seek(part.start)
        data = handle.read(part.end - part.start)
    _require(len(data) == part.end - part.start)
    if not data:
        return []
    lines = _object_lines(data)
    records = decoder.decode_lines(data)
    # msgspec reads whitespace-separated values: an object split over two lines, or two on one
    # line, would decode too. JSON Lines is one value a line, as the exact path reads it.
    _require(len(records) == lines)
    return records


def _object_lines(data: bytes) -> int:
    """The number of lines in `data`, each of which starts with `{` and ends with `}` (before an
    optional CR), or NotProven. With as many records as lines, each line then holds exactly one
    object: no object can go on across a line that ends in `}` into one that starts with `{`."""
    array = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(array == 10)
    ends = newlines if data.endswith(b"\n") else np.append(newlines, array.size)
    starts = np.concatenate(([0], ends[:-1] + 1))
    last = ends - 1
    last = np.where((last > starts) & (array[np.maximum(last, 0)] == 13), last - 1, last)  # CRLF
    _require(np.all(last > starts) and np.all(array[starts] == ord("{")) and np.all(array[last] == ord("}")))
    return int(ends.size)


@dataclass
class _Chunk:
    """The documents of one chunk with their texts and token arrays."""

    ids: list[str]
    last: str                 # the greatest id
    position: dict[str, int]
    sha256: list[str]
    texts: list[str]
    token_starts: np.ndarray  # every token of the chunk, global coordinates (document base + offset)
    token_ends: np.ndarray
    bases: np.ndarray         # the global coordinate of offset 0 of each document


def _corpus_chunk(paths: CorpusPaths, metadata: list, structure: list) -> _Chunk:
    """documents.jsonl and structure.jsonl records of one chunk, and their raw texts."""
    ids = [m.id for m in metadata]
    _require(ids and len(structure) == len(metadata) and [s.document_id for s in structure] == ids)
    # within a chunk any order (a small corpus lists documents in the order they were added), as
    # long as the ids are distinct; from chunk to chunk they must rise (`combine`)
    _require(len(set(ids)) == len(ids))
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
    """The raw text of one document (`paths.read_regular_bytes`: a symlink, FIFO or device is never
    opened), checked against its sha256, length and control characters. A str path, not a Path:
    this runs once per document."""
    data = read_regular_bytes(f"{texts_dir}/{metadata.id}.txt")
    if hashlib.sha256(data).hexdigest() != metadata.sha256:
        raise NotProven
    text = data.decode("utf-8")
    if len(text) != metadata.length or _CONTROL.search(text) is not None:
        raise NotProven
    return text


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


def _check_layer_part(records: list, chunk: _Chunk, kinds: "_LayerTypes") -> None:
    """A layer's lines for this chunk's documents: each document record followed by its annotations."""
    spans: list[tuple[int, int, int]] = []  # (document position, start, end) for the token check
    previous: str | None = None
    document_type = kinds.document
    count = len(records)
    i = 0
    while i < count:
        head = records[i]
        _require(type(head) is document_type)
        j = i + 1
        while j < count and type(records[j]) is not document_type:
            j += 1
        _check_document(head, records[i + 1:j], chunk, previous, spans, kinds)
        previous = head.document_id
        i = j
    if spans:
        _check_token_boundaries(spans, chunk)


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
    whole chunk at once: global coordinates keep each document's tokens apart, so the one
    tokens-against-spans search of `segment.boundaries_inside_tokens` serves the whole chunk."""
    array = np.array(spans, dtype=np.int64).reshape(-1, 3)
    base = chunk.bases[array[:, 0]]
    tokens = np.column_stack((chunk.token_starts, chunk.token_ends))
    start_inside, end_inside = boundaries_inside_tokens(tokens, array[:, 1] + base, array[:, 2] + base)
    _require(not (start_inside.any() or end_inside.any()))
