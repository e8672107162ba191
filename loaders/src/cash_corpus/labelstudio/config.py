"""The Label Studio labeling config, generated from the schema's label inventories.

Names here are the contract between `tasks` (CASH -> Label Studio results) and `importer`
(Label Studio export -> CASH): both use these constants, and the config declares each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from typing import Any

from ..schema import labelled_fields, labels, record_kinds, schema_cached

TEXT = "text"            # the <Text> object, fed from task data `text`
SPAN = "span"            # the <Labels> control for every span region

CLAIM, CUE = "claim", "cue"
ATT_CUE, ATT_SOURCE, ATT_CONTENT = "attribution_cue", "attribution_source", "attribution_content"
SPAN_LABELS = (CLAIM, CUE, ATT_CUE, ATT_SOURCE, ATT_CONTENT)

# Relation labels (all directed "right": from_id -> to_id).
HOLDER = "holder"        # claim -> attribution cue region (the claim's holder)
MODIFIES = "modifies"    # cue -> claim
SOURCE = "source"        # attribution cue region -> its source region
CONTENT = "content"      # attribution cue region -> its content region
PARENT = "parent"        # attribution cue region -> parent attribution cue region
RELATION_LABELS = (HOLDER, MODIFIES, SOURCE, CONTENT, PARENT)

NOTE = "note"                    # per-region TextArea
META_ID, META_PART = "cash_id", "cash_part"  # span result meta: the CASH record a predicted region shows
META_TEXT = "text"               # span result meta: the editor's per-region meta text (info box)
DOCUMENT_NOTE = "document_note"  # task-level TextArea

# The span label whose region carries the labelled fields of each record kind.
RECORD_REGIONS = {"claim": CLAIM, "cue": CUE, "attribution": ATT_CUE}
# Control names that differ from the field path, kept so configs of existing projects and their
# exports stay readable; every other labelled field's control is named by its field path.
LEGACY_CONTROL_NAMES = {("claim", "holder.type"): "holder", ("cue", "kind"): "cue_kind"}


@dataclass(frozen=True)
class RegionField:
    """One per-region Choices control: the labelled field `path` of record `kind` on `span_label` regions."""

    control: str
    kind: str
    path: str
    inventory: str
    span_label: str


@schema_cached
def region_fields() -> tuple[RegionField, ...]:
    """A per-region Choices for every single-valued labelled field of claims, cues and attributions,
    derived from the schema (arrays such as claim stance have their own per-target controls).
    A control name another record already uses gets the record kind as a prefix."""
    out: list[RegionField] = []
    used: set[str] = set()
    for kind, span_label in RECORD_REGIONS.items():
        for path, inventory in labelled_fields(record_kinds()[kind]).items():
            if "[]" in path:
                continue
            name = LEGACY_CONTROL_NAMES.get((kind, path), path)
            if name in used:
                name = f"{kind}_{path}"
            used.add(name)
            out.append(RegionField(name, kind, path, inventory, span_label))
    return tuple(out)


def region_choices() -> dict[str, tuple[str, str]]:
    """control name -> (schema inventory, span label it belongs to), for the schema in use."""
    return {f.control: (f.inventory, f.span_label) for f in region_fields()}


def __getattr__(name: str) -> Any:
    """`REGION_CHOICES` is computed from the schema in use when read (the corpus root may change it)."""
    if name == "REGION_CHOICES":
        return region_choices()
    raise AttributeError(name)


STANCE_PREFIX = "stance_"            # + target: per-region Choices favor/against/neutral on claims
DOCUMENT_STANCE_PREFIX = "document_"  # + target: task-level Choices favor/against/neutral/none


def stance_targets() -> list[str]:
    return [label.value for label in labels("stance_target")]


def stance_control(target: str) -> str:
    return STANCE_PREFIX + target


def document_stance_control(target: str) -> str:
    return DOCUMENT_STANCE_PREFIX + target


def _choices(name: str, inventory: str, *, per_region: bool, when_label: str | None = None) -> list[str]:
    """One <Choices> block whose values and hints come from the schema inventory."""
    attrs = f'name={quoteattr(name)} toName="{TEXT}" choice="single" showInline="true"'
    if per_region:
        attrs += f' perRegion="true" visibleWhen="region-selected" whenLabelValue={quoteattr(when_label or "")}'
    lines = [f"    <Header value={quoteattr(name.replace('_', ' '))}/>", f"    <Choices {attrs}>"]
    lines += [f"      <Choice value={quoteattr(l.value)} hint={quoteattr(l.definition)}/>" for l in labels(inventory)]
    lines.append("    </Choices>")
    return lines


def labeling_config() -> str:
    """The whole <View> XML. Every control an import understands is declared here, nothing else."""
    out = ["<View>", "  <Relations>"]
    out += [f"    <Relation value={quoteattr(r)}/>" for r in RELATION_LABELS]
    out += ["  </Relations>", f'  <Labels name="{SPAN}" toName="{TEXT}">']
    out += [f"    <Label value={quoteattr(l)}/>" for l in SPAN_LABELS]
    out += ["  </Labels>", f'  <Text name="{TEXT}" value="$text" granularity="symbol"/>']
    for span_label in (CLAIM, CUE, ATT_CUE):
        out.append(f'  <View visibleWhen="region-selected" whenLabelValue={quoteattr(span_label)}>')
        for region_field in region_fields():
            if region_field.span_label == span_label:
                out += _choices(region_field.control, region_field.inventory, per_region=True, when_label=span_label)
        if span_label == CLAIM:
            for target in stance_targets():
                out += _choices(stance_control(target), "stance_polarity", per_region=True, when_label=CLAIM)
        out.append("  </View>")
    out += ['  <View visibleWhen="region-selected">', '    <Header value="note"/>',
            f'    <TextArea name="{NOTE}" toName="{TEXT}" perRegion="true" editable="true" maxSubmissions="1"/>',
            "  </View>", '  <Header value="Document stance"/>']
    for target in stance_targets():
        out += _choices(document_stance_control(target), "document_stance_polarity", per_region=False)
    out += ['  <Header value="document note"/>',
            f'  <TextArea name="{DOCUMENT_NOTE}" toName="{TEXT}" editable="true" maxSubmissions="1"/>', "</View>"]
    return "\n".join(out) + "\n"
