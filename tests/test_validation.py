"""`cash validate` end to end: the real corpus, the CLI, read-only behaviour, code-point offsets."""

from __future__ import annotations

import dataclasses
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
        if path.stem in ("json-malformed", "json-too-deep"):
            continue  # a malformed or too deep line is refused when read: it never becomes a row
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        in_memory, from_file = validate_layer_rows(rows, Corpus.at(VALID), str(path)), validate_paths([path], VALID)
        if path.stem == "number-out-of-range":  # orjson reads an integer beyond 64 bits as a float: found differs
            in_memory, from_file = ([dataclasses.replace(f, found=None) for f in found]
                                    for found in (in_memory, from_file))
        assert in_memory == from_file, path.name


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


# --- input at the boundary (issue 11): located findings, never a traceback, never a leak ---

def _copy_valid(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(VALID, root)
    return root


def _gold_rows(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "annotations" / "gold.jsonl").read_text(encoding="utf-8").splitlines()]


def _write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_symlinked_layer_is_refused_and_never_read(tmp_path, capsys):
    import os
    root = _copy_valid(tmp_path)
    (root / "annotations" / "x.jsonl").symlink_to("/proc/self/environ")
    secret = "PATH=" + os.environ["PATH"]
    for argv in (["validate", str(root)], ["validate", "--json", str(root)]):
        code, out, err = _run(capsys, *argv)
        assert code == 1 and secret not in out + err and "PATH=" not in out + err
    report = json.loads(_run(capsys, "validate", "--json", str(root))[1])
    assert [(f["code"], f["file"]) for f in report["findings"]] == [("file-unsafe", "annotations/x.jsonl")]


def test_a_fifo_under_the_root_is_reported_without_blocking(tmp_path, capsys):
    import os
    import signal
    root = _copy_valid(tmp_path)
    os.mkfifo(root / "annotations" / "pipe.jsonl")
    os.mkfifo(root / "corpus" / "texts" / "stray.txt")
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("validation blocked on a FIFO"))
    signal.alarm(20)
    try:
        findings = validate_root(root)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert sorted((f.code, f.file) for f in findings) == [
        ("file-unsafe", "annotations/pipe.jsonl"), ("file-unsafe", "corpus/texts/stray.txt")]


def test_a_symlinked_annotations_folder_is_not_read(tmp_path):
    root = _copy_valid(tmp_path)
    (root / "annotations").rename(tmp_path / "elsewhere")
    (root / "annotations").symlink_to(tmp_path / "elsewhere")
    assert [(f.code, f.file) for f in validate_root(root)] == [("file-unsafe", "annotations")]


def test_an_id_holding_newline_and_esc_cannot_forge_a_line_or_colour_the_terminal(tmp_path, capsys):
    root = _copy_valid(tmp_path)
    rows = _gold_rows(root)
    rows[10]["document_id"] = "beta-notes\nannotations/gold.jsonl:1: [E forged] all good\x1b[31m"
    rows[7]["text"] = "The West\x1b]0;title\x07 must act"
    _write_rows(root / "annotations" / "gold.jsonl", rows)
    code, out, err = _run(capsys, "validate", str(root))
    assert code == 1 and "\x1b" not in out + err and "\x07" not in out + err
    assert all(line.startswith("annotations/gold.jsonl:") for line in out.splitlines())
    assert not any("[E forged]" in line.split(": [", 1)[0] for line in out.splitlines())


def test_json_output_is_one_complete_document_with_a_lone_surrogate_in_the_input(tmp_path, capsys):
    root = _copy_valid(tmp_path)
    lines = (root / "annotations" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].replace('"text": "The West must act now"', '"text": "The West \\ud800 act now"')
    lines[8] = lines[8].replace('"id": "q1"', '"id": "q\\udfff"')
    (root / "annotations" / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = _run(capsys, "validate", "--json", str(root))
    report = json.loads(out)  # one complete JSON document
    assert code == 1 and out.isascii()
    assert {(f["code"], f["line"]) for f in report["findings"]} >= {("json-malformed", 8), ("json-malformed", 9)}
    assert any("surrogate" in f["message"] for f in report["findings"])
    code, out, _ = _run(capsys, "validate", str(root))  # the text form prints too
    assert code == 1 and "surrogate" in out


@pytest.mark.parametrize("value,code", [(83.0, "schema-wrong-type"), (10 ** 30, "number-out-of-range"),
                                        (2 ** 63, "number-out-of-range"), (-(2 ** 63) - 1, "number-out-of-range")])
def test_offsets_are_64_bit_integers_never_coerced_floats(tmp_path, value, code):
    root = _copy_valid(tmp_path)
    rows = _gold_rows(root)
    rows[7]["end"] = value
    _write_rows(root / "annotations" / "gold.jsonl", rows)
    findings = validate_root(root)
    assert [(f.code, f.line, f.annotation_id) for f in findings] == [(code, 8, "c3")]


def test_structure_offsets_beyond_64_bits_are_a_finding_not_a_crash(tmp_path):
    root = _copy_valid(tmp_path)
    path = root / "corpus" / "structure.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows[1]["tokens"][0] = [0, 10 ** 30]
    rows[0]["sentences"][0] = [0, 7.0]
    _write_rows(path, rows)
    assert sorted((f.code, f.line) for f in validate_root(root)) == [
        ("number-out-of-range", 2), ("schema-wrong-type", 1)]


@pytest.mark.parametrize("where", ["corpus/corpus.json", "corpus/documents.jsonl", "annotations/gold.jsonl"])
def test_a_bom_an_empty_file_and_a_truncated_file_are_located_findings(tmp_path, where):
    root = _copy_valid(tmp_path)
    path = root / where
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original)
    findings = validate_root(root)
    assert any(f.code == "json-malformed" and f.file == where and "BOM" in f.message for f in findings)
    path.write_bytes(original[: len(original) // 2 + 7])
    assert any(f.code == "json-malformed" and f.file == where for f in validate_root(root))
    path.write_bytes(b"")
    findings = validate_root(root)
    assert errors(findings) and all(f.file for f in findings)


def test_deep_json_in_any_corpus_file_is_a_finding(tmp_path, capsys):
    root = _copy_valid(tmp_path)
    (root / "corpus" / "corpus.json").write_bytes(b'{"name": ' + b"[" * 3000 + b"]" * 3000 + b"}")
    with (root / "corpus" / "documents.jsonl").open("ab") as handle:
        handle.write(b"[" * 900 + b"]" * 900 + b"\n")
    code, out, _ = _run(capsys, "validate", "--json", str(root))
    report = json.loads(out)
    assert code == 1 and {(f["code"], f["file"]) for f in report["findings"]} >= {
        ("json-too-deep", "corpus/corpus.json"), ("json-too-deep", "corpus/documents.jsonl")}


@pytest.mark.parametrize("doc_id", ["beta-notes\n", "con", "nul"])
def test_document_ids_in_layers_are_matched_whole_and_device_names_refused(tmp_path, doc_id):
    root = _copy_valid(tmp_path)
    rows = _gold_rows(root)
    for row in rows[10:]:
        row["document_id"] = doc_id
    _write_rows(root / "annotations" / "gold.jsonl", rows)
    findings = validate_root(root)
    assert ("id-unsafe", 11) in {(f.code, f.line) for f in findings}


@pytest.mark.parametrize("doc_id", ["beta-notes\n", "aux"])
def test_document_ids_in_the_corpus_are_matched_whole_and_device_names_refused(tmp_path, doc_id):
    root = _copy_valid(tmp_path)
    path = root / "corpus" / "documents.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows.append({**rows[1], "id": doc_id})
    _write_rows(path, rows)
    assert ("id-unsafe", "corpus/documents.jsonl", 3) in {(f.code, f.file, f.line) for f in validate_root(root)}


def test_a_layer_name_with_a_trailing_newline_is_refused(tmp_path):
    root = _copy_valid(tmp_path)
    rows = _gold_rows(root)
    rows[0]["layer"] = "gold\n"
    _write_rows(root / "annotations" / "gold.jsonl", rows)
    assert [(f.code, f.line) for f in validate_root(root)] == [("id-unsafe", 1)]


def test_a_claim_listing_the_same_stance_target_twice_is_reported(tmp_path):
    root = _copy_valid(tmp_path)
    rows = _gold_rows(root)
    rows[5]["stance"] = [{"target": "T_IRAN_REGIME", "polarity": "against"},
                         {"target": "T_IRAN_REGIME", "polarity": "favor"}]
    _write_rows(root / "annotations" / "gold.jsonl", rows)
    assert [(f.code, f.line, f.annotation_id, f.start, f.end) for f in validate_root(root)] == [
        ("stance-target-duplicate", 6, "c1", 44, 81)]


def test_layer_checks_do_not_read_a_symlinked_text_either(tmp_path):
    """The corpus checks report the symlinked text; the layer checks must not read it to compare
    spans (the link points at other bytes: reading them would report span-text-mismatch)."""
    root = _copy_valid(tmp_path)
    text = root / "corpus" / "texts" / "beta-notes.txt"
    target = tmp_path / "elsewhere.txt"
    target.write_text("x" * len(text.read_text(encoding="utf-8")), encoding="utf-8")
    text.unlink()
    text.symlink_to(target)
    codes = {(f.code, f.file, f.document_id) for f in validate_root(root)}
    assert ("file-unsafe", "corpus/documents.jsonl", "beta-notes") in codes
    assert not any(code.startswith("span-") or code.startswith("offset-") for code, _, _ in codes)


@pytest.mark.parametrize("key,value", [("id", []), ("document_id", ["alpha-report"]), ("start", 2 ** 63)])
def test_the_token_boundary_check_skips_records_that_failed_the_schema(tmp_path, key, value):
    """A list as an id or an offset beyond 64 bits is a schema finding, never a crash of the later checks."""
    root = _copy_valid(tmp_path)
    rows = _gold_rows(root)
    rows[7][key] = value
    _write_rows(root / "annotations" / "gold.jsonl", rows)
    findings = validate_root(root)
    assert errors(findings) and all(f.line == 8 for f in errors(findings))


def test_json_output_is_a_complete_document_even_when_the_command_is_refused(tmp_path, capsys):
    code, out, err = _run(capsys, "validate", "--json", str(tmp_path / "no\nsuch.jsonl"))
    report = json.loads(out)
    assert code == 2 and report["refused"]["exit"] == 2 and report["findings"] == []
    assert "no such file" in err and "\n" not in err.rstrip("\n")


@pytest.mark.parametrize("layer_version,warned", [("1.0.0", False), ("1.2.0", False), ("1.3.0", True),
                                                  ("0.9.0", True), ("2.0.0", True)])
def test_a_layer_made_against_an_earlier_release_of_the_same_major_still_fits(small_corpus, layer_version, warned):
    import json as _json
    from cash_corpus.corpus import Corpus
    from cash_corpus.validation import validate_layer_rows
    info = small_corpus / "corpus" / "corpus.json"
    info.write_text(_json.dumps({**_json.loads(info.read_text(encoding="utf-8")), "version": "1.2.0"}), encoding="utf-8")
    header = {"record": "layer", "layer": "x", "schema_version": schema_version(), "corpus_version": layer_version,
              "provenance": {"method": "manual", "annotator": "t", "tool": None, "guideline_version": "1.0.0",
                             "date": "2026-11-29", "notes": None}}
    codes = [f.code for f in validate_layer_rows([header], Corpus.at(small_corpus), "x.jsonl")]
    assert ("corpus-version-mismatch" in codes) is warned
