"""Typed decoding compiled from cash.schema.json: msgspec Structs at least as strict as the schema.

Why: on a clean corpus the schema check was most of `cash validate` (one Python call per record
and per nested span). msgspec decodes JSON straight into typed Structs in C and checks types,
required fields, unknown fields, label inventories (`Literal`), patterns, lengths and bounds while
it parses, so a clean file is decoded and schema-checked in about the time of a plain parse.

The schema stays the source: each `$defs` entry is compiled into a Struct (or a constrained type)
on demand. A construct the compiler cannot express exactly or more strictly raises `Unsupported`
at compile time (the caller then uses the exact path), never silently weaker:
- `anyOf` is compiled only as "X or null"; `oneOf` only as an inventory of string constants;
- `format` is not compiled (the layer header, the one record that uses it, takes the exact path);
- `uniqueItems` on a list of strings becomes a post-check listed in `TypedDef.unique_fields`;
- integers are bounded to 64 bits (as `schema.is_json_integer`); a float such as 83.0 is refused.
Being stricter is allowed: a record msgspec refuses is re-checked by the exact path, which then
reports what, if anything, is wrong.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional, Union

import msgspec

from .jsonl import INT64_MAX, INT64_MIN
from .paths import ecma_pattern
from .schema import load_schema, schema_cached

_ANNOTATIONS = frozenset({"title", "description", "examples", "$comment", "default"})
TAG_FIELD = "record"


class Unsupported(ValueError):
    """A schema construct the typed decoder cannot check at least as strictly as jsonschema."""


@dataclass(frozen=True)
class TypedDef:
    """A compiled `$defs` entry: its msgspec type and the list fields to check for uniqueness."""

    type: Any
    unique_fields: tuple[str, ...] = ()


class _Compiler:
    def __init__(self, schema: dict[str, Any]):
        self.defs = schema["$defs"]
        self.compiled: dict[str, TypedDef] = {}

    def definition(self, name: str, tag: bool = False) -> TypedDef:
        key = f"{name}#tag" if tag else name
        if key not in self.compiled:
            if name not in self.defs:
                raise Unsupported(f"no $defs/{name}")
            unique: list[str] = []
            self.compiled[key] = TypedDef(self.node(self.defs[name], name, unique, top=True, tag=tag), tuple(unique))
        return self.compiled[key]

    def node(self, node: Any, name: str, unique: list[str], top: bool = False, tag: bool = False) -> Any:
        if not isinstance(node, dict):
            raise Unsupported(f"{name}: boolean schema")
        keys = set(node) - _ANNOTATIONS
        if "$ref" in keys:
            if keys != {"$ref"} or not node["$ref"].startswith("#/$defs/"):
                raise Unsupported(f"{name}: $ref with siblings")
            target = self.definition(node["$ref"][len("#/$defs/"):])
            if target.unique_fields:
                raise Unsupported(f"{name}: uniqueItems below the top level")
            return target.type
        if "anyOf" in keys:
            options = node["anyOf"]
            nulls = [o for o in options if o == {"type": "null"}]
            rest = [o for o in options if o != {"type": "null"}]
            if keys != {"anyOf"} or len(nulls) != 1 or len(rest) != 1:
                raise Unsupported(f"{name}: anyOf other than 'X or null'")
            return Optional[self.node(rest[0], name, unique)]
        if "oneOf" in keys or "enum" in keys or "const" in keys:
            return self.constants(node, keys, name)
        if "format" in keys:
            raise Unsupported(f"{name}: format")
        types = node.get("type")
        if types is None:
            raise Unsupported(f"{name}: no type")
        types = types if isinstance(types, list) else [types]
        allowed = {"type"}.union(*(_KEYWORDS.get(t, set()) for t in types))
        if keys - allowed:  # a keyword applies only to its own type; one of none of them is unknown here
            raise Unsupported(f"{name}: {sorted(keys - allowed)} on {types}")
        compiled = [self.typed(t, node, name, unique, top, tag) for t in types]
        return compiled[0] if len(compiled) == 1 else Union[tuple(compiled)]

    def constants(self, node: dict[str, Any], keys: set[str], name: str) -> Any:
        if "oneOf" in keys:
            options = node["oneOf"]
            if keys != {"oneOf"} or not all(isinstance(o, dict) and set(o) - _ANNOTATIONS == {"const"} for o in options):
                raise Unsupported(f"{name}: oneOf other than a label inventory")
            values = [o["const"] for o in options]
        elif "enum" in keys:
            if keys - {"enum", "type"}:
                raise Unsupported(f"{name}: enum with siblings")
            values = list(node["enum"])
        else:
            if keys - {"const", "type"}:
                raise Unsupported(f"{name}: const with siblings")
            values = [node["const"]]
        if not values or not all(isinstance(v, str) for v in values):
            raise Unsupported(f"{name}: non-string constants")
        if "type" in keys and node["type"] != "string":
            raise Unsupported(f"{name}: string constants of type {node['type']!r}")
        return Literal[tuple(values)]

    def typed(self, kind: str, node: dict[str, Any], name: str, unique: list[str], top: bool, tag: bool) -> Any:
        if kind == "null":
            return None
        if kind == "boolean":
            return bool
        if kind == "string":
            meta = {}
            if "pattern" in node:
                meta["pattern"] = ecma_pattern(node["pattern"])
            if "minLength" in node:
                meta["min_length"] = int(node["minLength"])
            if "maxLength" in node:
                meta["max_length"] = int(node["maxLength"])
            return Annotated[str, msgspec.Meta(**meta)] if meta else str
        if kind == "integer":
            low = max(node.get("minimum", INT64_MIN), INT64_MIN)
            high = min(node.get("maximum", INT64_MAX), INT64_MAX)
            if not (isinstance(low, int) and isinstance(high, int)):
                raise Unsupported(f"{name}: non-integer bounds")
            return Annotated[int, msgspec.Meta(ge=low, le=high)]
        if kind == "number":
            meta = {k: v for k, v in (("ge", node.get("minimum")), ("le", node.get("maximum"))) if v is not None}
            return Annotated[float, msgspec.Meta(**meta)] if meta else float
        if kind == "array":
            return self.array(node, name, unique, top)
        if kind == "object":
            return self.struct(node, name, unique, top, tag)
        raise Unsupported(f"{name}: type {kind!r}")

    def array(self, node: dict[str, Any], name: str, unique: list[str], top: bool) -> Any:
        if "prefixItems" in node:
            prefix = node["prefixItems"]
            if "items" in node or node.get("minItems") != len(prefix) or node.get("maxItems") != len(prefix):
                raise Unsupported(f"{name}: prefixItems other than a fixed-length tuple")
            return tuple[tuple(self.node(p, name, unique) for p in prefix)]
        item = self.node(node["items"], name, unique) if "items" in node else Any
        if item is Any:
            raise Unsupported(f"{name}: array without items")
        meta = {}
        if "minItems" in node:
            meta["min_length"] = int(node["minItems"])
        if "maxItems" in node:
            meta["max_length"] = int(node["maxItems"])
        kind = list[item]
        return Annotated[kind, msgspec.Meta(**meta)] if meta else kind

    def struct(self, node: dict[str, Any], name: str, unique: list[str], top: bool, tag: bool) -> Any:
        if node.get("additionalProperties", True) is not False:
            raise Unsupported(f"{name}: open objects")
        required = set(node.get("required", ()))
        properties = node.get("properties", {})
        if required - set(properties):
            raise Unsupported(f"{name}: a required field with no schema")
        fields: list[tuple] = []
        tag_value = None
        for field_name, sub in properties.items():
            if tag and top and field_name == TAG_FIELD:
                sub_keys = set(sub) - _ANNOTATIONS
                if sub_keys != {"const"} or field_name not in required:
                    raise Unsupported(f"{name}: the record tag must be a required const")
                tag_value = sub["const"]
                continue
            attribute = f"{field_name}_" if keyword.iskeyword(field_name) else field_name
            if not attribute.isidentifier():
                raise Unsupported(f"{name}: field name {field_name!r}")
            if isinstance(sub, dict) and sub.get("uniqueItems"):
                if not top or sub.get("type") != "array":
                    raise Unsupported(f"{name}.{field_name}: uniqueItems below the top level")
                unique.append(attribute)
                sub = {k: v for k, v in sub.items() if k != "uniqueItems"}
            typ = self.node(sub, f"{name}.{field_name}", unique)
            if field_name in required:
                fields.append((attribute, typ, msgspec.field(name=field_name)))
            else:
                fields.append((attribute, Union[typ, msgspec.UnsetType], msgspec.field(default=msgspec.UNSET,
                                                                                        name=field_name)))
        struct_name = re.sub(r"\W", "_", name.title().replace("_", "").replace(".", "_")) or "Record"
        options: dict[str, Any] = {"forbid_unknown_fields": True, "kw_only": True}
        if tag:
            if tag_value is None:
                raise Unsupported(f"{name}: no record tag")
            options.update(tag_field=TAG_FIELD, tag=tag_value)
        return msgspec.defstruct(struct_name, fields, **options)


_KEYWORDS = {"string": {"pattern", "minLength", "maxLength"}, "integer": {"minimum", "maximum"},
             "number": {"minimum", "maximum"}, "array": {"items", "prefixItems", "minItems", "maxItems"},
             "object": {"properties", "required", "additionalProperties"}}


@schema_cached
def _compiler() -> _Compiler:
    return _Compiler(load_schema())


@schema_cached
def typed_def(def_name: str, tagged: bool = False) -> TypedDef:
    """The compiled `$defs/<def_name>` (tagged: its `record` const becomes the msgspec tag)."""
    return _compiler().definition(def_name, tag=tagged)


@schema_cached
def lines_decoder(*def_names: str) -> tuple[msgspec.json.Decoder, dict[str, TypedDef]]:
    """A JSON Lines decoder for records of `def_names` and {def name: its TypedDef}: one def
    plainly, several as a union tagged by their `record` field. Raises Unsupported when any of
    them cannot be compiled."""
    if len(def_names) == 1:
        compiled = {def_names[0]: typed_def(def_names[0])}
        target = compiled[def_names[0]].type
    else:
        compiled = {name: typed_def(name, tagged=True) for name in def_names}
        target = Union[tuple(d.type for d in compiled.values())]
    return msgspec.json.Decoder(target), compiled
