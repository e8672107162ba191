"""The release archive `cash-X.Y.Z.tar.gz`: writer and reader.

Deterministic so that a rebuild from the committed files gives the same bytes (and the sha256
recorded in `corpus/releases.json` can be checked): members sorted by path under one top folder
`cash-X.Y.Z/`, regular files only, mode 0644, uid/gid 0 with empty owner names, one fixed
mtime, POSIX (pax) format, and a gzip header with mtime 0 and no file name. The compressed
bytes depend on zlib; the content is checked by the release fingerprint whatever the bytes.

The reader refuses anything but regular files under that top folder (no links, devices,
absolute paths or `..`), so a downloaded archive cannot write outside the folder it is
unpacked into.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import CashError, Location

# 2000-01-01T00:00:00Z: a fixed, plausible timestamp (0 makes GNU tar warn "implausibly old").
ARCHIVE_MTIME = 946_684_800
FILE_MODE = 0o644
COMPRESS_LEVEL = 9


def archive_name(version: str) -> str:
    return f"cash-{version}.tar.gz"


def top_folder(version: str) -> str:
    return f"cash-{version}"


class HashingWriter:
    """A write-only file object that passes bytes through and keeps their sha256."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def write_archive(handle: BinaryIO, version: str, files: Iterable[tuple[str, bytes]]) -> str:
    """Stream the archive of `files` ((relative POSIX path, bytes), sorted by path, one file in
    memory at a time) to a binary handle; returns the archive's sha256."""
    sink = HashingWriter(handle)
    previous = None
    with gzip.GzipFile(filename="", mode="wb", fileobj=sink, mtime=0, compresslevel=COMPRESS_LEVEL) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for rel, data in files:
                if previous is not None and rel <= previous:
                    raise CashError(f"release files must be given sorted and once each ({rel!r} after {previous!r})")
                previous = rel
                info = tarfile.TarInfo(f"{top_folder(version)}/{rel}")
                info.size = len(data)
                info.mtime = ARCHIVE_MTIME
                info.mode = FILE_MODE
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.type = tarfile.REGTYPE
                tar.addfile(info, io.BytesIO(data))
    return sink.hexdigest()


def archive_bytes(version: str, files: Iterable[tuple[str, bytes]]) -> bytes:
    """The archive in memory (small releases, tests); `files` in any order."""
    sink = io.BytesIO()
    write_archive(sink, version, sorted(files, key=lambda item: item[0]))
    return sink.getvalue()


def sha256_of(path: Path) -> str:
    from .manifest import file_sha256
    return file_sha256(path)


def iter_archive(path: Path) -> Iterator[tuple[str, str, bytes]]:
    """(top folder, relative path, bytes) of every member, one at a time; refuses unsafe members."""
    where = Location(file=str(path))
    try:
        tar = tarfile.open(path, mode="r:*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise CashError(f"not a readable tar archive: {exc}", where) from exc
    top = None
    with tar:
        try:
            for member in tar:
                pure = PurePosixPath(member.name)
                if not member.isfile():
                    if member.isdir():
                        continue
                    raise CashError(f"archive member {member.name!r} is not a regular file", where)
                if pure.is_absolute() or ".." in pure.parts or len(pure.parts) < 2:
                    raise CashError(f"archive member {member.name!r} is outside a top folder", where)
                if top is None:
                    top = pure.parts[0]
                elif pure.parts[0] != top:
                    raise CashError(f"archive member {member.name!r} is outside {top}/", where)
                extracted = tar.extractfile(member)
                yield top, PurePosixPath(*pure.parts[1:]).as_posix(), extracted.read() if extracted else b""
        except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
            raise CashError(f"damaged archive: {exc}", where) from exc
