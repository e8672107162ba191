"""Schema conformance of one record: fast yes/no first, jsonschema's precise errors only on failure.

Each jsonschema error becomes a Finding whose code comes from the validator keyword and the
schema node (`required` → schema-missing-field, a label $def's oneOf → label-unknown, …).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema.exceptions import ValidationError

from ..errors import escape_controls, quote, show_token
from ..jsonl import JsonInputError, check_decoded
from ..paths import ID_HINT, is_reserved_name
from ..schema import INT64_MAX, inventories, is_json_integer, load_schema, schema_cached, validator
from .fastcheck import fast_check
from .findings import Finding, finding

HINTS = {
    "schema-unknown-field": "remove the field or check its spelling against schema/cash.schema.json",
    "schema-missing-field": "every required field must be present (use null where the schema allows it)",
    "schema-wrong-type": "check the JSON type against schema/cash.schema.json",
    "label-unknown": "use a label from the inventory in schema/cash.schema.json (see schema/GUIDELINES.md)",
    "id-unsafe": ID_HINT,
    "number-out-of-range": "offsets and counts are 64-bit integers",
    "offset-negative": "offsets are code points from 0",
    "offset-empty": "a span needs start < end",
    "provenance-missing": "a layer header records method, annotator, guideline_version and date",
    "attribution-incomplete": "an attribution needs a cue span and a content span (only the source may be null)",
    "record-unknown": "record is one of layer, document, attribution, claim, cue",
}

# The record kinds of a layer file and the $defs entry each must match.
RECORD_DEFS = {"layer": "layer_record", "document": "document_record", "claim": "claim",
               "cue": "cue", "attribution": "attribution"}


def record_def(record: Any) -> str:
    """The $defs entry a layer line must match (the generic annotation_record if its kind is unknown)."""
    kind = record.get("record") if isinstance(record, dict) else None
    return RECORD_DEFS.get(kind, "annotation_record") if isinstance(kind, str) else "annotation_record"


def is_valid(record: Any, def_name: str, fast: bool = True) -> bool:
    """Same verdict either way; `fast=False` asks jsonschema (used by tests to prove agreement)."""
    return fast_check(def_name)(record) if fast else validator(def_name).is_valid(record)


def schema_findings(record: Any, def_name: str, where: dict[str, Any], fast: bool = True) -> list[Finding]:
    """Findings for `record` against `$defs/<def_name>`; [] when it conforms."""
    if is_valid(record, def_name, fast):
        return []
    try:  # before jsonschema and the messages recurse into it (orjson accepts deep nesting)
        check_decoded(record)
    except JsonInputError as exc:
        return [finding(exc.code, exc.message, hint=exc.hint, **where)]
    out: list[Finding] = []
    seen: set[tuple] = set()
    for error in validator(def_name).iter_errors(record):
        for leaf in _leaves(error):
            for item in _to_findings(leaf, record, def_name, where):
                key = (item.code, item.message)
                if key not in seen:
                    seen.add(key)
                    out.append(item)
    return out


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """anyOf/oneOf errors that are not label inventories: the errors of the branch that was meant."""
    if error.validator not in ("anyOf", "oneOf") or _is_label_node(error.schema):
        yield error
        return
    options = error.schema[error.validator]
    meant = [e for e in error.context
             if not (error.instance is not None and options[e.relative_schema_path[0]] == {"type": "null"})]
    if not meant or all(e.validator == "type" and len(e.relative_schema_path) <= 2 for e in meant):
        yield error  # no branch fits the value's type at all: report the value itself
        return
    for sub in meant:
        yield from _leaves(sub)


@schema_cached
def _label_defs() -> dict[str, str]:
    """json of each label $def -> its name, to recognise a label node in an error."""
    defs = load_schema()["$defs"]
    return {json.dumps(defs[name], sort_keys=True): name for name in inventories()}


def _is_label_node(node: Any) -> bool:
    return isinstance(node, dict) and "oneOf" in node and all(
        isinstance(o, dict) and "const" in o for o in node["oneOf"])


def _json_path(path) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{show_token(part)}"  # keys are input too
    return out


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:119] + "…"


def _span_where(record: Any, path) -> dict[str, Any]:
    """Offsets of the span the error is in: the record's own, or the attribution sub-span's."""
    span = record
    if path and isinstance(record, dict) and path[0] in ("source", "cue", "content"):
        span = record.get(path[0])
    if isinstance(span, dict):
        start, end = span.get("start"), span.get("end")
        if is_json_integer(start) and is_json_integer(end):
            return {"start": start, "end": end}
    return {}


def _to_findings(error: ValidationError, record: Any, def_name: str, where: dict[str, Any]) -> Iterator[Finding]:
    path = list(error.absolute_path)
    located = {**where, **_span_where(record, path)}
    keyword = error.validator
    at = _json_path(path)
    kind = record.get("record") if isinstance(record, dict) else None
    if keyword == "required":
        for field in error.validator_value:
            if isinstance(error.instance, dict) and field not in error.instance:
                code = "schema-missing-field"
                if kind == "layer" and not path and field == "provenance":
                    code = "provenance-missing"
                elif kind == "attribution" and not path and field in ("cue", "content"):
                    code = "attribution-incomplete"
                yield finding(code, f"{at}: missing required field '{field}'", expected=field,
                              hint=HINTS[code], **located)
        return
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for field in error.instance:
            if field not in allowed:
                yield finding("schema-unknown-field", f"{at}: unknown field {quote(field)}", found=field,
                              expected="one of " + ", ".join(sorted(allowed)),
                              hint=HINTS["schema-unknown-field"], **located)
        return
    if keyword == "type" and _beyond_int64(error.instance) and "integer" in _types(error.validator_value):
        yield finding("number-out-of-range", f"{at}: integer outside the 64-bit range", found=_short(error.instance),
                      expected=f"an integer from {-INT64_MAX - 1} to {INT64_MAX}",
                      hint=HINTS["number-out-of-range"], **located)
        return
    if keyword == "type" or keyword in ("anyOf", "oneOf") and not _is_label_node(error.schema):
        code = "schema-wrong-type"
        if kind == "attribution" and len(path) == 1 and path[0] in ("cue", "content") and error.instance is None:
            code = "attribution-incomplete"
        expected = error.validator_value if keyword == "type" else _describe_options(error.schema[keyword])
        yield finding(code, f"{at}: wrong type", found=_short(error.instance), expected=f"{expected}",
                      hint=HINTS[code], **located)
        return
    if keyword in ("oneOf", "const", "enum"):
        if path == ["record"] or (not path and def_name == "annotation_record"):
            yield finding("record-unknown", f"{at}: unknown record kind", found=_short(error.instance),
                          expected="layer, document, attribution, claim or cue", hint=HINTS["record-unknown"], **located)
            return
        name = _label_defs().get(json.dumps(error.schema, sort_keys=True), path[-1] if path else def_name)
        values = ([o["const"] for o in error.schema["oneOf"]] if keyword == "oneOf"
                  else error.validator_value if keyword == "enum" else [error.validator_value])
        yield finding("label-unknown", f"{at}: not a {name} label", found=_short(error.instance),
                      expected="one of " + ", ".join(map(str, values)), hint=HINTS["label-unknown"], **located)
        return
    if keyword in ("pattern", "maxLength") and _is_id_node(error.schema):
        yield finding("id-unsafe", f"{at}: unsafe id", found=_short(error.instance), expected=error.schema["pattern"],
                      hint=HINTS["id-unsafe"], **located)
        return
    if keyword == "minimum" and _beyond_int64(error.instance):
        return  # reported once, as number-out-of-range
    if keyword == "minimum":
        code = "offset-negative" if error.instance < 0 else "offset-empty"
        yield finding(code, f"{at}: below the minimum {error.validator_value}", found=_short(error.instance),
                      expected=f">= {error.validator_value}", hint=HINTS[code], **located)
        return
    yield finding("schema-constraint", f"{at}: {escape_controls(error.message, 200)}", found=_short(error.instance),
                  expected=f"{keyword}: {_short(error.validator_value)}", **located)


def _types(value: Any) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def _beyond_int64(value: Any) -> bool:
    """An int (or an integral float: orjson reads integers beyond 64 bits as floats) outside int64."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not (value == value and abs(value) != float("inf") and value.is_integer()):
        return False
    if isinstance(value, float):  # a float this large cannot say which side of the bound it came from
        return abs(value) >= 2.0 ** 63
    return not -INT64_MAX - 1 <= value <= INT64_MAX


def id_findings(value: Any, where: dict[str, Any], at: str) -> list[Finding]:
    """id-unsafe for a document id or layer name that fits its schema pattern but is a Windows
    device name (con, nul, com1…): as a file name it cannot be created or read on Windows."""
    if is_reserved_name(value):
        return [finding("id-unsafe", f"{at}: a Windows-reserved device name cannot be a file name",
                        found=value, expected="not con, prn, aux, nul, com1-9 or lpt1-9", hint=HINTS["id-unsafe"],
                        **where)]
    return []


def _is_id_node(node: Any) -> bool:
    defs = load_schema()["$defs"]
    return node == defs["document_id"] or node == defs["layer_name"]


def _describe_options(options: list[Any]) -> str:
    names = []
    for option in options:
        if "type" in option:
            names.append(str(option["type"]))
        elif "$ref" in option:
            names.append(option["$ref"].rsplit("/", 1)[-1])
    return " or ".join(names)
