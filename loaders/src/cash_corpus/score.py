"""The official scorer: `cash score GOLD PRED` — a prediction layer against a gold layer.

Spans are matched with the matching code of `cash agreement` (`agreement.spans`: one-to-one,
exact or greedy overlap), so a score and an agreement figure mean the same thing. Gold is the
reference: precision = matched / predicted, recall = matched / gold, F1 = 2·matched / (gold +
predicted); counts are summed over documents (micro-average) before the ratios are taken.

What is scored (`ScoreReport.to_dict()` is the JSON of `cash score --json`, format cash-score/1):

- `spans`: claims, cues and the three attribution roles (source, cue, content), exact and
  overlap, overall and per label (claims by claim type, cues by kind; roles are their own label);
- `claims_matched`: on claims paired by overlap, accuracy and macro-F1 of claim type and
  certainty (macro over the labels that occur in gold or prediction);
- `stance`: per target, F1 over (claim, target, polarity): a predicted entry is correct when its
  claim is overlap-paired with a gold claim holding the same target with the same polarity.

The documents scored are the gold layer's (a document the prediction lacks counts as predicting
nothing), or only those named with `documents=`; prediction documents outside them are named
and ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .agreement.compare import document_items, paired_documents
from .agreement.spans import EXACT, MODES, OVERLAP, MatchCounts, match_spans
from .errors import CashError, Location
from .layers import read_header
from .records import DocumentAnnotations

REPORT_FORMAT = "cash-score/1"
# scored span layer -> the label field whose values are scored one by one (None: the layer is the label)
SPAN_LABELS: dict[str, str | None] = {
    "claims": "claim_type", "cues": "kind",
    "attribution_source": None, "attribution_cue": None, "attribution_content": None,
}
MATCHED_CLAIM_FIELDS = ("claim_type", "certainty")
DEFINITIONS = {
    "reference": "gold is the reference: precision = matched / predicted, recall = matched / gold, "
                 "F1 = 2·matched / (gold + predicted); counts summed over documents (micro-average)",
    "exact": "spans match when start and end are both equal (one-to-one)",
    "overlap": "spans share at least one code point; pairs chosen greedily by largest shared length, "
               "one-to-one (the matching of `cash agreement`)",
    "by_label": "gold and prediction restricted to spans with that label, then matched",
    "claims_matched": "claims paired by overlap matching; accuracy and macro-F1 (over labels occurring in "
                      "gold or prediction) of claim_type and certainty",
    "stance": "per target: F1 over (claim, target, polarity) entries; a predicted entry is correct when its "
              "claim is overlap-paired with a gold claim that has the same target and polarity",
}


def prf(counts: MatchCounts) -> dict:
    """gold / predicted / matched and precision, recall, F1 (gold as the reference)."""
    return {"gold": counts.n_a, "predicted": counts.n_b, "matched": counts.matched,
            "precision": counts.precision, "recall": counts.recall, "f1": counts.f1}


def macro_f1(confusion: Counter) -> float | None:
    """Mean over labels (occurring in gold or prediction) of per-label F1 from a (gold, pred) confusion."""
    labels = sorted({g for g, _ in confusion} | {p for _, p in confusion})
    if not labels:
        return None
    scores = []
    for label in labels:
        tp = confusion[(label, label)]
        gold = sum(n for (g, _), n in confusion.items() if g == label)
        pred = sum(n for (_, p), n in confusion.items() if p == label)
        scores.append(2 * tp / (gold + pred) if gold + pred else 0.0)
    return sum(scores) / len(scores)


@dataclass
class Tally:
    """Running counts for one scope (a document or the whole layer)."""

    spans: Counter = field(default_factory=Counter)      # (layer, mode) -> MatchCounts
    by_label: Counter = field(default_factory=Counter)   # (layer, label, mode) -> MatchCounts
    confusion: dict = field(default_factory=lambda: {f: Counter() for f in MATCHED_CLAIM_FIELDS})
    stance: Counter = field(default_factory=Counter)     # (target, "gold"|"predicted"|"matched") -> n

    def add(self, other: "Tally") -> None:
        for key, counts in other.spans.items():
            self.spans[key] = self.spans.get(key, MatchCounts()) + counts
        for key, counts in other.by_label.items():
            self.by_label[key] = self.by_label.get(key, MatchCounts()) + counts
        for name, confusion in other.confusion.items():
            self.confusion[name].update(confusion)
        self.stance.update(other.stance)

    def to_dict(self) -> dict:
        spans = {}
        for layer in SPAN_LABELS:
            entry = {mode: prf(self.spans.get((layer, mode), MatchCounts())) for mode in MODES}
            labels = sorted({key[1] for key in self.by_label if key[0] == layer})
            entry["by_label"] = {label: {mode: prf(self.by_label.get((layer, label, mode), MatchCounts()))
                                         for mode in MODES} for label in labels}
            spans[layer] = entry
        matched = {}
        for name, confusion in self.confusion.items():
            total = sum(confusion.values())
            correct = sum(n for (g, p), n in confusion.items() if g == p)
            matched[name] = {"pairs": total, "accuracy": correct / total if total else None,
                             "macro_f1": macro_f1(confusion)}
        targets = sorted({target for target, _ in self.stance})
        stance = {}
        for target in targets:
            counts = MatchCounts(self.stance[(target, "gold")], self.stance[(target, "predicted")],
                                 self.stance[(target, "matched")])
            stance[target] = prf(counts)
        return {"spans": spans, "claims_matched": matched, "stance": stance}


def score_document(gold: DocumentAnnotations, pred: DocumentAnnotations | None, gold_path: Path,
                   pred_path: Path) -> Tally:
    """The counts of one document (pred None: the prediction has nothing for it)."""
    tally = Tally()
    items_gold = document_items(gold, gold_path)
    items_pred = document_items(pred, pred_path) if pred is not None else {k: [] for k in items_gold}
    for layer, label_field in SPAN_LABELS.items():
        a, b = items_gold[layer], items_pred[layer]
        offsets_a, offsets_b = [(i.start, i.end) for i in a], [(i.start, i.end) for i in b]
        for mode in MODES:
            pairs = match_spans(offsets_a, offsets_b, mode)
            tally.spans[(layer, mode)] = MatchCounts(len(a), len(b), len(pairs))
            if layer == "claims" and mode == OVERLAP:
                _matched_claims(tally, a, b, pairs)
        if label_field is None:
            continue
        for label in {i.labels[label_field] for i in a} | {i.labels[label_field] for i in b}:
            sub_a = [(i.start, i.end) for i in a if i.labels[label_field] == label]
            sub_b = [(i.start, i.end) for i in b if i.labels[label_field] == label]
            for mode in MODES:
                tally.by_label[(layer, label, mode)] = MatchCounts(len(sub_a), len(sub_b),
                                                                   len(match_spans(sub_a, sub_b, mode)))
    return tally


def _matched_claims(tally: Tally, gold: list, pred: list, pairs: list[tuple[int, int]]) -> None:
    for i, j in pairs:
        for name in MATCHED_CLAIM_FIELDS:
            tally.confusion[name][(gold[i].labels[name], pred[j].labels[name])] += 1
        for target, polarity in pred[j].stance.items():
            if gold[i].stance.get(target) == polarity:
                tally.stance[(target, "matched")] += 1
    for item in gold:
        for target in item.stance:
            tally.stance[(target, "gold")] += 1
    for item in pred:
        for target in item.stance:
            tally.stance[(target, "predicted")] += 1


@dataclass
class ScoreReport:
    gold: str
    prediction: str
    total: Tally
    per_document: dict[str, Tally]
    ignored: list[str]

    def to_dict(self, per_document: bool = False) -> dict:
        out = {"format": REPORT_FORMAT, "gold": self.gold, "prediction": self.prediction,
               "documents": sorted(self.per_document), "ignored_prediction_documents": self.ignored,
               "definitions": DEFINITIONS, **self.total.to_dict()}
        if per_document:
            out["per_document"] = {doc_id: tally.to_dict() for doc_id, tally in sorted(self.per_document.items())}
        return out


def score_layers(gold_path: Path, pred_path: Path, documents: Iterable[str] | None = None) -> ScoreReport:
    """Score prediction layer file `pred_path` against gold layer file `gold_path` (see module doc)."""
    wanted = set(documents) if documents is not None else None
    read_header(gold_path)
    read_header(pred_path)
    total, per_document, ignored, seen = Tally(), {}, [], set()
    for gold, pred in paired_documents(gold_path, pred_path):
        doc_id = (gold or pred).document_id
        if gold is None or (wanted is not None and doc_id not in wanted):
            if pred is not None:
                ignored.append(doc_id)
            continue
        if pred is not None and pred.text_sha256 != gold.text_sha256:
            raise CashError("prediction annotates another version of the text (text_sha256 differs)",
                            Location(file=str(pred_path), document_id=doc_id),
                            hint="predict on the current corpus text")
        tally = score_document(gold, pred, gold_path, pred_path)
        per_document[doc_id] = tally
        total.add(tally)
        seen.add(doc_id)
    if wanted is not None and wanted - seen:
        missing = sorted(wanted - seen)
        raise CashError(f"document(s) not in the gold layer: {', '.join(missing)}", Location(file=str(gold_path)))
    if not per_document:
        raise CashError("the gold layer has no document to score", Location(file=str(gold_path)))
    return ScoreReport(str(gold_path), str(pred_path), total, per_document, ignored)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def format_score(report: dict) -> str:
    """A plain-text summary of `ScoreReport.to_dict()` for people."""
    lines = [f"gold {report['gold']} vs prediction {report['prediction']}; documents: "
             f"{', '.join(report['documents'])}", "",
             f"{'layer':<22} {'label':<14} {'mode':<8} {'gold':>5} {'pred':>5} {'match':>5} "
             f"{'P':>6} {'R':>6} {'F1':>6}"]
    for layer, entry in report["spans"].items():
        rows = [("all", entry)] + list(entry["by_label"].items())
        for label, scores in rows:
            for mode in MODES:
                s = scores[mode]
                lines.append(f"{layer:<22} {label:<14} {mode:<8} {s['gold']:>5} {s['predicted']:>5} "
                             f"{s['matched']:>5} {_number(s['precision']):>6} {_number(s['recall']):>6} "
                             f"{_number(s['f1']):>6}")
    lines.append("")
    for name, s in report["claims_matched"].items():
        lines.append(f"matched claims: {name}: {s['pairs']} pairs, accuracy {_number(s['accuracy'])}, "
                     f"macro-F1 {_number(s['macro_f1'])}")
    for target, s in report["stance"].items():
        lines.append(f"stance {target}: gold {s['gold']}, predicted {s['predicted']}, correct {s['matched']}, "
                     f"F1 {_number(s['f1'])}")
    return "\n".join(lines) + "\n"


__all__ = ["DEFINITIONS", "EXACT", "OVERLAP", "REPORT_FORMAT", "ScoreReport", "format_score", "macro_f1",
           "score_document", "score_layers"]
