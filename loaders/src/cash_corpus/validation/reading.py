"""Tolerant reading for validation: a bad line or file becomes a finding, never an exception.

Decoding is `jsonl.decode_json` (the package's one JSON boundary); files are opened with
`paths.open_regular`, so a symlink, FIFO or device under the corpus root is reported as
`file-unsafe` and never read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..jsonl import JsonInputError, decode_json
from ..paths import UnsafeFileError, open_regular, read_regular_bytes, unsafe_kind
from .findings import Finding, decoder_finding, finding


def unsafe_finding(kind: str, file: str, **where: Any) -> Finding:
    return finding("file-unsafe", kind=kind, file=file, **where)


def iter_lines(path: Path, file: str) -> Iterator[tuple[int, dict[str, Any] | Finding]]:
    """(line number, object) per non-blank line, or (line number, finding); (0, finding) if the file is unsafe."""
    try:
        handle = open_regular(path)
    except UnsafeFileError as exc:
        yield 0, unsafe_finding(exc.message.split(",")[0], file)
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            yield from _parse(number, raw, file)


def _parse(number: int, raw: bytes, file: str) -> Iterator[tuple[int, dict[str, Any] | Finding]]:
    # orjson parses the common, clean line several times faster than json, and an object it
    # accepts is done here at no extra cost: its depth is checked only if it fails the schema's
    # fast check (shapes.schema_findings), since a record that passes is as shallow as the schema.
    # Everything else takes jsonl.decode_json, whose refusals become findings.
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    else:
        if value.__class__ is dict:
            yield number, value
            return
    if not raw.strip():
        return
    try:
        value = decode_json(raw)
    except JsonInputError as exc:
        found = None
        if exc.code == "json-malformed" and exc.column is not None:
            found = raw.decode("utf-8", "replace").rstrip("\n")
        yield number, decoder_finding(exc, file=file, line=number, found=found)
        return
    if not isinstance(value, dict):
        yield number, finding("json-malformed", kind=type(value).__name__, file=file, line=number,
                              found=raw.decode("utf-8", "replace").rstrip("\n"))
        return
    yield number, value


def read_json_file(path: Path, file: str) -> tuple[Any, list[Finding]]:
    """The parsed JSON of `path`, or None and the finding that says why not."""
    kind = unsafe_kind(path)
    if kind is not None:
        return None, [unsafe_finding(kind, file)]
    try:
        data = read_regular_bytes(path)
    except FileNotFoundError:
        return None, [finding("file-missing", file=file)]
    except UnsafeFileError as exc:
        return None, [unsafe_finding(exc.message.split(",")[0], file)]
    try:
        return decode_json(data), []
    except JsonInputError as exc:
        return None, [decoder_finding(exc, file=file)]
