"""A non-editable install (what `pip install cash-corpus` gives) validates and builds a corpus anywhere.

The package is built from this checkout into a fresh virtual environment that sees the test
environment's dependencies but not this checkout: the schema must come from the package data.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from hf_helpers import make_corpus


@pytest.fixture(scope="module")
def installed_python(tmp_path_factory, repo_root) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    # Dependencies from the test environment, without its editable path to this checkout.
    (purelib / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    build = tmp_path_factory.mktemp("build")
    shutil.copytree(repo_root, build / "src", ignore=shutil.ignore_patterns(
        ".git", ".venv", ".cache", ".cash", "data", "build", "*.egg-info", "__pycache__", ".pytest_cache",
        ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(purelib), str(build / "src")], check=True)
    return python


def run(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CASH_ROOT")}
    return subprocess.run([str(python), "-m", "cash_corpus.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_a_non_editable_install_validates_and_builds_a_corpus_in_any_folder(installed_python, tmp_path):
    where = subprocess.run([str(installed_python), "-c", "import cash_corpus, cash_corpus.schema as s; "
                            "print(cash_corpus.__file__); print(s.schema_path())"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split("\n")
    assert str(installed_python.parents[1]) in where[0], where  # not this checkout
    assert "schema_data" in where[1] and Path(where[1]).is_file()
    root = make_corpus(tmp_path / "corpus-root")  # no schema/ folder: the packaged schema governs
    assert not (root / "schema").exists()
    validated = run(installed_python, root, "--verbose", "validate")
    assert validated.returncode == 0, validated.stderr + validated.stdout
    assert f"corpus root {root.resolve()}" in validated.stderr and "schema_data" in validated.stderr
    built = run(installed_python, root, "build")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (root / "data").iterdir())[:2] == ["attributions", "attributions-pass-a"]
    outside = run(installed_python, tmp_path, "validate")
    assert outside.returncode == 2 and "no CASH corpus found" in outside.stderr
