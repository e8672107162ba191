"""Errors that carry a location, so every message names file, document, annotation and offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_LIMIT = 80
MESSAGE_LIMIT = 1000  # characters per line of an error message (input quoted in it is capped already)
CONTINUATION = "\n  "  # how a multi-line error message continues (always indented)

# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators and bidi
# controls: anything that could start a new line or a terminal escape, or reorder the line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_PLAIN = re.compile(r"[A-Za-z0-9_.:/+@=,-]{1,80}")


def _escape(match: re.Match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape_controls(text: str, limit: int | None = None) -> str:
    """`text` with every control character written as an escape (\\n, \\x1b, \\u2028…), cut to `limit`.

    Whatever a file holds, a message built from it stays one line and cannot drive the terminal.
    """
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    return _UNSAFE.sub(_escape, text)


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """Input text quoted for a message, repr-style: 'text' with control characters escaped, length capped.

    Every message or finding that shows text read from a file or an argument (ids, labels,
    span text, file names) goes through this, so an id holding a newline and ESC can neither
    forge a finding line nor colour the terminal.
    """
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return "'" + escape_controls(text.replace("\\", "\\\\")) + "'"


def show_token(value: object) -> str:
    """An id or file name as is when it is plain (letters, digits, - _ . / :), else quoted."""
    text = value if isinstance(value, str) else repr(value)
    return text if _PLAIN.fullmatch(text) else quote(text)


@dataclass
class Location:
    """Where a problem is: any field may be unknown (None)."""

    file: str | None = None
    line: int | None = None
    document_id: str | None = None
    annotation_id: str | None = None
    start: int | None = None
    end: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(_show_file(self.file) + (f":{self.line}" if self.line else ""))
        if self.document_id is not None:
            parts.append(f"doc={show_token(self.document_id)}")
        if self.annotation_id is not None:
            parts.append(f"ann={show_token(self.annotation_id)}")
        if self.start is not None or self.end is not None:
            parts.append(f"[{self.start}, {self.end})")
        return " ".join(parts)


def _show_file(file: str) -> str:
    """A file name as is unless it holds a control character (then quoted); long paths are kept whole."""
    return quote(file, limit=400) if _UNSAFE.search(file) else file


class CashError(Exception):
    """A user-facing error: bad input, a refused operation. The CLI prints it and exits non-zero."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None):
        self.message = message
        self.location = location or Location()
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        # Messages are built by this package but may embed input, so control characters are escaped.
        # The one layout kept: continuation lines indented by two spaces ("\n  ", e.g. the findings
        # listed by transaction.RefusedChange); no text can start a line of its own at column 0.
        text += f" (hint: {self.hint})" if self.hint else ""
        return CONTINUATION.join(escape_controls(part, MESSAGE_LIMIT) for part in text.split(CONTINUATION))


class UsageError(CashError):
    """Wrong arguments, missing files: exit code 2."""

    exit_code = 2
