"""The statistics page: SVG plots (matplotlib) with the numbers beside them as tables.

Label counts come from `cash_corpus.stats.layer_counts` (the numbers the datasheet cites) and
agreement from `cash_corpus.agreement.compare_layers` (the numbers `cash agreement` prints);
span lengths and cue kinds by claim certainty are gathered while the pages are written.
Figures use the object API (no pyplot, no global backend) with a fixed hash salt and no date
in the metadata, so the same corpus gives byte-identical SVG files.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import Corpus
from ..records import DocumentAnnotations
from ..schema import label_names

SVG_RC = {"svg.hashsalt": "cash-view", "svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False, "hatch.linewidth": 0.8}
SVG_METADATA = {"Date": None, "Creator": None}
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++", "oo", "**", "||")
PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd")
MAX_DOCUMENT_BARS = 12

# (field in stats.layer_counts, schema inventory giving the order of the values, heading)
LABEL_FIELDS = (
    ("claim_type", "claim_type", "Claim type"), ("certainty", "certainty", "Claim certainty"),
    ("polarity", "claim_polarity", "Claim polarity"), ("holder", "holder_type", "Claim holder"),
    ("cue_kind", "cue_kind", "Cue kind"), ("cue_type", "cue_type", "Cue type"),
    ("source_type", "source_type", "Attribution source type"), ("parc_type", "parc_type", "Attribution PARC type"),
    ("form", "attribution_form", "Attribution form"),
)
SPAN_KINDS = ("claim", "cue", "attribution source", "attribution cue", "attribution content")


@dataclass
class Figure:
    file: str
    title: str
    alt: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class StatsCollector:
    """What the statistics page needs beyond label counts, gathered one document at a time."""

    layers: list[str]
    lengths: dict[tuple[str, str], array] = field(default_factory=dict)
    cue_certainty: dict[str, Counter] = field(default_factory=dict)

    def add(self, doc_id: str, docs: dict[str, DocumentAnnotations]) -> None:
        for name, doc in docs.items():
            def put(kind: str, length: int) -> None:
                self.lengths.setdefault((name, kind), array("l")).append(length)
            certainty = {c.id: c.certainty for c in doc.claims}
            for c in doc.claims:
                put("claim", c.span.end - c.span.start)
            counter = self.cue_certainty.setdefault(name, Counter())
            for q in doc.cues:
                put("cue", q.span.end - q.span.start)
                for claim_id in q.claims:
                    if claim_id in certainty:
                        counter[(certainty[claim_id], q.kind)] += 1
            for a in doc.attributions:
                if a.source is not None:
                    put("attribution source", a.source.end - a.source.start)
                put("attribution cue", a.cue.end - a.cue.start)
                put("attribution content", a.content.end - a.content.start)


def _save(fig, path: Path) -> None:
    import matplotlib
    with matplotlib.rc_context(SVG_RC):
        fig.savefig(path, format="svg", metadata=SVG_METADATA, bbox_inches="tight")


def _new_figure(width: float, height: float):
    import matplotlib
    from matplotlib.figure import Figure as MplFigure
    with matplotlib.rc_context(SVG_RC):
        return MplFigure(figsize=(width, height), layout="constrained")


def _bars(ax, groups: list[str], series: list[tuple[str, list[float]]], *, horizontal: bool = False) -> None:
    """Grouped bars: one group per label, one bar per series, colour and hatch both tell them apart."""
    import numpy as np
    positions = np.arange(len(groups))
    width = 0.8 / max(len(series), 1)
    for k, (name, values) in enumerate(series):
        offset = positions - 0.4 + width * (k + 0.5)
        style = {"label": name, "color": PALETTE[k % len(PALETTE)], "hatch": HATCHES[k % len(HATCHES)],
                 "edgecolor": "#222222", "linewidth": 0.6}
        (ax.barh if horizontal else ax.bar)(offset, values, width, **style)
    if horizontal:
        ax.set_yticks(positions, groups)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, groups, rotation=30, ha="right")


def label_figures(corpus: Corpus, layers: dict[str, Path], out: Path) -> list[Figure]:
    from ..stats import layer_counts
    counts = {name: layer_counts(corpus, path) for name, path in layers.items()}
    doc_ids = sorted({d for c in counts.values() for d in c})
    per_document = len(doc_ids) <= MAX_DOCUMENT_BARS
    figures = []
    for field_name, inventory, heading in LABEL_FIELDS:
        values = label_names(inventory)
        fig = _new_figure(2.2 + 2.6 * len(layers), 3.2)
        axes = fig.subplots(1, len(layers), sharey=True, squeeze=False)[0]
        rows = []
        for ax, (name, by_doc) in zip(axes, counts.items()):
            totals = [sum(by_doc[d].labels.get((field_name, v), 0) for d in by_doc) for v in values]
            series = ([(d, [by_doc[d].labels.get((field_name, v), 0) if d in by_doc else 0 for v in values])
                       for d in doc_ids] if per_document else [("all documents", totals)])
            _bars(ax, values, series)
            ax.set_title(name)
            ax.set_ylabel("count")
            for d, numbers in series:
                rows.append([name, d, *map(str, numbers)])
            if per_document:
                rows.append([name, "total", *map(str, totals)])
        axes[0].legend(fontsize=7, loc="upper right")
        fig.suptitle(f"{heading} per layer" + (" and document" if per_document else ""))
        file = f"labels-{field_name}.svg"
        _save(fig, out / file)
        figures.append(Figure(file, f"{heading}: counts per layer and document",
                              f"Bar charts, one per layer, of {heading.lower()} counts by label"
                              + (", one bar per document" if per_document else ""),
                              ["layer", "document", *values], rows))
    return figures


def length_figure(collector: StatsCollector, out: Path) -> Figure:
    import numpy as np
    fig = _new_figure(2.4 * len(SPAN_KINDS), 3.2)
    axes = fig.subplots(1, len(SPAN_KINDS), squeeze=False)[0]
    rows = []
    for ax, kind in zip(axes, SPAN_KINDS):
        data = [np.frombuffer(collector.lengths.get((name, kind), array("l")), dtype=np.int64)
                if collector.lengths.get((name, kind)) else np.zeros(0, dtype=np.int64) for name in collector.layers]
        present = [(name, d) for name, d in zip(collector.layers, data) if len(d)]
        if present:
            ax.boxplot([d for _, d in present], tick_labels=[n for n, _ in present], showmeans=True)
        ax.set_title(kind)
        ax.set_ylabel("length (code points)")
        ax.tick_params(axis="x", rotation=30)
        for name, d in zip(collector.layers, data):
            if len(d):
                rows.append([kind, name, str(len(d)), str(int(d.min())), f"{float(np.median(d)):g}",
                             f"{float(d.mean()):.1f}", str(int(d.max()))])
            else:
                rows.append([kind, name, "0", "—", "—", "—", "—"])
    fig.suptitle("Span lengths in code points (box: quartiles, line: median, triangle: mean)")
    _save(fig, out / "span-lengths.svg")
    return Figure("span-lengths.svg", "Span lengths per layer", "Box plots of span lengths in code points for "
                  "claims, cues and attribution parts, one box per layer",
                  ["span", "layer", "n", "min", "median", "mean", "max"], rows)


def cue_certainty_figure(collector: StatsCollector, out: Path) -> Figure:
    certainties, kinds = label_names("certainty"), label_names("cue_kind")
    fig = _new_figure(2.2 + 2.6 * len(collector.layers), 3.2)
    axes = fig.subplots(1, len(collector.layers), sharey=True, squeeze=False)[0]
    rows = []
    for ax, name in zip(axes, collector.layers):
        counter = collector.cue_certainty.get(name, Counter())
        series = [(kind, [counter[(c, kind)] for c in certainties]) for kind in kinds]
        _bars(ax, certainties, series)
        ax.set_title(name)
        ax.set_ylabel("cue–claim links")
        rows += [[name, kind, *map(str, numbers)] for kind, numbers in series]
    axes[0].legend(fontsize=7)
    fig.suptitle("Cue kinds by the certainty of the claims they bear on")
    _save(fig, out / "cues-by-certainty.svg")
    return Figure("cues-by-certainty.svg", "Cue kinds by claim certainty", "Bar charts, one per layer, counting "
                  "hedge and booster cues linked to claims of each certainty", ["layer", "cue kind", *certainties], rows,
                  "A cue linked to two claims counts once for each.")


def agreement_figure(corpus: Corpus, name_a: str, path_a: Path, name_b: str, path_b: Path, out: Path) -> Figure:
    from ..agreement import compare_layers
    report = compare_layers(path_a, path_b, corpus).to_dict()
    groups, exact, overlap, rows = [], [], [], []
    for span_layer, entry in report["spans"].items():
        for label_field, values in entry["by_label"].items():
            for value, modes in values.items():
                groups.append(f"{span_layer} {label_field}={value}")
                exact.append(modes["exact"]["f1"] or 0.0)
                overlap.append(modes["overlap"]["f1"] or 0.0)
                rows.append([span_layer, f"{label_field}={value}", str(modes["exact"]["n_a"]),
                             str(modes["exact"]["n_b"]), _num(modes["exact"]["f1"]), _num(modes["overlap"]["f1"])])
    fig = _new_figure(7.5, 0.9 + 0.22 * max(len(groups), 1))
    ax = fig.subplots()
    _bars(ax, groups, [("F1 exact", exact), ("F1 overlap", overlap)], horizontal=True)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"F1 between {name_a} and {name_b}")
    ax.legend(fontsize=7, loc="lower right")
    ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(f"Span agreement per label: {name_a} vs {name_b}")
    file = f"agreement-{name_a}-{name_b}.svg"
    _save(fig, out / file)
    return Figure(file, f"Agreement per label: {name_a} and {name_b}",
                  f"Horizontal bars of span F1 (exact and overlap) per label between {name_a} and {name_b}",
                  ["span layer", "label", f"n {name_a}", f"n {name_b}", "F1 exact", "F1 overlap"], rows,
                  "F1 from cash_corpus.agreement (the numbers `cash agreement` prints); a label only one layer "
                  "used has F1 0; '—' = neither layer used it.")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def write_stats(corpus: Corpus, layers: dict[str, Path], collector: StatsCollector, out: Path) -> list[Figure]:
    out.mkdir(parents=True, exist_ok=True)
    figures = label_figures(corpus, layers, out) if layers else []
    if layers:
        figures.append(length_figure(collector, out))
        figures.append(cue_certainty_figure(collector, out))
    for (name_a, path_a), (name_b, path_b) in itertools.combinations(layers.items(), 2):
        figures.append(agreement_figure(corpus, name_a, path_a, name_b, path_b, out))
    return figures
