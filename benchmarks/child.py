"""One measured job in a fresh interpreter: prints {"seconds", "peak_rss_bytes", ...} as JSON.

Modes:
- `idle` (the Label Studio imports, nothing else: the memory floor of the import figures), `import`
  (`cash ls import`'s library function on an export), `convert` (label_studio_sdk.converter
  JSON -> JSON_MIN on it). Peak RSS is the high-water mark of this process's resident memory *during
  the job*: after the imports, the mark is reset (Linux: write 5 to /proc/self/clear_refs) and
  `VmHWM` is read from /proc/self/status at the end. Without that interface it falls back to
  `getrusage(RUSAGE_SELF).ru_maxrss`, the mark over the whole process life (imports included).
- `floor ROOT`, `validate ROOT`, `build ROOT SHARD_SIZE [--workers N]` (the floor, `cash validate`,
  `cash build`; with --workers the build and validation run on a dask.distributed LocalCluster):
  `--repeat K` runs the job K times and reports the best time; peak RSS is the whole process's
  high-water mark since exec (imports included: what a user's `cash` process needs), plus the
  cluster workers' own peaks, summed, when there are workers.
"""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path


def reset_peak_rss() -> bool:
    """Reset the kernel's resident-memory high-water mark to the current RSS (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_bytes(reset: bool) -> int:
    """VmHWM: this process's resident high-water mark since exec (or since the reset). Not
    `ru_maxrss`, which Linux carries over exec from the parent (run.py holds a whole corpus)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _option(argv: list[str], name: str, default: int | None) -> int | None:
    return int(argv[argv.index(name) + 1]) if name in argv else default


def corpus_job(mode: str, argv: list[str]) -> dict:
    """floor / validate / build on a corpus root; best of --repeat runs."""
    root = Path(argv[0])
    repeat = _option(argv, "--repeat", 1)
    workers = _option(argv, "--workers", None)
    cluster = client = None
    if workers:
        from cash_corpus.distributed import local_cluster
        cluster, client = local_cluster(workers)
    if mode == "floor":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from floor import parse_floor
        job = lambda: parse_floor(root)  # noqa: E731
    elif mode == "validate":
        from cash_corpus.validation import errors, validate_root

        def job():
            if client is not None:
                from cash_corpus.distributed import validate_on_cluster
                findings = validate_on_cluster(root, client)
            else:
                findings = validate_root(root)
            if errors(findings):
                raise SystemExit(f"{len(errors(findings))} error findings on a synthetic corpus")
            listed = json.dumps([f.to_dict() for f in findings], sort_keys=True).encode()
            return hashlib.sha256(listed).hexdigest()
    elif mode == "build":
        from cash_corpus.hf.publish import write_build
        shard_size = int(argv[1])

        def job():
            for rel in ("data", "README.md", "croissant.json"):  # every run builds from scratch
                target = root / rel
                shutil.rmtree(target) if target.is_dir() else target.unlink(missing_ok=True)
            if client is not None:
                from cash_corpus.distributed import build_on_cluster
                return build_on_cluster(root, shard_size, client).plan.fingerprint
            return write_build(root, shard_size).plan.fingerprint
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = job()
        times.append(time.perf_counter() - started)
    out = {"seconds": min(times), "all_seconds": times, "peak_rss_bytes": peak_rss_bytes(False),
           "value": value}
    if client is not None:
        out["worker_peak_rss_bytes"] = sum(client.run(lambda: peak_rss_bytes(False)).values())
        client.close()
        cluster.close()
    return out


def ls_job(mode: str, argv: list[str]) -> dict:
    from label_studio_sdk.converter import Converter  # noqa: F401  (same imports in every mode)
    from label_studio_sdk.converter.converter import Format

    from cash_corpus.corpus import Corpus
    from cash_corpus.labelstudio.config import labeling_config
    from cash_corpus.labelstudio.importer import import_export
    reset = reset_peak_rss()
    started = time.perf_counter()
    if mode == "import":
        root, export, layer = Path(argv[0]), Path(argv[1]), argv[2]
        import_export(Corpus.at(root), export, layer, annotators="merge")
    elif mode == "convert":
        export, out_dir = Path(argv[0]), Path(argv[1])
        converter = Converter(config=labeling_config(), project_dir=tempfile.mkdtemp(), download_resources=False)
        converter.convert(str(export), str(out_dir), Format.JSON_MIN, is_dir=False)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_rss_bytes": peak_rss_bytes(reset), "peak_reset": reset}


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode in ("idle", "import", "convert"):
        out = ls_job(mode, argv[1:])
    else:
        out = corpus_job(mode, argv[1:])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
