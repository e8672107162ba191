"""JSON Lines and JSON files: streaming reads with line numbers, atomic writes.

Reading is the boundary where bytes become values: `decode_json` is the one decoder, and it
refuses (with a `JsonInputError` naming a finding code) everything the rest of the package
must never see: bad UTF-8, a byte order mark, NaN/Infinity, nesting deeper than MAX_DEPTH,
lone surrogates in strings. Files are opened with `paths.open_regular`, so a symlink, FIFO or
device is refused, never read.

Writes go to a temporary file in the same folder and are renamed into place, so a crash or an
error never leaves a half-written file behind.
"""

from __future__ import annotations

import gc
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, IO

import orjson

from .errors import CashError, Location
from .paths import open_regular, read_regular_bytes

# Deepest nesting accepted anywhere (a valid record of the schema nests 4 deep; a Label Studio
# task about 8). Deeper input is refused before any recursive code can see it.
MAX_DEPTH = 64
BOM = b"\xef\xbb\xbf"
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonInputError(CashError):
    """Input that is not JSON this package accepts; `code` is the validation finding code."""

    def __init__(self, code: str, message: str, location: Location | None = None, hint: str | None = None,
                 column: int | None = None):
        self.code, self.column = code, column
        super().__init__(message, location, hint)


def _refuse_constant(name: str) -> Any:
    raise JsonInputError("json-malformed", f"{name} is not JSON", hint="numbers must be finite")


def decode_json(raw: bytes) -> Any:
    """One JSON value from `raw` (a line or a whole file), or JsonInputError (no location yet).

    The common clean input takes orjson's fast path with only two byte counts added; anything
    orjson refuses takes the careful path, whose every refusal is a precise message.
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _decode_slowly(raw)
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH:
        check_decoded(value)
    return value


def _decode_slowly(raw: bytes) -> Any:
    if raw.startswith(BOM):
        raise JsonInputError("json-malformed", "starts with a UTF-8 byte order mark (BOM)",
                             hint="save the file as UTF-8 without a BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonInputError("json-malformed", f"not valid UTF-8 at byte {exc.start}",
                             hint="layer and corpus files are UTF-8") from None
    if not text.strip():
        raise JsonInputError("json-malformed", "empty: no JSON value", hint="the file or line holds nothing")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise JsonInputError("json-too-deep", f"JSON nested deeper than {MAX_DEPTH} levels",
                             hint="corpus records nest only a few levels") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError("json-malformed", f"malformed JSON: {exc.msg} at column {exc.colno}",
                             hint="one complete JSON value (one per line in JSON Lines)",
                             column=exc.colno) from None
    except ValueError as exc:  # an integer literal of more than 4300 digits
        raise JsonInputError("number-out-of-range", f"a number too long to read ({str(exc)[:60]})",
                             hint="integers are 64-bit") from None
    check_decoded(value)
    return value


def check_decoded(value: Any, *, integers: bool = False) -> None:
    """Refuse a decoded value nested deeper than MAX_DEPTH or holding a lone surrogate (iterative);
    with `integers`, also any integer outside 64 bits (for input no schema check will see)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if integers and item.__class__ is int and not INT64_MIN <= item <= INT64_MAX:
            raise JsonInputError("number-out-of-range", f"an integer outside the 64-bit range ({str(item)[:30]}…)",
                                 hint="offsets and ids are 64-bit integers")
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        elif isinstance(item, str):
            match = _SURROGATE.search(item)
            if match:
                raise JsonInputError("json-malformed",
                                     f"a string holds a lone surrogate \\u{ord(match.group()):04x}",
                                     hint="JSON text must be valid Unicode (no unpaired \\ud800-\\udfff escapes)")
            continue
        else:
            continue
        if depth > MAX_DEPTH:
            raise JsonInputError("json-too-deep", f"JSON nested deeper than {MAX_DEPTH} levels",
                                 hint="corpus records nest only a few levels")
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list, str, int)))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk decode or build: such work allocates many
    small objects that form no cycles and are freed by reference counting, and the collector would
    rescan the live ones again and again (an 89 MB Label Studio export: orjson 0.5 s with the
    collector off, 3.5 s with it on; about 30% of build time at 10k-40k documents). It is back on
    (if it was on) before control leaves the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def loads_line(raw: bytes) -> Any:
    """One JSON value from a line's bytes: `decode_json` (orjson's fast path for the common clean
    line; the careful path's located refusals otherwise), the one decoder of the package."""
    return decode_json(raw)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; a malformed line raises with its location."""
    with open_regular(path) as handle:
        for number, raw in enumerate(handle, start=1):
            if raw.strip():
                yield number, decode_object(raw, path, number)


def decode_object(raw: bytes, path: Path | str, number: int | None = None,
                  decode: Callable[[bytes], Any] = decode_json) -> dict[str, Any]:
    """One JSON object from a line's bytes (`decode`: `decode_json` unless the caller's input was
    validated already); a refusal, or a value that is no object, is located at `path`, `number`."""
    try:
        value = decode(raw)
    except JsonInputError as exc:
        exc.location = Location(file=str(path), line=number)
        raise
    if not isinstance(value, dict):
        raise CashError(f"expected a JSON object, got {type(value).__name__}", Location(file=str(path), line=number))
    return value


def dumps_line(obj: Any) -> str:
    """One canonical JSON line: UTF-8 characters kept as they are, stable key order."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


@contextmanager
def atomic_writer(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary sibling of `path`; rename it over `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        encoding = None if "b" in mode else "utf-8"
        newline = None if "b" in mode else "\n"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def write_jsonl(path: Path, rows: Iterable[Any]) -> int:
    """Atomically write rows as JSON Lines; returns the number of rows."""
    count = 0
    with atomic_writer(path) as handle:
        for row in rows:
            handle.write(dumps_line(row) + "\n")
            count += 1
    return count


def write_json(path: Path, obj: Any) -> None:
    with atomic_writer(path) as handle:
        handle.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_writer(path, "wb") as handle:
        handle.write(data)


def read_json(path: Path) -> Any:
    """The JSON value of a whole file (regular files only; see `decode_json` for what is refused)."""
    data = read_regular_bytes(path)
    try:
        return decode_json(data)
    except JsonInputError as exc:
        exc.location = Location(file=str(path))
        raise
