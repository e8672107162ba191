"""`cash validate` end to end: the real corpus, the CLI, read-only behaviour, code-point offsets."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus, add_document, init_corpus
from cash_corpus.layers import write_layer
from cash_corpus.records import Claim, DocumentAnnotations, Holder, LayerHeader, Provenance, Span
from cash_corpus.schema import schema_version
from cash_corpus.validation import (Finding, errors, format_finding, validate_layer_rows, validate_paths,
                                    validate_root)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "validation"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"


def test_the_repository_corpus_and_its_existing_layers_have_no_errors():
    findings = validate_root(REPO)
    assert errors(findings) == [], "\n".join(map(format_finding, errors(findings)))


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_validation_never_modifies_or_creates_files(tmp_path, capsys):
    copy = tmp_path / "validation"
    shutil.copytree(FIXTURES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = _hashes(copy)
    assert main(["validate", str(copy / "valid")]) == 0
    assert main(["--root", str(copy / "valid"), "validate", *map(str, sorted((copy / "invalid").glob("*.jsonl")))]) == 1
    for folder in sorted(p for p in (copy / "invalid").iterdir() if p.is_dir()):
        main(["validate", "--json", str(folder)])
    capsys.readouterr()
    assert _hashes(copy) == before


def test_cli_exit_codes_and_json(capsys):
    assert main(["validate", str(VALID)]) == 0
    assert main(["--root", str(VALID), "validate", str(INVALID / "span-whitespace.jsonl")]) == 0  # warning only
    assert main(["--root", str(VALID), "validate", "--strict", str(INVALID / "span-whitespace.jsonl")]) == 1
    capsys.readouterr()
    assert main(["--root", str(VALID), "validate", "--json", str(INVALID / "span-text-mismatch.jsonl")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1 and report["warnings"] == 0
    assert report["findings"][0] == validate_paths([INVALID / "span-text-mismatch.jsonl"], VALID)[0].to_dict()
    assert main(["validate", str(FIXTURES / "no-such-file.jsonl")]) == 2
    assert main(["validate", str(FIXTURES / "build_valid.py")]) == 2


def test_human_output_is_one_located_line_per_finding(capsys):
    path = INVALID / "span-text-mismatch.jsonl"
    assert main(["--root", str(VALID), "validate", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}:8 doc=alpha-report ann=c3 [156, 177): [E span-text-mismatch] $: span text differs from the raw "
        "text. Found 'The West must act now'. Expected 'he West must act now.'. Hint: offsets are code points, "
        "not UTF-16 units or bytes; never normalise the text\n")


def test_format_finding_omits_unknown_parts():
    f = Finding("file-missing", "error", "file missing", file="corpus/structure.jsonl")
    assert format_finding(f) == "corpus/structure.jsonl: [E file-missing] file missing."


def test_rows_in_memory_give_the_same_findings_as_the_file():
    for path in sorted(INVALID.glob("*.jsonl")):
        if path.stem == "json-malformed":
            continue  # a malformed line cannot exist as an in-memory row
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert validate_layer_rows(rows, Corpus.at(VALID), str(path)) == validate_paths([path], VALID), path.name


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("units", ["code points", "utf-16"])
def test_offsets_count_code_points_not_utf16_units(tmp_path, units):
    text = "Title 𝔸😀\nOfficials 😀 said Iran 𝔸 may act, and more text follows here.\n"
    root = tmp_path / "root"
    init_corpus(root, "T", "1.0.0", schema_version())
    source = tmp_path / "doc.txt"
    source.write_text(text, encoding="utf-8")
    meta = add_document(root, source, title="Title 𝔸😀", doc_id="doc")
    piece = "Iran 𝔸 may act"
    start = text.index(piece) if units == "code points" else _utf16_length(text[:text.index(piece)])
    claim = Claim("c1", "doc", Span(start, start + len(piece), piece), "factual", "possible", "positive",
                  Holder("author"), ())
    header = LayerHeader("gold", schema_version(), Provenance("manual", "t", "1.0.0", "2026-11-21"), "1.0.0")
    write_layer(root / "annotations" / "gold.jsonl", header, [DocumentAnnotations("doc", meta.sha256, (), (claim,))])
    codes = [f.code for f in validate_root(root)]
    assert codes == ([] if units == "code points" else ["span-text-mismatch"])
