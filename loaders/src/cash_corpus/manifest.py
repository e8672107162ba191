"""Release manifest: the sha256 of every data file and one content fingerprint for the release.

The fingerprint is the sha256 of the sorted `path<TAB>sha256` lines, so it changes when any
data file changes, is added or is removed. `corpus/releases.json` keeps the fingerprint each
published version had; a test holds the current files to it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from .errors import CashError, Location
from .jsonl import atomic_writer, read_json, write_json
from .paths import CorpusPaths

# What a release is made of. README.md (the dataset card) is derived and not hashed here:
# it carries the fingerprint itself.
RELEASE_FOLDERS = ("corpus", "annotations", "schema", "data")
EXCLUDED = {"corpus/manifest.json", "corpus/releases.json"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(root: Path) -> list[str]:
    """Relative POSIX paths of every file in the release folders, sorted, hidden files skipped."""
    files = []
    for folder in RELEASE_FOLDERS:
        base = root / folder
        if not base.exists():
            continue
        for path in base.rglob("*"):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in EXCLUDED and not any(p.startswith(".") for p in path.relative_to(root).parts):
                files.append(rel)
    return sorted(files)


def fingerprint(files: dict[str, str]) -> str:
    lines = "".join(f"{path}\t{digest}\n" for path, digest in sorted(files.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def compute_manifest(root: Path, version: str) -> dict[str, Any]:
    files = {rel: file_sha256(root / rel) for rel in release_files(root)}
    return {"version": version, "algorithm": "sha256", "fingerprint": fingerprint(files), "files": files}


def write_manifest(paths: CorpusPaths, version: str) -> dict[str, Any]:
    manifest = compute_manifest(paths.root, version)
    write_json(paths.manifest, manifest)
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


def read_releases(paths: CorpusPaths) -> dict[str, str]:
    """version → fingerprint of every published version."""
    return read_json(paths.releases) if paths.releases.exists() else {}


def record_release(paths: CorpusPaths, manifest: dict[str, Any]) -> None:
    """Mark the manifest's version as published. A published version is frozen: recording it
    again with another fingerprint is refused — change the version instead."""
    releases = read_releases(paths)
    version, fp = manifest["version"], manifest["fingerprint"]
    if releases.get(version, fp) != fp:
        raise CashError(f"version {version} was published with fingerprint {releases[version]}; "
                        f"the files now give {fp}", Location(file=str(paths.releases)),
                        hint="a published version cannot change: bump the version (see README, Versioning)")
    releases[version] = fp
    write_json(paths.releases, dict(sorted(releases.items(), key=lambda kv: [int(p) for p in kv[0].split(".")])))


CITATION_FINGERPRINT = re.compile(r'(?m)^(\s*value:\s*)"[^"\n]*"(\s*\n\s*description:\s*"Content fingerprint of the release)')


def update_citation(citation: Path, version: str, fp: str) -> None:
    """Write the version and the release fingerprint into CITATION.cff, keeping its layout."""
    text = citation.read_text(encoding="utf-8")
    new = re.sub(r'(?m)^version:\s*"[^"]*"', f'version: "{version}"', text)
    new = CITATION_FINGERPRINT.sub(lambda m: f'{m.group(1)}"sha256:{fp}"{m.group(2)}', new)
    if new != text:
        with atomic_writer(citation) as handle:
            handle.write(new)
