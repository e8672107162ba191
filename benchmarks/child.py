"""One measured job in a fresh interpreter: prints {"seconds", "peak_rss_bytes"} as JSON.

Modes: `idle` (the same imports, nothing else: the memory floor), `import` (`cash ls import`'s
library function on an export), `convert` (label_studio_sdk.converter JSON -> JSON_MIN on it).
Peak RSS is the high-water mark of this process's resident memory *during the job*: after the
imports, the mark is reset (Linux: write 5 to /proc/self/clear_refs) and `VmHWM` is read from
/proc/self/status at the end. Without that interface it falls back to
`getrusage(RUSAGE_SELF).ru_maxrss`, the mark over the whole process life (imports included).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from label_studio_sdk.converter import Converter  # noqa: F401  (same imports in every mode)
from label_studio_sdk.converter.converter import Format

from cash_corpus.corpus import Corpus
from cash_corpus.labelstudio.config import labeling_config
from cash_corpus.labelstudio.importer import import_export


def reset_peak_rss() -> bool:
    """Reset the kernel's resident-memory high-water mark to the current RSS (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_bytes(reset: bool) -> int:
    if reset:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv: list[str]) -> int:
    mode = argv[0]
    reset = reset_peak_rss()
    started = time.perf_counter()
    if mode == "import":
        root, export, layer = Path(argv[1]), Path(argv[2]), argv[3]
        import_export(Corpus.at(root), export, layer, annotators="merge")
    elif mode == "convert":
        export, out_dir = Path(argv[1]), Path(argv[2])
        converter = Converter(config=labeling_config(), project_dir=tempfile.mkdtemp(), download_resources=False)
        converter.convert(str(export), str(out_dir), Format.JSON_MIN, is_dir=False)
    elif mode != "idle":
        raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak_rss_bytes(reset), "peak_reset": reset}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
