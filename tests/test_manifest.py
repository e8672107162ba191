"""The release manifest: every data file hashed, one fingerprint, published versions frozen."""

from __future__ import annotations

from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.manifest import (NEXT_STEP_HINT, compute_manifest, fingerprint, manifest_differences, read_manifest, read_releases,
                                  record_release, release_files, update_citation, write_manifest)
from cash_corpus.paths import CorpusPaths


def test_committed_manifest_matches_the_files(repo_root):
    paths = CorpusPaths(repo_root)
    recorded = read_manifest(paths)
    now = compute_manifest(repo_root, recorded["version"])
    differences = manifest_differences(recorded, now)
    assert differences == [], ("the data files are no longer those of the manifest:\n  " + "\n  ".join(differences)
                               + f"\nnext: {NEXT_STEP_HINT}")
    assert recorded["fingerprint"] == now["fingerprint"]


def test_manifest_version_is_the_corpus_version(repo_root):
    import json
    info = json.loads((repo_root / "corpus" / "corpus.json").read_text(encoding="utf-8"))
    assert read_manifest(CorpusPaths(repo_root))["version"] == info["version"]


def test_a_published_version_keeps_its_fingerprint(repo_root):
    """If this version is published, its files are frozen: any change must bump the version."""
    paths = CorpusPaths(repo_root)
    manifest = read_manifest(paths)
    releases = read_releases(paths)
    if manifest["version"] in releases:
        assert releases[manifest["version"]] == manifest["fingerprint"], (
            f"version {manifest['version']} is published with another fingerprint: publish the new files with "
            "`cash release X.Y.Z` (README, Versioning)")
    for version, fp in releases.items():
        assert len(fp) == 64 and version.count(".") == 2


def test_citation_quotes_the_fingerprint(repo_root):
    text = (repo_root / "CITATION.cff").read_text(encoding="utf-8")
    assert f'"sha256:{read_manifest(CorpusPaths(repo_root))["fingerprint"]}"' in text, (
        "CITATION.cff does not quote the manifest's fingerprint: `cash release X.Y.Z` (or `cash manifest`) writes it")


@pytest.fixture
def release_copy(small_corpus: Path) -> CorpusPaths:
    (small_corpus / "CITATION.cff").write_text(
        'cff-version: 1.2.0\nversion: "1.0.0"\nidentifiers:\n  - type: other\n    value: "sha256:pending"\n'
        '    description: "Content fingerprint of the release; cite it together with the version."\n', encoding="utf-8")
    return CorpusPaths(small_corpus)


def test_any_byte_change_changes_the_fingerprint(release_copy):
    before = compute_manifest(release_copy.root, "1.0.0")
    text = release_copy.text_path("non-bmp")
    text.write_bytes(text.read_bytes().replace(b"Russia", b"Russla"))
    after = compute_manifest(release_copy.root, "1.0.0")
    assert after["fingerprint"] != before["fingerprint"]
    assert manifest_differences(before, after) == [
        "corpus/texts/non-bmp.txt: sha256 " + after["files"]["corpus/texts/non-bmp.txt"][:12] + "… differs from manifest "
        + before["files"]["corpus/texts/non-bmp.txt"][:12] + "…"]


def test_added_and_removed_files_change_the_fingerprint(release_copy):
    before = compute_manifest(release_copy.root, "1.0.0")
    (release_copy.annotations_dir / "extra.jsonl").write_text("{}\n", encoding="utf-8")
    added = compute_manifest(release_copy.root, "1.0.0")
    assert added["fingerprint"] != before["fingerprint"]
    assert "annotations/extra.jsonl: not in the manifest" in manifest_differences(before, added)


def test_fingerprint_is_order_independent_and_hidden_files_are_ignored(release_copy):
    files = {"b": "2" * 64, "a": "1" * 64}
    assert fingerprint(files) == fingerprint(dict(reversed(list(files.items()))))
    (release_copy.corpus_dir / ".DS_Store").write_bytes(b"x")
    assert all(".DS_Store" not in f for f in release_files(release_copy.root))


def test_a_published_version_cannot_be_republished_with_other_files(release_copy):
    manifest = write_manifest(release_copy, "1.0.0")
    record_release(release_copy, manifest)
    record_release(release_copy, manifest)  # same fingerprint: idempotent
    extra = release_copy.data_dir / "extra" / "x.bin"  # a valid corpus with other files
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_bytes(b"x")
    changed = write_manifest(release_copy, "1.0.0")
    with pytest.raises(CashError, match="version 1.0.0 was published with fingerprint"):
        record_release(release_copy, changed)
    record_release(release_copy, write_manifest(release_copy, "1.0.1"))
    assert set(read_releases(release_copy)) == {"1.0.0", "1.0.1"}


def test_cli_manifest_check_fails_on_a_corrupted_copy(release_copy, capsys):
    assert main(["--root", str(release_copy.root), "manifest"]) == 0
    assert main(["--root", str(release_copy.root), "manifest", "--check"]) == 0
    fp = read_manifest(release_copy)["fingerprint"]
    assert f'"sha256:{fp}"' in (release_copy.root / "CITATION.cff").read_text(encoding="utf-8")
    layer = release_copy.root / "corpus" / "structure.jsonl"
    layer.write_bytes(layer.read_bytes().replace(b'"body"', b'"title"', 1))
    capsys.readouterr()
    assert main(["--root", str(release_copy.root), "manifest", "--check"]) == 1
    assert "corpus/structure.jsonl: sha256" in capsys.readouterr().out


def test_update_citation_rewrites_only_version_and_fingerprint(tmp_path):
    cff = tmp_path / "CITATION.cff"
    original = ('cff-version: 1.2.0\ntitle: "x"\nversion: "0.9.0"\nidentifiers:\n  - type: other\n'
                '    value: "sha256:old"\n    description: "Content fingerprint of the release; cite it."\n')
    cff.write_text(original, encoding="utf-8")
    update_citation(cff, "1.0.0", "ab" * 32)
    assert cff.read_text(encoding="utf-8") == original.replace('"0.9.0"', '"1.0.0"').replace("sha256:old", "sha256:" + "ab" * 32)
