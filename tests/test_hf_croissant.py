"""croissant.json is generated from the build's metadata and passes mlcroissant validation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mlcroissant

from cash_corpus.hf.publish import write_build

from hf_helpers import make_corpus


def test_croissant_validates_and_matches_the_build(tmp_path):
    root = make_corpus(tmp_path / "root")
    plan = write_build(root).plan
    path = root / "croissant.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == "1.0.0" and document["license"] == "unknown"
    files = {d["contentUrl"]: d["sha256"] for d in document["distribution"] if d["@type"] == "cr:FileObject"}
    assert files == plan.hashes
    assert [r["name"] for r in document["recordSet"]] == [c.name for c in plan.configs]
    dataset = mlcroissant.Dataset(jsonld=str(path))  # raises ValidationError on any error
    assert dataset.metadata.version == "1.0.0"
    cli = subprocess.run([str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld", str(path)],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr[-2000:]


def test_mlcroissant_rejects_a_broken_file(tmp_path):
    """The validation above can fail: a record set field without a data type is refused."""
    root = make_corpus(tmp_path / "root", with_pass_a=False)
    write_build(root)
    path = root / "croissant.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["recordSet"][1]["field"][0]["dataType"]
    path.write_text(json.dumps(document), encoding="utf-8")
    cli = subprocess.run([str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld", str(path)],
                         capture_output=True, text=True)
    assert cli.returncode != 0
