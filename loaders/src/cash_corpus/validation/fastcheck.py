"""A fast yes/no schema check compiled from cash.schema.json, so jsonschema runs only on bad records.

jsonschema's full validation walks the schema for every record and builds error objects;
for a million clean records that is the slow path. Here each `$defs` entry is compiled once
into plain Python closures that answer only "valid or not". Records that fail are handed to
jsonschema's `iter_errors` for the precise messages, so the findings are the same either way.
The schema stays the source of truth: the closures are derived from it, and a keyword this
compiler does not know raises at compile time instead of being silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from ..schema import load_schema

Check = Callable[[Any], bool]

# Keywords with no effect on validity.
_ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "default", "$schema", "$id", "version"})
_FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def _is_type(value: Any, name: str) -> bool:
    """JSON types as jsonschema sees them: bool is not a number; 1.0 is an integer."""
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    raise ValueError(f"unknown JSON type {name!r}")


def _strict_equal(a: Any, b: Any) -> bool:
    """JSON equality (jsonschema's): True is not 1, and containers compare element-wise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(_strict_equal(a[k], b[k]) for k in a))
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(_strict_equal(x, y) for x, y in zip(a, b)))
    return a == b


def _string_set(values: list[Any]) -> frozenset[str] | None:
    return frozenset(values) if all(isinstance(v, str) for v in values) else None


class _Compiler:
    """Turns schema nodes into closures; `$ref`s to $defs are compiled once and shared."""

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self.defs: dict[str, Check] = {}

    def ref(self, name: str) -> Check:
        if name not in self.defs:
            self.defs[name] = lambda value: self.defs[name](value)  # placeholder for recursion
            self.defs[name] = self.node(self.schema["$defs"][name])
        return self.defs[name]

    def node(self, node: dict[str, Any] | bool) -> Check:  # noqa: C901 - one branch per keyword
        if node is True:
            return lambda value: True
        if node is False:
            return lambda value: False
        checks: list[Check] = []
        unknown = set(node) - _ANNOTATIONS - _KNOWN
        if unknown:
            raise ValueError(f"fastcheck cannot compile schema keywords {sorted(unknown)}")
        if "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/$defs/"):
                raise ValueError(f"fastcheck cannot follow $ref {ref!r}")
            checks.append(self.ref(ref[len("#/$defs/"):]))
        if "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            checks.append(_type_check(tuple(types)))
        if "const" in node:
            const = node["const"]
            checks.append(lambda v, c=const: _strict_equal(v, c))
        if "enum" in node:
            checks.append(self._one_of_values(node["enum"]))
        if "oneOf" in node:
            options = node["oneOf"]
            if all(isinstance(o, dict) and set(o) - _ANNOTATIONS == {"const"} for o in options):
                checks.append(self._one_of_values([o["const"] for o in options]))  # a label inventory
            else:
                compiled = [self.node(o) for o in options]
                checks.append(lambda v, cs=compiled: sum(1 for c in cs if c(v)) == 1)
        if "anyOf" in node:
            compiled = [self.node(o) for o in node["anyOf"]]
            checks.append(lambda v, cs=compiled: any(c(v) for c in cs))
        if "allOf" in node:
            checks.append(_all_of([self.node(o) for o in node["allOf"]]))
        if "if" in node:
            condition = self.node(node["if"])
            then = self.node(node.get("then", True))
            otherwise = self.node(node.get("else", True))
            checks.append(lambda v, i=condition, t=then, e=otherwise: t(v) if i(v) else e(v))
        checks += self._object(node) + self._array(node) + self._scalar(node)
        return _all_of(checks)

    def _one_of_values(self, values: list[Any]) -> Check:
        strings = _string_set(values)
        if strings is not None:
            return lambda v, s=strings: isinstance(v, str) and v in s
        return lambda v, vs=tuple(values): any(_strict_equal(v, x) for x in vs)

    def _object(self, node: dict[str, Any]) -> list[Check]:
        if not {"properties", "required", "additionalProperties"} & set(node):
            return []
        properties = {k: self.node(s) for k, s in node.get("properties", {}).items()}
        required = tuple(node.get("required", ()))
        closed = node.get("additionalProperties", True) is False
        if node.get("additionalProperties", True) not in (True, False):
            raise ValueError("fastcheck compiles additionalProperties true/false only")
        allowed = frozenset(properties)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True  # object keywords ignore other types, as in JSON Schema
            for key in required:
                if key not in v:
                    return False
            if closed and not allowed.issuperset(v):
                return False
            for key, value in v.items():
                sub = properties.get(key)
                if sub is not None and not sub(value):
                    return False
            return True
        return [check]

    def _array(self, node: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        if "prefixItems" in node:
            prefix = [self.node(s) for s in node["prefixItems"]]
            out.append(lambda v, p=prefix: not isinstance(v, list) or all(c(x) for c, x in zip(p, v)))
        if "items" in node:
            items = self.node(node["items"])
            skip = len(node.get("prefixItems", ()))
            minimums = self._int_tuple_minimums(node["items"])
            if minimums is not None and skip == 0:
                out.append(_int_tuples(minimums, items))
            else:
                out.append(lambda v, c=items, k=skip: not isinstance(v, list) or all(c(x) for x in v[k:]))
        if "minItems" in node:
            out.append(lambda v, n=node["minItems"]: not isinstance(v, list) or len(v) >= n)
        if "maxItems" in node:
            out.append(lambda v, n=node["maxItems"]: not isinstance(v, list) or len(v) <= n)
        if node.get("uniqueItems"):
            out.append(_unique)
        return out

    def _int_tuple_minimums(self, items: Any) -> tuple[int, ...] | None:
        """Minimums when `items` is a fixed-length array of plain integers with minimums only
        (the shape of `offset_pair`), else None. Such lists (every sentence and token of a
        document) get a single-loop check instead of one closure call per number."""
        if isinstance(items, dict) and set(items) == {"$ref"} and items["$ref"].startswith("#/$defs/"):
            items = self.schema["$defs"][items["$ref"][len("#/$defs/"):]]
        if not isinstance(items, dict) or set(items) - _ANNOTATIONS != {"type", "prefixItems", "minItems", "maxItems"}:
            return None
        prefix = items["prefixItems"]
        if items["type"] != "array" or not items["minItems"] == items["maxItems"] == len(prefix) == 2:
            return None
        if not all(isinstance(p, dict) and set(p) - _ANNOTATIONS == {"type", "minimum"} and p["type"] == "integer"
                   and isinstance(p["minimum"], int) for p in prefix):
            return None
        return tuple(p["minimum"] for p in prefix)

    def _scalar(self, node: dict[str, Any]) -> list[Check]:
        out: list[Check] = []
        if "pattern" in node:
            search = re.compile(node["pattern"]).search
            out.append(lambda v, s=search: not isinstance(v, str) or s(v) is not None)
        if "minLength" in node:
            out.append(lambda v, n=node["minLength"]: not isinstance(v, str) or len(v) >= n)
        if "maxLength" in node:
            out.append(lambda v, n=node["maxLength"]: not isinstance(v, str) or len(v) <= n)
        if "minimum" in node:
            out.append(lambda v, n=node["minimum"]: not _is_type(v, "number") or v >= n)
        if "format" in node:
            out.append(lambda v, f=node["format"]: _FORMAT_CHECKER.conforms(v, f))
        return out


def _all_of(checks: list[Check]) -> Check:
    """One closure for several checks; a plain loop (no generator) because this is the hot path."""
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def check(v: Any) -> bool:
        for c in frozen:
            if not c(v):
                return False
        return True
    return check


def _int_tuples(minimums: tuple[int, ...], generic: Check) -> Check:
    """Exact check of a list of integer pairs: the common case (plain ints) in one loop; any
    unusual item (a float that is an integer, a bool, a wrong length) goes to the generic check,
    so the verdict always equals jsonschema's."""
    low_a, low_b = minimums

    def check(v: Any) -> bool:
        if not isinstance(v, list):
            return True
        for pair in v:
            if not (pair.__class__ is list and len(pair) == 2 and pair[0].__class__ is int
                    and pair[1].__class__ is int and pair[0] >= low_a and pair[1] >= low_b):
                return all(generic(x) for x in v)
        return True
    return check


def _type_check(types: tuple[str, ...]) -> Check:
    """Common single types as direct isinstance tests; the rest through _is_type."""
    if types == ("string",):
        return lambda v: v.__class__ is str or isinstance(v, str)
    if types == ("object",):
        return lambda v: isinstance(v, dict)
    if types == ("array",):
        return lambda v: isinstance(v, list)
    if types == ("integer",):
        return lambda v: v.__class__ is int or _is_type(v, "integer")
    return lambda v: any(_is_type(v, t) for t in types)


def _unique(v: Any) -> bool:
    if not isinstance(v, list):
        return True
    if all(isinstance(x, str) for x in v):
        return len(set(v)) == len(v)
    return not any(_strict_equal(a, b) for i, a in enumerate(v) for b in v[i + 1:])


_KNOWN = frozenset({"$ref", "type", "const", "enum", "oneOf", "anyOf", "allOf", "if", "then", "else",
                    "properties", "required", "additionalProperties", "prefixItems", "items",
                    "minItems", "maxItems", "uniqueItems", "pattern", "minLength", "maxLength",
                    "minimum", "format", "$defs"})


@cache
def _compiler() -> _Compiler:
    return _Compiler(load_schema())


@cache
def fast_check(def_name: str) -> Check:
    """The compiled yes/no check for `$defs/<def_name>` (same verdict as jsonschema's is_valid)."""
    return _compiler().ref(def_name)
