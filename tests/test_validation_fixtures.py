"""One invalid fixture per finding code: each yields exactly its code at the stated location."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cash_corpus.validation import CODES, validate_paths, validate_root

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "VALIDATION.md"

A, B = "alpha-report", "beta-notes"
# code -> (line, document id, annotation id, start, end) for layer fixtures <code>.jsonl
LAYER = {
    "json-malformed": (8, None, None, None, None),
    "schema-unknown-field": (8, A, "c3", 155, 176),
    "schema-missing-field": (8, A, "c3", 155, 176),
    "schema-wrong-type": (8, A, "c3", 155, 176),
    "schema-constraint": (9, A, "q1", 49, 52),
    "record-unknown": (9, A, None, None, None),
    "label-unknown": (8, A, "c3", 155, 176),
    "id-unsafe": (15, "../x", None, None, None),
    "provenance-missing": (1, None, None, None, None),
    "attribution-incomplete": (3, A, "a1", None, None),
    "offset-negative": (8, A, "c3", -1, 176),
    "offset-empty": (8, A, "c3", 155, 155),
    "offset-out-of-range": (8, A, "c3", 155, 500),
    "span-text-mismatch": (8, A, "c3", 156, 177),
    "span-whitespace": (8, A, "c3", 154, 176),
    "span-inside-token": (8, A, "c3", 156, 176),
    "id-duplicate": (8, A, "c2", None, None),
    "document-duplicate": (15, B, None, None, None),
    "document-unknown": (15, "gamma-unknown", None, None, None),
    "ref-dangling": (9, A, "q1", None, None),
    "ref-cycle": (4, A, "a2", None, None),
    "holder-inconsistent": (8, A, "c3", None, None),
    "stance-target-duplicate": (11, B, None, None, None),
    "header-missing": (1, None, None, None, None),
    "header-misplaced": (11, None, None, None, None),
    "layer-name-mismatch": (1, None, None, None, None),
    "layer-empty": (None, None, None, None, None),
    "schema-version-unsupported": (1, None, None, None, None),
    "corpus-version-mismatch": (1, None, None, None, None),
    "text-version-mismatch": (11, B, None, None, None),
    "record-outside-document": (11, B, "q1", None, None),
    "record-unsorted": (10, A, "q1", None, None),
    "claim-outside-attribution": (7, A, "c2", 125, 153),
    "attribution-outside-parent": (3, A, "a1", 24, 81),
    "json-too-deep": (8, None, None, None, None),
    "number-out-of-range": (8, A, "c3", None, None),
    "attribution-cue-in-content": (3, A, "a1", 34, 38),
    "attribution-source-is-content": (3, A, "a1", 44, 81),
}
# code -> (file, line, document id, start, end) for corpus fixtures <code>/ (no annotation ids there)
CORPUS = {
    "file-missing": ("corpus/structure.jsonl", None, None, None, None),
    "corpus-info-invalid": ("corpus/corpus.json", None, None, None, None),
    "schema-version-unsupported": ("corpus/corpus.json", None, None, None, None),
    "schema-invalid": ("schema/cash.schema.json", None, None, None, None),
    "text-missing": ("corpus/documents.jsonl", 2, B, None, None),
    "text-not-utf8": ("corpus/documents.jsonl", 2, B, None, None),
    "text-sha256-mismatch": ("corpus/documents.jsonl", 2, B, None, None),
    "text-length-mismatch": ("corpus/documents.jsonl", 2, B, None, None),
    "text-orphan": ("corpus/texts/stray.txt", None, None, None, None),
    "structure-missing": ("corpus/documents.jsonl", 2, B, None, None),
    "structure-offset-invalid": ("corpus/structure.jsonl", 2, B, 21, 80),
    "zones-overlap": ("corpus/structure.jsonl", 2, B, 15, 21),
    "zones-gap": ("corpus/structure.jsonl", 2, B, 21, 25),
    "document-duplicate": ("corpus/documents.jsonl", 3, B, None, None),
    "document-unknown": ("corpus/structure.jsonl", 3, "gamma-unknown", None, None),
    "id-unsafe": ("corpus/documents.jsonl", 3, "../x", None, None),
    "text-version-mismatch": ("corpus/structure.jsonl", 2, B, None, None),
    "json-malformed": ("corpus/documents.jsonl", 3, None, None, None),
    "file-unsafe": ("corpus/documents.jsonl", 2, B, None, None),
    "text-control-character": ("corpus/documents.jsonl", 2, B, 1, 2),
}


def test_the_valid_fixture_has_no_findings():
    assert validate_root(VALID) == []


@pytest.mark.parametrize("code", sorted(LAYER))
def test_layer_fixture_reports_exactly_its_code_at_its_location(code):
    path = INVALID / f"{code}.jsonl"
    findings = validate_paths([path], VALID)
    line, doc, ann, start, end = LAYER[code]
    assert [(f.code, f.file, f.line, f.document_id, f.annotation_id, f.start, f.end) for f in findings] == [
        (code, str(path), line, doc, ann, start, end)]
    assert findings[0].severity == CODES[code][0]


@pytest.mark.parametrize("code", sorted(CORPUS))
def test_corpus_fixture_reports_exactly_its_code_at_its_location(code):
    findings = validate_root(INVALID / code)
    file, line, doc, start, end = CORPUS[code]
    assert [(f.code, f.file, f.line, f.document_id, f.annotation_id, f.start, f.end) for f in findings] == [
        (code, file, line, doc, None, start, end)]


def test_every_code_has_a_fixture_and_a_row_in_the_docs():
    fixtures = {p.stem for p in INVALID.glob("*.jsonl")} | {p.name for p in INVALID.iterdir() if p.is_dir()}
    fixtures |= {p.stem for p in LINT_ROOT.glob("*.jsonl")}
    assert set(CODES) == fixtures == set(LAYER) | set(CORPUS) | set(LINT)
    documented = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", DOCS.read_text(encoding="utf-8"), re.M))
    assert documented == {code: severity for code, (severity, _) in CODES.items()}


# Lint codes (cash validate --lint): fixtures under lint/, a corpus root whose gold layer is
# lint-clean, with one layer file per code (built by build_lint.py). Each is schema-valid, so plain
# validation finds nothing and --lint finds exactly its code.
LINT_ROOT = FIXTURES / "lint"
D = "delta-brief"
# code -> (document id, annotation id, start, end); lint findings carry no line number
LINT = {
    "cue-unmarked-occurrence": (D, None, 46, 49),
    "stance-reported-as-author": (D, "c3", 85, 101),
    "attribution-content-without-claim": (D, "a1", 85, 101),
    "stance-document-contradicts-claims": (D, None, None, None),
    "stance-target-repeated": (D, "c1", 10, 37),
}


def _lint(paths):
    from cash_corpus.validation.lint import layer_files, lint_files
    findings = validate_paths(paths, LINT_ROOT)
    linted, skipped = lint_files(layer_files(paths, LINT_ROOT), {f.file for f in findings if f.severity == "error"})
    return findings, linted, skipped


def test_a_repeated_claim_stance_target_is_now_a_validation_error_so_lint_skips_the_layer():
    """Issue 11: a claim listing one stance target twice is `stance-target-duplicate` (an error, as
    the document-level case always was), so the lint rule stance-target-repeated no longer sees it."""
    path = LINT_ROOT / "stance-target-repeated.jsonl"
    findings, linted, skipped = _lint([path])
    assert [(f.code, f.document_id, f.annotation_id, f.start, f.end) for f in findings] == [
        ("stance-target-duplicate",) + LINT["stance-target-repeated"]]
    assert linted == [] and [file for file, _ in skipped] == [path.name]


def test_the_lint_fixture_gold_layer_is_clean():
    findings, linted, skipped = _lint([LINT_ROOT])
    assert (findings, linted, skipped) == ([], [], [])


@pytest.mark.parametrize("code", sorted(set(LINT) - {"stance-target-repeated"}))
def test_lint_fixture_reports_exactly_its_code_at_its_location(code):
    path = LINT_ROOT / f"{code}.jsonl"
    findings, linted, skipped = _lint([path])
    assert findings == [] and skipped == []
    doc, ann, start, end = LINT[code]
    assert [(f.code, f.file, f.line, f.document_id, f.annotation_id, f.start, f.end) for f in linted] == [
        (code, f"{code}.jsonl", None, doc, ann, start, end)]
    assert linted[0].severity == CODES[code][0] == "warning"
    assert linted[0].hint



def test_every_fixture_is_worded_as_in_the_golden_file():
    """Wording (message, related places, found, expected, hint) of every fixture's finding, from the
    catalogue; an intended change is made with build_expected.py and reviewed in the diff."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_expected", FIXTURES / "build_expected.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.render() == build.EXPECTED.read_text(encoding="utf-8")
