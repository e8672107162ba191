"""One measured job in a fresh interpreter: prints {"seconds", "peak_rss_bytes"} as JSON.

Modes: `idle` (the same imports, nothing else: the memory floor), `import` (`cash ls import`'s
library function on an export), `convert` (label_studio_sdk.converter JSON -> JSON_MIN on it).
Peak RSS is this process's own `resource.getrusage(RUSAGE_SELF).ru_maxrss` at exit (kilobytes on
Linux), i.e. the high-water mark of resident memory over the whole process life.
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


def main(argv: list[str]) -> int:
    mode = argv[0]
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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
