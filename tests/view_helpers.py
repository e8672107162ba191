"""A small corpus for the viewer tests: astral characters before and inside spans (emoji with skin-tone
modifiers and ZWJ, a flag, mathematical letters), crossing and nested claims, a nested attribution,
and markup in the text, the title and a note that must render as text and run nothing."""

from __future__ import annotations

from pathlib import Path

from cash_corpus.corpus import add_document, init_corpus, sha256_bytes
from cash_corpus.layers import iter_documents, write_layer
from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance,
                                 Span, Stance)
from cash_corpus.schema import schema_version

HOSTILE_NOTE = '<script>window.__pwned = "note";</script><img src=x onerror="window.__pwned = \'onerror\'">'
TITLE = 'Crisis <script>window.__pwned = "title";</script> 🚀 over 𝔸lliances'
TEXT = (
    "Crisis 🚀 over 𝔸lliances <script>window.__pwned = \"text\";</script>\n"
    "Officials 👩🏽‍🚀 said that Iran 🇮🇷 has probably sent 𝕞issiles to Russia, "
    "and the minister claimed that they will certainly arrive 👍🏽 soon.\n"
    "The West must act <img src=x onerror=\"window.__pwned = 'text-onerror'\"> now 👍🏽.\n"
)
DOC_ID = "astral-doc"


def span(needle: str, occurrence: int = 0, text: str = TEXT) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), needle)


def crossing_span() -> Span:
    """From inside the title line into the middle of the attribution source: crosses it."""
    start = TEXT.index("𝔸lliances")
    end = TEXT.index("Officials") + len("Officials")
    return Span(start, end, TEXT[start:end])


def _doc(sha: str, *, variant: str) -> DocumentAnnotations:
    content1 = span("Iran 🇮🇷 has probably sent 𝕞issiles to Russia, and the minister claimed that they will "
                    "certainly arrive 👍🏽 soon")
    a1 = Attribution("a1", DOC_ID, span("Officials 👩🏽‍🚀"), span("said"), content1, "government", "indirect",
                     "assertion")
    a2 = Attribution("a2", DOC_ID, span("the minister"), span("claimed"), span("they will certainly arrive 👍🏽 soon"),
                     "person", "indirect", "assertion", parent="a1")
    c1 = Claim("c1", DOC_ID, span("Iran 🇮🇷 has probably sent 𝕞issiles to Russia"), "factual",
               "probable" if variant == "gold" else "possible", "positive", Holder("attribution", "a1"),
               (Stance("T_IRAN_REGIME", "against"),))
    c2 = Claim("c2", DOC_ID, span("they will certainly arrive 👍🏽 soon"), "predictive", "certain", "positive",
               Holder("attribution", "a2"))
    c3 = Claim("c3", DOC_ID, span("The West must act <img src=x onerror=\"window.__pwned = 'text-onerror'\"> now 👍🏽"),
               "prescriptive", "certain", "positive", Holder("author"), (Stance("T_SANCTIONS", "favor"),),
               note=HOSTILE_NOTE)
    c4 = Claim("c4", DOC_ID, crossing_span(), "evaluative", "certain", "positive", Holder("author"))
    q1 = Cue("q1", DOC_ID, span("probably"), "hedge", "adverb", ("c1",))
    q2 = Cue("q2", DOC_ID, span("certainly"), "booster", "adverb", ("c2",), note=HOSTILE_NOTE)
    claims = (c1, c2, c3, c4) if variant == "gold" else (c1, c2, c3)
    return DocumentAnnotations(DOC_ID, sha, (Stance("T_IRAN_REGIME", "against"),
                                             Stance("T_SANCTIONS", "favor" if variant == "gold" else "neutral")),
                               claims, (q1, q2), (a1, a2), note=HOSTILE_NOTE)


def make_view_corpus(tmp_path: Path) -> Path:
    """A one-document corpus with layers `gold` and `pass-b` that differ in a few known places."""
    root = tmp_path / "view-corpus"
    init_corpus(root, "T", "1.0.0", schema_version())
    source = tmp_path / "astral.txt"
    source.write_bytes(TEXT.encode("utf-8"))
    add_document(root, source, title=TITLE, doc_id=DOC_ID)
    sha = sha256_bytes(TEXT.encode("utf-8"))
    for name in ("gold", "pass-b"):
        header = LayerHeader(name, schema_version(), Provenance("synthetic", f"test fixture {name}", "1.0.0",
                                                                "2026-11-29", notes=HOSTILE_NOTE), "1.0.0")
        write_layer(root / "annotations" / f"{name}.jsonl", header, [_doc(sha, variant=name)])
    return root


def expected_fragments(layer_file: Path, texts: dict[str, str]) -> dict[str, dict[str, str]]:
    """document id -> element key -> raw[start:end] for every annotation of a layer (the oracle),
    for the documents in `texts`."""
    out: dict[str, dict[str, str]] = {}
    for doc in iter_documents(layer_file):
        if doc.document_id not in texts:
            continue
        raw = texts[doc.document_id]
        keys: dict[str, str] = {}
        for claim in doc.claims:
            keys[claim.id] = raw[claim.span.start:claim.span.end]
        for cue in doc.cues:
            keys[cue.id] = raw[cue.span.start:cue.span.end]
        for attribution in doc.attributions:
            for role in ("source", "cue", "content"):
                part = getattr(attribution, role)
                if part is not None:
                    keys[f"{attribution.id}.{role}"] = raw[part.start:part.end]
        out[doc.document_id] = keys
    return out
