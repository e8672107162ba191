"""One version everywhere, and a CITATION.cff that the reference validator accepts."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest
import yaml

import cash_corpus


def corpus_version(repo_root: Path) -> str:
    return json.loads((repo_root / "corpus" / "corpus.json").read_text(encoding="utf-8"))["version"]


def test_versions_agree_everywhere(repo_root):
    version = corpus_version(repo_root)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == version
    assert cash_corpus.__version__ == version
    citation = yaml.safe_load((repo_root / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == version
    changelog = (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)
    assert first and first.group(1) == version
    datasheet = (repo_root / "DATASHEET.md").read_text(encoding="utf-8")
    assert datasheet.splitlines()[0].endswith(f" {version}"), "`cash release X.Y.Z` bumps every place; run it"


def test_citation_is_honest(repo_root):
    citation = yaml.safe_load((repo_root / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "dataset"
    # No invented people or licence: those are unknown for this corpus. The release date is the
    # one corpus/releases.json records for this version (`cash release` writes both).
    assert citation["authors"] == [{"name": "CASH project contributors"}]
    assert "license" not in citation
    from cash_corpus.manifest import read_release_records
    from cash_corpus.paths import CorpusPaths
    release = {r.version: r for r in read_release_records(CorpusPaths(repo_root))}.get(citation["version"])
    assert release is not None and release.date, "the cited version is not published: run `cash release X.Y.Z`"
    assert str(citation["date-released"]) == release.date


@pytest.fixture(scope="session")
def cffconvert(repo_root: Path) -> Path:
    """cffconvert, the reference CFF validator, in its own venv (it pins jsonschema 3, which this project cannot)."""
    home = repo_root / ".cache" / "cffconvert-venv"
    exe = home / "bin" / "cffconvert"
    if not exe.exists():
        venv.create(home, with_pip=True, clear=True)
        result = subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", "cffconvert==2.0.0"],
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"could not install cffconvert:\n{result.stdout}\n{result.stderr}")
    return exe


def test_citation_cff_validates_against_cff_1_2(repo_root, cffconvert, tmp_path):
    result = subprocess.run([str(cffconvert), "--validate", "-i", str(repo_root / "CITATION.cff")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cffconvert_rejects_a_broken_citation(cffconvert, tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text('cff-version: 1.2.0\nmessage: "x"\ntitle: "x"\n', encoding="utf-8")  # no authors
    result = subprocess.run([str(cffconvert), "--validate", "-i", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0
