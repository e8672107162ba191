"""Repository hygiene that no other test sees: no merge conflict left in a tracked text file."""

from __future__ import annotations

import re
import subprocess

MARKER = re.compile(rb"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_tracked_file_holds_a_merge_conflict_marker(repo_root):
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=repo_root, capture_output=True, check=True).stdout
    offenders = []
    for name in filter(None, tracked.decode().split("\0")):
        path = repo_root / name
        if path.suffix in {".parquet", ".png", ".gz"} or not path.is_file():
            continue
        if MARKER.search(path.read_bytes()):
            offenders.append(name)
    assert offenders == [], f"merge conflict markers in {offenders}"
