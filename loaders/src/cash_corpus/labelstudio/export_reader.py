"""Stream a Label Studio JSON export (a top-level array of tasks) one task at a time.

A 100k-task export need not fit in memory: the file is read in chunks and each array element
is decoded with `json.JSONDecoder.raw_decode` as soon as it is complete. Whatever the bytes,
the reader raises a CashError naming the task, never another exception: bad UTF-8, a byte
order mark, nesting deeper than `jsonl.MAX_DEPTH`, lone surrogates, NaN and integers outside
64 bits are refused here, so the importer only sees plain JSON values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ..errors import CashError, Location
from ..jsonl import JsonInputError, check_decoded

CHUNK = 1 << 20
_NOT_WS = re.compile(r"[^ \t\r\n]")


class _Buffer:
    """A sliding window over a text file: `pos` moves forward; consumed text is dropped on refill."""

    def __init__(self, handle: TextIO, chunk_size: int):
        self.handle, self.chunk_size = handle, chunk_size
        self.text, self.pos, self.eof = "", 0, False

    def fill(self) -> bool:
        if self.eof:
            return False
        try:
            more = self.handle.read(self.chunk_size)
        except UnicodeDecodeError as exc:
            raise CashError(f"the export is not valid UTF-8 ({exc.reason})", Location(file=str(self.handle.name)),
                            hint="re-export the project from Label Studio as JSON") from None
        self.eof = not more
        self.text = self.text[self.pos:] + more
        self.pos = 0
        return bool(more)

    def peek(self) -> str:
        """The next non-whitespace character ('' at the end of the file), without consuming it."""
        while True:
            match = _NOT_WS.search(self.text, self.pos)
            if match:
                self.pos = match.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if not self.fill():
                return ""


def _refuse_constant(name: str):
    raise CashError(f"{name} is not JSON", hint="numbers must be finite")


def _final_error(decoder: json.JSONDecoder, buf: _Buffer) -> json.JSONDecodeError | None:
    """The decode error against the whole rest of the file (the last refill moved the window)."""
    try:
        decoder.raw_decode(buf.text, buf.pos)
    except json.JSONDecodeError as exc:
        return exc
    except (RecursionError, ValueError, CashError):  # too deep, too long a number, NaN: said by the caller
        return None
    return None


def iter_export_tasks(path: Path, chunk_size: int = CHUNK) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (position in the array, task object); malformed JSON raises naming the task number.

    A byte-order mark is allowed (some tools write one); an empty file and a file cut off in the
    middle are said to be so, not called malformed.
    """
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    where = Location(file=str(path))
    with open(path, encoding="utf-8-sig") as handle:
        buf = _Buffer(handle, chunk_size)
        first = buf.peek()
        if first == "":
            raise CashError("the export is empty (no data at all)", where,
                            hint="the download or copy may have failed: export the project again as JSON")
        if first != "[":
            found = "an object" if first == "{" else f"{first!r}"
            raise CashError(f"a Label Studio JSON export is an array of tasks, but this file starts with {found}",
                            where, hint="export the project as JSON (not JSON_MIN or CSV)")
        buf.pos += 1
        if buf.peek() == "]":
            return
        number = 0
        while True:
            buf.peek()
            while True:
                try:
                    task, end = decoder.raw_decode(buf.text, buf.pos)
                    break
                except json.JSONDecodeError as exc:
                    if not buf.fill():
                        exc = _final_error(decoder, buf) or exc
                        if not buf.text[exc.pos:].strip() or exc.msg.startswith("Unterminated string"):
                            raise CashError(f"the export ends in the middle of task #{number}: the file is "
                                            "truncated", where, hint="the download or copy was cut off: export "
                                            "the project again") from exc
                        raise CashError(f"malformed JSON in task #{number}: {exc.msg}", where,
                                        hint="re-export the project from Label Studio") from None
                except RecursionError:
                    raise CashError(f"task #{number} is nested too deeply", where,
                                    hint="a Label Studio task nests only a few levels") from None
                except ValueError:  # an integer literal of more than 4300 digits
                    raise CashError(f"task #{number} holds a number too long to read", where) from None
            try:
                check_decoded(task, integers=True)
            except JsonInputError as exc:
                raise CashError(f"task #{number}: {exc.message}", where, hint=exc.hint) from None
            if not isinstance(task, dict):
                raise CashError(f"task #{number} is a {type(task).__name__}, not an object", where)
            yield number, task
            number += 1
            buf.pos = end
            separator = buf.peek()
            if separator == "":
                raise CashError(f"the export ends after task #{number - 1} without the closing ']': the file is "
                                "truncated", where, hint="the download or copy was cut off: export the project again")
            buf.pos += 1
            if separator == ",":
                continue
            if separator == "]":
                if buf.peek():
                    raise CashError("unexpected data after the task array", where)
                return
            raise CashError(f"malformed JSON after task #{number - 1}: expected ',' or ']'", where)
