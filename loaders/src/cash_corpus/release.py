"""Releases: make one (`cash release X.Y.Z`), get one back, verify a copy, list them.

A release is the files of the corpus at one version, named by one **release fingerprint**
(`cash_corpus.manifest`), frozen in `corpus/releases.json` (version, fingerprint, date, archive
sha256). `make_release` is one transaction: it refuses unless the corpus validates, the build is
current, the version is the next one after the last release and large enough for the changes
found (README, Versioning); then it bumps the version wherever it lives (corpus.json,
pyproject.toml, the package, CITATION.cff with `date-released`, the card and croissant.json,
rebuilt for the new version and fingerprint), opens the CHANGELOG section, writes the manifest,
records the release and writes the deterministic archive `dist/cash-X.Y.Z.tar.gz`. Refused means
nothing written.

Getting a release back needs no tag: `history.GitHistory` finds the commit that published it and
reads its files with git plumbing; or the archive is read. Either way every file is checked
against the manifest and the fingerprint against `corpus/releases.json` before anything is
written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .archive import archive_name, iter_archive, sha256_of, top_folder, write_archive
from .errors import CashError, Location, UsageError
from .manifest import (MANIFEST, RELEASE_DOCUMENTS, RELEASES, Release, compute_manifest, fingerprint,
                       is_release_path, read_release_records, releases_document, version_key, with_release,
                       citation_text)
from .paths import CorpusPaths

DIST = "dist"
PATCH, MINOR, MAJOR = 1, 2, 3
LEVEL_NAMES = {PATCH: "PATCH", MINOR: "MINOR", MAJOR: "MAJOR"}
CHANGELOG = "CHANGELOG.md"
CITATION = "CITATION.cff"
PYPROJECT = "pyproject.toml"
PACKAGE_INIT = "loaders/src/cash_corpus/__init__.py"
DATASHEET = "DATASHEET.md"
MAX_FINDINGS_SHOWN = 10


def json_bytes(obj: Any) -> bytes:
    """The bytes `jsonl.write_json` writes, so staged JSON equals what other commands write."""
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------- version rules

def next_versions(previous: str) -> dict[int, str]:
    major, minor, patch = version_key(previous)
    return {PATCH: f"{major}.{minor}.{patch + 1}", MINOR: f"{major}.{minor + 1}.0", MAJOR: f"{major + 1}.0.0"}


def bump_level(previous: str | None, version: str) -> int | None:
    """PATCH, MINOR or MAJOR for a step from `previous` to `version` (None for a first release);
    refuses a version that is not greater than the last one or skips numbers."""
    try:
        version_key(version)
    except CashError as exc:
        raise UsageError(f"{version!r} is not a version: MAJOR.MINOR.PATCH, digits only (e.g. 1.0.1)") from exc
    if previous is None:
        return None
    if version_key(version) <= version_key(previous):
        raise CashError(f"{version} is not greater than the last release {previous}",
                        hint=_next_hint(previous, "a version can be published once and versions only go up"))
    for level, candidate in next_versions(previous).items():
        if candidate == version:
            return level
    raise CashError(f"{version} skips versions after the last release {previous}", hint=_next_hint(previous))


def _next_hint(previous: str, why: str | None = None) -> str:
    nexts = next_versions(previous)
    text = (f"after {previous} comes {nexts[PATCH]} (PATCH: corrections), {nexts[MINOR]} (MINOR: additions) or "
            f"{nexts[MAJOR]} (MAJOR: removals, renames, re-based offsets); see README, Versioning")
    return f"{why}; {text}" if why else text


@dataclass(frozen=True)
class Change:
    level: int
    reason: str


def schema_inventory(schema: dict[str, Any]) -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    """(label sets: $defs name -> const values, records: $defs name -> (properties, required))."""
    labels: dict[str, set[str]] = {}
    records: dict[str, tuple[set[str], set[str]]] = {}
    for name, definition in (schema.get("$defs") or {}).items():
        if not isinstance(definition, dict):
            continue
        options = definition.get("oneOf")
        if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
            labels[name] = {str(o["const"]) for o in options}
        if isinstance(definition.get("properties"), dict):
            records[name] = (set(definition["properties"]), set(definition.get("required") or ()))
    return labels, records


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Removed or renamed labels or fields, new required fields: MAJOR; new labels, optional fields: MINOR."""
    old_labels, old_records = schema_inventory(old)
    new_labels, new_records = schema_inventory(new)
    out: list[Change] = []
    for name in sorted(set(old_labels) | set(new_labels)):
        before, after = old_labels.get(name, set()), new_labels.get(name, set())
        if before - after:
            out.append(Change(MAJOR, f"schema: label(s) {sorted(before - after)} removed from {name}"))
        if after - before:
            out.append(Change(MINOR, f"schema: label(s) {sorted(after - before)} added to {name}"))
    for name in sorted(set(old_records) | set(new_records)):
        (props_before, req_before), (props_after, req_after) = (old_records.get(name, (set(), set())),
                                                                new_records.get(name, (set(), set())))
        if props_before - props_after:
            out.append(Change(MAJOR, f"schema: field(s) {sorted(props_before - props_after)} removed from {name}"))
        if req_after - req_before:
            out.append(Change(MAJOR, f"schema: field(s) {sorted(req_after - req_before)} now required in {name}"))
        if (props_after - props_before) - req_after:
            out.append(Change(MINOR, f"schema: optional field(s) {sorted((props_after - props_before) - req_after)} "
                                     f"added to {name}"))
    if not out and old != new:
        out.append(Change(PATCH, "schema: definitions, examples or descriptions corrected"))
    return out


def annotation_keys(data: bytes) -> set[tuple[str, str, str]]:
    """(document id, record kind, id) of every annotation record in a layer file's bytes."""
    keys = set()
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line) if line.strip() else None
        except ValueError:
            continue
        if isinstance(record, dict) and "id" in record:
            keys.add((str(record.get("document_id")), str(record.get("record")), str(record["id"])))
    return keys


def classify_changes(old_files: Mapping[str, str], new_files: Mapping[str, str],
                     read_old: Callable[[str], bytes | None], read_new: Callable[[str], bytes]) -> list[Change]:
    """What changed between two releases' files ({path: sha256}), as README "Versioning" grades it.
    `read_old` may return None when the previous bytes are not available (no git history)."""
    out: list[Change] = []
    for rel in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(rel), new_files.get(rel)
        if before == after or rel.startswith("data/") or rel.startswith("schema/generated/"):
            continue  # built or generated from the sources graded below
        name = rel.rsplit("/", 1)[-1]
        if rel.startswith("corpus/texts/"):
            doc = name.removesuffix(".txt")
            if after is None:
                out.append(Change(MAJOR, f"document {doc} removed"))
            elif before is None:
                out.append(Change(MINOR, f"document {doc} added"))
            else:
                out.append(Change(MAJOR, f"text of document {doc} changed: offsets of existing annotations re-based"))
        elif rel.startswith("annotations/"):
            layer = name.removesuffix(".jsonl")
            if after is None:
                out.append(Change(MAJOR, f"annotation layer {layer} removed"))
            elif before is None:
                out.append(Change(MINOR, f"annotation layer {layer} added"))
            else:
                old_bytes = read_old(rel)
                if old_bytes is None:
                    out.append(Change(PATCH, f"annotation layer {layer} changed (previous layer not available: "
                                             "graded as a correction)"))
                    continue
                added = annotation_keys(read_new(rel)) - annotation_keys(old_bytes)
                out.append(Change(MINOR, f"{len(added)} annotation(s) added to layer {layer}") if added else
                           Change(PATCH, f"annotations corrected in layer {layer}"))
        elif rel == "schema/cash.schema.json":
            old_bytes = read_old(rel)
            if old_bytes is None:
                out.append(Change(PATCH, "schema changed (previous schema not available: not graded; check README, "
                                         "Versioning yourself)"))
                continue
            try:
                out += schema_changes(json.loads(old_bytes), json.loads(read_new(rel)))
            except ValueError:
                out.append(Change(MAJOR, "schema changed and the previous one cannot be read"))
        elif rel == "corpus/corpus.json":
            continue  # the version itself; schema_version follows the schema
        elif before is None or after is None:
            out.append(Change(PATCH, f"{rel} {'added' if before is None else 'removed'}"))
        else:
            out.append(Change(PATCH, f"{rel} changed"))
    return out


# ---------------------------------------------------------------- texts the release rewrites

def changelog_text(text: str, version: str, date: str, fp: str, previous: str | None, changes: list[Change]) -> str:
    """CHANGELOG.md with a section for `version` above the newest one; an `## [Unreleased]`
    section's notes move under it; the changes `cash release` found are listed after them."""
    unreleased = re.search(r"(?ms)^## \[?Unreleased\]?[^\n]*\n(.*?)(?=^## |\Z)", text)
    notes = unreleased.group(1).strip("\n") if unreleased else ""
    if unreleased:
        text = text[:unreleased.start()] + text[unreleased.end():]
    lines = [f"## [{version}] — {date}", "",
             f"Release fingerprint `sha256:{fp}` (`corpus/manifest.json`, `corpus/releases.json`, `CITATION.cff`); "
             f"archive `{DIST}/{archive_name(version)}`; get it back with `cash release get {version}`.", ""]
    if notes:
        lines += [notes, ""]
    if changes:
        lines += [f"### Changes found by `cash release` (against {previous})" if previous
                  else "### Changes found by `cash release`", ""]
        lines += [f"- {LEVEL_NAMES[c.level]}: {c.reason}" for c in changes] + [""]
    section = "\n".join(lines) + "\n"
    first = re.search(r"(?m)^## ", text)
    if first is None:
        return text.rstrip("\n") + "\n\n" + section
    return text[:first.start()] + section + text[first.start():]


def pyproject_text(text: str, version: str) -> str:
    """pyproject.toml with `[project] version` set (only that line)."""
    project = re.search(r"(?ms)^\[project\]\s*\n(.*?)(?=^\[|\Z)", text)
    if project is None:
        return text
    body = re.sub(r'(?m)^version\s*=\s*"[^"]*"', f'version = "{version}"', project.group(1), count=1)
    return text[:project.start(1)] + body + text[project.end(1):]


def package_init_text(text: str, version: str) -> str:
    return re.sub(r'(?m)^__version__\s*=\s*"[^"]*"', f'__version__ = "{version}"', text, count=1)


def datasheet_text(text: str, version: str) -> str:
    """DATASHEET.md with the version in its title (`# Datasheet for NAME X.Y.Z`) set."""
    return re.sub(r"(?m)\A(# Datasheet for .*?)\d+\.\d+\.\d+[ \t]*$", lambda m: m.group(1) + version, text, count=1)


# ---------------------------------------------------------------- what a release holds

def release_member_names(manifest: Mapping[str, Any], available: Callable[[str], bool]) -> list[str]:
    """Files of a release: those the fingerprint covers, the manifest, and the documents that
    travel with it (those the manifest records, else those present)."""
    documents = manifest.get("documents")
    docs = sorted(documents) if isinstance(documents, dict) else [d for d in RELEASE_DOCUMENTS if available(d)]
    return sorted({*manifest.get("files", {}), MANIFEST, *docs})


@dataclass
class Verification:
    """The result of checking a copy of a release against `corpus/releases.json`."""

    version: str | None
    fingerprint: str | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_hashes(hashes: Mapping[str, str], manifest_bytes: bytes | None, releases: list[Release],
                  where: str) -> Verification:
    """Check a copy given as {relative path: sha256} (and its manifest's bytes)."""
    if manifest_bytes is None:
        return Verification(None, None, [f"{where}: no {MANIFEST}: not a copy of a release"])
    try:
        manifest = json.loads(manifest_bytes)
        version, files = manifest["version"], manifest["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not an object")
    except (ValueError, KeyError, TypeError) as exc:
        return Verification(None, None, [f"{where}/{MANIFEST}: unreadable manifest ({exc})"])
    recorded = {r.version: r for r in releases}.get(version)
    result = Verification(version, manifest.get("fingerprint"))
    if recorded is None:
        result.problems.append(f"version {version} is not published in {RELEASES}")
        return result
    result.fingerprint = recorded.fingerprint
    if manifest.get("fingerprint") != recorded.fingerprint:
        result.problems.append(f"{MANIFEST}: fingerprint {str(manifest.get('fingerprint'))[:12]}… is not the published "
                               f"{recorded.fingerprint[:12]}…")
    if fingerprint(files) != recorded.fingerprint:
        result.problems.append(f"{MANIFEST}: its file list does not give the published fingerprint")
    for rel in sorted(files):
        if rel not in hashes:
            result.problems.append(f"{rel}: missing")
        elif hashes[rel] != files[rel]:
            result.problems.append(f"{rel}: sha256 {hashes[rel][:12]}… differs from the release's {files[rel][:12]}…")
        else:
            result.checked += 1
    for rel in sorted(hashes):
        if is_release_path(rel) and rel not in files:
            result.problems.append(f"{rel}: not part of release {version}")
    documents = manifest.get("documents")
    if isinstance(documents, dict):
        for rel, digest in sorted(documents.items()):
            if rel not in hashes:
                result.problems.append(f"{rel}: missing")
            elif hashes[rel] != digest:
                result.problems.append(f"{rel}: sha256 {hashes[rel][:12]}… differs from the release's {digest[:12]}…")
            else:
                result.checked += 1
    else:
        present = [d for d in RELEASE_DOCUMENTS if d in hashes]
        if present:
            result.notes.append(f"the {version} manifest records no sha256 for {', '.join(present)}: "
                                "those are not verified (releases made by `cash release` record them)")
    return result


def releases_for(root: Path) -> list[Release]:
    releases = read_release_records(CorpusPaths(root))
    if not releases:
        raise CashError(f"no published release in {RELEASES}", Location(file=str(Path(root) / RELEASES)),
                        hint="run the command inside a clone of the repository, or pass --root")
    return releases


def published(root: Path, version: str) -> Release:
    releases = releases_for(root)
    for release in releases:
        if release.version == version:
            return release
    raise CashError(f"version {version} is not published", Location(file=str(Path(root) / RELEASES)),
                    hint="published versions: " + ", ".join(r.version for r in releases) + " (`cash release list`)")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- reading a release back

def iter_release_from_git(root: Path, version: str) -> Iterator[tuple[str, bytes]]:
    """(rel, bytes) of every file of a published version, read from the commit that published it."""
    from .history import find_release_commit
    release = published(root, version)
    history, commit = find_release_commit(root, version, release.fingerprint)
    manifest_bytes = history.read(commit, MANIFEST)
    manifest = json.loads(manifest_bytes)
    names = release_member_names(manifest, lambda rel: history.read(commit, rel) is not None)
    for rel, data in history.iter_files(commit, names):
        if data is None:
            raise CashError(f"commit {commit[:12]} lacks {rel}, which release {version} lists",
                            Location(file=rel))
        yield rel, data


def iter_release_from_archive(path: Path, version: str | None = None) -> Iterator[tuple[str, bytes]]:
    for top, rel, data in iter_archive(path):
        if version is not None and top != top_folder(version):
            raise CashError(f"the archive holds {top}/, not {top_folder(version)}/", Location(file=str(path)))
        yield rel, data


def _stage_copy(files: Iterable[tuple[str, bytes]], folder: Path) -> dict[str, str]:
    """Write files under `folder` (already created, private) and return their sha256."""
    hashes = {}
    for rel, data in files:
        target = folder.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        hashes[rel] = sha256_hex(data)
    return hashes


def get_release(root: Path, version: str, out: Path, archive: Path | None = None) -> Verification:
    """Write exactly the files of a published version to `out` (which must not exist or be empty),
    read from git history or from an archive, refused unless they verify."""
    root, out = Path(root), Path(out)
    releases = releases_for(root)
    published(root, version)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty folder", Location(file=str(out)),
                         hint="give another --out folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        source = iter_release_from_archive(archive, version) if archive else iter_release_from_git(root, version)
        hashes = _stage_copy(source, staging)
        manifest_path = staging / MANIFEST
        result = verify_hashes(hashes, manifest_path.read_bytes() if manifest_path.exists() else None, releases,
                               str(archive or out))
        if not result.ok:
            raise CashError(f"the files read for {version} do not verify: " + "; ".join(result.problems[:5]),
                            hint="nothing was written")
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
        return result
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def hashes_of_folder(folder: Path) -> dict[str, str]:
    """sha256 of the files a release copy can hold: release folders, the manifest, the documents."""
    from .manifest import file_sha256, release_files
    names = set(release_files(folder)) | {MANIFEST} | set(RELEASE_DOCUMENTS)
    return {rel: file_sha256(folder / rel) for rel in sorted(names) if (folder / rel).is_file()}


def verify_copy(root: Path, copy: Path) -> Verification:
    """Check a folder or an archive against the releases `root` records."""
    releases = releases_for(root)
    copy = Path(copy)
    if copy.is_dir():
        hashes = hashes_of_folder(copy)
        manifest = copy / MANIFEST
        return verify_hashes(hashes, manifest.read_bytes() if manifest.is_file() else None, releases, str(copy))
    if not copy.is_file():
        raise UsageError(f"{copy}: no such folder or archive", Location(file=str(copy)))
    hashes, manifest_bytes, top = {}, None, None
    for top, rel, data in iter_archive(copy):
        hashes[rel] = sha256_hex(data)
        if rel == MANIFEST:
            manifest_bytes = data
    result = verify_hashes(hashes, manifest_bytes, releases, str(copy))
    if result.version and top != top_folder(result.version):
        result.problems.append(f"the archive's top folder is {top}/, not {top_folder(result.version)}/")
    recorded = {r.version: r for r in releases}.get(result.version or "")
    if recorded and recorded.archive_sha256:
        if sha256_of(copy) == recorded.archive_sha256:
            result.notes.append(f"archive sha256 {recorded.archive_sha256} is the published archive's")
        else:
            result.notes.append("the archive's bytes differ from the published archive's "
                                f"(sha256 {recorded.archive_sha256[:12]}…); its files are what was checked")
    return result


def build_archive(root: Path, version: str) -> tuple[Path, str]:
    """Rebuild `dist/cash-X.Y.Z.tar.gz` from the commit that published it, streamed file by file;
    refuse if it does not verify or its sha256 differs from the one recorded (nothing is written)."""
    root = Path(root)
    release = published(root, version)
    target = root / DIST / archive_name(version)
    target.parent.mkdir(parents=True, exist_ok=True)
    hashes: dict[str, str] = {}
    manifest_bytes: list[bytes] = []

    def files() -> Iterator[tuple[str, bytes]]:
        for rel, data in iter_release_from_git(root, version):
            hashes[rel] = sha256_hex(data)
            if rel == MANIFEST:
                manifest_bytes.append(data)
            yield rel, data

    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            digest = write_archive(handle, version, files())
        result = verify_hashes(hashes, manifest_bytes[0] if manifest_bytes else None, releases_for(root),
                               f"release {version}")
        if not result.ok:
            raise CashError(f"release {version} read from git does not verify: " + "; ".join(result.problems[:5]))
        if release.archive_sha256 and digest != release.archive_sha256:
            raise CashError(f"the rebuilt archive has sha256 {digest}, not the published {release.archive_sha256}",
                            hint="its files verify against the fingerprint; the compressed bytes differ "
                            "(another zlib?)")
        os.replace(tmp_name, target)
        return target, digest
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


# ---------------------------------------------------------------- making a release

@dataclass
class ReleaseOutcome:
    version: str
    previous: str | None
    level: int | None
    fingerprint: str
    date: str
    archive: str
    archive_sha256: str
    changes: list[Change]
    written: list[str]


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def check_date(value: str) -> str:
    try:
        return Date.fromisoformat(value).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> str:
    raise UsageError(f"--date {value!r} is not a date YYYY-MM-DD")


def previous_manifest(root: Path, previous: Release | None) -> tuple[dict[str, Any] | None, Callable[[str], bytes | None]]:
    """The previous release's manifest and a reader of its files (git history when there is one;
    otherwise only files whose bytes did not change can be read: from disk)."""
    if previous is None:
        return None, lambda rel: None
    paths = CorpusPaths(root)
    history, commit = None, None
    try:
        from .history import GitHistory
        history = GitHistory(root)
        commit = history.release_commit(previous.version, previous.fingerprint)
    except CashError:
        history = None
    manifest = None
    if history is not None and commit is not None:
        manifest = history.read_json(commit, MANIFEST)
    if manifest is None and paths.manifest.exists():
        on_disk = json.loads(paths.manifest.read_text(encoding="utf-8"))
        if on_disk.get("version") == previous.version and on_disk.get("fingerprint") == previous.fingerprint:
            manifest = on_disk
    if history is not None and commit is not None:
        return manifest, lambda rel: history.read(commit, rel)

    def from_disk(rel: str) -> bytes | None:
        path = root / rel
        if manifest is None or not path.is_file():
            return None
        data = path.read_bytes()
        return data if sha256_hex(data) == manifest.get("files", {}).get(rel) else None
    return manifest, from_disk


def _refuse_invalid(root: Path) -> None:
    from .validation import errors, format_finding, validate_root
    found = errors(validate_root(root))
    if found:
        shown = "\n  ".join(format_finding(f) for f in found[:MAX_FINDINGS_SHOWN])
        more = f"\n  … and {len(found) - MAX_FINDINGS_SHOWN} more" if len(found) > MAX_FINDINGS_SHOWN else ""
        raise CashError(f"refused: the corpus does not validate ({len(found)} error(s)); nothing was written\n"
                        f"  {shown}{more}",
                        hint="`cash validate` lists every finding; fix them, run `cash build`, then `cash release` again")


def _refuse_stale_generated(root: Path) -> None:
    """The artefacts `cash generate` writes (tables in README.md and DATASHEET.md, schema/generated/)
    travel with the release, so they must be current. Checked where the root has them (a full
    checkout: schema/generated/); a bare corpus root has none."""
    if not (root / "schema" / "generated").is_dir():
        return
    from .generated import check_artifacts
    stale = check_artifacts(root)
    if stale:
        raise CashError("refused: generated artefacts are stale; nothing was written\n  "
                        + "\n  ".join(str(Path(path).relative_to(root)) for path in stale),
                        hint="run `cash generate`, then `cash release` again")


def make_release(root: Path, version: str, date: str | None = None) -> ReleaseOutcome:
    """`cash release X.Y.Z` (see the module docstring). Everything is staged in one transaction."""
    from .corpus import Corpus
    from .hf.card import with_front_matter  # the card's human text is kept byte for byte
    from .hf.publish import CROISSANT, README, check_build, metadata_texts, release_stamp
    from .transaction import corpus_transaction

    root = Path(root).resolve()
    date = check_date(date) if date else today()
    with corpus_transaction(root, f"release {version}") as txn:
        paths = txn.paths
        releases = read_release_records(paths)
        for old in releases:
            if old.version == version:
                raise CashError(f"version {version} is already published (fingerprint {old.fingerprint[:12]}…, "
                                f"{old.date or 'date not recorded'})", Location(file=RELEASES),
                                hint=_next_hint(releases[-1].version, "a published version never changes")
                                + f"; to rebuild its archive: `cash release archive {version}`")
        previous = releases[-1] if releases else None
        level = bump_level(previous.version if previous else None, version)
        _refuse_invalid(root)
        plan, stale = check_build(root)
        if stale:
            raise CashError("refused: the build is not current; nothing was written\n  " + "\n  ".join(stale),
                            hint="run `cash build` (and `cash generate` if its check fails), then `cash release` again")
        _refuse_stale_generated(root)

        info = Corpus(paths).info()
        new_info = {**info, "version": version}
        staged: dict[str, bytes] = {"corpus/corpus.json": json_bytes(new_info)}
        for rel, rewrite in ((PYPROJECT, pyproject_text), (PACKAGE_INIT, package_init_text),
                             (DATASHEET, datasheet_text)):
            if (root / rel).is_file():
                staged[rel] = rewrite((root / rel).read_text(encoding="utf-8"), version).encode("utf-8")

        def current(rel: str) -> bytes:
            return staged[rel] if rel in staged else (root / rel).read_bytes()

        stamp = release_stamp(root, version, plan.hashes, staged=staged, date=date)
        manifest = compute_manifest(root, version, staged, known=plan.hashes)
        if manifest["fingerprint"] != stamp.fingerprint:  # two views of the same files: must agree
            raise CashError("internal: the manifest and the card disagree on the release fingerprint")
        fp = manifest["fingerprint"]

        old_manifest, read_old = previous_manifest(root, previous)
        changes = classify_changes(old_manifest["files"], manifest["files"], read_old, current) if old_manifest else []
        required = max((c.level for c in changes), default=PATCH)
        if level is not None and level < required:
            reasons = "\n  ".join(f"{LEVEL_NAMES[c.level]}: {c.reason}" for c in changes if c.level > level)
            raise CashError(f"{version} is a {LEVEL_NAMES[level]} release, but the changes since {previous.version} "
                            f"need a {LEVEL_NAMES[required]} one:\n  {reasons}",
                            hint=f"run `cash release {next_versions(previous.version)[required]}` (README, Versioning)")
        if previous is not None and old_manifest is None:
            changes.append(Change(PATCH, f"the files of {previous.version} could not be read: changes not graded"))

        texts = metadata_texts(root, plan, info=new_info, release=stamp)
        readme = (root / README).read_text(encoding="utf-8") if (root / README).exists() else ""
        staged[README] = with_front_matter(readme, texts[README]).encode("utf-8")
        staged[CROISSANT] = texts[CROISSANT].encode("utf-8")
        if (root / CITATION).is_file():
            staged[CITATION] = citation_text((root / CITATION).read_text(encoding="utf-8"), version, fp,
                                             date).encode("utf-8")
        changelog = (root / CHANGELOG).read_text(encoding="utf-8") if (root / CHANGELOG).is_file() else "# Changelog\n"
        staged[CHANGELOG] = changelog_text(changelog, version, date, fp, previous.version if previous else None,
                                           changes).encode("utf-8")

        manifest["documents"] = {rel: sha256_hex(current(rel)) for rel in RELEASE_DOCUMENTS
                                 if rel in staged or (root / rel).is_file()}
        staged[MANIFEST] = json_bytes(manifest)
        members = release_member_names(manifest, lambda rel: True)  # sorted
        archive_rel = f"{DIST}/{archive_name(version)}"
        with txn.open(archive_rel, "wb") as handle:  # streamed: one file in memory at a time
            archive_sha = write_archive(handle, version, ((rel, current(rel)) for rel in members))
        record = Release(version, fp, date, archive_name(version), archive_sha)
        staged[RELEASES] = json_bytes(releases_document(with_release(releases, record)))

        for rel, data in staged.items():  # the transaction applies the manifest last
            txn.write_bytes(rel, data)
    return ReleaseOutcome(version, previous.version if previous else None, level, fp, date, archive_rel, archive_sha,
                          changes, sorted([*staged, archive_rel]))
