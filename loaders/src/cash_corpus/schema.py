"""The machine-readable schema (schema/cash.schema.json) and what is derived from it.

Everything that needs a label list, a field map, a record kind or an id rule (validation, the
Label Studio config, the `datasets` features, the guideline tables, stats, agreement) asks this
module, so nothing can drift from the schema and adding a labelled field means editing the schema
and the data, nothing else.

Which schema: the one of the corpus in use. `use_corpus_schema(root)` (called by the CLI once it
knows its root) selects `<root>/schema/cash.schema.json` when the root has one; otherwise, and for
library use, the copy shipped inside the package (`cash_corpus/schema_data/`, kept byte-equal to
the checkout's schema by `cash generate`), so a non-editable install works in any folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .jsonl import INT64_MAX, INT64_MIN, read_json
from .paths import ecma_pattern

SCHEMA_FILE = "cash.schema.json"
GUIDELINES_FILE = "GUIDELINES.md"
PACKAGED_SCHEMA = Path(__file__).resolve().parent / "schema_data" / SCHEMA_FILE

_selected: Path | None = None  # a corpus root's own schema file, when one is in use
_CACHES: list[Any] = []


def schema_cached(function):
    """`functools.cache`, cleared when another schema is selected (`use_corpus_schema`)."""
    cached = cache(function)
    _CACHES.append(cached)
    return cached


def use_corpus_schema(root: Path | None) -> Path:
    """Read the schema of the corpus at `root` (its schema/cash.schema.json) from now on, or the
    packaged one if it has none; returns the file in use."""
    global _selected
    candidate = Path(root) / "schema" / SCHEMA_FILE if root is not None else None
    chosen = candidate if candidate is not None and candidate.is_file() and not candidate.is_symlink() else None
    if chosen != _selected:
        _selected = chosen
        for cached in _CACHES:
            cached.cache_clear()
    return schema_path()


@dataclass(frozen=True)
class Label:
    """One value of a label inventory with its human definition and corpus examples."""

    value: str
    title: str
    definition: str
    examples: tuple[dict[str, str], ...]


def schema_path() -> Path:
    return _selected or PACKAGED_SCHEMA


def guidelines_path(root: Path | None = None) -> Path:
    """The annotation guidelines that go with the schema in use: the corpus root's, else the packaged copy."""
    if root is not None and (Path(root) / "schema" / GUIDELINES_FILE).is_file():
        return Path(root) / "schema" / GUIDELINES_FILE
    return PACKAGED_SCHEMA.parent / GUIDELINES_FILE


@schema_cached
def load_schema() -> dict[str, Any]:
    return read_json(schema_path())


def schema_version() -> str:
    return load_schema()["version"]


def is_supported_schema_version(version: str) -> bool:
    """Same MAJOR, and not newer than the schema we ship (semver: MINOR adds, MAJOR breaks)."""
    try:
        theirs = tuple(int(p) for p in version.split("."))
        ours = tuple(int(p) for p in schema_version().split("."))
    except (AttributeError, ValueError):
        return False
    return len(theirs) == 3 and theirs[0] == ours[0] and theirs <= ours


@schema_cached
def inventories() -> tuple[str, ...]:
    """Names of the label inventories: the $defs written as `oneOf` of `const` labels, in schema order."""
    return tuple(name for name, definition in load_schema()["$defs"].items()
                 if isinstance(definition.get("oneOf"), list) and definition["oneOf"]
                 and all("const" in option for option in definition["oneOf"]))


@schema_cached
def labels(name: str) -> tuple[Label, ...]:
    """The inventory `name` (a $defs entry written as oneOf of const labels)."""
    definition = load_schema()["$defs"][name]
    return tuple(
        Label(option["const"], option.get("title", option["const"]), option["description"],
              tuple(option.get("examples", ())))
        for option in definition["oneOf"]
    )


def label_names(name: str) -> list[str]:
    return [label.value for label in labels(name)]


@schema_cached
def _registry() -> Registry:
    schema = load_schema()
    return Registry().with_resource(schema["$id"], Resource.from_contents(schema))


def is_json_integer(value: Any) -> bool:
    """A JSON integer as CASH reads it: a Python int (not a bool, not `83.0`) that fits in 64 bits.

    jsonschema would accept the float 83.0 as an integer and any size of int; both break the
    build (Arrow int64 columns), so neither is an integer here, in jsonschema or the fast path.
    """
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


def _ecma_pattern_keyword(validator_, pattern, instance, schema):
    """`pattern` with ECMA-262 meaning (`$` is the end of the input, not before a final newline)."""
    if isinstance(instance, str) and _compiled_pattern(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled_pattern(pattern: str):
    import re
    return re.compile(ecma_pattern(pattern))


@cache
def _validator_class():
    checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", lambda _checker, value: is_json_integer(value))
    return validators.extend(Draft202012Validator, validators={"pattern": _ecma_pattern_keyword},
                             type_checker=checker)


@schema_cached
def validator(definition: str | None = None) -> Draft202012Validator:
    """A jsonschema validator for one $defs entry (or the whole annotation record when None).

    Two readings differ from stock jsonschema on purpose: integers are 64-bit ints only
    (`is_json_integer`), and patterns have ECMA-262 anchors (`paths.ecma_pattern`).
    """
    schema = load_schema()
    target = schema if definition is None else {"$ref": f"{schema['$id']}#/$defs/{definition}"}
    return _validator_class()(target, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _ref_name(node: dict[str, Any]) -> str | None:
    """The $defs entry a property refers to: `{"$ref": …}`, or a nullable `anyOf`/`oneOf` of one ref and null."""
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return ref.rsplit("/", 1)[-1]
    options = node.get("anyOf") or node.get("oneOf")
    if isinstance(options, list):
        refs = [option for option in options if "$ref" in option]
        if len(refs) == 1 and all("$ref" in option or option == {"type": "null"} for option in options):
            return _ref_name(refs[0])
    return None


@schema_cached
def record_kinds() -> dict[str, str]:
    """Record kind as written in the `record` field ("claim", "cue", …) → the $defs entry describing it."""
    kinds = {}
    for name, definition in load_schema()["$defs"].items():
        record = definition.get("properties", {}).get("record", {})
        if "const" in record:
            kinds[record["const"]] = name
    return kinds


@schema_cached
def labelled_fields(def_name: str) -> dict[str, str]:
    """Field path → label inventory for one $defs record, derived from its properties.

    Direct fields ("claim_type" → "claim_type", "polarity" → "claim_polarity"), fields of a nested
    object ("holder.type" → "holder_type") and of objects in an array ("stance[].target" →
    "stance_target"), in schema order. Optional fields are included.
    """
    defs = load_schema()["$defs"]
    names = set(inventories())
    out: dict[str, str] = {}

    def walk(definition: dict[str, Any], prefix: str, depth: int) -> None:
        for field, node in definition.get("properties", {}).items():
            target = _ref_name(node)
            if target is None and node.get("type") == "array":
                items = node.get("items", {})
                target = _ref_name(items)
                if target in names:
                    out[f"{prefix}{field}[]"] = target
                elif target is not None and depth < 2:
                    walk(defs[target], f"{prefix}{field}[].", depth + 1)
                continue
            if target in names:
                out[prefix + field] = target
            elif target is not None and depth < 2 and "properties" in defs[target]:
                walk(defs[target], f"{prefix}{field}.", depth + 1)

    walk(defs[def_name], "", 0)
    return out


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        name = _ref_name(node)
        if name is not None:
            yield name
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


@schema_cached
def top_level_records() -> tuple[str, ...]:
    """The $defs that are whole records on disk (claim, cue, …, document_metadata, structure_record):
    objects with properties that no other object's properties refer to (stance, holder, span, zone
    and provenance are parts of records, not records)."""
    defs = load_schema()["$defs"]
    objects = [name for name, definition in defs.items() if "properties" in definition]
    parts = {ref for name in objects for ref in _references(defs[name]["properties"])}
    return tuple(name for name in objects if name not in parts)


@schema_cached
def inventory_usages() -> dict[str, tuple[str, ...]]:
    """inventory → the `record.field` paths that take it (e.g. certainty → ("claim.certainty",))."""
    out: dict[str, list[str]] = {name: [] for name in inventories()}
    for record in top_level_records():
        for path, inventory in labelled_fields(record).items():
            out[inventory].append(f"{record}.{path}")
    return {name: tuple(paths) for name, paths in out.items()}


def is_optional(record: str, path: str) -> bool:
    """Whether the first field of `path` may be absent from a `record` (not in its `required`)."""
    field = path.split(".", 1)[0].removesuffix("[]")
    return field not in load_schema()["$defs"][record].get("required", ())


@dataclass(frozen=True)
class IdRule:
    """What an id must look like, from its $defs entry (pattern, maximum length, description)."""

    pattern: str
    max_length: int | None
    description: str


@schema_cached
def id_rule(def_name: str) -> IdRule:
    definition = load_schema()["$defs"][def_name]
    return IdRule(definition["pattern"], definition.get("maxLength"), definition.get("description", ""))
