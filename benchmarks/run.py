"""Benchmarks at scale -> BENCHMARKS.md. Every figure is a ratio against a baseline run in the same run.

    python benchmarks/run.py                 # 1k, 10k, 100k documents (about 10 annotations each)
    python benchmarks/run.py --quick         # small sizes, under a minute (what the tests run)
    python benchmarks/run.py --sizes 1000 10000 --out /tmp/B.md

Figures per size (corpora from `cash synth`, seed fixed):
- floor (benchmarks/floor.py): orjson over every JSON/JSONL file `cash validate` reads with the cyclic
  GC paused, plus reading every raw text; nothing checked. validate/floor and build/floor are the
  main figures (goals ≤ 3× and ≤ 5×);
- validate: `validation.validate_root` (what `cash validate` runs) / floor; also vs per-record
  `jsonschema` validation of the same records (documents, structure, layer lines), and on a
  dask.distributed LocalCluster (127.0.0.1, --workers processes) vs one process;
- build: `hf.publish.write_build` (what `cash build` runs, from scratch) / floor, and relative to the
  smallest size's build time x the size ratio (linear growth means ratio = size ratio); plus the Dask
  build on a LocalCluster with 1 and --workers worker processes vs one process (same fingerprint);
- floor, validate and build each run in a fresh interpreter (benchmarks/child.py), best of 3 up to 10k
  documents, 1 run above (the floor best of 2 there: its first pass warms the page cache); peak RSS = that process's high-water mark (imports included; plus the Dask
  workers' own peaks, summed, where there are workers); goal < 2 GiB;
- load_dataset cold (empty cache) and warm (same cache) vs `pyarrow.parquet.read_table` of the same files;
- ls import: `labelstudio.importer.import_export` vs `label_studio_sdk.converter` JSON -> JSON_MIN, each in
  a fresh interpreter (benchmarks/child.py); peak memory = the import process's peak RSS during the job
  (high-water mark reset after the imports) minus that of an idle interpreter with the same imports,
  compared with the export file's size.
Wall-clock times are `time.perf_counter()`, on the machine named in the file, with its load averages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from machine import machine_lines  # noqa: E402

FULL_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (100, 400)
SEED = 20261121
SHARD_SIZE = 10_000
QUICK_SHARD_SIZE = 100


@dataclass
class Row:
    """One line of the table: ratio = ours / baseline; `met` compares the ratio with the goal."""

    size: int
    figure: str
    ours: str
    baseline: str
    ratio: float | None
    goal: str
    met: str


def timed(func, *args, **kwargs):
    started = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - started, value


def seconds(value: float) -> str:
    return f"{value:.3f} s"


def mib(value: float) -> str:
    return f"{value / 2**20:.1f} MiB"


def verdict(ratio: float, at_most: float | None = None, at_least: float | None = None) -> str:
    if at_most is not None:
        return "yes" if ratio <= at_most else "no"
    return "yes" if ratio >= at_least else "no"


# ---------------------------------------------------------------- the figures

def jsonschema_baseline(root: Path) -> int:
    """Validate every record of the corpus with jsonschema, one record at a time; returns the error count."""
    from cash_corpus.schema import validator
    checks = [(root / "corpus" / "documents.jsonl", "document_metadata"),
              (root / "corpus" / "structure.jsonl", "structure_record")]
    checks += [(layer, "annotation_record") for layer in sorted((root / "annotations").glob("*.jsonl"))]
    count = 0
    for path, definition in checks:
        check = validator(definition)
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                count += sum(1 for _ in check.iter_errors(json.loads(line)))
    return count


def corpus_child(mode: str, root: Path, *extra: str, repeat: int = 1, workers: int | None = None) -> dict:
    """floor / validate / build of `root` in a fresh interpreter (benchmarks/child.py): best of `repeat`."""
    args = [mode, str(root), *extra, "--repeat", str(repeat)]
    if workers:
        args += ["--workers", str(workers)]
    return child(*args)


def peak(result: dict) -> str:
    own = mib(result["peak_rss_bytes"])
    workers = result.get("worker_peak_rss_bytes")
    return own if workers is None else f"{own} + workers {mib(workers)}"


def bench_floor(size: int, root: Path, repeat: int) -> tuple[list[Row], dict]:
    """The floor: orjson over every file `cash validate` reads (GC paused) plus reading every raw text."""
    floor = corpus_child("floor", root, repeat=repeat)
    rows = [Row(size, f"floor: parse every JSON/JSONL file (orjson, GC paused) + read every text; "
                f"peak RSS {peak(floor)}", seconds(floor["seconds"]), seconds(floor["seconds"]), 1.0,
                "(baseline)", "—")]
    return rows, floor


def bench_validate(size: int, root: Path, baseline_limit: int, floor: dict, repeat: int,
                   workers: int) -> list[Row]:
    ours = corpus_child("validate", root, repeat=repeat)
    rows = [Row(size, f"validate / floor (cash validate; peak RSS {peak(ours)})", seconds(ours["seconds"]),
                seconds(floor["seconds"]), ours["seconds"] / floor["seconds"], "≤ 3×",
                verdict(ours["seconds"] / floor["seconds"], at_most=3)),
            Row(size, "validate: peak RSS vs 2 GiB", mib(ours["peak_rss_bytes"]), mib(2 * 2**30),
                ours["peak_rss_bytes"] / 2**31, "< 1× (2 GiB)", verdict(ours["peak_rss_bytes"] / 2**31, at_most=1))]
    on_dask = corpus_child("validate", root, repeat=1, workers=workers)
    same = on_dask["value"] == ours["value"]
    rows.append(Row(size, f"validate on a dask.distributed LocalCluster, {workers} worker processes "
                    f"(same findings: {'yes' if same else 'NO'}; peak RSS {peak(on_dask)})", seconds(on_dask["seconds"]),
                    seconds(ours["seconds"]), on_dask["seconds"] / ours["seconds"],
                    "info (vs one process); must be identical", "yes" if same else "no"))
    if size > baseline_limit:
        rows.append(Row(size, "validate: speed-up over per-record jsonschema (baseline not run at this size)",
                        seconds(ours["seconds"]), "not run", None, "info", "not measured"))
        return rows
    from cash_corpus.validation import errors, validate_root
    base, base_errors = timed(jsonschema_baseline, root)
    if base_errors:
        raise SystemExit(f"synthetic corpus of {size} documents is not valid: {base_errors} jsonschema errors")
    speedup = base / ours["seconds"]
    rows.append(Row(size, "validate: speed-up over per-record jsonschema", seconds(ours["seconds"]), seconds(base),
                    speedup, "info (was ≥ 20×)", "—"))
    return rows


def bench_build(size: int, root: Path, shard_size: int, first: tuple[int, float] | None, floor: dict,
                workers: int) -> tuple[list[Row], float]:
    ours = corpus_child("build", root, str(shard_size))
    build = ours["seconds"]
    rows = [Row(size, f"build / floor (cash build; peak RSS {peak(ours)})", seconds(build),
                seconds(floor["seconds"]), build / floor["seconds"], "≤ 5×", verdict(build / floor["seconds"], at_most=5)),
            Row(size, "build: peak RSS vs 2 GiB", mib(ours["peak_rss_bytes"]), mib(2 * 2**30),
                ours["peak_rss_bytes"] / 2**31, "< 1× (2 GiB)", verdict(ours["peak_rss_bytes"] / 2**31, at_most=1))]
    rate = f"{size / build:,.0f} docs/s"
    if first is None:
        rows.append(Row(size, f"build: time ({rate}); growth baseline", seconds(build), seconds(build), 1.0,
                        "(baseline)", "—"))
    else:
        first_size, first_time = first
        growth = build / first_time
        limit = 1.1 * size / first_size
        rows.append(Row(size, f"build: growth vs {first_size:,} docs ({rate})", seconds(build), seconds(first_time),
                        growth, f"≤ {limit:.0f}× (linear +10%)", verdict(growth, at_most=limit)))
    for count in sorted({1, workers}):
        on_dask = corpus_child("build", root, str(shard_size), workers=count)
        same = on_dask["value"] == ours["value"]
        rows.append(Row(size, f"build on Dask, LocalCluster with {count} worker process{'es' if count > 1 else ''} "
                        f"(same fingerprint: {'yes' if same else 'NO'}; peak RSS {peak(on_dask)})",
                        seconds(on_dask["seconds"]), seconds(build), on_dask["seconds"] / build,
                        "info (vs one process); must be identical", "yes" if same else "no"))
    return rows, build


def bench_load(size: int, root: Path, work: Path) -> list[Row]:
    import datasets
    import pyarrow.parquet as pq
    datasets.disable_progress_bars()
    config = "documents"
    files = sorted((root / "data" / config).glob("*.parquet"))
    cache = work / f"hf-cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    cold, ds = timed(datasets.load_dataset, str(root), config, split="test", cache_dir=str(cache))
    warm, ds_warm = timed(datasets.load_dataset, str(root), config, split="test", cache_dir=str(cache))
    base, table = timed(lambda: [pq.read_table(f) for f in files])
    rows_read = sum(t.num_rows for t in table)
    if not (len(ds) == len(ds_warm) == rows_read == size):
        raise SystemExit(f"load_dataset returned {len(ds)}/{len(ds_warm)} rows, read_table {rows_read}, expected {size}")
    shutil.rmtree(cache, ignore_errors=True)
    return [Row(size, f"load_dataset cold ({config} config)", seconds(cold), seconds(base), cold / base, "≤ 1.2×",
                verdict(cold / base, at_most=1.2)),
            Row(size, f"load_dataset warm ({config} config)", seconds(warm), seconds(base), warm / base, "≤ 0.2×",
                verdict(warm / base, at_most=0.2))]


def child(*args: str) -> dict:
    """Run benchmarks/child.py in a fresh interpreter; its JSON line holds seconds and peak RSS."""
    done = subprocess.run([sys.executable, str(HERE / "child.py"), *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"child {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_ls_import(size: int, root: Path, export: Path, work: Path) -> list[Row]:
    layer = "bench-import"
    idle = child("idle")
    ours = child("import", str(root), str(export), layer)
    imported = root / "annotations" / f"{layer}.jsonl"
    gold = root / "annotations" / "gold.jsonl"
    same = _same_records(imported, gold)
    imported.unlink()
    out_dir = Path(tempfile.mkdtemp(dir=work))
    base = child("convert", str(export), str(out_dir))
    shutil.rmtree(out_dir)
    if not same:
        raise SystemExit("the imported layer differs from the gold layer the export was made from")
    speedup = base["seconds"] / ours["seconds"]
    export_size = export.stat().st_size
    extra = ours["peak_rss_bytes"] - idle["peak_rss_bytes"]
    return [Row(size, "ls import: speed-up over converter JSON→JSON_MIN", seconds(ours["seconds"]),
                seconds(base["seconds"]), speedup, "≥ 3×", verdict(speedup, at_least=3)),
            Row(size, f"ls import: peak RSS − idle RSS ({mib(idle['peak_rss_bytes'])}) vs export size",
                mib(extra), mib(export_size), extra / export_size, "≤ 2×", verdict(extra / export_size, at_most=2)),
            Row(size, "converter: peak RSS − idle RSS vs export size (info)",
                mib(base["peak_rss_bytes"] - idle["peak_rss_bytes"]), mib(export_size),
                (base["peak_rss_bytes"] - idle["peak_rss_bytes"]) / export_size, "info", "—")]


def _same_records(imported: Path, gold: Path) -> bool:
    """Whether an imported layer holds the gold layer's records (streamed): the import names records
    with CASH ids (`labelstudio.ids.assign_ids`) and adds Label Studio provenance, which is left out."""
    from itertools import zip_longest

    from cash_corpus.labelstudio.ids import assign_ids
    from cash_corpus.layers import iter_documents

    def rows(doc):
        return [{k: v for k, v in row.items() if k not in ("ls_region_id", "ls_annotation")} for row in doc.records()]

    for mine, theirs in zip_longest(iter_documents(imported), iter_documents(gold)):
        if mine is None or theirs is None or rows(mine) != assign_ids(theirs).records():
            return False
    return True


# ---------------------------------------------------------------- the run

STEPS = ("validate", "build", "load", "ls import")


def run(sizes: tuple[int, ...], shard_size: int, work: Path, log, baseline_limit: int,
        checkpoint=lambda rows, notes, done: None, workers: int = 2,
        steps: tuple[str, ...] = STEPS) -> tuple[list[Row], list[str]]:
    """All figures size by size; `checkpoint` is called after each size, so a long run keeps what finished."""
    from cash_corpus.synth import write_synth
    rows: list[Row] = []
    notes: list[str] = []
    first: tuple[int, float] | None = None
    for size in sizes:
        folder = work / f"n{size}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        root, export = folder / "root", folder / "export.json"
        synth_time, summary = timed(write_synth, root, size, SEED, export)
        notes.append(f"{size:,} documents: {summary.annotations:,} annotations ({summary.claims:,} claims, "
                     f"{summary.cues:,} cues, {summary.attributions:,} attributions), "
                     f"export {mib(export.stat().st_size)}, generated in {synth_time:.1f} s")
        log(notes[-1])
        loads = [f"synth {load()}"]
        repeat = 3 if size <= 10_000 else 1
        # best of 2 at least: the first pass after `cash synth` may read texts from disk that later
        # steps find in the page cache (1M: 72 s cold against ~50 s warm)
        floor_rows, floor = bench_floor(size, root, max(repeat, 2))
        rows += floor_rows
        log(f"  floor: {floor['seconds']:.2f} s (load {load()})")
        for name, step in (("validate", lambda: bench_validate(size, root, baseline_limit, floor, repeat, workers)),
                           ("build", lambda: bench_build(size, root, shard_size, first, floor, workers)),
                           ("load", lambda: bench_load(size, root, work)),
                           ("ls import", lambda: bench_ls_import(size, root, export, folder))):
            if name not in steps:
                continue
            started = time.perf_counter()
            new_rows = step()
            if name == "build":
                new_rows, build_time = new_rows
                first = first or (size, build_time)
            rows += new_rows
            log(f"  {name}: {time.perf_counter() - started:.1f} s (load {load()})")
            loads.append(f"{name} {load()}")
        notes.append(f"{size:,} documents, load averages (1/5/15 min, 2 cores) after each step: " + "; ".join(loads))
        shutil.rmtree(folder, ignore_errors=True)
        checkpoint(rows, notes, size)
    return rows, notes


def load() -> str:
    """The 1, 5 and 15-minute load averages (`uptime`): how busy the shared machine was."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def render(rows: list[Row], notes: list[str], mode: str, findings: str, pending: tuple[int, ...] = ()) -> str:
    lines = ["# Benchmarks", "", f"Written by `python benchmarks/run.py{' --quick' if mode == 'quick' else ''}` "
             "(do not edit by hand). Ratio = ours / baseline, except speed-ups = baseline / ours.", "",
             "## Machine", "", *machine_lines(), "", "## Corpora", "",
             *[f"- {note}" for note in notes], "", "## Results", "",
             "| size | figure | ours | baseline | ratio | goal | met? |", "|---:|---|---:|---:|---:|---|---|"]
    for row in rows:
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        lines.append(f"| {row.size:,} | {row.figure} | {row.ours} | {row.baseline} | {ratio} | {row.goal} | {row.met} |")
    if pending:
        lines += ["", f"Not run (yet): sizes {', '.join(f'{n:,}' for n in pending)} — this file is rewritten after "
                  "each size, so these were still running or did not finish when it was last written."]
    lines += ["", findings.strip(), ""]
    return "\n".join(lines)


FINDINGS_FILE = HERE / "FINDINGS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} (under a minute)")
    parser.add_argument("--sizes", type=int, nargs="+", help=f"document counts (default {FULL_SIZES})")
    parser.add_argument("--shard-size", type=int, help="documents per Parquet shard")
    parser.add_argument("--jsonschema-limit", type=int, default=10_000, metavar="N",
                        help="skip the per-record jsonschema baseline above N documents (it takes ~3 ms per "
                        "document on 2 cores: ~20 min at 100k); default 10000")
    parser.add_argument("--out", type=Path, default=HERE.parent / "BENCHMARKS.md", help="where to write the table")
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster worker processes (default 2)")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS),
                        help="which figures to measure besides the floor (default: all)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temporary folder)")
    args = parser.parse_args(argv)
    sizes = tuple(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))
    shard_size = args.shard_size or (QUICK_SHARD_SIZE if args.quick else SHARD_SIZE)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="cash-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    mode = "quick" if args.quick else "full"

    def checkpoint(rows, notes, done):
        from cash_corpus.jsonl import atomic_writer
        findings = FINDINGS_FILE.read_text(encoding="utf-8") if FINDINGS_FILE.exists() else ""
        with atomic_writer(args.out) as handle:
            handle.write(render(rows, notes, mode, findings, sizes[sizes.index(done) + 1:]))
        log(f"wrote {args.out} ({done:,} documents done)")

    run(sizes, shard_size, work, log, args.jsonschema_limit, checkpoint, args.workers, tuple(args.steps))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
