"""benchmarks/run.py --quick runs end to end and writes a well-formed table (never timed here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = "| size | figure | ours | baseline | ratio | goal | met? |"
FIGURES = ("floor: ", "validate / floor", "validate: peak RSS", "validate on a dask.distributed LocalCluster",
           "validate: speed-up", "build / floor", "build: peak RSS", "build: ", "build on Dask",
           "load_dataset cold", "load_dataset warm", "ls import: speed-up", "ls import: peak RSS")


def test_quick_mode_writes_a_well_formed_table(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--out", str(out),
                           "--workdir", str(tmp_path / "work")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "## Machine" in text and re.search(r"CPU: .+; \d+ logical cores", text) and "pyarrow" in text
    lines = text.splitlines()
    start = lines.index(HEADER)
    rows = [line for line in lines[start + 2:] if line.startswith("|")]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    assert all(len(c) == 7 for c in cells)
    sizes = {c[0] for c in cells}
    assert sizes == {"100", "400"}
    for size in sizes:
        figures = [c[1] for c in cells if c[0] == size]
        assert all(any(f.startswith(name) for f in figures) for name in FIGURES), figures
    for c in cells:
        assert re.fullmatch(r"\d+\.\d+×|—", c[4]), c
        assert c[6] in {"yes", "no", "—", "not measured"}, c
    assert "same fingerprint: yes" in text and "same fingerprint: NO" not in text
    assert "same findings: yes" in text and "same findings: NO" not in text
    assert re.search(r"load averages .*: synth [\d.]+ [\d.]+ [\d.]+; validate", text)
    assert "Not run" not in text
