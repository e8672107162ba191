"""Span boundaries against the corpus tokens (structure.jsonl): `span-inside-token`.

A span whose start or end falls strictly inside a token cannot be written as whole tokens, so
it is lost or shifted in BIO tags, CoNLL and spaCy exports. For the gold layer the count must be
0 (tests/test_segment.py); for other passes it is a warning that names the span. Structure
records are read one at a time through a byte-offset index, so memory does not grow with the
corpus; records that are malformed are the corpus checks' business and are skipped here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from ..segment import boundaries_inside_tokens
from ..errors import CashError
from ..jsonl import INT64_MAX, INT64_MIN
from ..paths import open_regular
from .findings import Finding, finding

_ROLES = ("source", "cue", "content")


class TokenIndex:
    """document id -> its token pairs, read on demand from structure.jsonl (offset index in memory)."""

    def __init__(self, structure: Path):
        self.path = structure
        self.offsets: dict[str, int] = {}
        try:  # a symlink, FIFO or device is refused, never read (the corpus checks report it)
            handle = open_regular(structure)
        except (OSError, CashError):
            return
        with handle:
            offset = 0
            for raw in handle:
                doc_id = _record(raw).get("document_id")
                if isinstance(doc_id, str):
                    self.offsets.setdefault(doc_id, offset)
                offset += len(raw)

    def tokens(self, doc_id: str) -> list[tuple[int, int]] | None:
        """The document's tokens, or None when its record or its tokens are malformed."""
        offset = self.offsets.get(doc_id)
        if offset is None:
            return None
        try:  # checked as a regular file when indexed; O_NOFOLLOW refuses a symlink swapped in since
            with open(self.path, "rb", opener=_no_follow) as handle:
                handle.seek(offset)
                tokens = _record(handle.readline()).get("tokens")
        except OSError:
            return None
        if isinstance(tokens, list) and all(_pair(t) for t in tokens):
            return [tuple(t) for t in tokens]
        return None


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def _record(raw: bytes) -> dict[str, Any]:
    """A structure line as a dict, or {} when it is not one (the corpus checks report it)."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _pair(value: Any) -> bool:
    return (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)
            and 0 <= value[0] < value[1] <= INT64_MAX)


def _span(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dict) and type(value.get("start")) is int and type(value.get("end")) is int \
            and INT64_MIN <= value["start"] < value["end"] <= INT64_MAX:
        return value["start"], value["end"]
    return None


def _spans(record: dict[str, Any]) -> Iterator[tuple[str, tuple[int, int]]]:
    kind = record.get("record")
    if kind in ("claim", "cue"):
        span = _span(record)
        if span:
            yield kind, span
    elif kind == "attribution":
        for role in _ROLES:
            span = _span(record.get(role))
            if span:
                yield f"attribution {role}", span


def check_token_boundaries(lines: Iterable[tuple[int, dict[str, Any] | Finding]], tokens: TokenIndex,
                           file: str, skip: set[tuple[Any, Any]] = frozenset()) -> Iterator[Finding]:
    """A `span-inside-token` finding for every span boundary of the layer inside a corpus token.

    Annotations in `skip` (document id, annotation id) already have an error (bad offsets, text
    mismatch…) and are not judged again here."""
    batch: list[tuple[int, dict[str, Any], str, tuple[int, int]]] = []
    current: str | None = None
    for number, record in lines:
        if not isinstance(record, dict):
            continue
        doc_id = record.get("document_id")
        if record.get("record") == "document" or doc_id != current:
            yield from _flush(batch, tokens, current, file)
            batch, current = [], doc_id if isinstance(doc_id, str) else None
        ann_id = record.get("id")
        if not isinstance(doc_id, str) or not isinstance(ann_id, (str, type(None))) or (doc_id, ann_id) in skip:
            continue  # an id that is no string is a schema error already
        for what, span in _spans(record):
            batch.append((number, record, what, span))
    yield from _flush(batch, tokens, current, file)


def _flush(batch, tokens: TokenIndex, doc_id: str | None, file: str) -> Iterator[Finding]:
    if not batch or doc_id is None:
        return
    pairs = tokens.tokens(doc_id)
    if pairs is None:
        return
    start_inside, end_inside = boundaries_inside_tokens(pairs, [b[3][0] for b in batch], [b[3][1] for b in batch])
    for (number, record, what, (start, end)), s_in, e_in in zip(batch, start_inside.tolist(), end_inside.tolist()):
        if s_in or e_in:
            where = "start and end" if s_in and e_in else "start" if s_in else "end"
            yield finding("span-inside-token", kind=what, edge=where, file=file, line=number, document_id=doc_id,
                          annotation_id=record.get("id"), start=start, end=end)
