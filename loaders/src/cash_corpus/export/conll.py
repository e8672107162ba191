"""CoNLL: one token per line with its BIO columns; `-DOCSTART-` and blank lines between sentences.

File `<layer>.conll`, UTF-8, tab-separated (tokens never hold whitespace)::

    -DOCSTART-<TAB><document id>
    <blank>
    token<TAB>claim<TAB>cue<TAB>attribution<TAB>claim_inner<TAB>attribution_inner
    …
    <blank>                      (after every sentence)

The first three tag columns are the outer BIO columns of `cash_corpus.bio` (the usual three-task
CoNLL layout); the last two hold the inner spans under the nesting policy. Tags and tokens are
those of the `tokens` config, so CoNLL and `load_dataset(…, "tokens")` agree. What CoNLL cannot
hold: offsets into the raw text (whitespace is lost), labels other than the span label (claim
certainty, polarity, stance, holder; cue type; attribution types), relations and notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..bio import sentence_rows, tag_names
from ..errors import CashError, Location
from ..jsonl import atomic_writer

DOCSTART = "-DOCSTART-"
COLUMNS = ("claim_tags", "cue_tags", "attribution_tags", "claim_tags_inner", "attribution_tags_inner")


@dataclass
class ConllSentence:
    tokens: list[str] = field(default_factory=list)
    tags: dict[str, list[str]] = field(default_factory=lambda: {c: [] for c in COLUMNS})


@dataclass
class ConllDocument:
    document_id: str
    sentences: list[ConllSentence] = field(default_factory=list)


def write(root: Path, layer: str, out_dir: Path) -> list[Path]:
    from . import layer_documents
    target = out_dir / f"{Path(layer).stem}.conll"
    with atomic_writer(target) as handle:
        for doc in layer_documents(root, layer):
            handle.write(f"{DOCSTART}\t{doc.document_id}\n\n")
            for row in sentence_rows(doc.text, doc.structure, doc.annotations):
                for k, token in enumerate(row["tokens"]):
                    handle.write("\t".join([token, *(row[c][k] for c in COLUMNS)]) + "\n")
                handle.write("\n")
    return [target]


def read(path: Path) -> list[ConllDocument]:
    """Documents, sentences, tokens and tag columns of a CASH CoNLL file; a line that breaks the
    grammar is refused with its line number."""
    allowed = {c: set(tag_names(c.split("_tags")[0])) for c in COLUMNS}
    documents: list[ConllDocument] = []
    sentence: ConllSentence | None = None
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            where = Location(file=str(path), line=number)
            if line.startswith(DOCSTART):
                parts = line.split("\t")
                if len(parts) != 2 or not parts[1]:
                    raise CashError("expected '-DOCSTART-<TAB>document id'", where)
                documents.append(ConllDocument(parts[1]))
                sentence = None
                continue
            if not line:
                sentence = None
                continue
            if not documents:
                raise CashError("a token line before the first -DOCSTART-", where)
            parts = line.split("\t")
            if len(parts) != 1 + len(COLUMNS) or not parts[0] or re.search(r"\s", parts[0]):
                raise CashError(f"expected a token and {len(COLUMNS)} tags separated by tabs", where)
            if sentence is None:
                sentence = ConllSentence()
                documents[-1].sentences.append(sentence)
            sentence.tokens.append(parts[0])
            for column, tag in zip(COLUMNS, parts[1:]):
                if tag not in allowed[column]:
                    raise CashError(f"tag {tag!r} is not a {column} tag", where)
                sentence.tags[column].append(tag)
    return documents
