"""One layer file validated in byte ranges (chunks), with the same findings, in the same order, as whole.

Why: on a cluster, one task per layer file caps validation at one worker per layer. A layer is
split at `document` lines into chunks that are checked independently (each by `check_layer`'s own
state machine) and stitched back by `stitch`. Only three things cross a chunk boundary, and each
is carried explicitly:
- which documents came before (duplicates, sort order): a chunk does not decide these; it leaves an
  `OpenedDocument` marker where its state machine opens a document, and `stitch` replays the
  markers in file order with the one rule `_LayerState.document_order`;
- the previous chunk's last document is closed (its cross-record findings) after the schema
  findings of the next chunk's first line, as in a whole-file run: a chunk returns those two parts
  (`tail`, `head`) apart from its `body`;
- the header and "empty layer" belong to the first chunk only.
A chunk whose first line is not a parsed `document` record (the split is by a byte prefix) is
refused (`ok=False`) and the caller checks the whole file instead, so odd files stay exact.
"""

from __future__ import annotations

import mmap

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding
from .index import CorpusIndex
from .layer_checks import _LayerState

DOCUMENT_LINE_PREFIX = b'{"record": "document"'  # the canonical writer's document lines
SCAN_BLOCK = 1 << 24


@dataclass(frozen=True)
class OpenedDocument:
    """Placeholder for the ordering findings of a document line, decided by `stitch`."""

    document_id: str
    line: int


@dataclass
class ChunkResult:
    ok: bool
    head: list[Finding] = field(default_factory=list)   # before the chunk's first document is opened
    body: list[Finding | OpenedDocument] = field(default_factory=list)
    tail: list[Finding] = field(default_factory=list)   # closing the chunk's last document (and layer-empty)


@dataclass(frozen=True)
class Chunk:
    """Bytes [start, end) of a layer file; `first_line` is the line number at `start`."""

    start: int
    end: int
    first_line: int


def split_layer(path: Path, parts: int) -> list[Chunk]:
    """About `parts` chunks of equal size, each starting at a canonical `document` line (the first
    at byte 0). Finding the cuts and counting lines are memchr-speed scans; nothing is parsed."""
    size = path.stat().st_size
    if parts <= 1 or size == 0:
        return [Chunk(0, size, 1)]
    marker = b"\n" + DOCUMENT_LINE_PREFIX
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        starts = [0]
        for target in (size * k // parts for k in range(1, parts)):
            at = data.find(marker, max(target, starts[-1] + 1) - 1)
            if at < 0:
                break
            if at + 1 > starts[-1]:
                starts.append(at + 1)
        first_lines = [1]
        for begin, end in zip(starts, starts[1:]):
            newlines = sum(data[i:min(i + SCAN_BLOCK, end)].count(b"\n") for i in range(begin, end, SCAN_BLOCK))
            first_lines.append(first_lines[-1] + newlines)
    bounds = starts + [size]
    return [Chunk(bounds[i], bounds[i + 1], first_lines[i]) for i in range(len(starts))]


def iter_chunk_lines(path: Path, file: str, chunk: Chunk) -> Iterator[tuple[int, dict[str, Any] | Finding]]:
    """`reading.iter_lines` over one chunk, numbered as in the whole file."""
    from .reading import _parse
    with open(path, "rb") as handle:
        handle.seek(chunk.start)
        remaining = chunk.end - chunk.start
        number = chunk.first_line
        while remaining > 0:
            raw = handle.readline(remaining)
            if not raw:
                break
            remaining -= len(raw)
            yield from _parse(number, raw, file)
            number += 1


class _ChunkState(_LayerState):
    """`_LayerState` that leaves a marker where a document's order among earlier ones is decided."""

    def document_order(self, doc_id: str, number: int) -> Iterator[OpenedDocument]:
        yield OpenedDocument(doc_id, number)


def check_chunk(lines: Iterable[tuple[int, dict[str, Any] | Finding]], index: CorpusIndex, file: str,
                layer_name: str | None, first_chunk: bool, fast: bool = True) -> ChunkResult:
    state = _ChunkState(index, file, layer_name, fast)
    result = ChunkResult(ok=True)
    iterator = iter(lines)
    if not first_chunk:
        state.first = False
        opening = next(iterator, None)
        if opening is None or isinstance(opening[1], Finding) or opening[1].get("record") != "document":
            return ChunkResult(ok=False)
        # the opening document line: its schema findings, then (in a whole-file run) the previous
        # chunk's last document would be closed, then this document opened
        before_open: list[Any] = list(state.feed(*opening))
        cut = next((i for i, item in enumerate(before_open) if isinstance(item, OpenedDocument)), len(before_open))
        result.head = before_open[:cut]
        result.body = before_open[cut:]
    for number, item in iterator:
        result.body.extend(state.feed(number, item))
    result.tail = list(state.finish())
    return result


def check_layer_chunk(root: str, layer_file: str, chunk: Chunk, first_chunk: bool) -> ChunkResult:
    """One chunk of a layer file of the corpus at `root` (a task: paths in, findings out)."""
    from ..corpus import Corpus
    from . import _display
    path = Path(layer_file)
    file = _display(Path(root))(path)
    index = CorpusIndex.build(Corpus.at(Path(root)))
    return check_chunk(iter_chunk_lines(path, file, chunk), index, file, path.stem, first_chunk)


def stitch(results: list[ChunkResult], file: str) -> list[Finding] | None:
    """The whole file's findings from its chunks' results, in order; None if a chunk refused."""
    if not all(r.ok for r in results):
        return None
    order = _LayerState(None, file, None, True)  # only its document_order rule and memory are used
    out: list[Finding] = []
    for position, result in enumerate(results):
        out += result.head
        if position:
            out += results[position - 1].tail
        for item in result.body:
            if isinstance(item, OpenedDocument):
                out += order.document_order(item.document_id, item.line)
            else:
                out.append(item)
    out += results[-1].tail
    return out


