"""Schema conformance of one record: fast yes/no first, jsonschema's precise errors only on failure.

Each jsonschema error becomes a Finding whose code is chosen from the error's structured fields:
the validator keyword, the schema path, and the `$defs` that path reaches (`required` of a
property that is a `$defs/provenance` → provenance-missing, a label `$def`'s oneOf →
label-unknown, `pattern` inside `$defs/document_id` → id-unsafe, …). No field name of the
instance decides a code; the wording of each code is in the catalogue (findings.CATALOGUE).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

from ..errors import escape_controls, show_token
from ..jsonl import JsonInputError, check_decoded
from ..paths import is_reserved_name
from ..schema import INT64_MAX, inventories, is_json_integer, load_schema, validator
from .fastcheck import fast_check
from .findings import Finding, decoder_finding, finding

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
        return [decoder_finding(exc, **where)]
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


@dataclass(frozen=True)
class Reached:
    """Where a jsonschema error's schema path leads: the `$defs` entries it passes through, each
    with the instance path at which it was entered (outermost first), and the property the
    innermost object schema was asked about, if any."""

    defs: tuple[tuple[str, tuple], ...]

    @property
    def innermost(self) -> str:
        return self.defs[-1][0]

    def outer(self, level: int = 1) -> str | None:
        return self.defs[-1 - level][0] if len(self.defs) > level else None

    def entered(self, name: str) -> tuple | None:
        """The instance path at which `$defs/name` was last entered (None if never)."""
        for def_name, at in reversed(self.defs):
            if def_name == name:
                return at
        return None


# Schema keywords whose subschema applies to a member of the instance: the next path element
# names the member (properties, patternProperties, prefixItems) or the keyword applies to every
# member (items, additionalProperties, …).
_KEYED = ("properties", "patternProperties", "prefixItems", "dependentSchemas")
_EACH = ("items", "additionalProperties", "contains", "unevaluatedItems", "unevaluatedProperties", "propertyNames")


def _ref_name(node: Any) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref.rsplit("/$defs/", 1)[-1] if isinstance(ref, str) and "/$defs/" in ref else None


def reached(def_name: str, schema_path: Sequence[Any], instance_path: Sequence[Any]) -> Reached:
    """Walk `schema_path` (jsonschema leaves out `$ref` hops) from `$defs/<def_name>`, following
    a `$ref` wherever the path goes on into the referenced schema."""
    defs = load_schema()["$defs"]
    node: Any = defs[def_name]
    out = [(def_name, ())]
    depth = 0
    keyed = False
    for part in schema_path:
        while isinstance(node, dict) and part not in node and _ref_name(node) in defs:
            name = _ref_name(node)
            node = defs[name]
            out.append((name, tuple(instance_path[:depth])))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if keyed:
            depth, keyed = depth + 1, False
        elif part in _KEYED:
            keyed = True
        elif part in _EACH:
            depth += 1
    while _ref_name(node) in defs:  # an error on a whole $ref'd value (e.g. a label's oneOf is reported on it)
        name = _ref_name(node)
        node = defs[name]
        out.append((name, tuple(instance_path[:depth])))
    return Reached(tuple(out))


def _property_def(object_schema: Any, field: str) -> str | None:
    """The `$defs` entry a property of an object schema is (its `$ref`), if it is one."""
    properties = object_schema.get("properties", {}) if isinstance(object_schema, dict) else {}
    return _ref_name(properties.get(field))


def _span_where(record: Any, where: Reached) -> dict[str, Any]:
    """Offsets of the span the error is in: the `$defs/span` value the schema path entered, else the record's own."""
    at = where.entered("span")
    span = record
    if at:
        for part in at:
            span = span.get(part) if isinstance(span, dict) else span[part] if isinstance(span, list) else None
    if isinstance(span, dict):
        start, end = span.get("start"), span.get("end")
        if is_json_integer(start) and is_json_integer(end):
            return {"start": start, "end": end}
    return {}


# Codes decided by the $defs an error reaches, not by the instance's field names:
# a required property that *is* a provenance record → provenance-missing; a required span of an
# attribution (the cue or the content: a property that is a plain `$defs/span`) missing, or null →
# attribution-incomplete.
_REQUIRED_BY_DEF = {"provenance": "provenance-missing"}
_INCOMPLETE_IN = "attribution"


def _to_findings(error: ValidationError, record: Any, def_name: str, where: dict[str, Any]) -> Iterator[Finding]:
    path = list(error.absolute_path)
    how = reached(def_name, list(error.absolute_schema_path)[:-1], path)
    located = {**where, **_span_where(record, how)}
    keyword = error.validator
    at = _json_path(path)
    if keyword == "required":
        for field in error.validator_value:
            if isinstance(error.instance, dict) and field not in error.instance:
                member = _property_def(error.schema, field)
                code = _REQUIRED_BY_DEF.get(member, "schema-missing-field")
                if how.innermost == _INCOMPLETE_IN and member == "span":
                    code = "attribution-incomplete"
                yield finding(code, at=at, field=field, expected=field, **located)
        return
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for field in error.instance:
            if field not in allowed:
                yield finding("schema-unknown-field", at=at, field=field, found=field,
                              expected="one of " + ", ".join(sorted(allowed)), **located)
        return
    if keyword == "type" and _beyond_int64(error.instance) and "integer" in _types(error.validator_value):
        yield finding("number-out-of-range", at=at, found=_short(error.instance),
                      expected=f"an integer from {-INT64_MAX - 1} to {INT64_MAX}", **located)
        return
    if keyword == "type" or keyword in ("anyOf", "oneOf") and not _is_label_node(error.schema):
        expected = error.validator_value if keyword == "type" else _describe_options(error.schema[keyword])
        if error.instance is None and how.innermost == "span" and how.outer() == _INCOMPLETE_IN \
                and len(how.entered("span") or ()) == 1:
            yield finding("attribution-incomplete", "null", at=at, found=_short(error.instance),
                          expected=f"{expected}", **located)
            return
        yield finding("schema-wrong-type", at=at, found=_short(error.instance), expected=f"{expected}", **located)
        return
    if keyword in ("oneOf", "const", "enum"):
        if _is_record_kind(how, error):
            yield finding("record-unknown", at=at, found=_short(error.instance),
                          expected="layer, document, attribution, claim or cue", **located)
            return
        name = how.innermost if how.innermost in inventories() else (path[-1] if path else def_name)
        values = ([o["const"] for o in error.schema["oneOf"]] if keyword == "oneOf"
                  else error.validator_value if keyword == "enum" else [error.validator_value])
        yield finding("label-unknown", at=at, inventory=name, found=_short(error.instance),
                      expected="one of " + ", ".join(map(str, values)), **located)
        return
    if keyword in ("pattern", "maxLength") and how.innermost in ID_DEFS:
        yield finding("id-unsafe", at=at, found=_short(error.instance), expected=error.schema["pattern"], **located)
        return
    if keyword == "minimum" and _beyond_int64(error.instance):
        return  # reported once, as number-out-of-range
    if keyword == "minimum":
        code, variant = ("offset-negative", None) if error.instance < 0 else ("offset-empty", "minimum")
        yield finding(code, variant, at=at, minimum=error.validator_value, found=_short(error.instance),
                      expected=f">= {error.validator_value}", **located)
        return
    yield finding("schema-constraint", at=at, reason=escape_controls(error.message, 200), found=_short(error.instance),
                  expected=f"{keyword}: {_short(error.validator_value)}", **located)


# The $defs whose values become file names (a document's text, a layer file): a broken pattern
# there is a path that could escape its folder.
ID_DEFS = ("document_id", "layer_name")


def _is_record_kind(how: Reached, error: ValidationError) -> bool:
    """A const/enum on the record-kind discriminator: `properties/record` of a record `$def` (or of
    the generic annotation_record, whose only const/enum is that discriminator)."""
    if how.innermost == "annotation_record":
        return True
    relative = list(error.relative_schema_path)
    return how.innermost in RECORD_DEFS.values() and list(error.absolute_schema_path)[-3:-1] == ["properties", "record"] \
        and relative[-1:] in (["const"], ["enum"])


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
        return [finding("id-unsafe", "reserved", at=at, found=value, expected="not con, prn, aux, nul, com1-9 or lpt1-9",
                        **where)]
    return []


def _describe_options(options: list[Any]) -> str:
    names = []
    for option in options:
        if "type" in option:
            names.append(str(option["type"]))
        elif "$ref" in option:
            names.append(option["$ref"].rsplit("/", 1)[-1])
    return " or ".join(names)
