"""Agreement between two annotation layers of one corpus: `compare_layers(a, b, corpus)`.

Both layer files are streamed together (documents are sorted by id in every layer file),
so only one document of each is in memory; per-document results are folded into counters
(span counts, label confusions, token coincidence matrices) that do not grow with the corpus.
Only documents present in both layers are compared; the others are counted and named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..corpus import Corpus
from ..errors import CashError, Location
from ..layers import iter_documents, read_header
from ..records import DocumentAnnotations, Span
from ..schema import label_names, labelled_fields, record_kinds, schema_cached
from .alpha import NONE, Alpha, nominal_alpha, pair_counts, token_categories
from .kappa import Kappa, kappa_from_confusion
from .spans import EXACT, EXACT_DEFINITION, MODES, OVERLAP, OVERLAP_DEFINITION, MatchCounts, match_spans
from .structure import StructureIndex

REPORT_FORMAT = "cash-agreement/1"
ABSENT = "absent"
EXAMPLE_LIMIT = 20

# span layer -> label fields whose values get their own (labelled) F1
SPAN_LAYERS: dict[str, tuple[str, ...]] = {
    "claims": ("claim_type",),
    "cues": ("kind", "cue_type"),
    "attribution_source": ("source_type",),
    "attribution_cue": ("parc_type",),
    "attribution_content": ("form",),
}
# kappa group -> (record kind, span layer whose overlap matching pairs the items); the label
# fields of each group are every single-valued labelled field the schema gives the record
# (`kappa_fields`), so a labelled field added to the schema gets its kappa with no edit here.
KAPPA_GROUPS: dict[str, tuple[str, str]] = {
    "claims": ("claim", "claims"),
    "cues": ("cue", "cues"),
    "attributions": ("attribution", "attribution_cue"),
}


@schema_cached
def kappa_fields() -> dict[str, tuple[str, tuple[str, ...]]]:
    """kappa group -> (span layer, label field paths): the record's labelled fields except those
    inside arrays (claim stance has its own per-target kappa), in schema order, e.g. claims ->
    claim_type, certainty, polarity, holder.type. An optional field left out is coded `absent`."""
    out = {}
    for group, (kind, layer) in KAPPA_GROUPS.items():
        fields = labelled_fields(record_kinds()[kind])
        out[group] = (layer, tuple(path for path in fields if "[]" not in path))
    return out


def label_values(record: object, paths: tuple[str, ...]) -> dict[str, str]:
    """The values of labelled field paths ("claim_type", "holder.type") read from a record's on-disk
    form; a field the record leaves out is `absent`."""
    on_disk = record.to_dict()
    out = {}
    for path in paths:
        value: object = on_disk
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        out[path] = ABSENT if value is None else value
    return out
ATTRIBUTION_ROLES = ("content", "source", "cue")  # later roles win a token

DEFINITIONS = {
    "exact": EXACT_DEFINITION,
    "overlap": OVERLAP_DEFINITION,
    "f1": "F1 = 2·matched / (n_a + n_b); precision and recall take layer A as the reference; "
          "counts are summed over documents (micro-average)",
    "by_label": "for each label value, both layers are restricted to spans with that value, then matched",
    "kappa": "Cohen's kappa on items paired by overlap matching (claims by claim span, cues by cue span, "
             "attributions by cue span); null with a reason when undefined (a single shared category)",
    "claim_stance": "per target, each matched claim pair is coded favor/against/neutral/absent "
                    "(absent = the claim has no stance entry for the target)",
    "alpha": "nominal Krippendorff's alpha over corpus tokens (structure.jsonl) of the compared documents; "
             "a token gets the category of a span sharing a code point with it, else 'none'",
    "attribution_wise": "attributions are paired by overlap matching of their cue spans; source and content "
                        "agreement are then measured on the paired attributions",
    "document_stance": "per document and target, the document_stance polarity or 'absent' when the target is "
                       "not listed; kappa per target across documents and pooled over all (document, target)",
}
ALPHA_CODING = {
    "claims": "claim_type of the covering claim, else 'none'; where claims overlap, the one starting last "
              "(the innermost) wins",
    "cues": "kind of the covering cue, else 'none'; where cues overlap, the one starting last wins",
    "attributions": "PolNeAR-style: cue, source, content of any attribution, else 'none'; "
                    "a token in several roles takes cue over source over content",
}


@dataclass(frozen=True)
class Item:
    """One annotated span with the labels agreement is measured on."""

    start: int
    end: int
    labels: dict[str, str]
    stance: dict[str, str] = field(default_factory=dict)
    record: object = field(default=None, compare=False)


@dataclass(frozen=True)
class LayerInfo:
    name: str
    path: str
    annotator: str
    method: str

    def to_dict(self) -> dict:
        return {"name": self.name, "path": self.path, "annotator": self.annotator, "method": self.method}


@dataclass
class AgreementReport:
    """Everything `cash agreement` reports; `to_dict()` is the documented JSON structure."""

    layer_a: LayerInfo
    layer_b: LayerInfo
    documents_compared: int
    only_in_a: tuple[int, list[str]]
    only_in_b: tuple[int, list[str]]
    spans: dict[str, dict]
    kappa: dict[str, dict[str, Kappa]]
    claim_stance_kappa: dict[str, Kappa]
    alpha: dict[str, Alpha]
    attributions: dict
    document_stance: dict

    def to_dict(self) -> dict:
        return {
            "format": REPORT_FORMAT,
            "layers": {"a": self.layer_a.to_dict(), "b": self.layer_b.to_dict()},
            "documents": {"compared": self.documents_compared,
                          "only_in_a": {"count": self.only_in_a[0], "examples": self.only_in_a[1]},
                          "only_in_b": {"count": self.only_in_b[0], "examples": self.only_in_b[1]}},
            "definitions": DEFINITIONS,
            "spans": self.spans,
            "kappa": {group: {name: k.to_dict() for name, k in fields.items()}
                      for group, fields in self.kappa.items()}
            | {"claim_stance": {target: k.to_dict() for target, k in self.claim_stance_kappa.items()}},
            "alpha": {name: a.to_dict() for name, a in self.alpha.items()},
            "attributions": self.attributions,
            "document_stance": self.document_stance,
        }


def _checked(span: Span, path: Path, doc_id: str, ann_id: str, what: str) -> Span:
    if not (0 <= span.start < span.end):
        raise CashError(f"{what} span is empty or reversed", Location(file=str(path), document_id=doc_id,
                        annotation_id=ann_id, start=span.start, end=span.end), hint="run `cash validate`")
    return span


def document_items(doc: DocumentAnnotations, path: Path) -> dict[str, list[Item]]:
    """The span layers of one document as Items, each list sorted by (start, -end)."""
    layers: dict[str, list[Item]] = {name: [] for name in SPAN_LAYERS}
    did = doc.document_id
    fields = {group: tuple(dict.fromkeys((*paths, *SPAN_LAYERS.get(layer, ()))))
              for group, (layer, paths) in kappa_fields().items()}
    fields["attributions"] = tuple(dict.fromkeys((*fields["attributions"],
                                                  *(f for role in ATTRIBUTION_ROLES
                                                    for f in SPAN_LAYERS[f"attribution_{role}"]))))
    for c in doc.claims:
        span = _checked(c.span, path, did, c.id, "claim")
        layers["claims"].append(Item(span.start, span.end, label_values(c, fields["claims"]),
                                     {s.target: s.polarity for s in c.stance}))
    for q in doc.cues:
        span = _checked(q.span, path, did, q.id, "cue")
        layers["cues"].append(Item(span.start, span.end, label_values(q, fields["cues"])))
    for a in doc.attributions:
        labels = label_values(a, fields["attributions"])
        for role in ATTRIBUTION_ROLES:
            span = getattr(a, role)
            if span is not None:
                _checked(span, path, did, a.id, f"attribution {role}")
                layers[f"attribution_{role}"].append(Item(span.start, span.end, labels, record=a))
    for items in layers.values():
        items.sort(key=lambda it: (it.start, -it.end))
    return layers


def _offsets(items: list[Item]) -> list[tuple[int, int]]:
    return [(it.start, it.end) for it in items]


def _sorted_documents(path: Path) -> Iterator[DocumentAnnotations]:
    """The layer's documents, refusing a file whose documents are not sorted by id (needed to pair them)."""
    previous = None
    for doc in iter_documents(path):
        if previous is not None and doc.document_id <= previous:
            raise CashError(f"document {doc.document_id!r} comes after {previous!r}: layer documents must be "
                            "sorted by id and unique", Location(file=str(path), document_id=doc.document_id),
                            hint="rewrite the layer with cash_corpus.layers.write_layer")
        previous = doc.document_id
        yield doc


def paired_documents(path_a: Path, path_b: Path) -> Iterator[tuple[DocumentAnnotations | None,
                                                                    DocumentAnnotations | None]]:
    """Merge-join two sorted layers by document id: (a, b), (a, None) or (None, b)."""
    docs_a, docs_b = _sorted_documents(path_a), _sorted_documents(path_b)
    a, b = next(docs_a, None), next(docs_b, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a.document_id < b.document_id):
            yield a, None
            a = next(docs_a, None)
        elif a is None or b.document_id < a.document_id:
            yield None, b
            b = next(docs_b, None)
        else:
            yield a, b
            a, b = next(docs_a, None), next(docs_b, None)


class _Accumulator:
    """Running totals over compared documents; memory independent of corpus size."""

    def __init__(self) -> None:
        self.targets = label_names("stance_target")
        self.spans = Counter()          # (layer, mode) -> MatchCounts
        self.by_label = Counter()       # (layer, field, value, mode) -> MatchCounts
        self.kappa = {(g, f): Counter() for g, (_, fs) in kappa_fields().items() for f in fs}
        self.claim_stance = {t: Counter() for t in self.targets}
        self.alpha_categories = {
            "claims": [NONE, *label_names("claim_type")],
            "cues": [NONE, *label_names("cue_kind")],
            "attributions": [NONE, *ATTRIBUTION_ROLES],
        }
        self.alpha_pairs = {name: np.zeros((len(c), len(c)), dtype=np.int64)
                            for name, c in self.alpha_categories.items()}
        self.attribution_pairs = Counter()  # source/content agreement on attribution pairs
        self.doc_stance = {t: Counter() for t in self.targets}
        self.doc_stance_examples: list[dict] = []
        self.doc_stance_disagreements = 0

    def add_spans(self, layer: str, items_a: list[Item], items_b: list[Item]) -> dict[str, list[tuple[int, int]]]:
        matches = {}
        for mode in MODES:
            matches[mode] = match_spans(_offsets(items_a), _offsets(items_b), mode)
            self.spans[(layer, mode)] = self.spans.get((layer, mode), MatchCounts()) + \
                MatchCounts(len(items_a), len(items_b), len(matches[mode]))
        for label_field in SPAN_LAYERS[layer]:
            values = {it.labels[label_field] for it in items_a} | {it.labels[label_field] for it in items_b}
            for value in values:
                sub_a = [it for it in items_a if it.labels[label_field] == value]
                sub_b = [it for it in items_b if it.labels[label_field] == value]
                for mode in MODES:
                    key = (layer, label_field, value, mode)
                    matched = len(match_spans(_offsets(sub_a), _offsets(sub_b), mode))
                    self.by_label[key] = self.by_label.get(key, MatchCounts()) + \
                        MatchCounts(len(sub_a), len(sub_b), matched)
        return matches

    def add_kappa(self, group: str, items_a: list[Item], items_b: list[Item], pairs: list[tuple[int, int]]) -> None:
        _, label_fields = kappa_fields()[group]
        for i, j in pairs:
            for label_field in label_fields:
                self.kappa[(group, label_field)][(items_a[i].labels[label_field], items_b[j].labels[label_field])] += 1
            if group == "claims":
                for target in self.targets:
                    self.claim_stance[target][(items_a[i].stance.get(target, ABSENT),
                                               items_b[j].stance.get(target, ABSENT))] += 1

    def add_attribution_parts(self, cues_a: list[Item], cues_b: list[Item], pairs: list[tuple[int, int]]) -> None:
        """Source and content agreement of attributions paired by cue overlap."""
        for i, j in pairs:
            a, b = cues_a[i].record, cues_b[j].record
            for role in ("source", "content"):
                span_a, span_b = getattr(a, role), getattr(b, role)
                if span_a is None or span_b is None:
                    exact = overlap = span_a is None and span_b is None
                else:
                    exact = (span_a.start, span_a.end) == (span_b.start, span_b.end)
                    overlap = span_a.start < span_b.end and span_b.start < span_a.end
                self.attribution_pairs[(role, EXACT)] += exact
                self.attribution_pairs[(role, OVERLAP)] += overlap

    def add_alpha(self, tokens: np.ndarray, items_a: dict[str, list[Item]], items_b: dict[str, list[Item]]) -> None:
        for name, categories in self.alpha_categories.items():
            code_of = {c: k for k, c in enumerate(categories)}
            codes = [token_categories(tokens, _alpha_spans(name, items, code_of)) for items in (items_a, items_b)]
            self.alpha_pairs[name] += pair_counts(codes[0], codes[1], len(categories))

    def add_document_stance(self, doc_a: DocumentAnnotations, doc_b: DocumentAnnotations) -> None:
        stance_a = {s.target: s.polarity for s in doc_a.document_stance}
        stance_b = {s.target: s.polarity for s in doc_b.document_stance}
        for target in self.targets:
            pair = (stance_a.get(target, ABSENT), stance_b.get(target, ABSENT))
            self.doc_stance[target][pair] += 1
            if pair[0] != pair[1]:
                self.doc_stance_disagreements += 1
                if len(self.doc_stance_examples) < EXAMPLE_LIMIT:
                    self.doc_stance_examples.append({"document_id": doc_a.document_id, "target": target,
                                                     "a": pair[0], "b": pair[1]})


def _alpha_spans(name: str, items: dict[str, list[Item]], code_of: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, code) in overwrite order: by start (inner after outer); attribution roles content<source<cue."""
    if name == "claims":
        return [(it.start, it.end, code_of[it.labels["claim_type"]]) for it in items["claims"]]
    if name == "cues":
        return [(it.start, it.end, code_of[it.labels["kind"]]) for it in items["cues"]]
    return [(it.start, it.end, code_of[role]) for role in ATTRIBUTION_ROLES for it in items[f"attribution_{role}"]]


def _check_text_versions(doc_a: DocumentAnnotations, doc_b: DocumentAnnotations, path_a: Path, path_b: Path,
                         corpus_sha: str | None, structure_path: Path) -> None:
    did = doc_a.document_id
    if corpus_sha is None:
        raise CashError("document is not in the corpus structure file (no tokens)",
                        Location(file=str(structure_path), document_id=did), hint="add it with `cash add`")
    for doc, path in ((doc_a, path_a), (doc_b, path_b)):
        if doc.text_sha256 != corpus_sha:
            raise CashError(f"layer annotates text sha256 {doc.text_sha256[:12]}… but the corpus text is "
                            f"{corpus_sha[:12]}…: offsets would not refer to the same characters",
                            Location(file=str(path), document_id=did),
                            hint="re-anchor the layer on the current text before comparing")


def _kappa_by_target(confusions: dict[str, Counter]) -> dict[str, Kappa]:
    return {target: kappa_from_confusion(c) for target, c in confusions.items()}


def _layer_info(path: Path) -> LayerInfo:
    header = read_header(path)
    return LayerInfo(header.layer, str(path), header.provenance.annotator, header.provenance.method)


def compare_layers(a: Path, b: Path, corpus: Corpus) -> AgreementReport:
    """Agreement of layer file `a` with layer file `b` over the documents both annotate."""
    info_a, info_b = _layer_info(a), _layer_info(b)
    structures = StructureIndex(corpus.paths.structure)
    acc = _Accumulator()
    compared = 0
    only = {"a": [0, []], "b": [0, []]}
    for doc_a, doc_b in paired_documents(a, b):
        if doc_b is None or doc_a is None:
            side, doc = ("a", doc_a) if doc_b is None else ("b", doc_b)
            only[side][0] += 1
            if len(only[side][1]) < EXAMPLE_LIMIT:
                only[side][1].append(doc.document_id)
            continue
        tokens, corpus_sha = structures.tokens(doc_a.document_id)
        _check_text_versions(doc_a, doc_b, a, b, corpus_sha, corpus.paths.structure)
        compared += 1
        items_a, items_b = document_items(doc_a, a), document_items(doc_b, b)
        matches = {layer: acc.add_spans(layer, items_a[layer], items_b[layer]) for layer in SPAN_LAYERS}
        for group, (layer, _) in kappa_fields().items():
            acc.add_kappa(group, items_a[layer], items_b[layer], matches[layer][OVERLAP])
        acc.add_attribution_parts(items_a["attribution_cue"], items_b["attribution_cue"],
                                  matches["attribution_cue"][OVERLAP])
        acc.add_alpha(tokens, items_a, items_b)
        acc.add_document_stance(doc_a, doc_b)
    if compared == 0:
        raise CashError("the two layers share no document, so there is nothing to compare",
                        Location(file=f"{a} vs {b}"), hint="compare layers that annotate the same documents")
    return _report(acc, info_a, info_b, compared, only)


def _report(acc: _Accumulator, info_a: LayerInfo, info_b: LayerInfo, compared: int, only: dict) -> AgreementReport:
    spans = {}
    for layer, label_fields in SPAN_LAYERS.items():
        entry = {mode: acc.spans.get((layer, mode), MatchCounts()).to_dict() for mode in MODES}
        entry["by_label"] = {}
        for label_field in label_fields:
            values = sorted({key[2] for key in acc.by_label if key[:2] == (layer, label_field)})
            entry["by_label"][label_field] = {v: {mode: acc.by_label[(layer, label_field, v, mode)].to_dict()
                                                  for mode in MODES} for v in values}
        spans[layer] = entry
    kappa = {group: {f: kappa_from_confusion(acc.kappa[(group, f)]) for f in fields}
             for group, (_, fields) in kappa_fields().items()}
    alpha = {name: nominal_alpha(acc.alpha_pairs[name], acc.alpha_categories[name], ALPHA_CODING[name])
             for name in acc.alpha_categories}
    cue_counts = acc.spans.get(("attribution_cue", OVERLAP), MatchCounts())
    paired = cue_counts.matched
    attributions = {
        "matched_by": "overlap of cue spans (greedy one-to-one, see definitions.overlap)",
        "attribution_wise": cue_counts.to_dict(),
        "on_matched": {role: {mode: {"agree": acc.attribution_pairs[(role, mode)],
                                     "share": acc.attribution_pairs[(role, mode)] / paired if paired else None}
                              for mode in MODES} for role in ("source", "content")},
        "note": "source agrees when both are implicit (null) or the spans match in the given mode",
    }
    pooled = Counter()
    for confusion in acc.doc_stance.values():
        pooled.update(confusion)
    by_target = {}
    for target, confusion in acc.doc_stance.items():
        agreed = sum(n for (x, y), n in confusion.items() if x == y)
        by_target[target] = {"documents": sum(confusion.values()), "agreed": agreed,
                             "kappa": kappa_from_confusion(confusion).to_dict()}
    document_stance = {"by_target": by_target, "pooled_kappa": kappa_from_confusion(pooled).to_dict(),
                       "disagreements": {"count": acc.doc_stance_disagreements,
                                         "examples": acc.doc_stance_examples}}
    return AgreementReport(info_a, info_b, compared, tuple(only["a"]), tuple(only["b"]), spans, kappa,
                           _kappa_by_target(acc.claim_stance), alpha, attributions, document_stance)
