"""The main job behind `cash report`: load every built config with the real `datasets` and summarise.

Loading goes through `datasets.load_dataset(str(root), config)` exactly as a user would. A
config with no rows (e.g. a layer that has not landed yet) is read with `streaming=True`:
`datasets` cannot materialise an empty split ("corresponds to no data"), but streaming checks
its features all the same.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CashError, Location
from .card import read_card
from .features import config_features
from .publish import README

def label_columns(features) -> tuple[str, ...]:
    """The columns counted in the summary: every top-level ClassLabel or boolean column of a config
    (derived from its features, which derive from the schema)."""
    from datasets import ClassLabel, Value
    return tuple(name for name, feature in features.items()
                 if isinstance(feature, ClassLabel) or (isinstance(feature, Value) and feature.dtype == "bool"))


@dataclass
class LoadedConfig:
    """One config as `datasets` gave it back: name, kind, row count, label counts."""

    name: str
    kind: str
    num_rows: int
    streamed: bool
    label_counts: dict[str, Counter] = field(default_factory=dict)
    documents: list[dict[str, Any]] = field(default_factory=list)


def card_configs(root: Path) -> list[dict[str, Any]]:
    """(config entry, dataset_info entry) pairs from the README card, in card order."""
    readme = Path(root) / README
    if not readme.exists():
        raise CashError("no README.md dataset card; run `cash build`", Location(file=str(readme)))
    card = read_card(readme.read_text(encoding="utf-8"))
    infos = {info["config_name"]: info for info in card.get("dataset_info", [])}
    out = []
    for entry in card.get("configs", []):
        info = infos.get(entry["config_name"], {})
        splits = info.get("splits", [{}])
        out.append({"name": entry["config_name"], "kind": entry["config_name"].split("-", 1)[0],
                    "split": splits[0].get("name", "test"), "num_rows": splits[0].get("num_examples", 0)})
    return out


def count_labels(kind: str, rows: Iterable[dict[str, Any]], features) -> tuple[dict[str, Counter], int, list]:
    """Label counts by name (ClassLabel ints decoded with the loaded features), row count, document summaries."""
    counts: dict[str, Counter] = {column: Counter() for column in label_columns(features)}
    documents, total = [], 0
    for row in rows:
        total += 1
        for column in counts:
            value = row[column]
            feature = features[column]
            if value is None:  # an optional label left unset
                counts[column]["(not set)"] += 1
            else:
                counts[column][feature.int2str(value) if hasattr(feature, "int2str") else str(value)] += 1
        if kind == "documents":
            documents.append({"id": row["id"], "characters": len(row["text"]), "sentences": len(row["sentences"]),
                              "tokens": len(row["tokens"]), "claims": len(row["claims"]), "cues": len(row["cues"]),
                              "attributions": len(row["attributions"]), "layer": row["annotation_layer"]})
    return counts, total, documents


def load_config(root: Path, entry: dict[str, Any], cache_dir: str | None = None) -> LoadedConfig:
    """Load one config with `datasets.load_dataset`, check its features against the schema's, count labels."""
    import datasets

    name, kind, split = entry["name"], entry["kind"], entry["split"]
    streamed = entry["num_rows"] == 0
    try:
        dataset = datasets.load_dataset(str(root), name, split=split, cache_dir=cache_dir, streaming=streamed)
    except Exception as exc:  # any loader failure is a failed report, named by config
        raise CashError(f"datasets.load_dataset failed for config {name!r}: {type(exc).__name__}: {exc}",
                        Location(file=str(Path(root) / "data" / name))) from exc
    expected = config_features(kind)
    if dataset.features != expected:
        raise CashError(f"config {name!r} loads with features that differ from the schema's",
                        Location(file=str(Path(root) / README)), hint="rebuild with `cash build`")
    counts, total, documents = count_labels(kind, dataset, dataset.features)
    if total != entry["num_rows"]:
        raise CashError(f"config {name!r} has {total} rows, the card says {entry['num_rows']}",
                        Location(file=str(Path(root) / README)), hint="rebuild with `cash build`")
    return LoadedConfig(name, kind, total, streamed, counts, documents)


def run_validation(root: Path) -> tuple[list[str], int] | None:
    """Findings from `cash_corpus.validation.validate_root`, if that module exists: (lines, error count)."""
    try:
        validation = importlib.import_module("cash_corpus.validation")
    except ImportError:
        return None
    validate_root = getattr(validation, "validate_root", None)
    if validate_root is None:
        return None
    try:
        formatter = importlib.import_module("cash_corpus.validation.findings").format_finding
    except (ImportError, AttributeError):
        formatter = str
    findings = list(validate_root(root))
    errors = [f for f in findings if getattr(f, "severity", "error") == "error"]
    return [formatter(f) for f in findings], len(errors)


def format_table(header: list[str], rows: list[list[Any]]) -> str:
    """A plain aligned text table: first column left, numbers right."""
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for number, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary_text(loaded: list[LoadedConfig]) -> str:
    """The report: per-document table of the default config, then label counts per config."""
    out = []
    columns = ["characters", "sentences", "tokens", "claims", "cues", "attributions"]
    for config in loaded:
        if config.kind != "documents":
            continue
        rows = [[d["id"]] + [d[c] for c in columns] for d in config.documents]
        totals = ["TOTAL"] + [sum(d[c] for d in config.documents) for c in columns]
        out.append(f"config {config.name}: {config.num_rows} documents")
        out.append(format_table(["document"] + columns, rows + [totals]))
        out.append("")
    out.append(format_table(["config", "rows", "read as"],
                            [[c.name, c.num_rows, "streaming (empty)" if c.streamed else "load_dataset"] for c in loaded]))
    for config in loaded:
        labelled = {column: counter for column, counter in config.label_counts.items() if counter}
        if not labelled:
            continue
        out.append("")
        out.append(f"labels in {config.name}:")
        for column, counter in labelled.items():
            out.append(f"  {column}: " + ", ".join(f"{label} {n}" for label, n in sorted(counter.items())))
    return "\n".join(out)
