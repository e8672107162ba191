"""A fast yes/no schema check compiled from cash.schema.json, so jsonschema runs only on bad records.

jsonschema's full validation walks the schema for every record and builds error objects;
for a million clean records that is the slow path. Here each `$defs` entry is compiled once
into generated Python source (one function per schema node, checks inlined) that answers only
"valid or not". Records that fail are handed to
jsonschema's `iter_errors` for the precise messages, so the findings are the same either way.
The schema stays the source of truth: the functions are derived from it, and a keyword this
compiler does not know raises at compile time instead of being silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator

from ..paths import ecma_pattern
from ..schema import INT64_MAX, INT64_MIN, is_json_integer, load_schema, schema_cached

Check = Callable[[Any], bool]

# Keywords with no effect on validity.
_ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "default", "$schema", "$id", "version"})
_FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def _is_type(value: Any, name: str) -> bool:
    """JSON types as CASH's jsonschema validator sees them: bool is not a number; an integer is a
    64-bit int, never a float such as 83.0 (schema.is_json_integer)."""
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return is_json_integer(value)
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


class _Emitter:
    """Generates one Python function per schema node (source code, compiled once with `exec`).

    Generated straight-line code runs several times faster than a tree of closures: the
    checks of a claim become one function with its property tests inlined. Each emitted
    block returns False as soon as the value fails; `$ref`s become calls to the function of
    that `$defs` entry, so recursive definitions work.
    """

    def __init__(self, schema: dict[str, Any]):
        self.schema = schema
        self.namespace: dict[str, Any] = {
            "_is_type": _is_type, "_strict_equal": _strict_equal, "_unique": _unique, "_MISSING": _MISSING,
            "_FORMAT_CHECKER": _FORMAT_CHECKER}
        self.sources: list[str] = []
        self.defs: dict[str, str] = {}
        self.pending_pairs: list[tuple[str, tuple[int, ...], str]] = []
        self.count = 0

    def _name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def constant(self, value: Any) -> str:
        name = self._name("K")
        self.namespace[name] = value
        return name

    def function(self, node: Any, name: str | None = None) -> str:
        name = name or self._name("f")
        body = self.emit(node, "v", 1)
        self.sources.append("\n".join([f"def {name}(v):", *body, "    return True"]))
        return name

    def ref(self, def_name: str) -> str:
        if def_name not in self.defs:
            self.defs[def_name] = name = f"d_{re.sub(r'[^A-Za-z0-9_]', '_', def_name)}"
            self.function(self.schema["$defs"][def_name], name)
        return self.defs[def_name]

    def compile(self) -> dict[str, Any]:
        exec(compile("\n\n".join(self.sources), "<cash fastcheck>", "exec"), self.namespace)  # noqa: S102 - our own generated source
        self.sources.clear()
        for name, minimums, generic in self.pending_pairs:
            self.namespace[name] = _int_tuples(minimums, self.namespace[generic])
        self.pending_pairs.clear()
        return self.namespace

    def emit(self, node: Any, v: str, depth: int) -> list[str]:  # noqa: C901 - one branch per keyword
        pad = "    " * depth
        if node is True:
            return []
        if node is False:
            return [f"{pad}return False"]
        unknown = set(node) - _ANNOTATIONS - _KNOWN
        if unknown:
            raise ValueError(f"fastcheck cannot compile schema keywords {sorted(unknown)}")
        out: list[str] = []
        if "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/$defs/"):
                raise ValueError(f"fastcheck cannot follow $ref {ref!r}")
            out.append(f"{pad}if not {self.ref(ref[len('#/$defs/'):])}({v}): return False")
        if "type" in node:
            types = tuple(node["type"]) if isinstance(node["type"], list) else (node["type"],)
            out.append(f"{pad}if not ({_type_condition(types, v)}): return False")
        if "const" in node:
            out.append(f"{pad}if not {self._values_condition([node['const']], v)}: return False")
        if "enum" in node:
            out.append(f"{pad}if not {self._values_condition(node['enum'], v)}: return False")
        if "oneOf" in node:
            options = node["oneOf"]
            if all(isinstance(o, dict) and set(o) - _ANNOTATIONS == {"const"} for o in options):
                out.append(f"{pad}if not {self._values_condition([o['const'] for o in options], v)}: return False")
            else:
                calls = " + ".join(f"bool({self.function(o)}({v}))" for o in options)
                out.append(f"{pad}if ({calls}) != 1: return False")
        if "anyOf" in node:
            calls = " or ".join(f"{self.function(o)}({v})" for o in node["anyOf"])
            out.append(f"{pad}if not ({calls}): return False")
        for option in node.get("allOf", ()):
            out += self.emit(option, v, depth)
        if "if" in node:
            condition, then = self.function(node["if"]), self.function(node.get("then", True))
            otherwise = self.function(node.get("else", True))
            out.append(f"{pad}if not ({then}({v}) if {condition}({v}) else {otherwise}({v})): return False")
        out += self._object(node, v, depth) + self._array(node, v, depth) + self._scalar(node, v, depth)
        return out

    def _values_condition(self, values: list[Any], v: str) -> str:
        strings = _string_set(values)
        if strings is not None:
            if len(strings) == 1:
                return f"(isinstance({v}, str) and {v} == {self.constant(next(iter(strings)))})"
            return f"(isinstance({v}, str) and {v} in {self.constant(strings)})"
        return f"any(_strict_equal({v}, x) for x in {self.constant(tuple(values))})"

    def _object(self, node: dict[str, Any], v: str, depth: int) -> list[str]:
        if not {"properties", "required", "additionalProperties"} & set(node):
            return []
        if node.get("additionalProperties", True) not in (True, False):
            raise ValueError("fastcheck compiles additionalProperties true/false only")
        pad, inner = "    " * depth, "    " * (depth + 1)
        body = [f"{inner}if {key!r} not in {v}: return False" for key in node.get("required", ())]
        properties = node.get("properties", {})
        if node.get("additionalProperties", True) is False:
            body.append(f"{inner}if not {self.constant(frozenset(properties))}.issuperset({v}): return False")
        for key, sub in properties.items():
            checks = self.emit(sub, (x := self._name("x")), depth + 2)
            if checks:
                body += [f"{inner}{x} = {v}.get({key!r}, _MISSING)", f"{inner}if {x} is not _MISSING:", *checks]
        return [f"{pad}if isinstance({v}, dict):", *(body or [f"{inner}pass"])]

    def _array(self, node: dict[str, Any], v: str, depth: int) -> list[str]:
        pad, inner = "    " * depth, "    " * (depth + 1)
        body: list[str] = []
        for index, sub in enumerate(node.get("prefixItems", ())):
            checks = self.emit(sub, (x := self._name("x")), depth + 2)
            if checks:
                body += [f"{inner}if len({v}) > {index}:", f"{inner}    {x} = {v}[{index}]", *checks]
        if "items" in node:
            skip = len(node.get("prefixItems", ()))
            minimums = self._int_tuple_minimums(node["items"])
            if minimums is not None and skip == 0:
                pairs = self.constant(None)  # bound in compile(), once the generic item check exists
                self.pending_pairs.append((pairs, minimums, self.function(node["items"])))
                body.append(f"{inner}if not {pairs}({v}): return False")
            else:
                checks = self.emit(node["items"], (x := self._name("x")), depth + 2)
                if checks:
                    body += [f"{inner}for {x} in {v}[{skip}:]:" if skip else f"{inner}for {x} in {v}:", *checks]
        if "minItems" in node:
            body.append(f"{inner}if len({v}) < {int(node['minItems'])}: return False")
        if "maxItems" in node:
            body.append(f"{inner}if len({v}) > {int(node['maxItems'])}: return False")
        if node.get("uniqueItems"):
            body.append(f"{inner}if not _unique({v}): return False")
        return [f"{pad}if isinstance({v}, list):", *body] if body else []

    def _int_tuple_minimums(self, items: Any) -> tuple[int, ...] | None:
        """Minimums when `items` is a fixed-length array of plain integers with minimums only
        (the shape of `offset_pair`), else None. Such lists (every sentence and token of a
        document) get a single-loop check instead of one call per number."""
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

    def _scalar(self, node: dict[str, Any], v: str, depth: int) -> list[str]:
        pad = "    " * depth
        out: list[str] = []
        if "pattern" in node:
            search = self.constant(re.compile(ecma_pattern(node["pattern"])).search)
            out.append(f"{pad}if isinstance({v}, str) and {search}({v}) is None: return False")
        if "minLength" in node:
            out.append(f"{pad}if isinstance({v}, str) and len({v}) < {int(node['minLength'])}: return False")
        if "maxLength" in node:
            out.append(f"{pad}if isinstance({v}, str) and len({v}) > {int(node['maxLength'])}: return False")
        if "minimum" in node:
            out.append(f"{pad}if _is_type({v}, 'number') and {v} < {self.constant(node['minimum'])}: return False")
        if "maximum" in node:
            out.append(f"{pad}if _is_type({v}, 'number') and {v} > {self.constant(node['maximum'])}: return False")
        if "format" in node:
            out.append(f"{pad}if not _FORMAT_CHECKER.conforms({v}, {node['format']!r}): return False")
        return out


_MISSING = object()


def _type_condition(types: tuple[str, ...], v: str) -> str:
    """A Python expression true when `v` has one of the JSON `types` (bool is not a number)."""
    direct = {"string": f"isinstance({v}, str)", "object": f"isinstance({v}, dict)",
              "array": f"isinstance({v}, list)", "null": f"{v} is None", "boolean": f"isinstance({v}, bool)",
              "integer": f"({v}.__class__ is int and {INT64_MIN} <= {v} <= {INT64_MAX} or _is_type({v}, 'integer'))"}
    return " or ".join(direct.get(t, f"_is_type({v}, {t!r})") for t in types)


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
                    and pair[1].__class__ is int and pair[0] >= low_a and pair[1] >= low_b
                    and pair[0] <= INT64_MAX and pair[1] <= INT64_MAX):
                return all(generic(x) for x in v)
        return True
    return check


def _unique(v: Any) -> bool:
    if not isinstance(v, list):
        return True
    if all(isinstance(x, str) for x in v):
        return len(set(v)) == len(v)
    return not any(_strict_equal(a, b) for i, a in enumerate(v) for b in v[i + 1:])


_KNOWN = frozenset({"$ref", "type", "const", "enum", "oneOf", "anyOf", "allOf", "if", "then", "else",
                    "properties", "required", "additionalProperties", "prefixItems", "items",
                    "minItems", "maxItems", "uniqueItems", "pattern", "minLength", "maxLength",
                    "minimum", "maximum", "format", "$defs"})


@schema_cached
def _emitter() -> _Emitter:
    return _Emitter(load_schema())


@schema_cached
def fast_check(def_name: str) -> Check:
    """The compiled yes/no check for `$defs/<def_name>` (same verdict as jsonschema's is_valid)."""
    emitter = _emitter()
    name = emitter.ref(def_name)
    return emitter.compile()[name]
