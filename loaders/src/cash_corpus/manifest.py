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
from .jsonl import atomic_writer, read_json
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
    """Write corpus/manifest.json alone (its own transaction); `seal` is what `cash manifest` runs."""
    from .transaction import corpus_transaction
    with corpus_transaction(paths.root, "manifest") as txn:
        manifest = compute_manifest(txn.root, version)
        txn.write_json("corpus/manifest.json", manifest)
    return manifest


def seal(root: Path, *, release: bool = False) -> dict[str, Any]:
    """`cash manifest [--release]` as one transaction: refuse unless the corpus validates (and, for a
    release, unless the committed build is current), then write the manifest, the fingerprint in
    CITATION.cff and, for a release, the frozen entry in corpus/releases.json. Refused = nothing written."""
    from .corpus import Corpus
    from .transaction import corpus_transaction
    with corpus_transaction(root, "manifest --release" if release else "manifest") as txn:
        txn.require_valid()
        paths = txn.paths
        if release:
            from .hf.publish import stale_files
            stale = stale_files(txn.root)
            if stale:
                raise CashError(f"the committed build is stale ({len(stale)} file(s), first: {stale[0]})",
                                Location(file="data/"), hint="run `cash build`, commit, then release")
        manifest = compute_manifest(txn.root, Corpus(paths).version)
        txn.write_json("corpus/manifest.json", manifest)
        citation = paths.root / "CITATION.cff"
        if citation.exists():
            text = citation.read_text(encoding="utf-8")
            new = citation_text(text, manifest["version"], manifest["fingerprint"])
            if new != text:
                txn.write_text("CITATION.cff", new)
        if release:
            txn.write_json("corpus/releases.json", released(read_releases(paths), manifest, paths))
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


def released(releases: dict[str, str], manifest: dict[str, Any], paths: CorpusPaths) -> dict[str, str]:
    """`releases` with the manifest's version marked as published. A published version is frozen:
    recording it again with another fingerprint is refused — change the version instead."""
    version, fp = manifest["version"], manifest["fingerprint"]
    if releases.get(version, fp) != fp:
        raise CashError(f"version {version} was published with fingerprint {releases[version]}; "
                        f"the files now give {fp}", Location(file=str(paths.releases)),
                        hint="a published version cannot change: bump the version (see README, Versioning)")
    return dict(sorted({**releases, version: fp}.items(), key=lambda kv: [int(p) for p in kv[0].split(".")]))


def record_release(paths: CorpusPaths, manifest: dict[str, Any]) -> None:
    """Mark the manifest's version as published (its own transaction)."""
    from .transaction import corpus_transaction
    with corpus_transaction(paths.root, "manifest --release") as txn:
        txn.write_json("corpus/releases.json", released(read_releases(txn.paths), manifest, txn.paths))


CITATION_FINGERPRINT = re.compile(r'(?m)^(\s*value:\s*)"[^"\n]*"(\s*\n\s*description:\s*"Content fingerprint of the release)')


def citation_text(text: str, version: str, fp: str) -> str:
    """CITATION.cff text with the version and the release fingerprint replaced, layout kept."""
    new = re.sub(r'(?m)^version:\s*"[^"]*"', f'version: "{version}"', text)
    return CITATION_FINGERPRINT.sub(lambda m: f'{m.group(1)}"sha256:{fp}"{m.group(2)}', new)


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
