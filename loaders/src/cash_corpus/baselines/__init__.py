"""Baselines and pre-annotation: a guideline lexicon and a CRF, scored leave-one-document-out.

- `predict_documents(model, ...)`: predicted `DocumentAnnotations` for corpus documents, made by
  the lexicon (`lexicon.py`) or by a CRF trained on a layer (`crf.py`), assembled into valid
  records by `assemble.py`. `cash predict` writes them as a normal layer with provenance.
- `leave_one_document_out(root, layer)`: for each document of the layer, train on the others,
  predict it and score it with `cash score` (`score.score_document`); the tallies are summed, so
  the result is the micro-average over held-out documents. `baselines_table` renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..bio import decode, sentence_rows, sentence_token_slices
from ..corpus import Corpus
from ..errors import CashError, Location, UsageError
from ..layers import iter_documents, read_header
from ..paths import CorpusPaths
from ..records import DocumentAnnotations, LayerHeader, Provenance, Structure
from .assemble import SentencePrediction, assemble, majority_types

MODELS = ("lexicon", "crf")
# The lexicon has no confidence of its own: every record it yields gets this one constant score,
# which says "a word-list match" and ranks nothing (the CRF's scores are its marginals, crf.py).
LEXICON_SCORE = 0.5
BLOCK = "baselines (cash baselines)"


def package_version() -> str:
    from importlib.metadata import version
    return version("cash-corpus")


@dataclass
class Model:
    """A ready model: `name`, the CRF (None for the lexicon), majority attribution types."""

    name: str
    tagger: object | None
    types: dict[str, str]
    training_layer: str | None
    training_documents: tuple[str, ...]

    def predict_document(self, doc_id: str, sha: str, text: str, structure: Structure) -> DocumentAnnotations:
        from .lexicon import match
        sentences = []
        for (start, end), (first, last) in zip(structure.sentences,
                                               sentence_token_slices(structure.sentences, structure.tokens)):
            tokens = structure.tokens[first:last]
            words = [text[s:e] for s, e in tokens]
            prediction = SentencePrediction(start, end, tokens)
            if self.tagger is None:
                cues = [(tokens[i][0], tokens[j - 1][1], *value) for i, j, value in match(words, "cue")]
                prediction.cues = cues
                prediction.roles = [(tokens[i][0], tokens[j - 1][1], "cue") for i, j, _ in match(words, "attribution")]
                prediction.scores = {**{("cue", s, e): LEXICON_SCORE for s, e, _, _ in prediction.cues},
                                     **{("attribution_cue", s, e): LEXICON_SCORE for s, e, _ in prediction.roles}}
            else:
                from .crf import span_score
                tags, marginals = self.tagger.predict_with_marginals(words)
                spans = {family: decode(tokens, tags[family]) for family in ("claim", "cue", "attribution")}
                prediction.claims = [(s.start, s.end, s.label) for s in spans["claim"]]
                lexicon_types = {(tokens[i][0], tokens[j - 1][1]): value for i, j, value in match(words, "cue")}
                prediction.cues = [(s.start, s.end, s.label, _cue_type(lexicon_types, s, text)) for s in spans["cue"]]
                prediction.roles = [(s.start, s.end, s.label) for s in spans["attribution"]]
                for family, found in spans.items():
                    for s in found:
                        key = ("attribution_cue" if s.label == "cue" else s.label) if family == "attribution" else family
                        prediction.scores[(key, s.start, s.end)] = span_score(tokens, marginals[family], s.start, s.end)
            sentences.append(prediction)
        return assemble(doc_id, sha, text, sentences, self.types)


def _cue_type(lexicon_types: dict, span, text: str) -> str:
    """The cue type the lexicon gives the predicted cue's words, else 'other'."""
    value = lexicon_types.get((span.start, span.end))
    return value[1] if value else "other"


def training_rows(root: Path, layer_path: Path, documents: set[str] | None) -> tuple[list[dict], list[DocumentAnnotations]]:
    corpus = Corpus.at(root)
    structures = {s.document_id: s for s in corpus.structures()}
    rows, docs = [], []
    for annotations in iter_documents(layer_path):
        if documents is not None and annotations.document_id not in documents:
            continue
        structure = structures[annotations.document_id]
        rows += list(sentence_rows(corpus.text(annotations.document_id), structure, annotations))
        docs.append(annotations)
    return rows, docs


def make_model(root: Path, name: str, train_layer: str | None = "gold", documents: set[str] | None = None) -> Model:
    """The lexicon, or a CRF trained on `train_layer` (only `documents` of it when given)."""
    if name not in MODELS:
        raise UsageError(f"unknown model {name!r}; expected one of {MODELS}")
    if name == "lexicon":
        return Model("lexicon", None, {}, None, ())
    path = CorpusPaths(Path(root)).layer_path(train_layer)
    if not path.is_file():
        raise UsageError("no such training layer", Location(file=str(path)))
    try:
        import sklearn_crfsuite  # noqa: F401
    except ImportError as exc:
        raise UsageError("the crf model needs sklearn-crfsuite", hint='install the extra: pip install -e ".[train]"') from exc
    from .crf import CrfTagger
    rows, docs = training_rows(root, path, documents)
    if not rows:
        raise CashError("no training sentences", Location(file=str(path)), hint="train on a layer with documents")
    return Model("crf", CrfTagger().fit(rows), majority_types(docs), train_layer,
                 tuple(sorted(d.document_id for d in docs)))


def predict_documents(model: Model, root: Path, documents: Sequence[str] | None = None) -> list[DocumentAnnotations]:
    corpus = Corpus.at(root)
    structures = {s.document_id: s for s in corpus.structures()}
    metadata = {d["id"]: d for d in corpus.documents()}
    wanted = list(documents) if documents else sorted(metadata)
    out = []
    for doc_id in sorted(wanted):
        if doc_id not in metadata:
            raise UsageError(f"no document {doc_id!r} in the corpus")
        out.append(model.predict_document(doc_id, metadata[doc_id]["sha256"], corpus.text(doc_id), structures[doc_id]))
    return out


def provenance(model: Model, root: Path) -> Provenance:
    """Model, version and training layer, as the header of a predicted layer records them."""
    if model.name == "lexicon":
        tool, notes = "cash predict --model lexicon", "guideline word lists (cash_corpus.baselines.lexicon); no training"
        from .lexicon import GUIDELINE_VERSION as guideline
    else:
        from .crf import library_version
        tool = f"cash predict --model crf ({library_version()})"
        notes = (f"CRF trained on layer '{model.training_layer}' (documents: {', '.join(model.training_documents)}); "
                 "rules in cash_corpus.baselines.assemble")
        guideline = read_header(CorpusPaths(Path(root)).layer_path(model.training_layer)).provenance.guideline_version
    return Provenance("automatic", f"cash {model.name} baseline {package_version()}", guideline,
                      date.today().isoformat(), tool, notes)


def predicted_layer(model: Model, root: Path, name: str, documents: Sequence[str] | None = None
                    ) -> tuple[LayerHeader, list[DocumentAnnotations]]:
    from ..schema import schema_version
    header = LayerHeader(name, schema_version(), provenance(model, root), Corpus.at(root).version)
    return header, predict_documents(model, root, documents)


# ---------------------------------------------------------------- leave-one-document-out

def leave_one_document_out(root: Path, layer: str = "gold", models: Sequence[str] = MODELS) -> dict:
    """{model: score report dict} with every document of `layer` held out once (see module doc)."""
    from ..score import ScoreReport, Tally, score_document
    root = Path(root)
    gold_path = CorpusPaths(root).layer_path(layer)
    gold = {d.document_id: d for d in iter_documents(gold_path)}
    if len(gold) < 2:
        raise CashError("leave-one-document-out needs at least two documents", Location(file=str(gold_path)))
    results = {}
    for name in models:
        total, per_document = Tally(), {}
        for held_out in sorted(gold):
            model = make_model(root, name, layer, set(gold) - {held_out})
            [predicted] = predict_documents(model, root, [held_out])
            tally = score_document(gold[held_out], predicted, gold_path, Path(f"<{name} prediction>"))
            per_document[held_out] = tally
            total.add(tally)
        results[name] = ScoreReport(str(gold_path), name, total, per_document, []).to_dict(per_document=True)
    return results


def baselines_table(results: dict) -> str:
    """Markdown: F1 (exact / overlap) per span layer and model; claim type/certainty on matched claims."""
    def f(value):
        return "–" if value is None else f"{value:.3f}"
    lines = ["Leave-one-document-out over the gold layer (train on one document, score the other with "
             "`cash score`, counts summed over both held-out documents). Regenerate with `cash baselines --write`.", "",
             "| model | span layer | gold | predicted | P exact | R exact | F1 exact | F1 overlap |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for model, report in results.items():
        for layer, entry in report["spans"].items():
            e, o = entry["exact"], entry["overlap"]
            lines.append(f"| {model} | {layer} | {e['gold']} | {e['predicted']} | {f(e['precision'])} | "
                         f"{f(e['recall'])} | {f(e['f1'])} | {f(o['f1'])} |")
    lines += ["", "| model | matched claims | claim type accuracy | claim type macro-F1 | certainty accuracy | "
                  "certainty macro-F1 |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for model, report in results.items():
        t, c = report["claims_matched"]["claim_type"], report["claims_matched"]["certainty"]
        lines.append(f"| {model} | {t['pairs']} | {f(t['accuracy'])} | {f(t['macro_f1'])} | {f(c['accuracy'])} | "
                     f"{f(c['macro_f1'])} |")
    lines += ["", "The lexicon predicts only cues and attribution cues; its claims (the sentence holding a cue) and "
                  "contents (the rest of the sentence after an attribution cue) are rules that make the layer valid. "
                  "Neither baseline predicts stance (stance F1 is 0). Two documents: these figures are a smoke "
                  "test, not a benchmark."]
    return "\n".join(lines)


__all__ = ["BLOCK", "LEXICON_SCORE", "MODELS", "Model", "baselines_table", "leave_one_document_out", "make_model",
           "predict_documents", "predicted_layer", "provenance"]
