"""The per-shard build and validation on Dask: same files and findings as one process, spread over workers.

Why Dask (not Spark or Ray): it is pure pip (no JVM, no daemon), light, and its local schedulers
('threads', 'processes') take the same task graph as a `dask.distributed` cluster, so what runs
on a laptop here runs on many machines by passing a cluster's scheduler instead. No scheduling
logic lives here: each shard is one `dask.delayed` task and Dask decides where it runs.

Where it runs (`scheduler`): a local scheduler name ('processes', 'threads', 'synchronous'), a
`dask.distributed.Client`, or the address of a running cluster (`tcp://HOST:PORT`, what
`cash build --scheduler` / `cash validate --scheduler` pass); `local_cluster(n)` starts a
`LocalCluster` of n worker processes on 127.0.0.1 (`--workers N`). Workers read the corpus and
write staged shards by path, so on a multi-machine cluster the corpus root must be on a file
system every worker sees at the same path.

Build: one task per (layer, shard). The driver only indexes byte offsets (documents.jsonl,
structure.jsonl, each layer's document blocks) and checks order and ids; each task reads its own
documents through those offsets, builds all five configs with `hf.build.config_table` /
`parquet_bytes` (the single-process functions), writes its Parquet files into the build
transaction's staging folder and returns only their sha256, so no data flows through the scheduler. File names, bytes and
the fingerprint equal those of `hf.build.iter_built_files`.

Validation: one task for the corpus checks and one per chunk of each layer file (split at
`document` lines, `validation.chunks`), each calling the validator's own functions; the chunks are
stitched and everything concatenated in `validate_root` order, so the findings are identical.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask

from .errors import CashError, Location, UsageError
from .layers import read_header
from .paths import CorpusPaths
from .schema import is_supported_schema_version

DEFAULT_SCHEDULER = "processes"
SCHEDULERS = ("processes", "threads", "synchronous")
LAYER_CHUNK_BYTES = 256 * 2**20  # a layer is split into about one chunk per worker, more only past this size
DOCUMENT_LINE_PREFIX = b'{"record": "document"'


@dataclass(frozen=True)
class ShardJob:
    """Everything one task needs: where to read each document, and where to write."""

    root: str
    out: str  # the folder the shard's Parquet files are written under (a transaction's staging folder)
    layer: str
    index: int
    count: int
    doc_ids: tuple[str, ...]
    doc_offsets: tuple[int, ...]
    structure_offsets: tuple[int, ...]
    layer_blocks: tuple[tuple[int, int] | None, ...]  # byte range of each document's block in the layer file


@dataclass(frozen=True)
class ShardResult:
    layer: str
    index: int
    files: tuple[tuple[str, str, str, int, int], ...]  # (kind, relative path, sha256, rows, arrow bytes)


def layer_blocks(path: Path, known_ids: set[str]) -> dict[str, tuple[int, int]]:
    """document id -> [start, end) byte range of its records in a layer file; checks order and known ids.

    Only `document` lines are parsed (the canonical writer puts `"record": "document"` first), so
    indexing costs one pass of line splitting, not a JSON parse per annotation.
    """
    blocks: dict[str, tuple[int, int]] = {}
    if not path.exists():
        return blocks
    header = read_header(path)
    if not is_supported_schema_version(header.schema_version):
        raise CashError(f"layer written under schema {header.schema_version}, which this package cannot read",
                        Location(file=str(path), line=1))
    previous: str | None = None
    open_start: int | None = None
    offset = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith(DOCUMENT_LINE_PREFIX):
                doc_id = json.loads(line)["document_id"]
                if doc_id not in known_ids:
                    raise CashError("annotations for a document that is not in the corpus",
                                    Location(file=str(path), line=number, document_id=doc_id))
                if previous is not None and doc_id <= previous:
                    raise CashError(f"documents out of order or repeated (after {previous!r})",
                                    Location(file=str(path), line=number, document_id=doc_id),
                                    hint="layer files are sorted by document id")
                if previous is not None:
                    blocks[previous] = (open_start, offset)
                previous, open_start = doc_id, offset
            offset += len(line)
    if previous is not None:
        blocks[previous] = (open_start, offset)
    return blocks


def parse_block(data: bytes, path: str):
    """One document's block of a layer file (its document line, then its annotations), decoded once."""
    from .hf.build import decode_line
    from .hf.rows import AnnotationBlock
    return AnnotationBlock.from_records((decode_line(line, Path(path)) for line in data.splitlines() if line.strip()),
                                        path)


def run_shard(job: ShardJob) -> ShardResult:
    """The per-shard build as a task: read this shard's documents, write its five Parquet files
    (with the cyclic GC paused, as the single-process build does: same reason, `jsonl.gc_paused`)."""
    from .jsonl import gc_paused
    with gc_paused():
        return _run_shard(job)


def _run_shard(job: ShardJob) -> ShardResult:
    from .hf.build import (SourceFiles, check_shard, check_text_version, config_name, read_document, shard_file_name,
                            shard_files)
    from .hf.rows import DocumentInput, Shard
    from .paths import open_regular
    root = Path(job.root)
    paths = CorpusPaths(root)
    layer_path = paths.layer_path(job.layer)
    files = SourceFiles.of(paths)
    inputs = []
    with open_regular(paths.documents) as documents, open_regular(paths.structure) as structures, \
            (open_regular(layer_path) if layer_path.exists() else nullcontext()) as layer:
        for doc_id, doc_offset, structure_offset, block in zip(job.doc_ids, job.doc_offsets, job.structure_offsets,
                                                               job.layer_blocks):
            metadata, structure, text, digest = read_document(files, documents, structures, doc_id, doc_offset,
                                                              structure_offset)
            annotations = None
            if block is not None:
                layer.seek(block[0])
                annotations = parse_block(layer.read(block[1] - block[0]), str(layer_path))
                check_text_version(annotations, digest, layer_path)
            inputs.append(DocumentInput(metadata, text, structure, job.layer, annotations))
    shard = Shard(inputs)
    check_shard(shard, layer_path)
    files = []
    for kind, data, rows, nbytes in shard_files(shard):
        rel = f"data/{config_name(kind, job.layer)}/{shard_file_name(job.index, job.count)}"
        target = Path(job.out) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files.append((kind, rel, hashlib.sha256(data).hexdigest(), rows, nbytes))
    return ShardResult(job.layer, job.index, tuple(files))


def plan_jobs(root: Path, shard_size: int, out: Path) -> list[ShardJob]:
    """One job per (layer, shard), in the order `iter_built_files` produces them."""
    from .hf.build import built_layers, line_offsets, shards
    if shard_size < 1:
        raise UsageError(f"--shard-size must be at least 1, got {shard_size}")
    paths = CorpusPaths(Path(root))
    if not paths.corpus_info.exists():
        raise UsageError("not a CASH corpus root (no corpus/corpus.json)", Location(file=str(paths.corpus_info)))
    doc_index = line_offsets(paths.documents, "id")
    structure_index = line_offsets(paths.structure, "document_id")
    doc_ids = sorted(doc_index)
    missing = [d for d in doc_ids if d not in structure_index]
    if missing:
        raise CashError("document has no structure record", Location(file=str(paths.structure), document_id=missing[0]))
    groups = shards(doc_ids, shard_size)
    jobs = []
    for layer in built_layers(paths):
        blocks = layer_blocks(paths.layer_path(layer), set(doc_ids))
        for index, group in enumerate(groups):
            jobs.append(ShardJob(str(paths.root), str(out), layer, index, len(groups), tuple(group),
                                 tuple(doc_index[d] for d in group), tuple(structure_index[d] for d in group),
                                 tuple(blocks.get(d) for d in group)))
    return jobs


def local_cluster(n_workers: int, threads_per_worker: int = 1):
    """A `dask.distributed.LocalCluster` of `n_workers` worker processes on 127.0.0.1 (no dashboard)
    and a client connected to it; close both when done (`client.close(); cluster.close()`)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError("dask.distributed is not installed", hint='pip install "cash-corpus[distributed]"') from exc
    if n_workers < 1:
        raise UsageError(f"--workers must be at least 1, got {n_workers}")
    import logging
    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=True,
                           host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL)
    return cluster, Client(cluster)


def connect(address: str):
    """A client of the running `dask.distributed` cluster at `address` (tcp://HOST:PORT)."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise UsageError("dask.distributed is not installed", hint='pip install "cash-corpus[distributed]"') from exc
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}",
                         hint="start one with `dask scheduler` and `dask worker`, or use --workers N") from exc


def _is_client(scheduler: Any) -> bool:
    return hasattr(scheduler, "get") and hasattr(scheduler, "scheduler_info")


def _compute(tasks: list, scheduler: Any, num_workers: int | None) -> tuple:
    """Run delayed tasks on a local scheduler (by name) or a distributed client; results in task order."""
    if _is_client(scheduler):
        return dask.compute(*tasks, scheduler=scheduler.get)
    if scheduler not in SCHEDULERS:
        raise UsageError(f"unknown Dask scheduler {scheduler!r}", hint=f"one of {', '.join(SCHEDULERS)}")
    return dask.compute(*tasks, scheduler=scheduler, num_workers=num_workers)


def _worker_count(scheduler: Any, num_workers: int | None) -> int:
    import os
    if _is_client(scheduler):
        return max(1, len(scheduler.scheduler_info().get("workers", {})))
    return num_workers or os.cpu_count() or 1


def build_on_cluster(root: Path, shard_size: int, client):
    """`cash build` with its shards built on a `dask.distributed` cluster (a Client)."""
    return build_on_dask(root, shard_size, scheduler=client)


def validate_on_cluster(root: Path, client) -> list:
    """`cash validate` (a corpus root) on a `dask.distributed` cluster (a Client): same findings, same order."""
    return validate_on_dask(root, scheduler=client)


def build_on_dask(root: Path, shard_size: int, *, scheduler: Any = DEFAULT_SCHEDULER,
                  num_workers: int | None = None):
    """`cash build` with one Dask task per (layer, shard): `hf.publish.write_build` with the Dask engine
    and the validation before it on the same workers (`validate_on_dask`, same findings); the card,
    Croissant and the one commit step are the single-process ones."""
    from .hf.publish import write_build

    def engine(root_path: Path, size: int, txn):
        return stage_shards_on_dask(root_path, size, txn, scheduler=scheduler, num_workers=num_workers)

    def validate(view: Path) -> list:
        return validate_on_dask(view, scheduler=scheduler, num_workers=num_workers)
    return write_build(root, shard_size, engine=engine, validate=validate)


def stage_shards_on_dask(root: Path, shard_size: int, txn, *, scheduler: Any = DEFAULT_SCHEDULER,
                         num_workers: int | None = None):
    """Stage every shard through Dask workers writing into the transaction's staging folder; returns
    the `hf.build.BuildPlan`, equal to the single-process engine's (paths, sha256, fingerprint, rows)."""
    from .hf.build import BuildPlan, ConfigSummary, built_layers, config_name
    from .hf.features import CONFIG_KINDS
    if not _is_client(scheduler) and scheduler not in SCHEDULERS:
        raise UsageError(f"unknown Dask scheduler {scheduler!r}", hint=f"one of {', '.join(SCHEDULERS)}")
    root = Path(root)
    jobs = plan_jobs(root, shard_size, txn.stage)
    tasks = [dask.delayed(run_shard, pure=True)(job) for job in jobs]
    results = _compute(tasks, scheduler, num_workers)
    paths = CorpusPaths(root)
    plan = BuildPlan(root, shard_size)
    summaries = {}
    for layer in built_layers(paths):
        for kind in CONFIG_KINDS:
            summaries[(layer, kind)] = ConfigSummary(config_name(kind, layer), kind, layer,
                                                     paths.layer_path(layer).exists())
    for result in results:  # same order as the jobs, which is the single-process order
        for kind, rel, digest, rows, nbytes in result.files:
            txn.stage_path(rel)  # written by the worker; registered here
            summary = summaries[(result.layer, kind)]
            summary.files.append(rel)
            summary.num_rows += rows
            summary.num_bytes += nbytes
            plan.hashes[rel] = digest
            if all(existing.name != summary.name for existing in plan.configs):
                plan.configs.append(summary)
    return plan


def _corpus_findings(root: str) -> list:
    from .validation import _display
    from .validation.corpus_checks import check_corpus, check_schema_file
    root_path = Path(root)
    show = _display(root_path)
    findings = []
    schema_file = root_path / "schema" / "cash.schema.json"
    if schema_file.is_file():
        findings += check_schema_file(schema_file, show(schema_file))
    findings += check_corpus(CorpusPaths(root_path), show)
    return findings


def _layer_findings(root: str, layer_file: str) -> list:
    from .validation import validate_layer_file
    return validate_layer_file(Path(layer_file), Path(root))


def _proven_clean(root: Path, scheduler: Any, num_workers: int | None) -> bool:
    """`validation.fastpath` with its chunk proofs as tasks: True when the root is proven clean
    (no finding at all), under the same preconditions as `validate_root` (no unsafe folder, a
    valid schema file). The plan is made here (one line read per chunk); each chunk is one task."""
    from .validation import _display, root_preconditions
    from .validation.fastpath import combine, plan_proof, prove_chunk
    paths = CorpusPaths(root)
    findings, readable = root_preconditions(paths, _display(root))
    if findings or not readable:
        return False
    plan = plan_proof(paths)
    if plan is None:
        return False
    tasks = [dask.delayed(prove_chunk, pure=True)(plan.root, plan.layers, chunk) for chunk in plan.chunks]
    return combine(plan, list(_compute(tasks, scheduler, num_workers)))


def validate_on_dask(root: Path, *, scheduler: Any = DEFAULT_SCHEDULER, num_workers: int | None = None,
                     chunk_bytes: int = LAYER_CHUNK_BYTES) -> list:
    """`validation.validate_root` as Dask tasks: first the fast path's chunk proofs (one task per
    chunk of documents); unless they prove the root clean, the exact checks (corpus checks, then
    each layer file in chunks of about `chunk_bytes`, at least one chunk per worker): same
    findings, same order."""
    from .validation import _display
    from .validation.chunks import check_layer_chunk, split_layer, stitch
    if not _is_client(scheduler) and scheduler not in SCHEDULERS:
        raise UsageError(f"unknown Dask scheduler {scheduler!r}", hint=f"one of {', '.join(SCHEDULERS)}")
    root = Path(root)
    if not root.is_dir():
        raise UsageError("not a folder", Location(file=str(root)))
    paths = CorpusPaths(root)
    if _proven_clean(root, scheduler, num_workers):  # the common case: no finding, proven in bulk
        return []
    layers = sorted(paths.annotations_dir.glob("*.jsonl")) if paths.annotations_dir.is_dir() else []
    workers = _worker_count(scheduler, num_workers)
    show = _display(root)
    tasks = [dask.delayed(_corpus_findings, pure=True)(str(root))]
    plan: list[tuple[Path, int]] = []
    for layer in layers:
        size = layer.stat().st_size if layer.is_file() else 0
        chunks = split_layer(layer, max(workers, -(-size // chunk_bytes))) if layer.is_file() else []
        tasks += [dask.delayed(check_layer_chunk, pure=True)(str(root), str(layer), chunk, i == 0)
                  for i, chunk in enumerate(chunks)]
        plan.append((layer, len(chunks)))
    parts: Any = _compute(tasks, scheduler, num_workers)
    findings = list(parts[0])
    position = 1
    for layer, count in plan:
        results = list(parts[position:position + count])
        position += count
        stitched = stitch(results, show(layer)) if results else None
        if stitched is None:  # a chunk did not start at a document record: check the file whole
            stitched = _layer_findings(str(root), str(layer))
        findings += stitched
    return findings
