"""`cash validate --lint` / `cash lint`: consistency checks over a layer, reported as warnings.

Validation proves a layer is *well-formed*; lint asks whether it is *consistent with itself*,
the way a reviewer would: the same cue word marked in one place but not at an identical
occurrence elsewhere, a reported claim that carries the author's own stance, an attribution
whose content holds no claim, a document stance that its own claims contradict, a stance that
lists a target twice. Each rule is a small pure function over typed records
(`records.DocumentAnnotations`); none of them proves an error, so every finding is a warning
whose code, wording and hint are in the catalogue (`findings.CATALOGUE`).

Lint trusts its input: it runs only on layers that `cash validate` found free of errors (the
CLI skips a layer with errors and says so), reading it with `layers.iter_documents`. It streams
document by document. The cue rule needs the layer's set of cue forms before it can look at
any text, so a layer file is read twice: once for the cue forms (a small dict), once for the
per-document rules. The rules are defined in docs/VALIDATION.md (section Lint).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..records import DocumentAnnotations, Span, Stance
from .findings import Finding, finding

# What a claim stance polarity a document polarity contradicts when most of the author's claims on
# that target carry it (rule stance-document-contradicts-claims). A document that argues for or
# against a target is not contradicted by neutral reports; a "neutral" document (no side, or
# balanced) is contradicted by a majority on either side; "none" (not addressed) by any claim.
_CONTRADICTED_BY = {"favor": {"against"}, "against": {"favor"}, "neutral": {"favor", "against"}}
_SIDES = frozenset({"favor", "against"})
# Zones whose text is annotated (guidelines §0); an unmarked cue form elsewhere (a subheading, the
# disclaimer) is no inconsistency. Checked against the schema's zone inventory in the tests.
ANNOTATED_ZONES = frozenset({"title", "caption", "body"})


# -- rule 1: the same cue form marked in one place, unmarked at an identical occurrence elsewhere

def cue_form(text: str) -> str:
    """The key two cue occurrences share: case-folded, inner whitespace runs made one space."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class MarkedCue:
    """Where a cue form is first marked in the layer (the related location of a finding), and how often."""

    document_id: str
    cue_id: str
    span: Span
    kind: str
    cue_type: str
    count: int = 1


def collect_cue_forms(documents: Iterable[DocumentAnnotations]) -> dict[str, MarkedCue]:
    """Cue form -> its first marked site in layer order, with the number of times it is marked."""
    forms: dict[str, MarkedCue] = {}
    for document in documents:
        for cue in sorted(document.cues, key=lambda q: (q.span.start, q.span.end, q.id)):
            key = cue_form(cue.span.text)
            seen = forms.get(key)
            if seen is None:
                forms[key] = MarkedCue(document.document_id, cue.id, cue.span, cue.kind, cue.cue_type)
            else:
                forms[key] = MarkedCue(seen.document_id, seen.cue_id, seen.span, seen.kind, seen.cue_type,
                                       seen.count + 1)
    return forms


def cue_pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for every form: whole words only, case-insensitive, any whitespace between words.

    Longer forms come first so "is likely to" is found as itself rather than as "likely".
    """
    alternatives = []
    for form in sorted(set(forms) - {""}, key=lambda f: (-len(f), f)):  # "": a whitespace-only cue
        body = r"\s+".join(re.escape(word) for word in form.split(" "))
        left = r"(?<!\w)" if re.match(r"\w", form) else ""
        right = r"(?!\w)" if re.search(r"\w$", form) else ""
        alternatives.append(left + body + right)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


def unmarked_cue_occurrences(document: DocumentAnnotations, raw: str, forms: dict[str, MarkedCue],
                             pattern: re.Pattern[str] | None, file: str | None,
                             zones: Sequence[tuple[int, int]] | None = None) -> Iterator[Finding]:
    """Each occurrence in `raw` of a form marked somewhere in the layer that no cue of this document covers.

    An occurrence counts as marked when any cue span of the document overlaps it: the annotator
    decided there (e.g. "likely" inside a marked "is likely to"). With `zones` (the annotated
    zones' [start, end) ranges), occurrences outside them are not annotated by rule and are skipped.
    """
    if pattern is None:
        return
    cues = sorted((q.span.start, q.span.end) for q in document.cues)
    for match in pattern.finditer(raw):
        key = cue_form(match.group())
        site = forms.get(key)
        if site is None:  # IGNORECASE matched a text whose case-folding differs from every form
            continue
        start, end = match.start(), match.end()
        if any(s < end and start < e for s, e in cues):
            continue
        if zones is not None and not any(s <= start and end <= e for s, e in zones):
            continue
        where_marked = (f"doc={site.document_id} ann={site.cue_id} [{site.span.start}, {site.span.end})")
        times = "once" if site.count == 1 else f"{site.count} times"
        yield finding("cue-unmarked-occurrence", occurrence=_shown(match.group()), kind=site.kind,
                      cue_type=site.cue_type, times=times, first=where_marked,
                      file=file, document_id=document.document_id, start=start, end=end,
                      found=match.group(), expected=f"a cue, as at {where_marked}")


# -- rule 2: a reported claim carrying the author's document stance on every target it lists

def reported_claims_with_author_stance(document: DocumentAnnotations, file: str | None) -> Iterator[Finding]:
    """Claims held by an attribution whose every stance entry equals the document stance on that target.

    Only claims that take a side (at least one favor/against entry) are reported: a neutral
    report matching a neutral document stance says nothing about whose stance it is.
    """
    document_stance = _by_target(document.document_stance)
    sources = {a.id: a.source.text if a.source else None for a in document.attributions}
    for claim in document.claims:
        if claim.holder.type != "attribution" or not claim.stance:
            continue
        if not any(s.polarity in _SIDES for s in claim.stance):
            continue
        if all(document_stance.get(s.target) == s.polarity for s in claim.stance):
            source = sources.get(claim.holder.attribution_id)
            holder = f"{claim.holder.attribution_id}" + (f" (source {_shown(source)})" if source else " (implicit source)")
            yield finding("stance-reported-as-author", holder=holder,
                          file=file, document_id=document.document_id, annotation_id=claim.id,
                          start=claim.span.start, end=claim.span.end, found=_stances(claim.stance),
                          expected="the holder's stance as expressed (document stance: "
                                   + _stances(Stance(s.target, document_stance[s.target]) for s in claim.stance) + ")")


# -- rule 3: an attribution whose content span contains no claim

def attributions_without_claim(document: DocumentAnnotations, file: str | None) -> Iterator[Finding]:
    """Attributions with no claim span inside their content span (the content is meant to be a proposition)."""
    claims = sorted((c.span.start, c.span.end) for c in document.claims)
    for attribution in document.attributions:
        content = attribution.content
        if any(content.start <= s and e <= content.end for s, e in claims):
            continue
        yield finding("attribution-content-without-claim", attribution=attribution.id,
                      parc_type=attribution.parc_type,
                      file=file, document_id=document.document_id, annotation_id=attribution.id,
                      start=content.start, end=content.end, found=content.text,
                      expected="a claim inside the content span (held by this attribution or a nested one)")


# -- rule 4: document stance contradicting the majority of the author's claims on a target

def document_stance_contradictions(document: DocumentAnnotations, file: str | None) -> Iterator[Finding]:
    """Per document-stance target: compare with the polarities of the author-held claims listing it.

    The document stance is the author's, so it is compared with the author's claims only;
    reported claims carry their holders' stance (rule stance-reported-as-author).
    """
    votes: dict[str, Counter[str]] = {}
    for claim in document.claims:
        if claim.holder.type != "author":
            continue
        for target, polarity in _by_target(claim.stance).items():
            votes.setdefault(target, Counter())[polarity] += 1
    for entry in document.document_stance:
        counts = votes.get(entry.target)
        if not counts:
            continue
        total = sum(counts.values())
        tally = ", ".join(f"{p} {counts[p]}" for p in ("favor", "against", "neutral") if counts[p])
        if entry.polarity == "none":
            contradicted, why = True, f"{total} author claim(s) take a stance on it"
        else:
            majority, size = counts.most_common(1)[0]
            contradicted = size * 2 > total and majority in _CONTRADICTED_BY.get(entry.polarity, ())
            why = f"most author claims on it are {majority}"
        if contradicted:
            yield finding("stance-document-contradicts-claims", target=entry.target, polarity=entry.polarity,
                          why=why, file=file, document_id=document.document_id,
                          found=f"{entry.target} {entry.polarity}", expected=f"author claims on {entry.target}: {tally}")


# -- rule 5: a stance listing the same target twice

def repeated_stance_targets(document: DocumentAnnotations, file: str | None) -> Iterator[Finding]:
    """The document stance and each claim stance list every target at most once."""
    for target, count in _repeated(document.document_stance):
        yield finding("stance-target-repeated", "document", target=target, count=count,
                      file=file, document_id=document.document_id, found=target)
    for claim in document.claims:
        for target, count in _repeated(claim.stance):
            yield finding("stance-target-repeated", target=target, count=count,
                          file=file, document_id=document.document_id, annotation_id=claim.id,
                          start=claim.span.start, end=claim.span.end, found=_stances(claim.stance))


DOCUMENT_RULES: tuple[Callable[[DocumentAnnotations, str | None], Iterator[Finding]], ...] = (
    repeated_stance_targets, reported_claims_with_author_stance, attributions_without_claim,
    document_stance_contradictions)


def lint_document(document: DocumentAnnotations, raw: str | None, forms: dict[str, MarkedCue],
                  pattern: re.Pattern[str] | None, file: str | None = None,
                  zones: Sequence[tuple[int, int]] | None = None) -> list[Finding]:
    """Every lint finding of one document: the per-document rules, then unmarked cue occurrences
    (only if its raw text is given; only inside `zones` if given)."""
    out = [item for rule in DOCUMENT_RULES for item in rule(document, file)]
    if raw is not None:
        out += unmarked_cue_occurrences(document, raw, forms, pattern, file, zones)
    return out


def lint_layer(open_documents: Callable[[], Iterable[DocumentAnnotations]], text: Callable[[str], str | None],
               file: str | None = None,
               zones: Callable[[], Mapping[str, Sequence[tuple[int, int]]]] | None = None) -> Iterator[Finding]:
    """All lint findings of one layer. `open_documents()` is called twice (cue forms, then the
    rules), so it must restart the stream each time; `text(document_id)` gives the raw text;
    `zones()` (called only if the layer has cues) maps a document id to its annotated ranges."""
    forms = collect_cue_forms(open_documents())
    pattern = cue_pattern(forms)
    annotated = zones() if zones is not None and pattern is not None else {}
    for document in open_documents():
        raw = text(document.document_id) if pattern is not None else None
        yield from lint_document(document, raw, forms, pattern, file, annotated.get(document.document_id))


def lint_layer_file(path: Path, text: Callable[[str], str | None], file: str | None = None,
                    zones: Callable[[], Mapping[str, Sequence[tuple[int, int]]]] | None = None) -> list[Finding]:
    """Lint one layer file that validation found free of errors (streamed, read twice).

    The cyclic garbage collector is paused meanwhile: decoding allocates many small objects and
    none of them form cycles, so its scans are pure cost (refcounting still frees everything)."""
    from ..jsonl import gc_paused
    from ..layers import iter_documents
    with gc_paused():
        return list(lint_layer(lambda: iter_documents(Path(path)), text, file if file is not None else str(path),
                               zones))


def annotated_zones(structure_file: Path) -> dict[str, tuple[tuple[int, int], ...]]:
    """document id -> [start, end) of its annotated zones, read leniently from structure.jsonl
    (a bad line or record is the corpus checks' business: that document is simply not filtered)."""
    from .reading import iter_lines
    out: dict[str, tuple[tuple[int, int], ...]] = {}
    if not structure_file.is_file():
        return out
    for _, record in iter_lines(structure_file, str(structure_file)):
        if not isinstance(record, dict) or not isinstance(record.get("document_id"), str) \
                or not isinstance(record.get("zones"), list):
            continue
        ranges = tuple((z["start"], z["end"]) for z in record["zones"]
                       if isinstance(z, dict) and z.get("type") in ANNOTATED_ZONES
                       and type(z.get("start")) is int and type(z.get("end")) is int)
        out.setdefault(record["document_id"], ranges)
    return out


def _shown(text: str) -> str:
    """Input text quoted for a one-line message, control and format characters escaped."""
    return "'" + "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text) + "'"


def _by_target(stances: Iterable[Stance]) -> dict[str, str]:
    """target -> polarity, the first entry winning when a target repeats (rule 5 reports repeats)."""
    out: dict[str, str] = {}
    for stance in stances:
        out.setdefault(stance.target, stance.polarity)
    return out


def _repeated(stances: Iterable[Stance]) -> list[tuple[str, int]]:
    counts = Counter(s.target for s in stances)
    return [(target, n) for target, n in counts.items() if n > 1]


def _stances(stances: Iterable[Stance]) -> str:
    return ", ".join(f"{s.target} {s.polarity}" for s in stances)


__all__ = ["MarkedCue", "collect_cue_forms", "cue_form", "cue_pattern", "lint_document", "lint_layer",
           "lint_layer_file", "layer_files", "lint_files", "annotated_zones", "ANNOTATED_ZONES", "unmarked_cue_occurrences", "reported_claims_with_author_stance",
           "attributions_without_claim", "document_stance_contradictions", "repeated_stance_targets"]


# -- which layer files a `cash validate [PATH…] --lint` run covers (same resolution as validate_paths)

def layer_files(paths: Iterable[Path], root: Path | None) -> list[tuple[Path, Path]]:
    """(layer file, corpus root it belongs to) for each PATH; with no PATH, every layer of `root`.

    Call after `validate_paths`/`validate_root`, which already refused paths they cannot place.
    """
    from . import is_corpus_root
    out: list[tuple[Path, Path]] = []
    paths = [Path(p) for p in paths]
    if not paths and root is not None:
        paths = [Path(root)]
    for path in paths:
        if path.is_dir() and is_corpus_root(path):
            out += [(layer, path) for layer in sorted((path / "annotations").glob("*.jsonl"))]
        elif path.is_dir():
            owner = path.parent if is_corpus_root(path.parent) else root
            out += [(layer, owner) for layer in sorted(path.glob("*.jsonl"))]
        else:
            owner = path.resolve().parents[1]
            if not (path.parent.name == "annotations" and is_corpus_root(owner)):
                owner = root
            out.append((path, owner))
    return [(layer, owner) for layer, owner in out if owner is not None]


def lint_files(files: Iterable[tuple[Path, Path]],
               files_with_errors: set[str]) -> tuple[list[Finding], list[tuple[str, str]]]:
    """Lint each layer file whose validation found no error; returns (findings, skipped files with why).

    Files are named as validation names them (relative to their corpus root), so the caller can
    pass the `file` of every error finding as `files_with_errors`. A file the typed reader cannot
    read although validation passed it (e.g. a bare carriage return between JSON tokens, which
    the line reader of `layers` takes for a line break) is skipped, never a crash.
    """
    from ..corpus import Corpus
    from ..errors import CashError
    from . import _display
    from .index import CorpusIndex
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for path, owner in files:
        name = _display(owner)(path)
        if name in files_with_errors:
            skipped.append((name, "it has errors"))
            continue
        corpus = Corpus.at(owner)
        try:
            findings += lint_layer_file(path, CorpusIndex(corpus).text, name,
                                        lambda: annotated_zones(corpus.paths.structure))
        except CashError as exc:
            skipped.append((name, f"the typed reader refused it: {exc}"))
    return findings, skipped
