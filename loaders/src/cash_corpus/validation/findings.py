"""Findings: one located problem each, with a stable code, printed for people or as JSON.

Codes are kebab-case and never renamed once published, so scripts and CI can match on them.
`CATALOGUE` is the one table of codes: severity, what the code means, the message template and
the hint. A check passes only the code and the values it found (`finding(code, target=…,
**where)`); the wording comes from here, and docs/VALIDATION.md's code tables are generated
from here by `cash generate` (`catalogue_table`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from string import Formatter
from typing import Any

from ..errors import Location, escape_controls, quote
from ..paths import ID_HINT

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Variant:
    """Another wording of a code, for another situation that is the same problem."""

    message: str
    hint: str | None = None


@dataclass(frozen=True, eq=False)
class Code:
    """One finding code: `message` and `hint` are `str.format` templates over the values a check
    passes; `variants` word other situations of the same code (chosen by name at the check)."""

    code: str
    severity: str
    summary: str
    message: str
    hint: str | None = None
    variants: Mapping[str, Variant] = field(default_factory=dict)
    lint: bool = False

    def wording(self, variant: str | None) -> Variant:
        return self.variants[variant] if variant is not None else Variant(self.message, self.hint)


# The JSON decoder (jsonl.decode_json, shared with every other reader of the package) says what
# is wrong with bytes that are not JSON and what to do; its reason and advice are the values.
DECODER = Variant("{reason}", "{advice}")
UNSAFE_HINT = "corpus files must be regular files inside the corpus root (no symlinks, FIFOs or devices)"
ORDER_HINT = "write layers with layers.write_layer"


def _codes(*codes: Code) -> dict[str, Code]:
    return {c.code: c for c in codes}


CATALOGUE: dict[str, Code] = _codes(
    # reading
    Code("json-malformed", ERROR,
         "a line (or JSON file) is not valid UTF-8 JSON, or not a JSON object (also: a BOM, NaN, a lone surrogate, an empty file)",
         "expected a JSON object, got {kind}", "one JSON object per line", {"decoder": DECODER}),
    Code("file-missing", ERROR,
         "a file the corpus needs (corpus.json, documents.jsonl, structure.jsonl) is missing",
         "file missing"),
    Code("file-unsafe", ERROR,
         "a symlink, FIFO, device or socket under the corpus root where a file or folder belongs (never read)",
         "{kind}, not a regular file: refused, never read", UNSAFE_HINT,
         {"text": Variant("the raw text {reason}", "corpus files must be regular files inside the corpus root")}),
    Code("json-too-deep", ERROR,
         "JSON nested deeper than 64 levels (refused before any recursive code sees it)",
         "JSON nested deeper than 64 levels", "corpus records nest only a few levels"),
    Code("number-out-of-range", ERROR,
         "an integer field holding a value outside the 64-bit range (e.g. an offset of 10^30)",
         "{at}: integer outside the 64-bit range", "offsets and counts are 64-bit integers", {"decoder": DECODER}),
    # JSON Schema conformance (mapped from jsonschema errors)
    Code("schema-unknown-field", ERROR, "a field the schema does not define (additionalProperties)",
         "{at}: unknown field {field:quote}", "remove the field or check its spelling against schema/cash.schema.json"),
    Code("schema-missing-field", ERROR, "a required field is missing (required)",
         "{at}: missing required field '{field}'", "every required field must be present (use null where the schema allows it)"),
    Code("schema-wrong-type", ERROR, "a value has the wrong JSON type (type)",
         "{at}: wrong type", "check the JSON type against schema/cash.schema.json"),
    Code("schema-constraint", ERROR, "a value breaks another schema constraint (pattern, length, format, items…)",
         "{at}: {reason}"),
    Code("schema-invalid", ERROR,
         "schema/cash.schema.json itself is not a valid JSON Schema or a label $def is malformed",
         "label inventory $defs/{name} is not oneOf/const with descriptions",
         "label inventories drive validation, Label Studio and the guidelines",
         {"not-json-schema": Variant("not a valid JSON Schema: {reason}")}),
    Code("record-unknown", ERROR, "a layer line whose `record` is not layer, document, claim, cue or attribution",
         "{at}: unknown record kind", "record is one of layer, document, attribution, claim, cue"),
    Code("label-unknown", ERROR,
         "a label (claim type, certainty, polarity, target, cue kind/type, zone type…) not in its inventory",
         "{at}: not a {inventory} label", "use a label from the inventory in schema/cash.schema.json (see schema/GUIDELINES.md)"),
    Code("id-unsafe", ERROR,
         "a document id or layer name that fails its pattern and could escape its folder (e.g. '../x')",
         "{at}: unsafe id", ID_HINT,
         {"reserved": Variant("{at}: a Windows-reserved device name cannot be a file name", ID_HINT)}),
    Code("provenance-missing", ERROR, "a layer header without provenance",
         "{at}: missing required field '{field}'", "a layer header records method, annotator, guideline_version and date"),
    Code("attribution-incomplete", ERROR, "an attribution without a cue or content span",
         "{at}: missing required field '{field}'",
         "an attribution needs a cue span and a content span (only the source may be null)",
         {"null": Variant("{at}: wrong type",
                          "an attribution needs a cue span and a content span (only the source may be null)")}),
    # offsets and span text
    Code("offset-negative", ERROR, "start below 0 (or end below 1)",
         "{at}: below the minimum {minimum}", "offsets are code points from 0"),
    Code("offset-empty", ERROR, "start >= end",
         "{at}: start >= end", "a span needs start < end (half-open)",
         {"minimum": Variant("{at}: below the minimum {minimum}", "a span needs start < end (half-open)")}),
    Code("offset-out-of-range", ERROR, "end beyond the length of the raw text",
         "{at}: end is beyond the text", "offsets count code points of the raw text"),
    Code("span-text-mismatch", ERROR, "a span's stored text differs from raw[start:end]",
         "{at}: span text differs from the raw text",
         "offsets are code points, not UTF-16 units or bytes; never normalise the text"),
    Code("span-whitespace", WARNING, "a span starts or ends with whitespace",
         "{at}: span starts or ends with whitespace", "trim the span to its first and last character"),
    Code("span-inside-token", WARNING,
         "a span boundary falls inside a token of structure.jsonl (not expressible in token tags; must be 0 for gold)",
         "the {kind} span's {edge} falls inside a token of structure.jsonl",
         "move the boundary to a token edge, or fix the tokenizer rules (cash_corpus.segment) if the token is wrong"),
    # ids and references
    Code("id-duplicate", ERROR, "an annotation id used twice within one document of a layer",
         "annotation id already used in this document",
         "ids are unique per document across claims, cues and attributions"),
    Code("document-duplicate", ERROR, "a document listed twice (documents.jsonl, structure.jsonl, or a layer)",
         "the document appears twice in this layer", "merge its records under one document line",
         {"documents": Variant("document id listed twice in documents.jsonl", "ids are unique"),
          "structure": Variant("document listed twice in structure.jsonl")}),
    Code("document-unknown", ERROR, "a document id that is not in corpus/documents.jsonl",
         "document not in corpus/documents.jsonl", "add it with `cash add` or fix document_id",
         {"structure": Variant("structure for a document not in documents.jsonl")}),
    Code("ref-dangling", ERROR,
         "a reference (holder.attribution_id, cue.claims, attribution.parent) to no annotation of that kind",
         "{at} refers to no {kind} of this document", "add the {kind} or fix the reference"),
    Code("ref-cycle", ERROR, "attribution parents that form a cycle",
         "attribution parents form a cycle", "parent points to the enclosing attribution"),
    Code("holder-inconsistent", ERROR, "holder type 'attribution' without an attribution_id, or 'author' with one",
         "holder type 'attribution' needs an attribution_id",
         "author → null; attribution → the id of the attribution whose content carries the claim",
         {"author": Variant("holder type 'author' must have attribution_id null",
                            "author → null; attribution → the id of the attribution whose content carries the claim")}),
    Code("stance-target-duplicate", ERROR, "a document-level or claim stance that lists the same target twice",
         "stance lists target {target} {count} times", "one stance per target"),
    # layer structure and versions
    Code("header-missing", ERROR, "the first record of a layer is not its `layer` header",
         "the first record is not the layer header",
         'start the file with {{"record": "layer", …, "provenance": {{…}}}}'),
    Code("header-misplaced", ERROR, "a `layer` header after the first record",
         "a layer header after the first record", "a layer file has exactly one header, on its first line"),
    Code("layer-name-mismatch", ERROR, "the header's layer name differs from the file name",
         "the header's layer name differs from the file name", "rename the file or fix `layer`"),
    Code("layer-empty", ERROR, "a layer file with no records at all",
         "the layer file has no records", "a layer starts with its header line"),
    Code("schema-version-unsupported", ERROR, "a schema version this package cannot read (other MAJOR, or newer)",
         "schema version not supported by this package", "upgrade cash-corpus or migrate the layer",
         {"corpus": Variant("corpus schema version not supported by this package", "upgrade cash-corpus")}),
    Code("corpus-version-mismatch", WARNING, "a layer made against a corpus version of another MAJOR, or newer than corpus.json's",
         "layer made against another corpus version", "text_sha256 per document decides whether offsets still hold"),
    Code("text-version-mismatch", ERROR, "a layer's text_sha256 (or structure's) differs from the document's sha256",
         "annotations were made against another version of the text",
         "re-project the annotations onto the current text, then update text_sha256",
         {"structure": Variant("structure was computed on another version of the text", "recompute the structure")}),
    Code("record-outside-document", ERROR,
         "an annotation before any document record, or under another document's record",
         "annotation is not under its document's record", "put each annotation after its document's `document` line",
         {"before": Variant("annotation before any document record",
                            "put each annotation after its document's `document` line")}),
    Code("record-unsorted", WARNING, "documents not sorted by id, or annotations not in canonical order",
         "annotations are not in canonical order", ORDER_HINT,
         {"documents": Variant("documents are not sorted by id", ORDER_HINT)}),
    # corpus files
    Code("corpus-info-invalid", ERROR, "corpus.json lacks name, version or schema_version, or they are malformed",
         "corpus.json lacks a name", None,
         {"not-object": Variant("corpus.json is not a JSON object"),
          "version": Variant("corpus.json {key} is missing or not MAJOR.MINOR.PATCH")}),
    Code("text-missing", ERROR, "corpus/texts/<id>.txt is missing",
         "raw text file missing", "restore it from the release or re-add the document",
         {"unreadable": Variant("the document's raw text is missing or unreadable", "restore corpus/texts/<id>.txt")}),
    Code("text-not-utf8", ERROR, "a raw text is not valid UTF-8",
         "raw text is not UTF-8 at byte {byte}", "texts are UTF-8"),
    Code("text-sha256-mismatch", ERROR, "the raw text's sha256 differs from documents.jsonl",
         "raw text differs from its recorded sha256", "texts are never edited in place; restore the original bytes"),
    Code("text-length-mismatch", ERROR, "the raw text's length in code points differs from documents.jsonl",
         "raw text length (code points) differs from documents.jsonl"),
    Code("text-orphan", WARNING, "a file in corpus/texts/ that no document record lists",
         "text file that no document record lists", "add it with `cash add`, or remove it"),
    Code("text-control-character", ERROR,
         "a raw text holds a control character other than tab, LF and CR (NUL, ESC, form feed…)",
         "raw text holds {count} control character(s) other than tab, LF and CR",
         "texts of record must not hold NUL, ESC or other control bytes; fix the source and re-add it"),
    Code("structure-missing", ERROR, "a document without its structure.jsonl record",
         "document has no structure.jsonl record", "documents enter through `cash add`, which writes it"),
    Code("structure-offset-invalid", ERROR, "a sentence or token out of range, empty, or overlapping/unsorted",
         "$.{key}[{index}]: {reason}"),
    Code("zones-overlap", ERROR, "zones that overlap or are unsorted",
         "zone {index} overlaps or precedes zone {previous}", "zones are sorted and disjoint"),
    Code("zones-gap", ERROR, "zones that leave characters uncovered (they must cover the text exactly once)",
         "characters covered by no zone", "zones must cover the text exactly once"),
    # guideline invariants (warnings: the data is readable, the annotation is doubtful)
    Code("claim-outside-attribution", WARNING,
         "a claim held by an attribution's source lies outside that attribution's content",
         "claim lies outside its holder attribution's content",
         "a reported claim is inside (usually equal to) the content span"),
    Code("attribution-outside-parent", WARNING, "a nested attribution lies outside its parent's content",
         "nested attribution lies outside its parent's content",
         "parent is the attribution whose content contains this one"),
    Code("attribution-cue-in-content", WARNING, "an attribution's cue lies inside its own content",
         "the attribution's cue lies inside its own content",
         "the cue (said, according to…) introduces the content and is not part of it"),
    Code("attribution-source-is-content", WARNING, "an attribution's source is the same span as its content",
         "the attribution's source is the same span as its content",
         "the source is who is reported; the content is what they say"),
    # Lint (`cash validate --lint`, `cash lint`; validation/lint.py): consistency of a layer with
    # itself. Always warnings: each marks a place to review, none proves an error.
    Code("cue-unmarked-occurrence", WARNING,
         "a cue word or phrase marked elsewhere in the layer is not marked at this identical occurrence",
         "{occurrence} is not marked here but is marked as a cue ({kind}/{cue_type}) {times} in this layer, "
         "first at {first}",
         "mark this occurrence as a cue too, or note why it is not one here (e.g. deontic, not epistemic); "
         "if the marked one is wrong, remove that instead", lint=True),
    Code("stance-reported-as-author", WARNING,
         "a reported claim takes a side and its stance equals the document stance on every target it lists",
         "claim held by attribution {holder} carries the document's own stance on every target it lists",
         "a reported claim's stance is the holder's, not the author's (guidelines §1); keep it if the holder "
         "really takes that side, and say so in a note or docs/ADJUDICATION.md", lint=True),
    Code("attribution-content-without-claim", WARNING, "an attribution whose content span contains no claim",
         "the content of attribution {attribution} ({parc_type}) holds no claim",
         "a content is a proposition (guidelines §3): annotate its claim, or drop the attribution if the "
         "content is only a noun phrase", lint=True),
    Code("stance-document-contradicts-claims", WARNING,
         "a document stance that the majority of the author's claims on that target contradict",
         "document stance on {target} is {polarity} but {why}",
         "the document stance is the author's overall position (guidelines §1): check the document stance and "
         "the claim stances on this target", lint=True),
    Code("stance-target-repeated", WARNING, "a document or claim stance that lists a target more than once",
         "claim stance lists {target} {count} times", "one entry per target; keep the one that holds",
         {"document": Variant("document stance lists {target} {count} times",
                              "one entry per target; keep the one that holds")}, lint=True),
)

CODES: dict[str, tuple[str, str]] = {c.code: (c.severity, c.summary) for c in CATALOGUE.values()}
"""code -> (severity, meaning): the catalogue's short view, for scripts that only need these."""
LINT_CODES = tuple(c.code for c in CATALOGUE.values() if c.lint)


@dataclass(frozen=True)
class Related:
    """Another place a finding points at (UD-style related location), e.g. where an id was first defined."""

    note: str
    file: str | None = None
    line: int | None = None
    document_id: str | None = None
    annotation_id: str | None = None
    start: int | None = None
    end: int | None = None

    def location(self) -> str:
        return str(Location(self.file, self.line, self.document_id, self.annotation_id, self.start, self.end))

    def __str__(self) -> str:
        return f"{self.note} {self.location()}"


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
    related: tuple[Related, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["related"] = [asdict(r) for r in self.related]
        return out

    def location(self) -> str:
        """`file:line doc=… ann=… [start, end)`, only the parts that are known."""
        return str(Location(self.file, self.line, self.document_id, self.annotation_id, self.start, self.end))


LOCATION_FIELDS = ("file", "line", "document_id", "annotation_id", "start", "end", "found", "expected")


class _Wording(Formatter):
    """str.format with one extra format, `{x:quote}`: the value quoted as input text (errors.quote)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        return quote(value) if format_spec == "quote" else super().format_field(value, format_spec)


_WORDING = _Wording()


def finding(code: str, variant: str | None = None, /, *, related: Iterable[Related] = (), **values: Any) -> Finding:
    """A Finding worded by the catalogue: `values` are the location fields (file, line, …, found,
    expected) and the template's values; severity, message and hint come from `CATALOGUE[code]`."""
    entry = CATALOGUE[code]
    where = {k: values.pop(k) for k in LOCATION_FIELDS if k in values}
    clean = {k: (_text(v) if k in ("document_id", "annotation_id") else v) for k, v in where.items()}
    wording = entry.wording(variant)
    message = _WORDING.format(wording.message, **values)
    hint = _WORDING.format(wording.hint, **values) if wording.hint else None
    return Finding(code, entry.severity, message, hint=hint, related=tuple(related), **clean)


def decoder_finding(exc: Any, **where: Any) -> Finding:
    """The finding for a `jsonl.JsonInputError`: its code, worded by the decoder's reason and advice
    (or by the catalogue, for a code the decoder words no differently)."""
    entry = CATALOGUE[exc.code]
    if "decoder" in entry.variants:
        return finding(exc.code, "decoder", reason=exc.message, advice=exc.hint, **where)
    return finding(exc.code, **where)


def template_fields(template: str | None) -> list[str]:
    """The names a template needs, in order (the docs show templates with these as placeholders)."""
    return [name for _, name, _, _ in Formatter().parse(template or "") if name]


def show_template(template: str | None) -> str:
    """A template as people read it: literal braces single, fields as `{name}`."""
    out = []
    for literal, name, _, _ in Formatter().parse(template or ""):
        out.append(literal)
        if name is not None:
            out.append("{" + name + "}")
    return "".join(out)


def _text(value: Any) -> str | None:
    """Ids in findings are strings even when the bad input held a number or a list."""
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def format_finding(f: Finding) -> str:
    """One line for people, udtools style: location, [E code], message, related places, found/expected, hint."""
    letter = "E" if f.severity == ERROR else "W"
    where = f.location()
    out = (f"{where}: " if where else "") + f"[{letter} {f.code}] {escape_controls(f.message, 300)}"
    if f.related:
        out += " (" + "; ".join(escape_controls(str(r), 300) for r in f.related) + ")"
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


def catalogue_markdown(lint: bool, fixtures: Mapping[str, list[str]]) -> str:
    """The docs table of the catalogue's codes (validation codes, or lint's): docs/VALIDATION.md's
    code tables are this, written by `cash generate` (`fixtures`: code -> fixture paths to show)."""

    def cell(text: str | None) -> str:
        return (text or "").replace("|", "\\|").replace("\n", " ")

    def template(text: str | None) -> str:
        shown = show_template(text)
        return f"`{cell(shown)}`" if shown else ""

    lines = ["| code | severity | meaning | message | hint | fixture |", "|---|---|---|---|---|---|"]
    for entry in CATALOGUE.values():
        if entry.lint != lint:
            continue
        messages = [template(entry.message)] + [template(v.message) for v in entry.variants.values()]
        hints = dict.fromkeys(cell(show_template(h)) for h in [entry.hint, *(v.hint for v in entry.variants.values())]
                              if h)
        shown = ", ".join(f"`{f}`" for f in fixtures.get(entry.code, [])) or "–"
        lines.append(f"| `{entry.code}` | {entry.severity} | {cell(entry.summary)} | {'<br>'.join(messages)} | "
                     f"{'<br>'.join(hints)} | {shown} |")
    return "\n".join(lines)
