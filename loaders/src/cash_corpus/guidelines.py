"""The reference tables of schema/GUIDELINES.md, generated from the schema.

The tables sit between two marker comments (see `generated.py`); everything else in the
guidelines is written by hand, and `cash generate --check` fails when someone edited the block.
"""

from __future__ import annotations

from .schema import inventories, labels, load_schema, schema_version

BLOCK = "label tables (cash generate)"

TITLES = {
    "claim_type": "Claim type (`claims.claim_type`)",
    "certainty": "Certainty (`claims.certainty`, FactBank CT/PR/PS/Uu)",
    "claim_polarity": "Claim polarity (`claims.polarity`, FactBank +/−)",
    "stance_target": "Stance targets (`claims.stance[].target`, `document_stance[].target`)",
    "stance_polarity": "Claim stance polarity (`claims.stance[].polarity`, SemEval-2016)",
    "document_stance_polarity": "Document stance polarity (`document_stance[].polarity`)",
    "holder_type": "Holder (`claims.holder.type`)",
    "cue_kind": "Cue kind (`cues.kind`)",
    "cue_type": "Cue type (`cues.cue_type`)",
    "source_type": "Attribution source type (`attributions.source_type`)",
    "attribution_form": "Attribution form (`attributions.form`)",
    "parc_type": "PARC type (`attributions.parc_type`)",
    "author_commitment": "Author commitment (`attributions.author_commitment`, optional)",
    "zone_type": "Zone type (`structure.zones[].type`)",
    "genre": "Genre (`documents.genre`)",
    "provenance_method": "Provenance method (`layer.provenance.method`)",
}


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
        out += [f"### {TITLES.get(name, name)}", "", "| value | name | definition | example |", "|---|---|---|---|"]
        out += [f"| `{label.value}` | {_cell(label.title)} | {_cell(label.definition)} | {_example(label)} |"
                for label in labels(name)]
        out.append("")
    return "\n".join(out)
