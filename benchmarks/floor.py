"""The floor: the least work any `cash validate` or `cash build` must do on a corpus root.

Read and parse every file `cash validate` reads (every JSON Lines line and JSON file with
orjson, the cyclic garbage collector paused) and read every raw text (bytes, decoded as UTF-8).
Nothing is checked and nothing is kept: the parsed objects are dropped as they are made.
validate/floor and build/floor say how close the tools are to pure I/O + parsing.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import orjson


def floor_files(root: Path) -> tuple[list[Path], list[Path]]:
    """(JSON and JSON Lines files, raw texts) that `cash validate` reads under `root`."""
    root = Path(root)
    json_files = [p for p in (root / "schema" / "cash.schema.json", root / "corpus" / "corpus.json") if p.is_file()]
    jsonl = [root / "corpus" / "documents.jsonl", root / "corpus" / "structure.jsonl"]
    jsonl += sorted((root / "annotations").glob("*.jsonl"))
    texts_dir = root / "corpus" / "texts"
    with os.scandir(texts_dir) as entries:
        texts = [texts_dir / e.name for e in entries if e.name.endswith(".txt")]
    return json_files + [p for p in jsonl if p.is_file()], texts


def parse_floor(root: Path) -> int:
    """Parse every JSON/JSONL file and read every text once; returns the number of records parsed."""
    json_files, texts = floor_files(root)
    loads = orjson.loads
    was = gc.isenabled()
    gc.disable()
    try:
        count = 0
        for path in json_files:
            with open(path, "rb") as handle:
                if path.suffix == ".jsonl":
                    for line in handle:
                        if line.strip():
                            loads(line)
                            count += 1
                else:
                    loads(handle.read())
                    count += 1
        for path in texts:
            with open(path, "rb") as handle:
                handle.read().decode("utf-8")
        return count
    finally:
        if was:
            gc.enable()
