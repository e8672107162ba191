"""spaCy `DocBin`: one `Doc` per document, a span group per layer, the records in `user_data`.

File `<layer>.spacy`, loadable with `spacy.tokens.DocBin().from_disk(path)` and a blank English
vocabulary. Each `Doc` has exactly the raw text (`doc.text == raw text`; whitespace that is not a
single space after a token becomes a whitespace token, as spaCy's own tokenizer does) and the
corpus tokens. Span groups (overlapping spans allowed, as spaCy's span categorizer expects):

- `claims` (label = claim type), `cues` (label = cue kind), `attributions` (label = role:
  source, cue, content);
- `sc`: all of them together, the default `spans_key` of `spacy train` with a `spancat`.

Attributes that are not span labels (certainty, polarity, stance, holder, cue type, attribution
types, references, notes, ids) are kept as the CASH records in `doc.user_data["cash"]`, so the
reader returns the layer's `DocumentAnnotations` exactly (document stance included).
"""

from __future__ import annotations

from pathlib import Path

from ..bio import attribution_roles
from ..errors import CashError, Location
from ..layers import document_from_records
from ..records import DocumentAnnotations, Structure

GROUPS = ("claims", "cues", "attributions")
ALL_SPANS = "sc"
USER_DATA_KEY = "cash"


def words_and_spaces(text: str, tokens) -> tuple[list[str], list[bool]]:
    """spaCy `Doc(words, spaces)` arguments that rebuild `text` exactly from the corpus tokens."""
    words, spaces = [], []
    cursor = 0
    for start, end in list(tokens) + [(len(text), len(text))]:
        gap = text[cursor:start]
        if gap:
            if words and not spaces[-1] and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        if start < end:
            words.append(text[start:end])
            spaces.append(False)
        cursor = end
    return words, spaces


def make_doc(vocab, text: str, structure: Structure, annotations: DocumentAnnotations):
    from spacy.tokens import Doc
    words, spaces = words_and_spaces(text, structure.tokens)
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise CashError("the spaCy Doc does not reproduce the raw text", Location(document_id=annotations.document_id))

    def span(start: int, end: int, label: str):
        made = doc.char_span(start, end, label=label, alignment_mode="expand")
        if made is None:
            raise CashError("span cannot be aligned to tokens", Location(document_id=annotations.document_id,
                                                                         start=start, end=end))
        return made

    groups = {
        "claims": [span(c.span.start, c.span.end, c.claim_type) for c in annotations.claims],
        "cues": [span(q.span.start, q.span.end, q.kind) for q in annotations.cues],
        "attributions": [span(s.start, s.end, role) for a in annotations.attributions
                         for role in attribution_roles() if (s := getattr(a, role)) is not None],
    }
    for name, spans in groups.items():
        doc.spans[name] = sorted(spans, key=lambda x: (x.start_char, -x.end_char))
    doc.spans[ALL_SPANS] = [s for name in GROUPS for s in doc.spans[name]]
    doc.user_data[USER_DATA_KEY] = {"document_id": annotations.document_id, "records": annotations.records()}
    return doc


def write(root: Path, layer: str, out_dir: Path) -> list[Path]:
    import spacy
    from spacy.tokens import DocBin

    from ..jsonl import atomic_writer
    from . import layer_documents
    vocab = spacy.blank("en").vocab
    docbin = DocBin(store_user_data=True)
    for doc in layer_documents(root, layer):
        docbin.add(make_doc(vocab, doc.text, doc.structure, doc.annotations))
    target = out_dir / f"{Path(layer).stem}.spacy"
    with atomic_writer(target, "wb") as handle:
        handle.write(docbin.to_bytes())
    return [target]


def read(path: Path) -> list[DocumentAnnotations]:
    """The layer's documents back from a CASH DocBin (records from user_data, checked against the span groups)."""
    import spacy
    from spacy.tokens import DocBin
    vocab = spacy.blank("en").vocab
    out = []
    for doc in DocBin().from_disk(path).get_docs(vocab):
        data = doc.user_data.get(USER_DATA_KEY)
        if not isinstance(data, dict) or "records" not in data:
            raise CashError("a Doc without CASH records in user_data", Location(file=str(path)))
        annotations = document_from_records(data["records"], str(path))
        claims = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["claims"])
        if claims != sorted((c.span.start, c.span.end, c.claim_type) for c in annotations.claims):
            raise CashError("the claims span group differs from the records", Location(file=str(path),
                                                                                    document_id=annotations.document_id))
        out.append(annotations)
    return out
