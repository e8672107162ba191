"""The machine-readable schema (schema/cash.schema.json) and the label inventories in it.

Everything that needs a label list (validation, the Label Studio config, the `datasets`
features, the guideline tables) asks this module, so nothing can drift from the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from .jsonl import read_json
from .paths import schema_dir

SCHEMA_FILE = "cash.schema.json"

# Label inventories by the field that uses them; the $defs name is the inventory's name.
LABEL_SETS = (
    "claim_type", "certainty", "claim_polarity", "stance_polarity", "document_stance_polarity",
    "stance_target", "cue_kind", "cue_type", "source_type", "attribution_form", "parc_type",
    "author_commitment",
    "zone_type", "genre", "holder_type", "provenance_method",
)


@dataclass(frozen=True)
class Label:
    """One value of a label inventory with its human definition and corpus examples."""

    value: str
    title: str
    definition: str
    examples: tuple[dict[str, str], ...]


def schema_path() -> Path:
    return schema_dir() / SCHEMA_FILE


@cache
def load_schema() -> dict[str, Any]:
    return read_json(schema_path())


def schema_version() -> str:
    return load_schema()["version"]


def supported_schema_versions() -> tuple[str, ...]:
    """Annotation files written under these schema versions can be read by this package."""
    major = schema_version().split(".")[0]
    return tuple(v for v in (schema_version(),) if v.split(".")[0] == major)


def is_supported_schema_version(version: str) -> bool:
    """Same MAJOR, and not newer than the schema we ship (semver: MINOR adds, MAJOR breaks)."""
    try:
        theirs = tuple(int(p) for p in version.split("."))
        ours = tuple(int(p) for p in schema_version().split("."))
    except (AttributeError, ValueError):
        return False
    return len(theirs) == 3 and theirs[0] == ours[0] and theirs <= ours


@cache
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


@cache
def _registry() -> Registry:
    schema = load_schema()
    return Registry().with_resource(schema["$id"], Resource.from_contents(schema))


@cache
def validator(definition: str | None = None) -> Draft202012Validator:
    """A jsonschema validator for one $defs entry (or the whole annotation record when None)."""
    schema = load_schema()
    target = schema if definition is None else {"$ref": f"{schema['$id']}#/$defs/{definition}"}
    return Draft202012Validator(target, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)
