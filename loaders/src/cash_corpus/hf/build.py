"""`cash build`: Parquet files for Hugging Face `datasets`, derived from corpus/ + annotations/.

`datasets` 4.0+ runs no loading scripts, so the corpus ships data files plus the card YAML in
README.md. Everything here is deterministic (rows in document-id order, fixed writer options),
so a rebuild of unchanged sources is byte-identical and `--check` can compare bytes.

Layout: `data/<config>/test-<i>-of-<K>.parquet`. Config names: `documents` (default), `claims`,
`cues`, `attributions`, `sentences` read the `gold` layer; every other layer L gets the same
five configs named `<kind>-L` (e.g. `claims-pass-a`). While a layer is missing (gold before it
lands), its configs still exist with the right features and no annotations.

Scale: documents are streamed in id order through byte-offset indexes of documents.jsonl and
structure.jsonl (one id -> offset map in memory, never the records), `shard_size` documents at a
time; `build_shard` (documents of one shard -> Parquet bytes) is pure, so a distributed engine can
run it per shard.

Speed: the corpus is validated before a build, so the build trusts its inputs: each line is
decoded once with orjson (token pairs left packed for NumPy), and each config's table is built a
column at a time over the whole shard (`rows.Shard`), never a dict per row; Parquet is written on
a second thread while the next table is built.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import itertools
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from ..corpus import decode_text, sha256_bytes
from ..errors import CashError, Location, UsageError
from ..jsonl import decode_object, gc_paused, loads_line
from ..layers import layer_names, read_header, record_blocks
from ..paths import CorpusPaths, is_valid_document_id, open_regular
from ..schema import is_supported_schema_version
from .features import CONFIG_KINDS, config_features, encode_table
from .rows import COLUMN_BUILDERS, AnnotationBlock, DocumentInput, PackedPairs, Shard

GOLD = "gold"
SPLIT = "test"
DEFAULT_SHARD_SIZE = 10_000  # memory is bounded by one shard; throughput is flat from 10k to 40k docs (measured)
PARQUET_SUFFIX = ".parquet"
ROW_GROUP_SIZE = 10_000


def config_name(kind: str, layer: str) -> str:
    """`claims` for gold, `claims-pass-a` for layer pass-a: stable names users can rely on."""
    return kind if layer == GOLD else f"{kind}-{layer}"


def shard_file_name(index: int, count: int) -> str:
    return f"{SPLIT}-{index:05d}-of-{count:05d}{PARQUET_SUFFIX}"


def built_layers(paths: CorpusPaths) -> list[str]:
    """gold (always, present or not) then every other layer on disk, by name."""
    return [GOLD] + [name for name in layer_names(paths) if name != GOLD]


# ---------------------------------------------------------------- shard -> Parquet (pure)

def config_table(kind: str, documents: Iterable[DocumentInput] | Shard) -> pa.Table:
    """The Arrow table of config kind `kind` for a shard of documents (a `Shard` is reused across
    kinds: its geometry is computed once). Columns are built a column at a time (`rows`) and
    encoded with the config's exact features; a label outside the schema is refused."""
    shard = documents if isinstance(documents, Shard) else Shard(documents)
    features = config_features(kind)
    try:
        return encode_table(features, COLUMN_BUILDERS[kind](shard, features))
    except ValueError as exc:
        raise CashError(f"cannot encode {kind} rows: {exc}", Location(),
                        hint="labels must be in the schema's inventories; run `cash validate`") from exc


def parquet_bytes(table: pa.Table) -> bytes:
    """Parquet with fixed options, so equal tables give equal bytes (HF features in the schema metadata)."""
    sink = io.BytesIO()
    with pq.ParquetWriter(sink, table.schema, compression="zstd", compression_level=9, use_dictionary=True,
                          write_statistics=True, store_schema=True) as writer:
        if table.num_rows:  # an empty table gets no row group: `datasets` cannot read a 0-row group
            writer.write_table(table, row_group_size=ROW_GROUP_SIZE)
    return sink.getvalue()


# The order `shard_files` builds the configs in: the biggest Parquet file first, so its writing
# overlaps the building of the others and the last one written is small (outputs keep CONFIG_KINDS order).
WRITE_ORDER = ("tokens", "documents", "sentences", "claims", "attributions", "cues")


def shard_futures(shard: Shard, writer: ThreadPoolExecutor) -> list[tuple[str, Future, int, int]]:
    """(kind, future Parquet bytes, rows, Arrow bytes) of every config kind for one shard, in
    CONFIG_KINDS order. Each table is handed to `writer` (one thread) as soon as it is built, so
    the zstd work (Arrow compresses without the GIL) overlaps the column work (Python); each file
    is written alone with the same options, so its bytes do not depend on the overlap."""
    pending = {}
    for kind in sorted(CONFIG_KINDS, key=WRITE_ORDER.index):
        table = config_table(kind, shard)
        pending[kind] = (writer.submit(parquet_bytes, table), table.num_rows, table.nbytes)
    return [(kind, *pending[kind]) for kind in CONFIG_KINDS]


def shard_files(shard: Shard) -> list[tuple[str, bytes, int, int]]:
    """(kind, Parquet bytes, rows, Arrow bytes) of every config kind for one shard (`shard_futures`
    with a writer thread of its own, waited for)."""
    with ThreadPoolExecutor(max_workers=1) as writer:
        return [(kind, future.result(), rows, size) for kind, future, rows, size in shard_futures(shard, writer)]


def build_shard(kind: str, documents: Iterable[DocumentInput]) -> bytes:
    """The per-shard build: the documents of one shard -> the Parquet bytes of config kind `kind`."""
    return parquet_bytes(config_table(kind, documents))


# ---------------------------------------------------------------- reading the sources, streamed

def id_prefix(key: str) -> re.Pattern[bytes]:
    """The start of a canonical line whose first member is `key` with a plain string value: its
    id can be read without decoding the line (a structure line holds thousands of numbers)."""
    return re.compile(rb'\{"' + re.escape(key.encode()) + rb'": "([^"\\]*)"')


def decode_line(line: bytes, path: Path, number: int | None = None) -> dict[str, Any]:
    """One line of a validated input as an object (`jsonl.decode_object`), decoded once with orjson:
    no second walk over the value, the validation before the build did that; a line orjson refuses
    gets the located refusal of `loads_line`."""
    return decode_object(line, path, number, decode=_validated_loads)


def _validated_loads(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return loads_line(raw)


def line_offsets(path: Path, key: str) -> dict[str, int]:
    """Map record[key] -> byte offset of its line, so records can be read one at a time later.
    Canonical lines give their key from their first bytes (`id_prefix`); any other line is decoded."""
    index: dict[str, int] = {}
    if not path.exists():
        return index
    prefix = id_prefix(key)
    with open_regular(path) as handle:
        offset, number = 0, 0
        for line in handle:
            number += 1
            if line.strip():
                found = prefix.match(line)
                try:
                    value = found.group(1).decode("utf-8") if found else None
                except UnicodeDecodeError:
                    value = None
                if value is None:
                    try:
                        value = decode_line(line, path, number)[key]
                    except (KeyError, TypeError) as exc:
                        raise CashError(f"cannot read {key!r} from this line: {exc}",
                                        Location(file=str(path), line=number)) from exc
                if value in index:
                    raise CashError(f"duplicate {key} {value!r}", Location(file=str(path), line=number, document_id=value))
                index[value] = offset
            offset += len(line)
    return index


class OffsetIndex(Mapping):
    """A `line_offsets` map kept for the ids of `ids` (sorted) as a NumPy array beside that list:
    8 bytes a document instead of a dict entry, its key and its int (~190 bytes), for the whole
    build (a million documents: ~16 MB against ~380 MB for the two indexes)."""

    def __init__(self, ids: list[str], index: Mapping[str, int]):
        self.ids = ids
        self.offsets = np.fromiter((index.get(doc_id, -1) for doc_id in ids), dtype=np.int64, count=len(ids))

    def __getitem__(self, key: str) -> int:
        i = bisect.bisect_left(self.ids, key)
        if i < len(self.ids) and self.ids[i] == key and self.offsets[i] >= 0:
            return int(self.offsets[i])
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (doc_id for doc_id, offset in zip(self.ids, self.offsets.tolist()) if offset >= 0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self.offsets >= 0))


def read_record_at(handle, offset: int, path: Path, key: str, expected: str) -> dict[str, Any]:
    """The record at `offset` (a seek inside the read buffer when records are read in file order),
    checked to be the one the index named."""
    handle.seek(offset)
    record = decode_line(handle.readline(), path)
    if record.get(key) != expected:
        raise CashError(f"the line indexed for {expected!r} holds {key} {record.get(key)!r}",
                        Location(file=str(path), document_id=expected))
    return record


TOKENS_KEY = b'"tokens": ['


def read_structure(line: bytes, path: Path, expected: str) -> dict[str, Any]:
    """A structure line decoded once, its token pairs left packed (`rows.PackedPairs`) for the shard
    to parse with NumPy: the line is cut at its one `"tokens": [...]` member (a key, as the bytes
    `"tokens": [` cannot occur inside a JSON string) and the rest decoded with orjson. Any other
    shape (no such member, or a cut the rest does not decode from) is decoded whole."""
    start = line.find(TOKENS_KEY) + len(TOKENS_KEY)
    end = line.find(b"]]", start)
    record = None
    if start >= len(TOKENS_KEY) and line.find(TOKENS_KEY, start) < 0 and line[start:start + 1] != b"]" and end > 0:
        try:
            record = orjson.loads(line[:start] + line[end + 1:])
        except orjson.JSONDecodeError:
            record = None
        if isinstance(record, dict) and record.get("tokens") == []:
            record["tokens"] = PackedPairs(line[start:end + 1])
        else:
            record = None
    if record is None:
        record = decode_line(line, path)
    if record.get("document_id") != expected:
        raise CashError(f"the line indexed for {expected!r} holds document_id {record.get('document_id')!r}",
                        Location(file=str(path), document_id=expected))
    return record


def check_span(start: int, end: int, span_text: str, text: str, where: Location) -> None:
    """A span must lie inside the text and repeat it exactly: the build never ships broken offsets."""
    if not (0 <= start < end <= len(text)) or text[start:end] != span_text:
        where.start, where.end = start, end
        raise CashError(f"span text {span_text!r} does not match the raw text at its offsets", where,
                        hint="run `cash validate` for all findings")


def annotation_spans(annotations: AnnotationBlock) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(record, span) for every span of a document's annotations: claims and cues are spans, an
    attribution has a source (or null), a cue and a content."""
    for record in itertools.chain(annotations.claims, annotations.cues):
        yield record, record
    for attribution in annotations.attributions:
        for role in ("source", "cue", "content"):
            span = attribution.get(role)
            if span is not None:
                yield attribution, span


def check_text_version(annotations: AnnotationBlock, text_sha256: str, layer_file: Path) -> None:
    """Refuse annotations made on another version of the text."""
    if annotations.document["text_sha256"] != text_sha256:
        raise CashError("annotations were made on another version of the text (text_sha256 differs)",
                        Location(file=str(layer_file), document_id=annotations.document_id))


def check_annotations(annotations: AnnotationBlock, text: str, layer_file: Path) -> None:
    """Refuse the first span of a document whose offsets do not match its text, located (file,
    document, annotation, offsets); the location is made only for a refusal."""
    size = len(text)
    for record, span in annotation_spans(annotations):
        start, end = span["start"], span["end"]
        if not (0 <= start < end <= size) or text[start:end] != span["text"]:
            check_span(start, end, span["text"], text,
                       Location(file=str(layer_file), document_id=record["document_id"], annotation_id=record["id"]))


def check_shard(shard: Shard, layer_file: Path) -> None:
    """Refuse a shard with a span that does not repeat its text: checked over the whole shard at
    once, and only on a mismatch document by document, to name the first bad span."""
    try:
        if shard.spans_match_texts():
            return
    except ValueError as exc:  # a label outside the schema, met while encoding the record columns
        raise CashError(f"cannot encode the annotations of {layer_file.name}: {exc}", Location(file=str(layer_file)),
                        hint="labels must be in the schema's inventories; run `cash validate`") from exc
    for doc in shard.documents:
        if doc.annotations is not None:
            check_annotations(doc.annotations, doc.text, layer_file)
    raise CashError("a span does not match the raw text at its offsets", Location(file=str(layer_file)),
                    hint="run `cash validate` for all findings")


def layer_blocks(path: Path) -> Iterator[AnnotationBlock]:
    """A layer file's documents as decoded blocks, one at a time (each line decoded once)."""
    for block in record_blocks(_decoded_lines(path), path):
        yield AnnotationBlock.from_records(block, str(path))


def _decoded_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of every non-blank line, each decoded once (orjson; the located
    refusal of `decode_line` for what it refuses or what is not an object)."""
    with open_regular(path) as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, decode_line(line, path, number)


def layer_stream(paths: CorpusPaths, layer: str, known_ids: set[str]) -> Iterator[AnnotationBlock]:
    """The layer's documents in id order (empty when the layer file does not exist)."""
    path = paths.layer_path(layer)
    if not path.exists():
        return
    header = read_header(path)
    if not is_supported_schema_version(header.schema_version):
        raise CashError(f"layer written under schema {header.schema_version}, which this package cannot read",
                        Location(file=str(path), line=1))
    previous = None
    for block in layer_blocks(path):
        doc_id = block.document_id
        if doc_id not in known_ids:
            raise CashError("annotations for a document that is not in the corpus", Location(file=str(path), document_id=doc_id))
        if previous is not None and doc_id <= previous:
            raise CashError(f"documents out of order or repeated (after {previous!r})",
                            Location(file=str(path), document_id=doc_id), hint="layer files are sorted by document id")
        previous = doc_id
        yield block


@dataclass(frozen=True)
class SourceFiles:
    """The corpus files a build reads, their paths made once (the reads run per document)."""

    paths: CorpusPaths
    documents: Path
    structure: Path
    texts: str  # the texts folder, resolved

    @classmethod
    def of(cls, paths: CorpusPaths) -> "SourceFiles":
        return cls(paths, paths.documents, paths.structure, str(paths.texts_dir.resolve()))

    def text_path(self, doc_id: str) -> str:
        """`CorpusPaths.text_path` for a valid id (which cannot leave the folder); its refusal otherwise."""
        if not is_valid_document_id(doc_id) or os.sep in doc_id or doc_id in (".", ".."):
            return str(self.paths.text_path(doc_id))
        return f"{self.texts}{os.sep}{doc_id}.txt"


def read_small_file(path: str, chunk: int = 1 << 16) -> bytes:
    """A file's bytes through the descriptor (half the cost of a buffered `open().read()` for the
    thousands of small texts a shard reads)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, chunk)
        if len(data) < chunk:
            return data
        parts = [data]
        while part := os.read(fd, chunk):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


def checked_text(files: SourceFiles, doc_id: str, metadata: dict, structure: dict) -> tuple[str, str]:
    """(text, sha256) of a document's raw file, refused unless metadata and structure were made on it."""
    path = files.text_path(doc_id)
    data = read_small_file(path)
    digest = sha256_bytes(data)
    if digest != metadata["sha256"] or structure["text_sha256"] != digest:
        raise CashError("text bytes differ from the sha256 in documents.jsonl / structure.jsonl",
                        Location(file=path, document_id=doc_id))
    return decode_text(data, path), digest


def read_document(files: SourceFiles, documents, structures, doc_id: str, doc_offset: int,
                  structure_offset: int | None) -> tuple[dict, dict, str, str]:
    """(metadata, structure, text, sha256) of one document, read through the offset indexes."""
    metadata = read_record_at(documents, doc_offset, files.documents, "id", doc_id)
    if structure_offset is None:
        raise CashError("document has no structure record", Location(file=str(files.structure), document_id=doc_id))
    structures.seek(structure_offset)
    structure = read_structure(structures.readline(), files.structure, doc_id)
    text, digest = checked_text(files, doc_id, metadata, structure)
    return metadata, structure, text, digest


def iter_document_inputs(paths: CorpusPaths, layer: str, doc_ids: list[str],
                         doc_index: Mapping[str, int], structure_index: Mapping[str, int],
                         text_hashes: dict[str, str] | None = None) -> Iterator[DocumentInput]:
    """Documents in id order joined with their structure and this layer's annotations. In a corpus
    whose files are sorted by id (what the writers make) the offsets only grow, so reading is one
    sequential pass through each file; any other order is read by seeking. `text_hashes` collects
    {corpus-relative path: sha256} of the texts read, for the release fingerprint (no second hashing)."""
    annotations_iter = layer_stream(paths, layer, set(doc_ids))
    pending = next(annotations_iter, None)
    layer_file = paths.layer_path(layer)
    files = SourceFiles.of(paths)
    texts_prefix = paths.texts_dir.relative_to(paths.root).as_posix()
    with open_regular(files.documents) as documents, open_regular(files.structure) as structures:
        for doc_id in doc_ids:
            metadata, structure, text, digest = read_document(files, documents, structures, doc_id, doc_index[doc_id],
                                                              structure_index.get(doc_id))
            if text_hashes is not None:
                text_hashes[f"{texts_prefix}/{doc_id}.txt"] = digest
            annotations = None
            if pending is not None and pending.document_id == doc_id:
                annotations = pending
                check_text_version(annotations, digest, layer_file)
                pending = next(annotations_iter, None)
            yield DocumentInput(metadata, text, structure, layer, annotations)


# ---------------------------------------------------------------- the whole build

@dataclass
class ConfigSummary:
    """What one built config holds: its files and row count."""

    name: str
    kind: str
    layer: str
    layer_present: bool
    files: list[str] = field(default_factory=list)
    num_rows: int = 0
    num_bytes: int = 0  # Arrow (in-memory) size of the rows, as `datasets` counts split sizes


@dataclass
class BuildPlan:
    """What a build produced: {relative path: sha256} of the Parquet files and the config summaries."""

    root: Path
    shard_size: int
    hashes: dict[str, str] = field(default_factory=dict)
    configs: list[ConfigSummary] = field(default_factory=list)
    # sha256 of the raw texts the build read and checked against documents.jsonl, by corpus-relative
    # path: the release fingerprint needs them and need not hash 10,000s of texts a second time
    text_hashes: dict[str, str] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """sha256 over the sorted `path<TAB>sha256` lines of the built Parquet files."""
        lines = "".join(f"{path}\t{digest}\n" for path, digest in sorted(self.hashes.items()))
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()

    def add(self, rel: str, data: bytes, summary: ConfigSummary) -> None:
        self.hashes[rel] = hashlib.sha256(data).hexdigest()
        if all(existing.name != summary.name for existing in self.configs):
            self.configs.append(summary)


def shards(doc_ids: list[str], shard_size: int) -> list[list[str]]:
    count = max(1, math.ceil(len(doc_ids) / shard_size))
    return [doc_ids[i * shard_size:(i + 1) * shard_size] for i in range(count)]


def iter_built_files(root: Path, shard_size: int = DEFAULT_SHARD_SIZE,
                     text_hashes: dict[str, str] | None = None) -> Iterator[tuple[str, bytes, ConfigSummary]]:
    """Yield (relative path, Parquet bytes, its config summary) for every file of the build, streamed by
    shard; `text_hashes` (if given) collects the sha256 of every raw text read."""
    if shard_size < 1:
        raise UsageError(f"--shard-size must be at least 1, got {shard_size}")
    paths = CorpusPaths(root)
    if not paths.corpus_info.exists():
        raise UsageError("not a CASH corpus root (no corpus/corpus.json)", Location(file=str(paths.corpus_info)))
    doc_index = line_offsets(paths.documents, "id")
    doc_ids = sorted(doc_index)
    doc_index = OffsetIndex(doc_ids, doc_index)  # the dicts go: ~190 bytes a document each, 1M documents
    structure_index = OffsetIndex(doc_ids, line_offsets(paths.structure, "document_id"))
    groups = shards(doc_ids, shard_size)
    with ThreadPoolExecutor(max_workers=1) as writer:  # shard k is compressed while shard k+1 is built
        for layer in built_layers(paths):
            summaries = {kind: ConfigSummary(config_name(kind, layer), kind, layer, paths.layer_path(layer).exists())
                         for kind in CONFIG_KINDS}
            inputs = iter_document_inputs(paths, layer, doc_ids, doc_index, structure_index, text_hashes)
            pending: tuple[int, list] | None = None
            for index, group in enumerate(groups):
                with gc_paused():  # one pause for the whole shard: re-enabling it with the shard alive costs a collection
                    shard = Shard(next(inputs) for _ in group)
                    check_shard(shard, paths.layer_path(layer))
                    futures = shard_futures(shard, writer)
                    del shard
                if pending is not None:
                    yield from _finished(pending, summaries, len(groups))
                pending = (index, futures)
            if pending is not None:
                yield from _finished(pending, summaries, len(groups))


def _finished(pending: tuple[int, list], summaries: dict[str, ConfigSummary], count: int
              ) -> Iterator[tuple[str, bytes, ConfigSummary]]:
    """The files of one shard once its writer is done, in CONFIG_KINDS order, recorded in the summaries."""
    index, futures = pending
    for kind, future, num_rows, num_bytes in futures:
        summary = summaries[kind]
        rel = f"data/{summary.name}/{shard_file_name(index, count)}"
        summary.files.append(rel)
        summary.num_rows += num_rows
        summary.num_bytes += num_bytes
        yield rel, future.result(), summary
