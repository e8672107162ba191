"""Checks of what a command is about to put into the corpus, callable before anything is written.

`cash add` (and `cash zones`) call these on their arguments and the new text, so that what
`cash validate` would report later is refused up front: control characters in a text, a
language tag the schema rejects, a `--zones` file that is not a small JSON object of line
numbers (whether those lines exist and the zone types are known is `corpus.check_zone_lines`).
Each raises a located CashError/UsageError; nothing here writes a file.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..errors import CashError, Location, UsageError, quote
from ..paths import ecma_pattern

# Unicode category Cc minus tab, LF and CR: C0 controls, DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_characters(text: str) -> list[int]:
    """Offsets (code points) of every control character other than tab, LF and CR."""
    return [match.start() for match in _CONTROL.finditer(text)]


def require_clean_text(text: str, source: str | Path, document_id: str | None = None) -> None:
    """Refuse a text holding NUL, ESC, form feed or any other control character but tab/LF/CR."""
    found = control_characters(text)
    if found:
        first = found[0]
        raise CashError(f"the text holds {len(found)} control character(s) other than tab, LF and CR; "
                        f"the first is {quote(text[first])} at offset {first}",
                        Location(file=str(source), document_id=document_id, start=first, end=first + 1),
                        hint="a text of record is printable text with tabs and line breaks; fix the source file")


@cache
def _language_pattern() -> re.Pattern:
    from ..schema import load_schema
    node = load_schema()["$defs"]["document_metadata"]["properties"]["language"]
    return re.compile(ecma_pattern(node["pattern"]))


def is_valid_language(tag: object) -> bool:
    """True when `tag` matches the schema's language pattern as a whole (`$defs/document_metadata`)."""
    return isinstance(tag, str) and _language_pattern().fullmatch(tag) is not None


def require_language(tag: object) -> str:
    """`tag` if it is a language tag the schema accepts, else a UsageError (exit 2)."""
    if not is_valid_language(tag):
        raise UsageError(f"invalid --language {quote(tag)}",
                         hint=f"a BCP-47 tag matching {_language_pattern().pattern!r}, e.g. en, de, pt-BR")
    return tag  # type: ignore[return-value]


def read_zone_overrides(path: Path) -> dict[int, str]:
    """A `--zones` file {"LINE": "zone_type", ...} read at the boundary: regular file, strict JSON
    (no BOM, UTF-8, shallow), ASCII-digit line numbers, string values. Any problem is a UsageError
    naming the file; the lines and zone types are then checked by `corpus.check_zone_lines`."""
    from ..jsonl import JsonInputError, decode_json
    from ..paths import UnsafeFileError, read_regular_bytes
    where = Location(file=str(path))
    try:
        raw = decode_json(read_regular_bytes(path))
    except (JsonInputError, UnsafeFileError) as exc:
        raise UsageError(f"cannot read the zones file: {exc.message}", where, hint=exc.hint) from None
    except OSError as exc:
        raise UsageError(f"cannot read the zones file: {exc.strerror or exc}", where) from None
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and k.isascii() and k.isdigit() and len(k) <= 9 and isinstance(v, str)
            for k, v in raw.items()):
        raise UsageError('zones file must be an object {"LINE": "zone_type"} with line numbers from 1', where)
    return {int(k): v for k, v in raw.items()}
