"""Release manifest: the sha256 of every data file and one content fingerprint for the release.

The **release fingerprint** (the one to cite) is the sha256 of the sorted `path<TAB>sha256`
lines of the data files (corpus/, annotations/, schema/, data/), so it changes when any of them
changes, is added or is removed. The documents that travel with a release but quote the
fingerprint themselves (card, datasheet, citation, changelog, Croissant) cannot be inside it;
a manifest written by `cash release` records their sha256 under `documents`, and the archive's
own sha256 is kept in `corpus/releases.json`. `corpus/releases.json` keeps every published
version (fingerprint, date, archive sha256); a test holds the current files to it.
(The *build* fingerprint of the card's config descriptions covers only the Parquet files; it
keys the `datasets` cache and is not for citing.)
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CashError, Location
from .jsonl import atomic_writer, read_json
from .paths import CorpusPaths

# What a release is made of. README.md (the dataset card) is derived and not hashed here:
# it carries the fingerprint itself.
RELEASE_FOLDERS = ("corpus", "annotations", "schema", "data")
EXCLUDED = {"corpus/manifest.json", "corpus/releases.json"}
MANIFEST = "corpus/manifest.json"
RELEASES = "corpus/releases.json"
CITATION_FILE = "CITATION.cff"
# Travel with a release (archive, `cash release get`) but are not in the fingerprint: each quotes it.
RELEASE_DOCUMENTS = ("README.md", "DATASHEET.md", "CITATION.cff", "CHANGELOG.md", "croissant.json")
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
NEXT_STEP_HINT = ("if these changes are meant to be published, run `cash release X.Y.Z` (README, Versioning); "
                  "if the manifest is merely stale for an unpublished version, run `cash manifest`")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_release_path(rel: str) -> bool:
    """Is this relative POSIX path one the fingerprint covers?"""
    parts = rel.split("/")
    return (parts[0] in RELEASE_FOLDERS and len(parts) > 1 and rel not in EXCLUDED
            and not any(p.startswith(".") for p in parts))


def release_files(root: Path) -> list[str]:
    """Relative POSIX paths of every file in the release folders, sorted, hidden files skipped.
    A symlink, FIFO or device on the way is refused (a located error), never followed."""
    from .transaction import iter_regular_files
    files = []
    for folder in RELEASE_FOLDERS:
        files += [rel for rel in iter_regular_files(Path(root), folder) if is_release_path(rel)]
    return sorted(files)


def fingerprint(files: Mapping[str, str]) -> str:
    """sha256 of the sorted `path<TAB>sha256<LF>` lines (see `fingerprint_of_sorted`)."""
    return fingerprint_of_sorted(sorted(files.items()))


def fingerprint_of_sorted(pairs: Iterable[tuple[str, str]]) -> str:
    """`fingerprint` of (path, sha256) pairs already in path order, hashed a line at a time: the same
    digest as hashing the lines joined, without a million lines (or a dict of them) in memory."""
    digest = hashlib.sha256()
    for path, file_digest in pairs:
        digest.update(f"{path}\t{file_digest}\n".encode("utf-8"))
    return digest.hexdigest()


def iter_file_hashes(root: Path, staged: Mapping[str, bytes | None] | None = None,
                     known: Mapping[str, str] | None = None) -> Iterator[tuple[str, str]]:
    """(path, sha256) of the release files as they will be, in path order, one at a time: `staged`
    bytes (None = removed) win over the files on disk; `known` supplies hashes already computed
    (the build's Parquet files, the texts it has just read)."""
    staged = staged or {}
    known = known or {}
    removed = {rel for rel, data in staged.items() if data is None}
    added = sorted(rel for rel, data in staged.items() if data is not None and is_release_path(rel))
    previous = None
    for rel in heapq.merge(release_files(root), added):
        if rel == previous or rel in removed:
            continue
        previous = rel
        if rel in staged:
            yield rel, hashlib.sha256(staged[rel]).hexdigest()
        elif rel in known:
            yield rel, known[rel]
        else:
            yield rel, file_sha256(root / rel)


def file_hashes(root: Path, staged: Mapping[str, bytes | None] | None = None,
                known: Mapping[str, str] | None = None) -> dict[str, str]:
    """{path: sha256} of the release files as they will be (`iter_file_hashes`)."""
    return dict(iter_file_hashes(root, staged, known))


def compute_manifest(root: Path, version: str, staged: Mapping[str, bytes | None] | None = None,
                     known: Mapping[str, str] | None = None) -> dict[str, Any]:
    files = file_hashes(root, staged, known)
    return {"version": version, "algorithm": "sha256", "fingerprint": fingerprint(files), "files": files}


def write_manifest(paths: CorpusPaths, version: str) -> dict[str, Any]:
    """Write corpus/manifest.json alone (its own transaction); `seal` is what `cash manifest` runs."""
    from .transaction import corpus_transaction
    with corpus_transaction(paths.root, "manifest") as txn:
        manifest = compute_manifest(txn.root, version)
        txn.write_json("corpus/manifest.json", manifest)
    return manifest


def seal(root: Path, *, release: bool = False) -> dict[str, Any]:
    """`cash manifest` as one transaction: refuse unless the corpus validates, and refuse to rewrite
    the manifest of a published version whose files changed (they need `cash release X.Y.Z`);
    then write the manifest and the fingerprint in CITATION.cff. Refused = nothing written.
    (`release=True`, the old `cash manifest --release`, is replaced by `cash_corpus.release`.)"""
    from .corpus import Corpus
    from .errors import UsageError
    from .transaction import corpus_transaction
    if release:
        raise UsageError("`cash manifest --release` is replaced by `cash release X.Y.Z`",
                         hint="`cash release` bumps the version everywhere, opens the CHANGELOG section, records the "
                         "release in corpus/releases.json and writes its archive, in one transaction")
    with corpus_transaction(root, "manifest") as txn:
        txn.require_valid()
        paths = txn.paths
        version = Corpus(paths).version
        manifest = compute_manifest(txn.root, version)
        published = {r.version: r for r in read_release_records(paths)}.get(version)
        if published is not None and published.fingerprint != manifest["fingerprint"]:
            raise CashError(f"version {version} was published with fingerprint {published.fingerprint[:12]}…; the files "
                            f"now give {manifest['fingerprint'][:12]}…", Location(file=RELEASES),
                            hint="a published version never changes: publish these files with `cash release X.Y.Z` "
                            "(README, Versioning)")
        if published is not None and paths.manifest.exists():
            manifest = {**read_manifest(paths), **manifest}  # keep what `cash release` recorded (documents)
        txn.write_json(MANIFEST, manifest)
        citation = paths.root / CITATION_FILE
        if citation.exists():
            text = citation.read_text(encoding="utf-8")
            new = citation_text(text, manifest["version"], manifest["fingerprint"])
            if new != text:
                txn.write_text(CITATION_FILE, new)
    return manifest


def read_manifest(paths: CorpusPaths) -> dict[str, Any]:
    return read_json(paths.manifest)


def manifest_differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """Human-readable differences between a recorded manifest and the files now."""
    out = []
    if expected.get("version") != actual.get("version"):
        out.append(f"version: manifest {expected.get('version')} != corpus {actual.get('version')}")
    old, new = expected.get("files", {}), actual.get("files", {})
    for rel in sorted(set(old) | set(new)):
        if rel not in new:
            out.append(f"{rel}: in the manifest but missing")
        elif rel not in old:
            out.append(f"{rel}: not in the manifest")
        elif old[rel] != new[rel]:
            out.append(f"{rel}: sha256 {new[rel][:12]}… differs from manifest {old[rel][:12]}…")
    return out


# ---------------------------------------------------------------- corpus/releases.json

@dataclass(frozen=True)
class Release:
    """One published version as `corpus/releases.json` records it (date and archive unknown for
    entries written in the old flat `{version: fingerprint}` form)."""

    version: str
    fingerprint: str
    date: str | None = None
    archive: str | None = None
    archive_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "fingerprint": self.fingerprint, "date": self.date,
                "archive": self.archive, "archive_sha256": self.archive_sha256}


def version_key(version: str) -> tuple[int, int, int]:
    match = VERSION_RE.match(version)
    if not match:
        raise CashError(f"not a MAJOR.MINOR.PATCH version: {version!r}")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def parse_releases(raw: Any, file: str = RELEASES) -> list[Release]:
    """Both forms: `{"releases": [{version, fingerprint, date, archive, archive_sha256}, ...]}` and
    the flat `{"1.0.0": "<fingerprint>"}` of 1.0.0. Sorted by version."""
    where = Location(file=file)
    out: list[Release] = []
    if isinstance(raw, dict) and isinstance(raw.get("releases"), list):
        for number, entry in enumerate(raw["releases"], start=1):
            if not (isinstance(entry, dict) and isinstance(entry.get("version"), str)
                    and isinstance(entry.get("fingerprint"), str)):
                raise CashError(f"release entry {number} lacks a version or a fingerprint", where)
            out.append(Release(entry["version"], entry["fingerprint"], entry.get("date"), entry.get("archive"),
                               entry.get("archive_sha256")))
    elif isinstance(raw, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        out = [Release(version, fp) for version, fp in raw.items()]
    else:
        raise CashError("releases.json is neither {\"releases\": [...]} nor {version: fingerprint}", where)
    for release in out:
        if not VERSION_RE.match(release.version) or not re.fullmatch(r"[0-9a-f]{64}", release.fingerprint):
            raise CashError(f"release {release.version!r}: malformed version or fingerprint", where)
    if len({r.version for r in out}) != len(out):
        raise CashError("a version is recorded twice", where)
    return sorted(out, key=lambda r: version_key(r.version))


def read_release_records(paths: CorpusPaths) -> list[Release]:
    return parse_releases(read_json(paths.releases), str(paths.releases)) if paths.releases.exists() else []


def releases_document(releases: list[Release]) -> dict[str, Any]:
    """The JSON written to corpus/releases.json (always the rich form)."""
    return {"releases": [r.to_dict() for r in sorted(releases, key=lambda r: version_key(r.version))]}


def read_releases(paths: CorpusPaths) -> dict[str, str]:
    """version → fingerprint of every published version."""
    return {r.version: r.fingerprint for r in read_release_records(paths)}


def with_release(releases: list[Release], new: Release, where: str = RELEASES) -> list[Release]:
    """`releases` plus `new`. A published version is frozen: recording it again with another
    fingerprint is refused — change the version instead."""
    for old in releases:
        if old.version == new.version:
            if old.fingerprint != new.fingerprint:
                raise CashError(f"version {new.version} was published with fingerprint {old.fingerprint}; "
                                f"the files now give {new.fingerprint}", Location(file=where),
                                hint="a published version cannot change: bump the version with "
                                "`cash release X.Y.Z` (see README, Versioning)")
            return [r if r.version != new.version else Release(
                old.version, old.fingerprint, old.date or new.date, old.archive or new.archive,
                old.archive_sha256 or new.archive_sha256) for r in releases]
    return sorted([*releases, new], key=lambda r: version_key(r.version))


def record_release(paths: CorpusPaths, manifest: dict[str, Any]) -> None:
    """Mark the manifest's version as published, in its own transaction (`cash release` does this
    inside its transaction, with the date and the archive)."""
    from .transaction import corpus_transaction
    with corpus_transaction(paths.root, "record release") as txn:
        releases = with_release(read_release_records(txn.paths), Release(manifest["version"], manifest["fingerprint"]),
                                str(paths.releases))
        txn.write_json(RELEASES, releases_document(releases))


CITATION_FINGERPRINT = re.compile(r'(?m)^(\s*value:\s*)"[^"\n]*"(\s*\n\s*description:\s*"Content fingerprint of the release)')
CITATION_VERSION = re.compile(r'(?m)^version:\s*"[^"]*"[^\n]*\n')
CITATION_DATE = re.compile(r'(?m)^date-released:\s*[^\n]*\n')


def citation_text(text: str, version: str, fp: str, date: str | None = None) -> str:
    """CITATION.cff with the version, the release fingerprint and (when given) `date-released`
    written in, its layout kept; `date-released` goes right after `version:` if it is new."""
    new = CITATION_VERSION.sub(lambda m: f'version: "{version}"\n', text, count=1)
    new = CITATION_FINGERPRINT.sub(lambda m: f'{m.group(1)}"sha256:{fp}"{m.group(2)}', new)
    if date is not None:
        line = f'date-released: "{date}"\n'
        if CITATION_DATE.search(new):
            new = CITATION_DATE.sub(lambda m: line, new, count=1)
        else:
            new = CITATION_VERSION.sub(lambda m: m.group(0) + line, new, count=1)
    return new


def update_citation(citation: Path, version: str, fp: str) -> None:
    """Write the version and the release fingerprint into CITATION.cff (a file outside a corpus root
    is written atomically on its own; inside one, through a transaction)."""
    text = citation.read_text(encoding="utf-8")
    new = citation_text(text, version, fp)
    if new == text:
        return
    root = citation.resolve().parent
    if (root / "corpus" / "corpus.json").is_file():
        from .transaction import corpus_transaction
        with corpus_transaction(root, "manifest") as txn:
            txn.write_text(citation.name, new)
    else:
        with atomic_writer(citation) as handle:
            handle.write(new)
