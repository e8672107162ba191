"""Tolerant reading for validation: a bad line becomes a finding, never an exception."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from .findings import Finding, finding


def iter_lines(path: Path, file: str) -> Iterator[tuple[int, dict[str, Any] | Finding]]:
    """(line number, object) per non-blank line, or (line number, json-malformed finding)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            yield from _parse(number, raw, file)


def _parse(number: int, raw: bytes, file: str) -> Iterator[tuple[int, dict[str, Any] | Finding]]:
    # orjson parses the common, clean line several times faster than json; anything it refuses
    # (bad UTF-8, bad JSON, NaN, integers beyond 64 bits) takes the standard path below, so what
    # is accepted and every finding stay exactly those of the json module.
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    else:
        if isinstance(value, dict):
            yield number, value
            return
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield number, finding("json-malformed", f"not valid UTF-8 at byte {exc.start} of the line",
                              file=file, line=number, hint="layer and corpus files are UTF-8")
        return
    if not line.strip():
        return
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        yield number, finding("json-malformed", f"malformed JSON: {exc.msg} at column {exc.colno}",
                              file=file, line=number, found=line.rstrip("\n"),
                              hint="one JSON object per line (JSON Lines)")
        return
    if not isinstance(value, dict):
        yield number, finding("json-malformed", f"expected a JSON object, got {type(value).__name__}",
                              file=file, line=number, found=line.rstrip("\n"), hint="one JSON object per line")
        return
    yield number, value


def read_json_file(path: Path, file: str) -> tuple[Any, list[Finding]]:
    """The parsed JSON of `path`, or None and the finding that says why not."""
    if not path.is_file():
        return None, [finding("file-missing", "file missing", file=file)]
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except UnicodeDecodeError as exc:
        return None, [finding("json-malformed", f"not valid UTF-8 at byte {exc.start}", file=file)]
    except json.JSONDecodeError as exc:
        return None, [finding("json-malformed", f"malformed JSON: {exc.msg} at column {exc.colno}",
                              file=file, line=exc.lineno)]
