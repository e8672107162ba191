"""Releases: made in one transaction, got back from a clone without tags, verified, archived byte for byte.

Small git repositories are built here from the two-document non-BMP corpus of `hf_helpers`
(fast: no `datasets` load); one test clones this repository itself, without tags, and gets the
real 1.0.0 back after releasing a modified corpus in the clone.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cash_corpus.archive import archive_bytes, iter_archive
from cash_corpus.cli import main
from cash_corpus.corpus import add_document
from cash_corpus.errors import CashError
from cash_corpus.history import GitHistory
from cash_corpus.layers import write_layer
from cash_corpus.manifest import (Release, fingerprint, parse_releases, read_manifest, read_release_records,
                                  releases_document)
from cash_corpus.paths import CorpusPaths
from cash_corpus.release import (MAJOR, MINOR, PATCH, bump_level, next_versions, changelog_text, classify_changes,
                                 datasheet_text, package_init_text, pyproject_text, schema_changes)

from hf_helpers import gold_annotations, header, make_corpus

CITATION = ('cff-version: 1.2.0\nmessage: "cite it"\ntitle: "T"\ntype: dataset\nversion: "0.0.0"\nauthors:\n'
            '  - name: "T contributors"\nidentifiers:\n  - type: other\n    value: "sha256:pending"\n'
            '    description: "Content fingerprint of the release; cite it together with the version."\n')
PYPROJECT = '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "t"\nversion = "0.0.0"\n\n[tool.x]\nversion = "9"\n'


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=cash-test", "-c", "user.email=test@cash.invalid", *args],
                            cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def status(root: Path) -> str:
    return git(root, "status", "--porcelain")


def cash(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a small corpus published as 1.0.0 (first release, dated by --date)."""
    root = make_corpus(tmp_path / "origin")
    (root / "README.md").write_text("# T corpus\n\nHuman text, kept byte for byte.\n", encoding="utf-8")
    (root / "DATASHEET.md").write_text("# Datasheet for T 0.0.0\n\nAll annotations were made by LLM agents.\n", encoding="utf-8")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- first notes 🚀\n", encoding="utf-8")
    (root / "CITATION.cff").write_text(CITATION, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / ".gitignore").write_text("dist/\n.cash/\n", encoding="utf-8")
    assert cash(root, "build") == 0
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "corpus")
    assert cash(root, "release", "1.0.0", "--date", "2026-11-01") == 0
    commit_all(root, "Release 1.0.0")
    git(root, "tag", "v1.0.0")
    return root


def test_a_first_release_bumps_every_place_the_version_lives(repo, capsys):
    paths = CorpusPaths(repo)
    manifest = read_manifest(paths)
    release = read_release_records(paths)[0]
    assert (release.version, release.date, release.archive) == ("1.0.0", "2026-11-01", "cash-1.0.0.tar.gz")
    assert manifest["version"] == "1.0.0" and manifest["fingerprint"] == release.fingerprint
    assert fingerprint(manifest["files"]) == release.fingerprint
    assert sorted(manifest["documents"]) == ["CHANGELOG.md", "CITATION.cff", "DATASHEET.md", "README.md",
                                             "croissant.json"]
    assert json.loads((repo / "corpus" / "corpus.json").read_text())["version"] == "1.0.0"
    assert (repo / "DATASHEET.md").read_text().startswith("# Datasheet for T 1.0.0\n\n")
    assert 'version = "1.0.0"' in (repo / "pyproject.toml").read_text() and 'version = "9"' in (repo / "pyproject.toml").read_text()
    citation = (repo / "CITATION.cff").read_text()
    assert 'version: "1.0.0"\ndate-released: "2026-11-01"\n' in citation
    assert f'value: "sha256:{release.fingerprint}"' in citation
    changelog = (repo / "CHANGELOG.md").read_text()
    assert "Unreleased" not in changelog
    assert changelog.index("## [1.0.0] — 2026-11-01") < changelog.index("- first notes 🚀")
    readme = (repo / "README.md").read_text()
    assert readme.endswith("# T corpus\n\nHuman text, kept byte for byte.\n")
    assert "year = {2026}" in readme and f"release fingerprint sha256:{release.fingerprint}" in readme
    assert "cash release get 1.0.0" in readme
    assert sha256_file(repo / "dist" / "cash-1.0.0.tar.gz") == release.archive_sha256
    for name, digest in manifest["documents"].items():
        assert sha256_file(repo / name) == digest, name
    capsys.readouterr()
    assert cash(repo, "build", "--check") == 0
    assert cash(repo, "manifest", "--check") == 0
    out = capsys.readouterr().out
    assert f"release fingerprint sha256:{release.fingerprint} (published 2026-11-01)" in out
    assert status(repo) == ""


def test_a_clone_without_tags_releases_a_change_and_gets_the_previous_release_back(repo, tmp_path, capsys):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(repo), str(clone)], check=True)
    assert git(clone, "tag") == ""  # no tag travelled
    old = read_release_records(CorpusPaths(clone))[0]
    write_layer(clone / "annotations" / "gold.jsonl", header("gold"), gold_annotations(clone, "evaluative"),
                overwrite=True)
    assert cash(clone, "build") == 0
    capsys.readouterr()
    assert cash(clone, "release", "1.0.1", "--date", "2026-12-02") == 0
    out = capsys.readouterr().out
    assert "PATCH: annotations corrected in layer gold" in out
    commit_all(clone, "Release 1.0.1")
    new = read_release_records(CorpusPaths(clone))[1]
    assert new.version == "1.0.1" and new.fingerprint != old.fingerprint

    got = tmp_path / "got-1.0.0"
    assert cash(clone, "release", "get", "1.0.0", "--out", str(got)) == 0
    manifest = json.loads((got / "corpus" / "manifest.json").read_text())
    assert manifest["fingerprint"] == old.fingerprint
    files = sorted(p.relative_to(got).as_posix() for p in got.rglob("*") if p.is_file())
    assert files == sorted({*manifest["files"], *manifest["documents"], "corpus/manifest.json"})
    for rel, digest in {**manifest["files"], **manifest["documents"]}.items():
        assert sha256_file(got / rel) == digest, rel
    assert fingerprint({rel: sha256_file(got / rel) for rel in manifest["files"]}) == old.fingerprint
    assert (got / "annotations" / "gold.jsonl").read_bytes() != (clone / "annotations" / "gold.jsonl").read_bytes()
    assert json.loads((got / "corpus" / "corpus.json").read_text())["version"] == "1.0.0"
    assert cash(clone, "release", "verify", str(got)) == 0

    # The archive, rebuilt twice from the committed files, is byte-identical and is the one the release wrote.
    written = (clone / "dist" / "cash-1.0.1.tar.gz").read_bytes()
    assert cash(clone, "release", "archive", "1.0.1") == 0
    first = (clone / "dist" / "cash-1.0.1.tar.gz").read_bytes()
    (clone / "dist" / "cash-1.0.1.tar.gz").unlink()
    assert cash(clone, "release", "archive", "1.0.1") == 0
    second = (clone / "dist" / "cash-1.0.1.tar.gz").read_bytes()
    assert written == first == second
    assert hashlib.sha256(second).hexdigest() == new.archive_sha256
    # and the previous release's archive, rebuilt in the clone (as part of `get --tar`), is the one the origin wrote
    assert cash(clone, "release", "get", "1.0.0", "--tar", "--out", str(tmp_path / "again")) == 0
    assert (clone / "dist" / "cash-1.0.0.tar.gz").read_bytes() == (repo / "dist" / "cash-1.0.0.tar.gz").read_bytes()
    assert status(clone) == ""


def test_get_from_an_archive_and_verify_a_tampered_copy(repo, tmp_path, capsys):
    archive = repo / "dist" / "cash-1.0.0.tar.gz"
    got = tmp_path / "from-archive"
    assert cash(repo, "release", "get", "1.0.0", "--archive", str(archive), "--out", str(got)) == 0
    assert cash(repo, "release", "verify", str(archive)) == 0
    assert "is the published archive's" in capsys.readouterr().out
    text = next((got / "corpus" / "texts").iterdir())
    text.write_bytes(text.read_bytes() + b" ")
    assert cash(repo, "release", "verify", str(got)) == 1
    out = capsys.readouterr().out
    assert f"corpus/texts/{text.name}: sha256" in out and "NOT an exact copy of release 1.0.0" in out
    (got / "annotations" / "extra.jsonl").write_text("{}\n")
    assert cash(repo, "release", "verify", str(got)) == 1
    assert "annotations/extra.jsonl: not part of release 1.0.0" in capsys.readouterr().out
    # an archive whose text was changed is refused by `get`, and nothing is written
    tampered = tmp_path / "cash-1.0.0.tar.gz"
    members = [(rel, data + b"!" if rel.startswith("corpus/texts/") else data) for _, rel, data in iter_archive(archive)]
    tampered.write_bytes(archive_bytes("1.0.0", members))
    out_dir = tmp_path / "refused"
    assert cash(repo, "release", "get", "1.0.0", "--archive", str(tampered), "--out", str(out_dir)) == 1
    assert not out_dir.exists() and not list(tmp_path.glob(".refused.*"))
    assert "do not verify" in capsys.readouterr().err


def test_refused_releases_leave_the_repository_untouched(repo, tmp_path, capsys):
    gold = repo / "annotations" / "gold.jsonl"
    # already published with other files: change the data, build, and try to publish it as 1.0.0 again
    write_layer(gold, header("gold"), gold_annotations(repo, "evaluative"), overwrite=True)
    assert cash(repo, "build") == 0
    commit_all(repo, "changed gold, built")
    releases_before = (repo / "corpus" / "releases.json").read_bytes()
    capsys.readouterr()
    assert cash(repo, "release", "1.0.0") == 1
    assert "version 1.0.0 is already published" in capsys.readouterr().err
    assert status(repo) == ""
    for version, message in (("0.9.0", "not greater than the last release 1.0.0"),
                             ("1.0.3", "skips versions"), ("1.x", "is not a version")):
        assert cash(repo, "release", version) in (1, 2)
        assert message in capsys.readouterr().err
        assert status(repo) == ""
    # the manifest of a published version is not rewritten over other files either
    assert cash(repo, "manifest") == 1
    assert "cash release X.Y.Z" in capsys.readouterr().err
    assert cash(repo, "manifest", "--check") == 1
    assert "run `cash release X.Y.Z`" in capsys.readouterr().out
    assert status(repo) == ""
    # stale build: change the annotations again without building
    write_layer(gold, header("gold"), gold_annotations(repo, "predictive"), overwrite=True)
    commit_all(repo, "changed gold, not built")
    assert cash(repo, "release", "1.0.1") == 1
    err = capsys.readouterr().err
    assert "the build is not current" in err and "run `cash build`" in err
    assert status(repo) == ""
    # invalid corpus: a span whose text does not match the raw text
    lines = gold.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line.replace('"text": "may"', '"text": "mat"', 1) for line in lines]
    gold.write_text("".join(lines), encoding="utf-8")
    commit_all(repo, "broken gold")
    assert cash(repo, "release", "1.0.1") == 1
    err = capsys.readouterr().err
    assert "does not validate" in err and "cash validate" in err
    assert status(repo) == ""
    assert (repo / "corpus" / "releases.json").read_bytes() == releases_before
    assert not (repo / "dist" / "cash-1.0.1.tar.gz").exists()


def test_a_release_of_the_package_checkout_refuses_stale_generated_tables(repo, monkeypatch, capsys):
    """`cash generate` writes tables into README.md and DATASHEET.md and schema/generated/ of a full
    checkout; a release there is refused while they are stale (check_artifacts stubbed here: the
    small corpus has no generated blocks; the real repository's clone test runs the real one)."""
    import cash_corpus.generated
    write_layer(repo / "annotations" / "gold.jsonl", header("gold"), gold_annotations(repo, "evaluative"),
                overwrite=True)
    assert cash(repo, "build") == 0
    commit_all(repo, "changed gold, built, tables not regenerated")
    (repo / "schema" / "generated").mkdir(parents=True)  # an empty folder: git does not see it
    monkeypatch.setattr(cash_corpus.generated, "check_artifacts", lambda root: [root / "DATASHEET.md"])
    capsys.readouterr()
    assert cash(repo, "release", "1.0.1") == 1
    err = capsys.readouterr().err
    assert "generated artefacts are stale" in err and "DATASHEET.md" in err and "run `cash generate`" in err
    assert status(repo) == ""
    monkeypatch.setattr(cash_corpus.generated, "check_artifacts", lambda root: [])
    assert cash(repo, "release", "1.0.1") == 0


def test_a_new_document_needs_a_minor_release(repo, tmp_path, capsys):
    source = tmp_path / "third.txt"
    source.write_text("Third 🛰 text.\nIt says little.\n", encoding="utf-8")
    add_document(repo, source, title="Third 🛰 text.", doc_id="third-text")
    assert cash(repo, "build") == 0
    commit_all(repo, "third document")
    capsys.readouterr()
    assert cash(repo, "release", "1.0.1") == 1
    err = capsys.readouterr().err
    assert "need a MINOR one" in err and "document third-text added" in err and "cash release 1.1.0" in err
    assert status(repo) == ""
    assert cash(repo, "release", "1.1.0", "--date", "2026-12-03") == 0
    assert [r.version for r in read_release_records(CorpusPaths(repo))] == ["1.0.0", "1.1.0"]
    assert "MINOR: document third-text added" in (repo / "CHANGELOG.md").read_text()


def test_release_list_prints_versions_fingerprints_and_dates(repo, capsys):
    capsys.readouterr()
    assert cash(repo, "release", "list") == 0
    out = capsys.readouterr().out
    release = read_release_records(CorpusPaths(repo))[0]
    assert f"1.0.0      2026-11-01   {release.fingerprint} {release.archive_sha256}" in out


def test_get_explains_what_to_do_when_no_commit_publishes_the_version(repo, tmp_path, capsys):
    write_layer(repo / "annotations" / "gold.jsonl", header("gold"), gold_annotations(repo, "evaluative"),
                overwrite=True)
    assert cash(repo, "build") == 0
    assert cash(repo, "release", "1.0.1") == 0  # not committed yet
    capsys.readouterr()
    assert cash(repo, "release", "get", "1.0.1", "--out", str(tmp_path / "x")) == 1
    err = capsys.readouterr().err
    assert "no commit publishes version 1.0.1" in err and "commit it first" in err and "--archive" in err
    assert cash(repo, "release", "get", "1.0.1", "--archive", str(repo / "dist" / "cash-1.0.1.tar.gz"),
                "--out", str(tmp_path / "x")) == 0
    assert cash(repo, "release", "get", "2.0.0") == 1
    assert "not published" in capsys.readouterr().err


# ---------------------------------------------------------------- the real repository

def test_this_repository_cloned_without_tags_gets_its_1_0_0_back_after_a_new_release(repo_root, tmp_path, capsys):
    """`git clone --no-tags` of this repository (its committed HEAD), a changed gold label, rebuild,
    `cash release 1.0.1`, commit; then `cash release get 1.0.0` gives the files of the 1.0.0 manifest."""
    if git(repo_root, "rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.fail("this test needs the repository history (a shallow clone has no 1.0.0 commit)")
    clone = tmp_path / "cash"
    subprocess.run(["git", "clone", "-q", "--no-tags", str(repo_root), str(clone)], check=True)
    assert git(clone, "tag") == ""
    releases = read_release_records(CorpusPaths(clone))
    previous = releases[-1]
    gold = clone / "annotations" / "gold.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if '"record": "claim"' in line and '"certainty": "certain"' in line)
    lines[index] = lines[index].replace('"certainty": "certain"', '"certainty": "probable"', 1)
    gold.write_text("".join(lines), encoding="utf-8")
    assert cash(clone, "build") == 0 and cash(clone, "generate") == 0
    commit_all(clone, "a corrected gold label, rebuilt")
    # The smallest version the changes since the last release allow (the clone may hold unreleased
    # MINOR work too); every refusal must leave the clone untouched.
    for following in next_versions(previous.version).values():
        if cash(clone, "release", following, "--date", "2027-01-02") == 0:
            break
        assert "cash release" in capsys.readouterr().err and status(clone) == ""
    else:
        pytest.fail("no next version was accepted")
    commit_all(clone, f"Release {following}")
    assert cash(clone, "build", "--check") == 0 and cash(clone, "manifest", "--check") == 0
    for release in releases:
        got = tmp_path / f"got-{release.version}"
        assert cash(clone, "release", "get", release.version, "--out", str(got)) == 0
        manifest = json.loads((got / "corpus" / "manifest.json").read_text())
        assert manifest["version"] == release.version and manifest["fingerprint"] == release.fingerprint
        for rel, digest in manifest["files"].items():
            assert sha256_file(got / rel) == digest, rel
        assert fingerprint(manifest["files"]) == release.fingerprint
    assert status(clone) == ""


def test_the_1_0_0_release_date_is_the_date_of_the_commit_that_published_it(repo_root):
    release = next(r for r in read_release_records(CorpusPaths(repo_root)) if r.version == "1.0.0")
    history = GitHistory(repo_root)
    commit = history.release_commit("1.0.0", release.fingerprint)
    assert commit is not None
    assert release.date == history.commit_date(commit) == "2026-11-21"


# ---------------------------------------------------------------- pieces

def test_the_archive_is_deterministic_and_safe_to_read(tmp_path):
    files = [("corpus/texts/b.txt", "𝔸 🚀\n".encode()), ("README.md", b"# x\n"), ("annotations/a.jsonl", b"{}\n")]
    one, two = archive_bytes("1.2.3", files), archive_bytes("1.2.3", list(reversed(files)))
    assert one == two
    assert one[4:8] == b"\0\0\0\0"  # gzip header mtime 0
    with tarfile.open(fileobj=io.BytesIO(one)) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == ["cash-1.2.3/README.md", "cash-1.2.3/annotations/a.jsonl",
                                         "cash-1.2.3/corpus/texts/b.txt"]
    assert {(m.mode, m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {(0o644, 0, 0, "", "", 946_684_800)}
    path = tmp_path / "a.tar.gz"
    path.write_bytes(one)
    assert sorted((rel, data) for _, rel, data in iter_archive(path)) == sorted(files)
    for name, kind in (("cash-1/../../evil", tarfile.REGTYPE), ("cash-1/link", tarfile.SYMTYPE)):
        sink = io.BytesIO()
        with tarfile.open(fileobj=sink, mode="w:gz") as tar:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            tar.addfile(info, io.BytesIO(b""))
        bad = tmp_path / "bad.tar.gz"
        bad.write_bytes(sink.getvalue())
        with pytest.raises(CashError):
            list(iter_archive(bad))
    (tmp_path / "junk.tar.gz").write_bytes(gzip.compress(b"not a tar") + b"\xff")
    with pytest.raises(CashError):
        list(iter_archive(tmp_path / "junk.tar.gz"))


def test_version_steps():
    assert bump_level(None, "1.0.0") is None
    assert (bump_level("1.2.3", "1.2.4"), bump_level("1.2.3", "1.3.0"), bump_level("1.2.3", "2.0.0")) == (PATCH, MINOR, MAJOR)
    for bad in ("1.2.3", "1.2.2", "1.3.1", "3.0.0", "1.2.5"):
        with pytest.raises(CashError):
            bump_level("1.2.3", bad)
    with pytest.raises(CashError, match="not a version"):
        bump_level("1.2.3", "01.2.4")


def test_changes_are_graded_as_readme_versioning_says():
    old = {"corpus/texts/a.txt": "1", "corpus/texts/b.txt": "2", "annotations/gold.jsonl": "3",
           "annotations/pass-a.jsonl": "4", "data/claims/x.parquet": "5", "schema/GUIDELINES.md": "6"}
    new = {"corpus/texts/a.txt": "1", "corpus/texts/c.txt": "7", "annotations/gold.jsonl": "8",
           "annotations/pass-b.jsonl": "9", "data/claims/x.parquet": "10", "schema/GUIDELINES.md": "11"}
    layer_old = b'{"record": "layer"}\n{"record": "claim", "id": "c1", "document_id": "a"}\n'
    layer_new = layer_old + b'{"record": "claim", "id": "c2", "document_id": "a"}\n'
    changes = classify_changes(old, new, lambda rel: layer_old, lambda rel: layer_new)
    assert {(c.level, c.reason) for c in changes} == {
        (MAJOR, "document b removed"), (MINOR, "document c added"), (MINOR, "1 annotation(s) added to layer gold"),
        (MAJOR, "annotation layer pass-a removed"), (MINOR, "annotation layer pass-b added"),
        (PATCH, "schema/GUIDELINES.md changed")}
    assert classify_changes({"corpus/texts/a.txt": "1"}, {"corpus/texts/a.txt": "2"}, lambda r: None,
                            lambda r: b"")[0].level == MAJOR
    fixed = classify_changes({"annotations/gold.jsonl": "1"}, {"annotations/gold.jsonl": "2"}, lambda r: layer_new,
                             lambda r: layer_old)
    assert [(c.level, c.reason) for c in fixed] == [(PATCH, "annotations corrected in layer gold")]


def test_schema_changes():
    def schema(labels, props, required):
        return {"$defs": {"kind": {"oneOf": [{"const": v} for v in labels]},
                          "claim": {"properties": {p: {} for p in props}, "required": required}}}
    base = schema(["a", "b"], ["id", "note"], ["id"])
    assert schema_changes(base, base) == []
    assert {c.level for c in schema_changes(base, schema(["a"], ["id", "note"], ["id"]))} == {MAJOR}
    assert {c.level for c in schema_changes(base, schema(["a", "b", "c"], ["id", "note", "x"], ["id"]))} == {MINOR}
    assert {c.level for c in schema_changes(base, schema(["a", "b"], ["id", "note", "y"], ["id", "y"]))} == {MAJOR}
    assert [c.level for c in schema_changes(base, {**base, "description": "new"})] == [PATCH]


def test_release_texts():
    text = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n- a fix\n\n## [1.0.0] — 2026-11-21\n\nOld.\n"
    out = changelog_text(text, "1.0.1", "2026-12-01", "ab" * 32, "1.0.0", [])
    assert out.startswith("# Changelog\n\nIntro.\n\n## [1.0.1] — 2026-12-01\n")
    assert out.index("- a fix") < out.index("## [1.0.0]") and "Unreleased" not in out
    assert out.endswith("## [1.0.0] — 2026-11-21\n\nOld.\n")
    assert pyproject_text(PYPROJECT, "2.0.0") == PYPROJECT.replace('version = "0.0.0"', 'version = "2.0.0"')
    assert datasheet_text("# Datasheet for CASH 1.0.0\n\nCASH 1.0.0 is\n", "1.1.0") == "# Datasheet for CASH 1.1.0\n\nCASH 1.0.0 is\n"
    assert package_init_text('"""x"""\n__version__ = "1.0.0"\n', "1.1.0") == '"""x"""\n__version__ = "1.1.0"\n'


def test_releases_json_reads_both_forms():
    fp = "9b" * 32
    assert parse_releases({"1.0.0": fp}) == [Release("1.0.0", fp)]
    rich = releases_document([Release("1.0.1", fp, "2026-12-01", "cash-1.0.1.tar.gz", "cd" * 32), Release("1.0.0", fp)])
    assert [r.version for r in parse_releases(rich)] == ["1.0.0", "1.0.1"]
    assert parse_releases(json.loads(json.dumps(rich)))[1].archive_sha256 == "cd" * 32
    for bad in ({"1.0": fp}, {"1.0.0": "short"}, {"releases": [{"version": "1.0.0"}]}, [1]):
        with pytest.raises(CashError):
            parse_releases(bad)


SAFE_NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda n: n not in (".", "..") and "/" not in n and "\\" not in n)


@given(st.dictionaries(st.lists(SAFE_NAME, min_size=1, max_size=3).map("/".join), st.binary(max_size=300), max_size=6))
def test_archive_round_trip_for_any_names_and_bytes(files):
    import tempfile
    data = archive_bytes("0.1.2", files.items())
    assert data == archive_bytes("0.1.2", reversed(list(files.items())))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.tar.gz"
        path.write_bytes(data)
        assert {rel: blob for _, rel, blob in iter_archive(path)} == files


@given(st.binary(max_size=2000))
def test_any_bytes_as_an_archive_give_a_located_error_or_members(blob):
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.tar.gz"
        path.write_bytes(blob)
        try:
            list(iter_archive(path))
        except CashError as exc:
            assert str(path) in str(exc)
