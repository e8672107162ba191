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


# ---------------------------------------------------------------- a real dask.distributed cluster

@pytest.fixture(scope="module")
def cluster_client():
    """A LocalCluster of 2 worker processes on 127.0.0.1, no dashboard (what `--workers 2` starts)."""
    from cash_corpus.distributed import local_cluster
    cluster, client = local_cluster(2)
    yield client
    client.close()
    cluster.close()


def test_build_on_a_local_cluster_is_byte_identical(tmp_path, cluster_client):
    from cash_corpus.distributed import build_on_cluster
    roots = []
    for name in ("single", "cluster"):
        root = tmp_path / name
        write_synth(root, 25, seed=5)
        roots.append(root)
    single = write_build(roots[0], SHARD_SIZE)
    on_cluster = build_on_cluster(roots[1], SHARD_SIZE, cluster_client)
    assert len(parquet_files(roots[1])) == len(CONFIG_KINDS) * 4  # every config kind x four shards, built by the workers
    assert parquet_files(roots[1]) == parquet_files(roots[0])
    assert on_cluster.plan.fingerprint == single.plan.fingerprint
    for name in ("README.md", "croissant.json"):
        assert (roots[1] / name).read_bytes() == (roots[0] / name).read_bytes()


def corrupted_corpus(root: Path) -> Path:
    """A synthetic corpus whose gold layer has findings of many kinds, some across chunk boundaries."""
    write_synth(root, 40, seed=9)
    layer = root / "annotations" / "gold.jsonl"
    lines = layer.read_text(encoding="utf-8").splitlines()
    documents = [i for i, line in enumerate(lines) if line.startswith('{"record": "document"')]
    claims = [i for i, line in enumerate(lines) if '"record": "claim"' in line]
    record = json.loads(lines[claims[3]])
    record["end"] += 1  # span-text-mismatch
    lines[claims[3]] = json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    record = json.loads(lines[claims[20]])
    record["claim_type"] = "rumour"  # label-unknown
    lines[claims[20]] = json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    for at in documents[10::9]:  # document lines with schema findings, where chunks may start
        record = json.loads(lines[at])
        record["document_stance"] = "none"
        lines[at] = json.dumps(record, ensure_ascii=False, separators=(", ", ": "))
    late = documents[30]
    lines[late] = lines[late].replace(json.loads(lines[late])["document_id"], json.loads(lines[documents[2]])["document_id"])
    unsorted = documents[35]
    lines[unsorted] = lines[unsorted].replace(json.loads(lines[unsorted])["document_id"], "synth-0000001-x")
    lines.insert(documents[25], "{not json")
    lines.insert(documents[15], lines[claims[1]])  # an annotation under another document
    layer.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_chunked_layer_validation_equals_the_whole_file(tmp_path):
    from cash_corpus.validation import validate_layer_file
    from cash_corpus.validation.chunks import check_layer_chunk, split_layer, stitch
    root = corrupted_corpus(tmp_path / "c")
    layer = root / "annotations" / "gold.jsonl"
    expected = validate_layer_file(layer, root)
    assert {f.code for f in expected} >= {"span-text-mismatch", "label-unknown", "schema-wrong-type",
                                          "document-duplicate", "record-unsorted", "json-malformed",
                                          "record-outside-document"}
    for parts in (1, 2, 3, 5, 8, 13, 40):
        chunks = split_layer(layer, parts)
        assert chunks[0].start == 0 and chunks[-1].end == layer.stat().st_size
        results = [check_layer_chunk(str(root), str(layer), chunk, i == 0) for i, chunk in enumerate(chunks)]
        assert stitch(results, "annotations/gold.jsonl") == expected, parts


def test_validate_on_a_local_cluster_gives_the_same_findings(tmp_path, cluster_client):
    from cash_corpus.distributed import validate_on_dask
    root = corrupted_corpus(tmp_path / "c")
    text = root / "corpus" / "texts" / "synth-0000003.txt"
    text.write_bytes(text.read_bytes() + "🚀".encode())
    (root / "annotations" / "pass-b.jsonl").write_text('{"record": "layer", "layer": "other"}\n', encoding="utf-8")
    expected = validate_root(root)
    assert {f.code for f in expected} >= {"text-sha256-mismatch", "layer-name-mismatch", "document-duplicate"}
    for chunk_bytes in (2_000, 50_000, 10**9):  # many chunks, a few, one per worker
        assert validate_on_dask(root, scheduler=cluster_client, chunk_bytes=chunk_bytes) == expected


def test_cli_runs_on_an_existing_cluster(tmp_path, cluster_client, capsys):
    from cash_corpus.cli import main
    address = cluster_client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    root = tmp_path / "c"
    write_synth(root, 12, seed=6)
    twin = tmp_path / "twin"
    write_synth(twin, 12, seed=6)
    assert main(["--root", str(root), "validate", "--scheduler", address]) == 0
    assert main(["--root", str(root), "build", "--scheduler", address, "--shard-size", "5"]) == 0
    write_build(twin, 5)
    assert parquet_files(root) == parquet_files(twin)
    assert main(["--root", str(root), "build", "--check"]) == 0
    layer = root / "annotations" / "gold.jsonl"
    layer.write_text(layer.read_text(encoding="utf-8") + '{"record": "cue"}\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(root), "validate", "--scheduler", address, "--json"]) == 1
    on_cluster = json.loads(capsys.readouterr().out)
    assert main(["--root", str(root), "validate", "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == on_cluster


def test_build_on_a_cluster_refuses_an_invalid_corpus_with_the_same_findings(tmp_path, cluster_client):
    from cash_corpus.distributed import build_on_cluster
    from cash_corpus.transaction import RefusedChange
    from cash_corpus.validation import errors
    root = corrupted_corpus(tmp_path / "c")
    expected = errors(validate_root(root))
    with pytest.raises(RefusedChange) as refused:
        build_on_cluster(root, SHARD_SIZE, cluster_client)
    assert refused.value.findings == expected
    assert not (root / "data").exists() and not (root / "README.md").exists()


def test_a_clean_corpus_is_proven_clean_by_chunk_tasks_on_a_local_cluster(tmp_path, cluster_client, monkeypatch):
    """The fast path's chunk proofs run as cluster tasks (several chunks, several workers) and prove a
    clean root clean; one broken chunk makes the exact checks run and name the same findings."""
    from cash_corpus.validation import fastpath
    from cash_corpus.paths import CorpusPaths
    root = tmp_path / "clean"
    write_synth(root, 23, seed=4)
    monkeypatch.setattr(fastpath, "CHUNK_DOCUMENTS", 5)
    plan = fastpath.plan_proof(CorpusPaths(root))
    assert plan is not None and len(plan.chunks) == 5
    n = len(plan.chunks)
    futures = cluster_client.map(fastpath.prove_chunk, [plan.root] * n, [plan.layers] * n, plan.chunks, pure=False)
    facts = cluster_client.gather(futures)
    assert all(f is not None for f in facts) and sum(f.documents for f in facts) == 23
    assert validate_on_dask(root, scheduler=cluster_client) == [] == validate_root(root, fast=False)
    gold = root / "annotations" / "gold.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-1] = lines[-1].replace('"start": ', '"start": 1', 1)
    gold.write_text("".join(lines), encoding="utf-8")
    expected = validate_root(root, fast=False)
    assert expected and validate_on_dask(root, scheduler=cluster_client) == expected
