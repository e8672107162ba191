"""Small corpora for the `datasets` build tests: non-BMP text, a gold and a pass-a layer.

Expected rows are computed here straight from the layer records, independently of
cash_corpus.hf, so the tests compare what `datasets` loads with the canonical annotations.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cash_corpus.corpus import Corpus, add_document, init_corpus
from cash_corpus.layers import read_layer, write_layer
from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance,
                                 Span, Stance)
from cash_corpus.schema import schema_version

# Characters outside the BMP (rocket, flag, mathematical double-struck A) stand before and
# inside the spans, so any UTF-16 / byte-offset confusion moves every later offset.
TEXT_ONE = ("Missiles 🚀 and 𝔸lliances\n"
            "Officials said that Iran 🇮🇷 may have sent missiles to Russia.\n"
            "The West must clearly act now.\n")
TEXT_TWO = "𝕊anctions 🧾 Work\nAnalysts argue that sanctions will probably fail.\n"


def span(text: str, fragment: str, after: int = 0) -> Span:
    start = text.index(fragment, after)
    return Span(start, start + len(fragment), fragment)


def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network for `datasets`/`huggingface_hub`, whatever was imported before."""
    import datasets
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)


def header(layer: str) -> LayerHeader:
    return LayerHeader(layer, schema_version(), Provenance("synthetic", "hf test fixture", "1.0.0", "2026-11-21"), "1.0.0")


def gold_annotations(root: Path, claim_type: str = "factual") -> list[DocumentAnnotations]:
    corpus = Corpus.at(root)
    one, two = corpus.text("missiles-alliances"), corpus.text("sanctions-work")
    sha = {d["id"]: d["sha256"] for d in corpus.documents()}
    said = Attribution("a1", "missiles-alliances", span(one, "Officials"), span(one, "said"),
                       span(one, "Iran 🇮🇷 may have sent missiles to Russia"), "government", "indirect", "assertion")
    claim1 = Claim("c1", "missiles-alliances", span(one, "Iran 🇮🇷 may have sent missiles to Russia"), claim_type,
                   "possible", "positive", Holder("attribution", "a1"), (Stance("T_IRAN_REGIME", "against"),))
    claim2 = Claim("c2", "missiles-alliances", span(one, "The West must clearly act now"), "prescriptive", "certain",
                   "positive", Holder("author"), ())
    hedge = Cue("q1", "missiles-alliances", span(one, "may"), "hedge", "modal", ("c1",))
    booster = Cue("q2", "missiles-alliances", span(one, "clearly"), "booster", "adverb", ("c2",), note="🚀 note")
    claim3 = Claim("c1", "sanctions-work", span(two, "sanctions will probably fail"), "predictive", "probable",
                   "negative", Holder("author"), (Stance("T_SANCTIONS", "against"), Stance("T_ENGAGE_IRAN", "neutral")))
    hedge2 = Cue("q1", "sanctions-work", span(two, "probably"), "hedge", "adverb", ("c1",))
    return [
        DocumentAnnotations("missiles-alliances", sha["missiles-alliances"], (Stance("T_IRAN_REGIME", "against"),),
                            (claim1, claim2), (hedge, booster), (said,)),
        DocumentAnnotations("sanctions-work", sha["sanctions-work"], (), (claim3,), (hedge2,), ()),
    ]


def make_corpus(root: Path, with_gold: bool = True, with_pass_a: bool = True) -> Path:
    """Two documents with non-BMP text; gold on both, pass-a (one claim, its attribution) on the first only."""
    init_corpus(root, "T", "1.0.0", schema_version())
    for doc_id, title, text in (("missiles-alliances", "Missiles 🚀 and 𝔸lliances", TEXT_ONE),
                                ("sanctions-work", "𝕊anctions 🧾 Work", TEXT_TWO)):
        source = root.parent / f"{doc_id}.txt"
        source.write_text(text, encoding="utf-8")
        add_document(root, source, title=title, doc_id=doc_id, genre="analysis")
    gold = gold_annotations(root)
    if with_gold:
        write_layer(root / "annotations" / "gold.jsonl", header("gold"), gold)
    if with_pass_a:
        first = gold[0]
        only = DocumentAnnotations(first.document_id, first.text_sha256, (), first.claims[:1], (), first.attributions)
        write_layer(root / "annotations" / "pass-a.jsonl", header("pass-a"), [only])
    return root


def expected_rows(root: Path, layer: str) -> dict[str, list[dict]]:
    """Canonical rows per config kind from the layer file, labels as strings (loaded rows get decoded)."""
    _, documents = read_layer(root / "annotations" / f"{layer}.jsonl")
    texts = {d["id"]: Corpus.at(root).text(d["id"]) for d in Corpus.at(root).documents()}
    out: dict[str, list[dict]] = {"claims": [], "cues": [], "attributions": []}
    for doc in sorted(documents, key=lambda d: d.document_id):
        text = texts[doc.document_id]
        for c in sorted(doc.claims, key=lambda c: (c.span.start, c.span.end, c.id)):
            assert text[c.span.start:c.span.end] == c.span.text
            out["claims"].append({"id": c.id, "document_id": c.document_id, "start": c.span.start, "end": c.span.end,
                                  "text": c.span.text, "claim_type": c.claim_type, "certainty": c.certainty,
                                  "polarity": c.polarity, "holder": c.holder.to_dict(),
                                  "stance": [s.to_dict() for s in c.stance], "note": c.note})
        for q in sorted(doc.cues, key=lambda q: (q.span.start, q.span.end, q.id)):
            out["cues"].append({"id": q.id, "document_id": q.document_id, "start": q.span.start, "end": q.span.end,
                                "text": q.span.text, "kind": q.kind, "cue_type": q.cue_type, "claims": list(q.claims),
                                "note": q.note})
        for a in sorted(doc.attributions, key=lambda a: (a.cue.start, a.cue.end, a.id)):
            out["attributions"].append({"id": a.id, "document_id": a.document_id,
                                        "source": a.source.to_dict() if a.source else None, "cue": a.cue.to_dict(),
                                        "content": a.content.to_dict(), "source_type": a.source_type, "form": a.form,
                                        "parc_type": a.parc_type, "parent": a.parent, "note": a.note})
    return out


def decode(features, row: dict) -> dict:
    """A loaded row with every ClassLabel int turned back into its name (recursively)."""
    from datasets import ClassLabel, List

    def walk(feature, value):
        if value is None:
            return None
        if isinstance(feature, ClassLabel):
            return feature.int2str(value)
        if isinstance(feature, List):
            return [walk(feature.feature, v) for v in value]
        if isinstance(feature, dict):
            return {k: walk(f, value[k]) for k, f in feature.items()}
        return value

    return {k: walk(features[k], v) for k, v in row.items()}


def load(root: Path, config: str, cache_dir: Path, **kwargs):
    import datasets
    return datasets.load_dataset(str(root), config, split="test", cache_dir=str(cache_dir), **kwargs)


__all__ = ["TEXT_ONE", "TEXT_TWO", "decode", "expected_rows", "gold_annotations", "header", "load", "make_corpus",
           "offline", "os", "span"]
