"""The reference tables of schema/GUIDELINES.md, generated from the schema.

The tables sit between two marker comments (see `generated.py`); everything else in the
guidelines is written by hand, and `cash generate --check` fails when someone edited the block.
"""

from __future__ import annotations

from .schema import inventories, inventory_usages, is_optional, labels, load_schema, schema_version

BLOCK = "label tables (cash generate)"

def heading(inventory: str) -> str:
    """The table heading: the inventory's title from the schema and the fields that take it (derived)."""
    title = load_schema()["$defs"][inventory].get("title", inventory)
    fields = ", ".join(f"`{path}`" + (" (optional)" if is_optional(*path.split(".", 1)) else "")
                       for path in inventory_usages()[inventory])
    return f"{title}: {fields}" if fields else title


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(label) -> str:
    if not label.examples:
        return "—"
    shown = []
    for example in label.examples:
        where = example["document_id"] or "constructed, not in the corpus"
        shown.append(f"“{_cell(example['text'])}” ({where})")
    return "; ".join(shown)


def render_tables() -> str:
    """Markdown tables for every label inventory, in schema order."""
    out = [f"Schema `{load_schema()['$id']}`, version {schema_version()}.", ""]
    for name in inventories():
        out += [f"### {heading(name)}", "", "| value | name | definition | example |", "|---|---|---|---|"]
        out += [f"| `{label.value}` | {_cell(label.title)} | {_cell(label.definition)} | {_example(label)} |"
                for label in labels(name)]
        out.append("")
    return "\n".join(out)
