"""The one catalogue of finding codes: wording comes from it, checks pass only values, related locations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.validation import format_finding, validate_paths, validate_root
from cash_corpus.validation.findings import (CATALOGUE, CODES, ERROR, LINT_CODES, WARNING, Finding, Related,
                                             finding, show_template, template_fields)

PACKAGE = Path(__file__).resolve().parents[1] / "loaders" / "src" / "cash_corpus" / "validation"
FIXTURES = Path(__file__).parent / "fixtures" / "validation"


def test_every_code_has_severity_summary_message_and_its_short_view():
    for code, entry in CATALOGUE.items():
        assert entry.code == code and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code)
        assert entry.severity in (ERROR, WARNING) and entry.summary and entry.message
        assert CODES[code] == (entry.severity, entry.summary)
    assert set(LINT_CODES) == {c for c, e in CATALOGUE.items() if e.lint}
    assert all(CATALOGUE[c].severity == WARNING for c in LINT_CODES)


def test_the_wording_comes_from_the_catalogue_with_the_values_the_check_found():
    f = finding("ref-dangling", at="$.claims", kind="claim", found="c9", file="x.jsonl", line=3)
    assert (f.severity, f.message, f.hint, f.found, f.line) == (
        "error", "$.claims refers to no claim of this document", "add the claim or fix the reference", "c9", 3)
    variant = finding("document-duplicate", "documents", file="corpus/documents.jsonl")
    assert (variant.message, variant.hint) == ("document id listed twice in documents.jsonl", "ids are unique")
    with pytest.raises(KeyError):  # a template value the check forgot is a bug, not a silent blank
        finding("ref-dangling", at="$.claims")


def test_templates_show_their_placeholders_and_literal_braces():
    hint = CATALOGUE["header-missing"].hint
    assert show_template(hint) == 'start the file with {"record": "layer", …, "provenance": {…}}'
    assert template_fields(CATALOGUE["zones-overlap"].message) == ["index", "previous"]


def test_no_check_words_its_own_hint_or_message():
    """Checks pass codes and values only: no `hint=` and no HINTS table outside the catalogue."""
    for path in PACKAGE.glob("*.py"):
        if path.name == "findings.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert "HINTS" not in source, path.name
        calls = re.findall(r"finding\((.*?)\)", source, re.S)
        assert not [c for c in calls if "hint=" in c], path.name


def test_a_duplicate_id_points_at_its_first_definition_in_text_and_json(capsys):
    path = FIXTURES / "invalid" / "id-duplicate.jsonl"
    [f] = validate_paths([path], FIXTURES / "valid")
    assert f.related == (Related("first at", str(path), 7, "alpha-report", "c2"),)
    assert f"(first at {path}:7 doc=alpha-report ann=c2)." in format_finding(f)
    assert main(["--root", str(FIXTURES / "valid"), "validate", str(path), "--json"]) == 1
    [shown] = json.loads(capsys.readouterr().out)["findings"]
    assert shown["related"] == [{"note": "first at", "file": str(path), "line": 7, "document_id": "alpha-report",
                                 "annotation_id": "c2", "start": None, "end": None}]


@pytest.mark.parametrize("fixture,first", [("document-duplicate", ("corpus/documents.jsonl", 2)),
                                           ("document-duplicate.jsonl", (None, 11))])
def test_a_duplicate_document_points_at_its_first_record(fixture, first):
    path = FIXTURES / "invalid" / fixture
    findings = validate_root(path) if path.is_dir() else validate_paths([path], FIXTURES / "valid")
    [f] = findings
    assert [(r.note, r.file, r.line, r.document_id) for r in f.related] == [
        ("first at", first[0] or str(path), first[1], "beta-notes")]


def test_a_finding_without_related_places_prints_as_before():
    f = Finding("file-missing", "error", "file missing", file="corpus/structure.jsonl")
    assert format_finding(f) == "corpus/structure.jsonl: [E file-missing] file missing."
    assert f.to_dict()["related"] == []
