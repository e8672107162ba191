"""Label Studio offsets to CASH offsets: code points (current front-end) or UTF-16 units (older ones).

CASH offsets are code points over the raw text. The current Label Studio front-end counts code
points too, but older exports and plain JavaScript count UTF-16 code units, which differ after
every character outside the Basic Multilingual Plane. Each region says which by its `text`:
we accept the reading under which raw[start:end] equals the region's text, and refuse otherwise.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from enum import Enum


class Counting(str, Enum):
    CODE_POINTS = "code_points"
    UTF16 = "utf16"


@dataclass(frozen=True)
class TextIndex:
    """A document text with the UTF-16 positions of its astral characters, for offset conversion."""

    text: str
    astral_utf16: tuple[int, ...]  # UTF-16 offset of each non-BMP character, ascending

    @classmethod
    def of(cls, text: str) -> "TextIndex":
        positions: list[int] = []
        shift = 0
        for index, char in enumerate(text):
            if ord(char) > 0xFFFF:
                positions.append(index + shift)
                shift += 1
        return cls(text, tuple(positions))

    @property
    def utf16_length(self) -> int:
        return len(self.text) + len(self.astral_utf16)

    def utf16_to_code_point(self, offset: int) -> int | None:
        """The code-point offset of a UTF-16 offset, or None if it falls inside a surrogate pair."""
        before = bisect_left(self.astral_utf16, offset)
        if before and self.astral_utf16[before - 1] == offset - 1:
            return None
        return offset - before

    def code_point_to_utf16(self, offset: int) -> int:
        """Used to write UTF-16 tasks for tests that imitate an old front-end."""
        shift = 0
        for position in self.astral_utf16:
            if position - shift >= offset:
                break
            shift += 1
        return offset + shift


def resolve_offsets(index: TextIndex, start: object, end: object, text: object,
                    counting: Counting | None = None) -> tuple[int, int, Counting] | str:
    """(start, end, counting) in code points whose raw slice equals `text`, or a message why not.

    `counting` None accepts either reading (code points first); otherwise only that one.
    """
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return f"start/end must be integers, got {start!r}, {end!r}"
    if not isinstance(text, str):
        return "region has no text to check its offsets against"
    if start < 0 or start >= end:
        return f"empty or inverted span [{start}, {end})"
    length = len(index.text)
    if counting is not Counting.UTF16 and end <= length and index.text[start:end] == text:
        return start, end, Counting.CODE_POINTS
    if counting is not Counting.CODE_POINTS and end <= index.utf16_length:
        cp_start, cp_end = index.utf16_to_code_point(start), index.utf16_to_code_point(end)
        if cp_start is not None and cp_end is not None and index.text[cp_start:cp_end] == text:
            return cp_start, cp_end, Counting.UTF16
    if end > length and not (index.astral_utf16 and end <= index.utf16_length):
        return f"offsets [{start}, {end}) run past the end of the text ({length} code points)"
    as_code_points = index.text[start:end] if end <= length else None
    cp_start, cp_end = index.utf16_to_code_point(start), index.utf16_to_code_point(end)
    as_utf16 = index.text[cp_start:cp_end] if None not in (cp_start, cp_end) and end <= index.utf16_length else None
    if counting is Counting.UTF16:
        told = f"as UTF-16 units (--offsets utf16) the raw text there is {as_utf16!r}"
        if as_code_points == text:
            told += "; counted as code points it matches: this export counts code points, drop --offsets utf16"
        return f"region text {text!r} does not match the raw text at [{start}, {end}): {told}"
    if counting is Counting.CODE_POINTS:
        told = f"as code points (--offsets code-points) the raw text there is {as_code_points!r}"
        if as_utf16 == text:
            told += "; counted as UTF-16 units it matches: this export counts UTF-16 units, pass --offsets utf16"
        return f"region text {text!r} does not match the raw text at [{start}, {end}): {told}"
    return (f"region text {text!r} does not match the raw text at [{start}, {end}) "
            f"(as code points {as_code_points!r}, as UTF-16 units {as_utf16!r})")
