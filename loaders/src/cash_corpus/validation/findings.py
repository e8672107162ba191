"""Findings: one located problem each, with a stable code, printed for people or as JSON.

Codes are kebab-case and never renamed once published, so scripts and CI can match on them;
`CODES` is the catalogue (severity + meaning) that docs/VALIDATION.md mirrors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import Location, escape_controls, quote

ERROR = "error"
WARNING = "warning"

# code -> (severity, meaning). docs/VALIDATION.md lists the same codes with their fixtures;
# tests/test_validation_fixtures.py checks the two agree.
CODES: dict[str, tuple[str, str]] = {
    # reading
    "json-malformed": (ERROR, "a line (or JSON file) is not valid UTF-8 JSON, or not a JSON object (also: a BOM, NaN, a lone surrogate, an empty file)"),
    "file-missing": (ERROR, "a file the corpus needs (corpus.json, documents.jsonl, structure.jsonl) is missing"),
    "file-unsafe": (ERROR, "a symlink, FIFO, device or socket under the corpus root where a file or folder belongs (never read)"),
    "json-too-deep": (ERROR, "JSON nested deeper than 64 levels (refused before any recursive code sees it)"),
    "number-out-of-range": (ERROR, "an integer field holding a value outside the 64-bit range (e.g. an offset of 10^30)"),
    # JSON Schema conformance (mapped from jsonschema errors)
    "schema-unknown-field": (ERROR, "a field the schema does not define (additionalProperties)"),
    "schema-missing-field": (ERROR, "a required field is missing (required)"),
    "schema-wrong-type": (ERROR, "a value has the wrong JSON type (type)"),
    "schema-constraint": (ERROR, "a value breaks another schema constraint (pattern, length, format, items…)"),
    "schema-invalid": (ERROR, "schema/cash.schema.json itself is not a valid JSON Schema or a label $def is malformed"),
    "record-unknown": (ERROR, "a layer line whose `record` is not layer, document, claim, cue or attribution"),
    "label-unknown": (ERROR, "a label (claim type, certainty, polarity, target, cue kind/type, zone type…) not in its inventory"),
    "id-unsafe": (ERROR, "a document id or layer name that fails its pattern and could escape its folder (e.g. '../x')"),
    "provenance-missing": (ERROR, "a layer header without provenance"),
    "attribution-incomplete": (ERROR, "an attribution without a cue or content span"),
    # offsets and span text
    "offset-negative": (ERROR, "start below 0 (or end below 1)"),
    "offset-empty": (ERROR, "start >= end"),
    "offset-out-of-range": (ERROR, "end beyond the length of the raw text"),
    "span-text-mismatch": (ERROR, "a span's stored text differs from raw[start:end]"),
    "span-whitespace": (WARNING, "a span starts or ends with whitespace"),
    "span-inside-token": (WARNING, "a span boundary falls inside a token of structure.jsonl (not expressible in token tags)"),
    # ids and references
    "id-duplicate": (ERROR, "an annotation id used twice within one document of a layer"),
    "document-duplicate": (ERROR, "a document listed twice (documents.jsonl, structure.jsonl, or a layer)"),
    "document-unknown": (ERROR, "a document id that is not in corpus/documents.jsonl"),
    "ref-dangling": (ERROR, "a reference (holder.attribution_id, cue.claims, attribution.parent) to no annotation of that kind"),
    "ref-cycle": (ERROR, "attribution parents that form a cycle"),
    "holder-inconsistent": (ERROR, "holder type 'attribution' without an attribution_id, or 'author' with one"),
    "stance-target-duplicate": (ERROR, "a document-level or claim stance that lists the same target twice"),
    # layer structure and versions
    "header-missing": (ERROR, "the first record of a layer is not its `layer` header"),
    "header-misplaced": (ERROR, "a `layer` header after the first record"),
    "layer-name-mismatch": (ERROR, "the header's layer name differs from the file name"),
    "layer-empty": (ERROR, "a layer file with no records at all"),
    "schema-version-unsupported": (ERROR, "a schema version this package cannot read (other MAJOR, or newer)"),
    "corpus-version-mismatch": (WARNING, "a layer made against another corpus version than corpus.json's"),
    "text-version-mismatch": (ERROR, "a layer's text_sha256 (or structure's) differs from the document's sha256"),
    "record-outside-document": (ERROR, "an annotation before any document record, or under another document's record"),
    "record-unsorted": (WARNING, "documents not sorted by id, or annotations not in canonical order"),
    # corpus files
    "corpus-info-invalid": (ERROR, "corpus.json lacks name, version or schema_version, or they are malformed"),
    "text-missing": (ERROR, "corpus/texts/<id>.txt is missing"),
    "text-not-utf8": (ERROR, "a raw text is not valid UTF-8"),
    "text-sha256-mismatch": (ERROR, "the raw text's sha256 differs from documents.jsonl"),
    "text-length-mismatch": (ERROR, "the raw text's length in code points differs from documents.jsonl"),
    "text-orphan": (WARNING, "a file in corpus/texts/ that no document record lists"),
    "text-control-character": (ERROR, "a raw text holds a control character other than tab, LF and CR (NUL, ESC, form feed…)"),
    "structure-missing": (ERROR, "a document without its structure.jsonl record"),
    "structure-offset-invalid": (ERROR, "a sentence or token out of range, empty, or overlapping/unsorted"),
    "zones-overlap": (ERROR, "zones that overlap or are unsorted"),
    "zones-gap": (ERROR, "zones that leave characters uncovered (they must cover the text exactly once)"),
    # guideline invariants (warnings: the data is readable, the annotation is doubtful)
    "claim-outside-attribution": (WARNING, "a claim held by an attribution's source lies outside that attribution's content"),
    "attribution-outside-parent": (WARNING, "a nested attribution lies outside its parent's content"),
    "attribution-cue-in-content": (WARNING, "an attribution's cue lies inside its own content"),
    "attribution-source-is-content": (WARNING, "an attribution's source is the same span as its content"),
}


@dataclass(frozen=True)
class Finding:
    """One problem, located as precisely as the input allows (any location field may be None)."""

    code: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    document_id: str | None = None
    annotation_id: str | None = None
    start: int | None = None
    end: int | None = None
    found: str | None = None
    expected: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def location(self) -> str:
        """`file:line doc=… ann=… [start, end)`, only the parts that are known."""
        return str(Location(self.file, self.line, self.document_id, self.annotation_id, self.start, self.end))


def finding(code: str, message: str, **where: Any) -> Finding:
    """A Finding whose severity comes from the catalogue, so a code can never change severity ad hoc."""
    severity = CODES[code][0]
    clean = {k: (_text(v) if k in ("document_id", "annotation_id") else v) for k, v in where.items()}
    return Finding(code, severity, message, **clean)


def _text(value: Any) -> str | None:
    """Ids in findings are strings even when the bad input held a number or a list."""
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def format_finding(f: Finding) -> str:
    """One line for people, udtools style: location, [E code], message, found/expected, hint."""
    letter = "E" if f.severity == ERROR else "W"
    where = f.location()
    out = (f"{where}: " if where else "") + f"[{letter} {f.code}] {escape_controls(f.message, 300)}"
    if not out.endswith("."):
        out += "."
    if f.found is not None:
        out += f" Found {quote(f.found)}."
    if f.expected is not None:
        out += f" Expected {quote(f.expected)}."
    if f.hint:
        out += f" Hint: {escape_controls(f.hint, 300)}"
    return out


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """Only the findings of severity error (the ones that make `cash validate` exit 1)."""
    return [f for f in findings if f.severity == ERROR]


# Lint (`cash validate --lint`, `cash lint`; validation/lint.py): consistency of a layer with
# itself. Always warnings: each marks a place to review, none proves an error.
CODES.update({
    "cue-unmarked-occurrence": (WARNING, "a cue word or phrase marked elsewhere in the layer is not marked at this identical occurrence (lint)"),
    "stance-reported-as-author": (WARNING, "a reported claim takes a side and its stance equals the document stance on every target it lists (lint)"),
    "attribution-content-without-claim": (WARNING, "an attribution whose content span contains no claim (lint)"),
    "stance-document-contradicts-claims": (WARNING, "a document stance that the majority of the author's claims on that target contradict (lint)"),
    "stance-target-repeated": (WARNING, "a document or claim stance that lists a target more than once (lint)"),
})
LINT_CODES = ("cue-unmarked-occurrence", "stance-reported-as-author", "attribution-content-without-claim",
              "stance-document-contradicts-claims", "stance-target-repeated")
