"""Dask runs of the per-shard build and validation: byte-identical shards and identical findings; sharded streaming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cash_corpus.distributed import build_on_dask, validate_on_dask
from cash_corpus.hf.features import CONFIG_KINDS
from cash_corpus.hf.publish import write_build
from cash_corpus.synth import write_synth
from cash_corpus.validation import validate_root

SHARD_SIZE = 7


def parquet_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "data").rglob("*.parquet"))}


@pytest.fixture(scope="module")
def twin_corpora(tmp_path_factory) -> tuple[Path, Path]:
    """Two identical synthetic corpora (seed 4) with a second layer, so two layers are built."""
    roots = []
    for name in ("single", "dask"):
        root = tmp_path_factory.mktemp(name) / "c"
        write_synth(root, 30, seed=4)
        gold = (root / "annotations" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
        header = json.loads(gold[0]) | {"layer": "pass-a"}
        (root / "annotations" / "pass-a.jsonl").write_text(
            "\n".join([json.dumps(header, ensure_ascii=False, separators=(", ", ": ")), *gold[1:40]]) + "\n",
            encoding="utf-8")
        roots.append(root)
    return roots[0], roots[1]


def test_dask_build_is_byte_identical(twin_corpora):
    single, distributed = twin_corpora
    outcome = write_build(single, SHARD_SIZE)
    plan = build_on_dask(distributed, SHARD_SIZE, scheduler="processes", num_workers=2).plan
    files = parquet_files(single)
    assert len(files) == 2 * len(CONFIG_KINDS) * 5  # two layers x every config kind x five shards
    assert parquet_files(distributed) == files
    assert plan.fingerprint == outcome.plan.fingerprint
    assert [(c.name, c.num_rows, c.files) for c in plan.configs] == \
        [(c.name, c.num_rows, c.files) for c in outcome.plan.configs]
    assert (distributed / "README.md").read_bytes() == (single / "README.md").read_bytes()
    assert (distributed / "croissant.json").read_bytes() == (single / "croissant.json").read_bytes()


def test_dask_validation_gives_the_same_findings(tmp_path):
    root = tmp_path / "c"
    write_synth(root, 12, seed=8)
    layer = root / "annotations" / "gold.jsonl"
    lines = layer.read_text(encoding="utf-8").splitlines()
    claim = next(i for i, line in enumerate(lines) if '"record": "claim"' in line)
    record = json.loads(lines[claim])
    record["end"] += 1  # span text no longer matches the raw text
    lines[claim] = json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    layer.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = root / "annotations" / "pass-b.jsonl"
    second.write_text(lines[0].replace('"layer": "gold"', '"layer": "other"') + "\n", encoding="utf-8")
    text = root / "corpus" / "texts" / "synth-0000003.txt"
    text.write_bytes(text.read_bytes() + "🚀".encode())
    expected = validate_root(root)
    assert {f.code for f in expected} >= {"span-text-mismatch", "text-sha256-mismatch", "layer-name-mismatch"}
    assert validate_on_dask(root, scheduler="processes", num_workers=2) == expected


def test_sharded_build_streams_and_splits_by_node(twin_corpora, monkeypatch):
    import datasets
    from datasets.distributed import split_dataset_by_node
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    single, _ = twin_corpora
    if not (single / "README.md").exists():
        write_build(single, SHARD_SIZE)
    whole = datasets.load_dataset(str(single), "claims", split="test", streaming=True)
    everything = [row["document_id"] + "/" + row["id"] for row in whole]
    parts = []
    for rank in range(2):
        stream = datasets.load_dataset(str(single), "claims", split="test", streaming=True)
        parts.append([row["document_id"] + "/" + row["id"] for row in split_dataset_by_node(stream, rank, 2)])
    assert all(parts) and not set(parts[0]) & set(parts[1])
    assert sorted(parts[0] + parts[1]) == sorted(everything)
    assert len(everything) == len(set(everything)) > 0
