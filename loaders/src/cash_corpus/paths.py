"""Where things live in a CASH checkout, and safe paths from ids.

A document id or layer name becomes a file name; `safe_child` makes sure it can never point
outside its folder, whatever the id says.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from .errors import CashError, Location, UsageError, quote

# The checkout this package was installed from in editable mode (loaders/src/cash_corpus → the
# top): only `cash generate` uses it, to keep the packaged schema copy equal to schema/.
PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parents[2]

# Names Windows reserves in every folder (with any extension): a file called `con.txt` or
# `annotations/nul.jsonl` cannot be created or read there, so such ids and layer names are refused.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})


def ecma_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern as a Python regex with the same meaning.

    ECMA's `$` (no multiline flag) matches only at the very end of the input; Python's `$` also
    matches before a final newline, so `'a\\n'` would pass `^[a-z]+$`. Every unescaped `$`
    outside a character class becomes `\\Z`.
    """
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append("\\Z")
        else:
            out.append(char)
    return "".join(out)


def _name_matcher(def_name: str):
    """A yes/no check for `$defs/<def_name>` of the schema in use: its pattern matched whole (ECMA
    anchors), its maxLength, and no Windows device name. Built once per schema (schema_cached)."""
    from .schema import id_rule
    rule = id_rule(def_name)
    fullmatch = re.compile(ecma_pattern(rule.pattern)).fullmatch
    longest = rule.max_length if rule.max_length is not None else 1 << 62

    def matches(value: object) -> bool:
        if value.__class__ is not str or len(value) > longest or fullmatch(value) is None:
            return False
        if len(value) > 4 and "." not in value:  # the common case: longer than any device name
            return True
        return value.split(".", 1)[0].lower() not in WINDOWS_RESERVED
    return matches


_matcher = None  # _name_matcher wrapped in schema.schema_cached on first use (schema.py imports this module)


def _is_safe_name(value: object, def_name: str) -> bool:
    global _matcher
    if _matcher is None:
        from .schema import schema_cached
        _matcher = schema_cached(_name_matcher)
    return _matcher(def_name)(value)


def is_valid_document_id(doc_id: str) -> bool:
    """Matches `$defs/document_id` as a whole (no trailing newline) and is not a Windows-reserved name."""
    return _is_safe_name(doc_id, "document_id")


def is_valid_layer_name(name: str) -> bool:
    """Matches `$defs/layer_name` as a whole and is not a Windows-reserved name."""
    return _is_safe_name(name, "layer_name")


ID_HINT = ("lowercase letters, digits and single hyphens, at most 64 characters; not a Windows device name "
           "(con, prn, aux, nul, com1-9, lpt1-9)")


def is_reserved_name(name: object) -> bool:
    """True for con, prn, aux, nul, com1-9, lpt1-9 (any case, any extension)."""
    return isinstance(name, str) and name.split(".")[0].lower() in WINDOWS_RESERVED


class UnsafeFileError(CashError):
    """A symlink, FIFO, device or socket where a regular file (or a real folder) is expected."""


def file_kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def unsafe_kind(path: Path, *, folder: bool = False) -> str | None:
    """Why `path` must not be read (symlink, FIFO, device…), or None if it is a plain file (folder).

    Uses lstat: a symbolic link is reported as one, never followed. A missing path gives None.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        return None
    return file_kind(mode)


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_regular_fd(path: Path) -> tuple[int, os.stat_result]:
    kind = unsafe_kind(path)
    if kind is not None:
        raise UnsafeFileError(f"{kind}, not a regular file: refused, never read", Location(file=str(path)),
                              hint="corpus files must be regular files inside the corpus root")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in (getattr(os, "ELOOP", -1), getattr(os, "ENXIO", -1)):
            raise UnsafeFileError("not a regular file: refused, never read", Location(file=str(path))) from exc
        raise
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise UnsafeFileError(f"{file_kind(status.st_mode)}, not a regular file: refused, never read",
                              Location(file=str(path)))
    return fd, status


def open_regular(path: Path) -> BinaryIO:
    """Open `path` for binary reading only if it is a regular file.

    A symlink is never followed (lstat first, then O_NOFOLLOW), a FIFO never blocks (lstat
    refuses it before any open; O_NONBLOCK covers a swap in between) and a device is never
    opened; the opened descriptor is checked again with fstat, so a file swapped between the
    checks is refused too. (O_NONBLOCK has no effect on reading a regular file.) Raises
    FileNotFoundError when missing, UnsafeFileError otherwise.
    """
    fd, _ = _open_regular_fd(path)
    return os.fdopen(fd, "rb")


def read_regular_bytes(path: Path) -> bytes:
    """The bytes of a regular file (see `open_regular`), read straight from the descriptor."""
    fd, status = _open_regular_fd(path)
    try:
        chunks = [os.read(fd, status.st_size + 1)]
        while chunks[-1]:  # the file may have grown since fstat
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks)
    finally:
        os.close(fd)


@lru_cache(maxsize=256)
def _resolved_folder(folder: Path) -> Path:
    return folder.resolve()


def safe_child(folder: Path, name: str, suffix: str) -> Path:
    """`folder/name+suffix`, refusing any name that could point outside `folder`.

    A plain file name (no separator, not '.' or '..', no NUL) cannot leave its folder, so no
    per-call `resolve()` is needed; the folder itself is resolved once (this runs per document).
    """
    filename = f"{name}{suffix}"
    if (not name or filename in (".", "..") or "/" in filename or "\\" in filename or "\x00" in filename
            or (os.altsep and os.altsep in filename)):
        raise UsageError(f"id {quote(name)} would escape {folder}", Location(file=str(folder)))
    base = _resolved_folder(folder) if folder.is_absolute() else folder.resolve()
    return base / filename


@dataclass(frozen=True)
class CorpusPaths:
    """The files of one CASH checkout (or of any corpus root laid out the same way)."""

    root: Path

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def corpus_info(self) -> Path:
        return self.corpus_dir / "corpus.json"

    @property
    def documents(self) -> Path:
        return self.corpus_dir / "documents.jsonl"

    @property
    def structure(self) -> Path:
        return self.corpus_dir / "structure.jsonl"

    @property
    def texts_dir(self) -> Path:
        return self.corpus_dir / "texts"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def data_dir(self) -> Path:
        """Built Parquet files for Hugging Face `datasets`."""
        return self.root / "data"

    @property
    def manifest(self) -> Path:
        return self.corpus_dir / "manifest.json"

    @property
    def releases(self) -> Path:
        return self.corpus_dir / "releases.json"

    def text_path(self, doc_id: str) -> Path:
        if not is_valid_document_id(doc_id):
            raise UsageError(f"invalid document id {quote(doc_id)}", Location(document_id=str(doc_id)),
                             hint=ID_HINT)
        return safe_child(self.texts_dir, doc_id, ".txt")

    def layer_path(self, layer: str) -> Path:
        if not is_valid_layer_name(layer):
            raise UsageError(f"invalid layer name {quote(layer)}",
                             hint="lowercase letters, digits, '-' and '_', at most 64 characters; not a Windows "
                             "device name (con, nul, com1…)")
        return safe_child(self.annotations_dir, layer, ".jsonl")


def find_root(start: Path | None = None) -> Path:
    """The corpus root: $CASH_ROOT, else the nearest folder upward holding corpus/corpus.json."""
    env = os.environ.get("CASH_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / "corpus" / "corpus.json").is_file():
            raise UsageError(f"CASH_ROOT={env} holds no corpus/corpus.json", hint="point CASH_ROOT at a CASH checkout")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "corpus" / "corpus.json").is_file():
            return folder
    raise UsageError(f"no CASH corpus found at or above {here}",
                     hint="run inside a corpus root (a folder with corpus/corpus.json), or pass --root / set CASH_ROOT")
