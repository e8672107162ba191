"""The committed build (data/, README.md front matter, croissant.json) is current and loads from a bare copy."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus
from cash_corpus.hf.publish import config_names


def test_committed_build_is_current(repo_root, capsys):
    assert main(["--root", str(repo_root), "build", "--check"]) == 0, capsys.readouterr().out


def test_default_config_loads_from_a_bare_copy_without_the_package(repo_root, tmp_path):
    """Only data/ and README.md, in a folder of another name: `datasets` alone loads it, offline."""
    bare = tmp_path / "any-folder-name"
    shutil.copytree(repo_root / "data", bare / "data")
    shutil.copy2(repo_root / "README.md", bare / "README.md")
    configs = config_names(repo_root)
    assert configs[:5] == ["documents", "claims", "cues", "attributions", "sentences"]
    script = (
        "import json, sys, datasets\n"
        f"ds = datasets.load_dataset({str(bare)!r}, split='test', cache_dir={str(tmp_path / 'cache')!r})\n"
        f"st = datasets.load_dataset({str(bare)!r}, 'documents', split='test', streaming=True)\n"
        "print(json.dumps({'ids': list(ds['id']), 'version': str(ds.info.version), 'streamed': [r['id'] for r in st],"
        " 'package': any(m.startswith('cash_corpus') for m in sys.modules)}))\n")
    env = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    corpus = Corpus.at(repo_root)
    assert out["ids"] == sorted(corpus.document_ids()) == out["streamed"]
    assert out["version"] == corpus.version
    assert out["package"] is False
