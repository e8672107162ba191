"""Shared builders for the Label Studio tests: a tiny corpus with non-BMP text, a gold layer, exports."""

from __future__ import annotations

import json
from pathlib import Path

from cash_corpus.corpus import Corpus, add_document, init_corpus, sha256_bytes
from cash_corpus.layers import iter_documents, write_layer
from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance,
                                 Span, Stance)
from cash_corpus.schema import schema_version
from cash_corpus.labelstudio.ids import assign_ids
from cash_corpus.labelstudio.offsets import Counting
from cash_corpus.labelstudio.tasks import document_results, task_data

FIXTURES = Path(__file__).parent / "fixtures" / "labelstudio"


def make_corpus(root: Path, texts: dict[str, str] | None = None) -> Corpus:
    """A corpus at `root`; default one document `d1` from fixtures/labelstudio/doc.txt."""
    init_corpus(root, "T", "1.0.0", schema_version())
    if texts is None:
        add_document(root, FIXTURES / "doc.txt", title="Alice said", doc_id="d1")
    else:
        for doc_id, text in texts.items():
            source = root / f"{doc_id}.src"
            source.write_bytes(text.encode("utf-8"))
            add_document(root, source, title=doc_id, doc_id=doc_id)
            source.unlink()
    return Corpus.at(root)


def gold_document(corpus: Corpus) -> DocumentAnnotations:
    """Nested attributions, overlapping claims, a cue on two claims, notes, stances: every field used."""
    text = corpus.text("d1")

    def sp(fragment: str, nth: int = 0) -> Span:
        start = -1
        for _ in range(nth + 1):
            start = text.index(fragment, start + 1)
        return Span(start, start + len(fragment), fragment)

    a1 = Attribution("a1", "d1", sp("𝐀lice"), sp("said"), sp("that prices will probably rise."),
                     "person", "indirect", "assertion", None, "outer")
    a2 = Attribution("a2", "d1", None, sp("thinks"), sp("𝒮anctions might fail"), "unnamed", "indirect", "belief",
                     "a1", None)
    c1 = Claim("c1", "d1", sp("prices will probably rise."), "predictive", "probable", "positive",
               Holder("attribution", "a1"), (Stance("T_SANCTIONS", "against"), Stance("T_IRAN_REGIME", "favor")), "hm")
    c2 = Claim("c2", "d1", sp("𝒮anctions might fail"), "predictive", "possible", "positive",
               Holder("attribution", "a2"), (), None)
    c3 = Claim("c3", "d1", sp("𝒮anctions might fail, and 😀 they clearly will."), "predictive", "certain",
               "positive", Holder("author"), (Stance("T_SANCTIONS", "neutral"),), "")
    q1 = Cue("q1", "d1", sp("might"), "hedge", "modal", ("c2", "c3"), "two claims")
    q2 = Cue("q2", "d1", sp("clearly"), "booster", "adverb", ("c3",))
    return DocumentAnnotations("d1", sha256_bytes(corpus.raw_bytes("d1")),
                               (Stance("T_SANCTIONS", "against"), Stance("T_RUSSIA_WAR", "none")),
                               (c1, c2, c3), (q1, q2), (a1, a2), "document note")


def write_gold(corpus: Corpus, docs: list[DocumentAnnotations], name: str = "gold") -> Path:
    header = LayerHeader(name, schema_version(), Provenance("manual", "tests", "1.0.0", "2026-11-21"), corpus.version)
    path = corpus.paths.layer_path(name)
    write_layer(path, header, docs)
    return path


def export_task(corpus: Corpus, task_id: int, doc: DocumentAnnotations, annotations: list[tuple[int, int]],
                counting: Counting = Counting.CODE_POINTS) -> dict:
    """A task as Label Studio's JSON export has it: annotations (annotation id, user id) with results."""
    data = task_data(corpus, doc.document_id)
    return {"id": task_id, "data": data, "predictions": [], "drafts": [],
            "annotations": [{"id": ann_id, "completed_by": user, "was_cancelled": False, "ground_truth": False,
                             "created_at": "2026-11-20T09:00:00.000000Z", "updated_at": f"2026-11-2{ann_id % 2}T10:00:00Z",
                             "lead_time": 12.5, "result": document_results(doc, data["text"], counting)}
                            for ann_id, user in annotations]}


def write_export(path: Path, tasks: list[dict]) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def layer_records(path: Path) -> list[dict]:
    """Every record of a layer file except the header (notes included, unlike dataclass equality)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def imported_records(path: Path) -> list[dict]:
    """An imported layer's records without Label Studio provenance (region ids, annotation; checked elsewhere)."""
    rows = layer_records(path)
    for row in rows:
        row.pop("ls_region_id", None)
        row.pop("ls_annotation", None)
    return rows


def expected_records(gold_path: Path) -> list[dict]:
    """What importing a layer sent through Label Studio must give: the same records under CASH ids."""
    return [row for doc in iter_documents(gold_path) for row in assign_ids(doc).records()]
