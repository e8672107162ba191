"""Synthetic corpora for benchmarks and scale tests: valid CASH corpora of any size, deterministic per seed.

Each document is a title line and a body of template sentences whose annotations are known by
construction: reported claims inside attributions (some nested two deep, some with an implicit
source), hedge cues on them, author claims with boosters; about ten annotation records per
document, with emoji and mathematical letters (outside the BMP) before and inside the spans.

Everything is written in the canonical on-disk format (`corpus.make_metadata`, `records.Structure`,
`layers.layer_rows`, `jsonl.dumps_line`), so `cash validate` accepts the result. For speed the files
are written directly rather than through `add_document` (which re-reads documents.jsonl for every
add: quadratic at scale). The corpus is built in a hidden temporary folder next to the target and
renamed into place at the end, so a failed run leaves nothing half-written.

The matching Label Studio export is made with the bridge's own `labelstudio.tasks.document_results`,
so the region/relation mapping exists in one place only.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .corpus import make_metadata, sha256_bytes
from .errors import Location, UsageError
from .jsonl import atomic_writer, dumps_line, write_json
from .labelstudio.tasks import document_results
from .paths import CorpusPaths
from .records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance, Span, Stance,
                      Structure, Zone)
from .schema import label_names, schema_version

SYNTH_VERSION = "1"
SEGMENTER = f"cash synth {SYNTH_VERSION} (token offsets known by construction)"
CORPUS_NAME = "CASH synthetic"
CORPUS_VERSION = "1.0.0"
GOLD = "gold"
TOKEN_RE = re.compile(r"\w+(?:[’'-]\w+)*|[^\w\s]")  # punctuation and emoji one character each, as spaCy splits them
EXPORT_TIMESTAMP = "2026-11-21T10:00:00.000000Z"

# (surface, source_type): sources of attributions; some open with a non-BMP letter.
SOURCES = [("Officials", "government"), ("𝔸nalysts", "person"), ("The ministry", "government"),
           ("Diplomats 🇪🇺", "group"), ("State media", "media"), ("𝕀ntelligence services", "intelligence"),
           ("The agency", "organization"), ("A senior adviser", "person")]
SAY_CUES = [("said", "assertion"), ("argued", "assertion"), ("warned", "assertion"), ("reported", "fact")]
BELIEF_CUES = [("believe", "belief"), ("suspect", "belief"), ("fear", "belief")]
SUBJECTS = ["Iran 🇮🇷", "the regime", "Moscow", "sanctions", "the 𝒮ecurity council", "missile shipments 🚀",
            "the talks", "oil exports 🛢️", "Tehran", "the coalition"]
# (hedge, cue_type, certainty)
HEDGES = [("may", "modal", "possible"), ("might", "modal", "possible"), ("could", "modal", "possible"),
          ("probably", "adverb", "probable"), ("likely", "adjective", "probable")]
PREDICATES = ["expand its drone program", "send missiles to Russia", "fail within a year", "weaken the economy",
              "change course 🔄", "collapse under pressure", "reach 𝟙𝟘𝟘 launchers", "delay the deal"]
BOOSTERS = [("clearly", "adverb"), ("certainly", "adverb"), ("undoubtedly", "adverb"), ("surely", "adverb")]
AUTHOR_CLAIMS = [("the West must {b} act now", "prescriptive"), ("this policy is {b} a mistake", "evaluative"),
                 ("the strikes will {b} continue", "predictive"), ("Europe {b} needs a plan 🧭", "prescriptive")]
FILLERS = ["The meeting ended without a joint statement.", "Talks resumed in Vienna on Tuesday 📅.",
           "The figures were published in a 𝟚𝟘𝟚𝟜 annex.", "Markets barely moved after the announcement.",
           "Several delegations left early."]
TOPICS = ["Missiles", "Sanctions", "Diplomacy", "Drones", "Energy", "Alliances"]


@dataclass
class _Builder:
    """One document being assembled: its text so far, sentences, and annotations with running ids."""

    doc_id: str
    parts: list[str] = field(default_factory=list)
    length: int = 0
    sentences: list[tuple[int, int]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    counter: int = 0

    def append(self, piece: str) -> Span:
        """Append raw text and return its span (code points, as offsets count)."""
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return Span(start, self.length, piece)

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _clause(rng: random.Random, b: _Builder) -> tuple[Span, Span, str, str]:
    """'<subject> <hedge> <predicate>' appended; returns (clause span, hedge span, cue_type, certainty)."""
    hedge, cue_type, certainty = rng.choice(HEDGES)
    start = b.length
    b.append(rng.choice(SUBJECTS) + " ")
    if hedge == "likely":
        b.append("is ")
        hedge_span = b.append(hedge)
        b.append(" to ")
    else:
        hedge_span = b.append(hedge)
        b.append(" ")
    b.append(rng.choice(PREDICATES))
    text = b.text[start:b.length]
    return Span(start, b.length, text), hedge_span, cue_type, certainty


def _stances(rng: random.Random, polarities: list[str], most: int) -> tuple[Stance, ...]:
    targets = rng.sample(label_names("stance_target"), rng.randint(0, most))
    return tuple(Stance(t, rng.choice(polarities)) for t in sorted(targets))


def _reported(rng: random.Random, b: _Builder, nested: bool) -> None:
    """'<Source> said that <clause>.' or, nested, '<Source> said that <Source2> believe that <clause>.'"""
    doc = b.doc_id
    sentence_start = b.length
    implicit = not nested and rng.random() < 0.2
    if implicit:
        b.append("It was ")
        source, source_type = None, "unnamed"
        cue = b.append("reported")
        parc = "assertion"
    else:
        surface, source_type = rng.choice(SOURCES)
        source = b.append(surface)
        b.append(" ")
        word, parc = rng.choice(SAY_CUES)
        cue = b.append(word)
    b.append(" that ")
    outer_id = b.next_id("a")
    parent = None
    content_start = b.length
    if nested:
        inner_surface, inner_type = rng.choice(SOURCES)
        inner_source = b.append(inner_surface[0].lower() + inner_surface[1:] if inner_surface.startswith("The ")
                                else inner_surface)
        b.append(" ")
        belief, inner_parc = rng.choice(BELIEF_CUES)
        inner_cue = b.append(belief)
        b.append(" that ")
        clause, hedge, cue_type, certainty = _clause(rng, b)
        inner_id = b.next_id("a")
        b.attributions.append(Attribution(inner_id, doc, inner_source, inner_cue, clause, inner_type, "indirect",
                                          inner_parc, outer_id))
        holder_id = inner_id
    else:
        clause, hedge, cue_type, certainty = _clause(rng, b)
        holder_id = outer_id
    content = Span(content_start, clause.end, b.text[content_start:clause.end])
    b.attributions.append(Attribution(outer_id, doc, source, cue, content, source_type, "indirect", parc, parent))
    claim_id = b.next_id("c")
    b.claims.append(Claim(claim_id, doc, clause, "predictive", certainty, rng.choice(["positive", "negative"]),
                          Holder("attribution", holder_id), _stances(rng, ["favor", "against", "neutral"], 1)))
    b.cues.append(Cue(b.next_id("q"), doc, hedge, "hedge", cue_type, (claim_id,)))
    b.append(".")
    b.sentences.append((sentence_start, b.length))


def _authorial(rng: random.Random, b: _Builder) -> None:
    """'In our view, <claim with booster>.': an author claim and its booster cue."""
    sentence_start = b.length
    b.append("In our view, ")
    template, claim_type = rng.choice(AUTHOR_CLAIMS)
    booster, cue_type = rng.choice(BOOSTERS)
    before, after = template.split("{b}")
    claim_start = b.length
    b.append(before)
    booster_span = b.append(booster)
    b.append(after)
    claim = Span(claim_start, b.length, b.text[claim_start:b.length])
    claim_id = b.next_id("c")
    b.claims.append(Claim(claim_id, b.doc_id, claim, claim_type, "certain", "positive", Holder("author"),
                          _stances(rng, ["favor", "against", "neutral"], 1)))
    b.cues.append(Cue(b.next_id("q"), b.doc_id, booster_span, "booster", cue_type, (claim_id,)))
    b.append(".")
    b.sentences.append((sentence_start, b.length))


def synth_document(rng: random.Random, number: int) -> tuple[str, str, str, list[tuple[int, int]],
                                                              list[Claim], list[Cue], list[Attribution]]:
    """(id, title, text, sentences, claims, cues, attributions) of document `number`; ~10 annotations."""
    doc_id = f"synth-{number:07d}"
    b = _Builder(doc_id)
    title = f"{rng.choice(TOPICS)} 🚀 report {number}: 𝔸 synthetic brief"
    b.append(title)
    b.sentences.append((0, b.length))
    b.append("\n")
    kinds = (["reported"] * rng.randint(1, 3) + ["nested"] * rng.randint(0, 1) + ["author"] * rng.randint(0, 2)
             + ["filler"] * rng.randint(1, 3))
    rng.shuffle(kinds)
    for n, kind in enumerate(kinds):
        if n:
            b.append("\n\n" if n % 3 == 0 else " ")
        if kind == "filler":
            b.sentences.append((b.append(rng.choice(FILLERS)).start, b.length))
        elif kind == "author":
            _authorial(rng, b)
        else:
            _reported(rng, b, nested=kind == "nested")
    b.append("\n")
    return doc_id, title, b.text, b.sentences, b.claims, b.cues, b.attributions


def tokens_of(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token spans inside each sentence: words (with non-BMP letters) and punctuation runs."""
    return [m.span() for start, end in sentences for m in TOKEN_RE.finditer(text, start, end)]


def structure_of(doc_id: str, text: str, digest: str, sentences: list[tuple[int, int]]) -> Structure:
    """Zones as `cash add` makes them by default (line 1 title, the rest body), sentences and tokens."""
    title_end = text.index("\n") + 1
    zones = (Zone("title", 0, title_end), Zone("body", title_end, len(text)))
    return Structure(doc_id, digest, zones, "default", SEGMENTER, tuple(sentences), tuple(tokens_of(text, sentences)))


def layer_header(seed: int) -> LayerHeader:
    return LayerHeader(GOLD, schema_version(), Provenance(
        "synthetic", f"cash synth (seed {seed})", schema_version(), "2026-11-21", f"cash synth {SYNTH_VERSION}",
        "generated from templates; annotations known by construction"), CORPUS_VERSION)


def export_task(number: int, doc: DocumentAnnotations, text: str) -> dict:
    """A task as Label Studio's JSON export holds it, one completed annotation made from `doc`."""
    return {"id": number + 1,
            "data": {"text": text, "document_id": doc.document_id, "text_sha256": doc.text_sha256,
                     "corpus_version": CORPUS_VERSION},
            "annotations": [{"id": number + 1, "completed_by": 1 + number % 3, "was_cancelled": False,
                             "ground_truth": False, "created_at": EXPORT_TIMESTAMP, "updated_at": EXPORT_TIMESTAMP,
                             "lead_time": 60.0, "result": document_results(doc, text)}],
            "predictions": [], "drafts": []}


@dataclass(frozen=True)
class SynthSummary:
    """What was generated: counts, so callers (benchmarks) can report spans per document."""

    root: Path
    documents: int
    claims: int
    cues: int
    attributions: int
    ls_export: Path | None

    @property
    def annotations(self) -> int:
        return self.claims + self.cues + self.attributions


def iter_synth(n_docs: int, seed: int) -> Iterator[tuple[dict, str, Structure, DocumentAnnotations]]:
    """(metadata, text, structure, gold annotations) per document, in id order; deterministic given seed."""
    rng = random.Random(seed)
    for number in range(n_docs):
        doc_id, title, text, sentences, claims, cues, attributions = synth_document(rng, number)
        data = text.encode("utf-8")
        digest = sha256_bytes(data)
        metadata = make_metadata(doc_id, f"{doc_id}.txt", text, digest, title=title, genre="analysis",
                                 language="en", outlet=None, outlet_evidence=None, date_inferred=None,
                                 date_evidence=None, license_id="CC0-1.0",
                                 copyright_note="Synthetic text generated by cash synth; no copyright claimed.").to_dict()
        stance = _stances(rng, label_names("document_stance_polarity"), 2)
        doc = DocumentAnnotations(doc_id, digest, stance, tuple(claims), tuple(cues), tuple(attributions))
        yield metadata, text, structure_of(doc_id, text, digest, sentences), doc


def _check_targets(out: Path, ls_export: Path | None) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError("output folder exists and is not empty; refusing to overwrite", Location(file=str(out)),
                         hint="choose a new --out folder")
    if ls_export is not None and ls_export.exists():
        raise UsageError("Label Studio export file exists; refusing to overwrite", Location(file=str(ls_export)))


def write_synth(out: Path, n_docs: int, seed: int, ls_export: Path | None = None) -> SynthSummary:
    """Write a synthetic corpus root at `out` (new or empty folder) with a gold layer; optionally the LS export."""
    out, ls_export = Path(out), Path(ls_export) if ls_export else None
    if n_docs < 1:
        raise UsageError(f"--docs must be at least 1, got {n_docs}")
    _check_targets(out, ls_export)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    counts = [0, 0, 0]
    try:
        paths = CorpusPaths(staging)
        paths.texts_dir.mkdir(parents=True)
        paths.annotations_dir.mkdir(parents=True)
        write_json(paths.corpus_info, {"name": CORPUS_NAME, "version": CORPUS_VERSION,
                                       "schema_version": schema_version()})
        with ExitStack() as stack:
            documents, structures, layer = (stack.enter_context(atomic_writer(p)) for p in
                                            (paths.documents, paths.structure, paths.layer_path(GOLD)))
            export = stack.enter_context(atomic_writer(ls_export)) if ls_export else None
            _write_line(layer, layer_header(seed).to_dict())
            if export:
                export.write("[")
            for number, (metadata, text, structure, doc) in enumerate(iter_synth(n_docs, seed)):
                # Inside the staging folder, which is renamed into place only at the end.
                with open(paths.texts_dir / f"{metadata['id']}.txt", "wb") as handle:
                    handle.write(text.encode("utf-8"))
                _write_line(documents, metadata)
                _write_line(structures, structure.to_dict())
                for record in doc.records():
                    _write_line(layer, record)
                counts[0] += len(doc.claims)
                counts[1] += len(doc.cues)
                counts[2] += len(doc.attributions)
                if export:
                    export.write(("\n" if number == 0 else ",\n") + json.dumps(export_task(number, doc, text),
                                                                               ensure_ascii=False))
            if export:
                export.write("\n]\n")
        if out.exists():
            out.rmdir()
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SynthSummary(out, n_docs, counts[0], counts[1], counts[2], ls_export)


def _write_line(handle: IO, record: dict) -> None:
    handle.write(dumps_line(record) + "\n")
