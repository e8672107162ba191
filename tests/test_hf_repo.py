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


def test_tokens_config_loads_with_classlabel_sequences(repo_root, tmp_path):
    """`load_dataset(<absolute clone path>, "tokens")`, the real loader: BIO tags are ClassLabel sequences
    whose names come from the schema, and each row's tokens repeat the raw text at their offsets."""
    import datasets
    from cash_corpus.bio import tag_columns, tag_names
    ds = datasets.load_dataset(str(repo_root), "tokens", split="test", cache_dir=str(tmp_path / "cache"))
    corpus = Corpus.at(repo_root)
    assert ds.num_rows == sum(len(s.sentences) for s in corpus.structures())
    for column in tag_columns():
        feature = ds.features[column]
        assert isinstance(feature, datasets.List) and isinstance(feature.feature, datasets.ClassLabel)
        assert feature.feature.names == tag_names(column.split("_tags")[0])
    texts = {doc_id: corpus.text(doc_id) for doc_id in corpus.document_ids()}
    tagged = 0
    for row in ds:
        text = texts[row["document_id"]]
        assert row["tokens"] == [text[s:e] for s, e in zip(row["token_starts"], row["token_ends"])]
        for column in tag_columns():
            assert len(row[column]) == len(row["tokens"])
        tagged += sum(1 for tag in row["claim_tags"] if tag != 0)
    assert tagged > 0
