"""Property: gold -> Label Studio results (as an export has them) -> import == gold, record for record.

Generated documents mix characters outside the Basic Multilingual Plane, overlapping spans,
nested attributions, notes, stances, both offset countings, and two annotators.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cash_corpus.errors import CashError

from cash_corpus.corpus import Corpus
from cash_corpus.labelstudio.importer import import_export
from cash_corpus.labelstudio.offsets import Counting
from cash_corpus.records import Attribution, Claim, Cue, DocumentAnnotations, Holder, Span, Stance
from cash_corpus.schema import label_names

from labelstudio_helpers import (export_task, expected_records, imported_records, layer_records, make_corpus,
                                 write_export, write_gold)

ALPHABET = st.sampled_from(list("abc xyz.,") + ["😀", "𝐀", "𝒮", "é", "—", "🙂"])
NOTES = st.one_of(st.none(), st.text(ALPHABET, max_size=8))


def _span(draw, text: str) -> Span:
    """A span that is not all whitespace (a span must have visible text to be meaningful)."""
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return Span(start, end, text[start:end])


@st.composite
def documents(draw, doc_id: str, text: str) -> DocumentAnnotations:
    n_att = draw(st.integers(0, 3))
    attributions = []
    for i in range(n_att):
        parent = draw(st.sampled_from([None] + [a.id for a in attributions]))
        attributions.append(Attribution(
            f"a{i}", doc_id, _span(draw, text) if draw(st.booleans()) else None,
            _span(draw, text), _span(draw, text), draw(st.sampled_from(label_names("source_type"))),
            draw(st.sampled_from(label_names("attribution_form"))), draw(st.sampled_from(label_names("parc_type"))),
            parent, draw(NOTES)))
    claims = []
    for i in range(draw(st.integers(0, 4))):
        holder_id = draw(st.sampled_from([None] + [a.id for a in attributions]))
        targets = draw(st.lists(st.sampled_from(label_names("stance_target")), unique=True, max_size=3))
        claims.append(Claim(
            f"c{i}", doc_id, _span(draw, text), draw(st.sampled_from(label_names("claim_type"))),
            draw(st.sampled_from(label_names("certainty"))), draw(st.sampled_from(label_names("claim_polarity"))),
            Holder("attribution", holder_id) if holder_id else Holder("author"),
            tuple(Stance(t, draw(st.sampled_from(label_names("stance_polarity")))) for t in targets), draw(NOTES)))
    cues = []
    if claims:
        for i in range(draw(st.integers(0, 3))):
            linked = draw(st.lists(st.sampled_from([c.id for c in claims]), min_size=1, unique=True))
            cues.append(Cue(f"q{i}", doc_id, _span(draw, text), draw(st.sampled_from(label_names("cue_kind"))),
                            draw(st.sampled_from(label_names("cue_type"))), tuple(linked), draw(NOTES)))
    targets = draw(st.lists(st.sampled_from(label_names("stance_target")), unique=True, max_size=2))
    stance = tuple(Stance(t, draw(st.sampled_from(label_names("document_stance_polarity")))) for t in targets)
    return DocumentAnnotations(doc_id, hashlib.sha256(text.encode()).hexdigest(), stance, tuple(claims),
                               tuple(cues), tuple(attributions), draw(NOTES))


@st.composite
def cases(draw):
    texts = draw(st.lists(st.text(ALPHABET, min_size=3, max_size=40).filter(lambda t: t.strip()),
                          min_size=2, max_size=2, unique=True))
    return texts, draw(st.sampled_from(list(Counting)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_gold_to_label_studio_and_back_is_exact(case, data):
    texts, counting = case
    with tempfile.TemporaryDirectory() as folder:
        corpus: Corpus = make_corpus(Path(folder) / "root", {"d1": texts[0], "d2": texts[1]})
        # Two annotators: user 1 annotates both documents, user 2 only d2, differently.
        one = [data.draw(documents("d1", texts[0])), data.draw(documents("d2", texts[1]))]
        two = [data.draw(documents("d2", texts[1]))]
        gold_one, gold_two = write_gold(corpus, one, "gold-one"), write_gold(corpus, two, "gold-two")
        tasks = [export_task(corpus, 1, one[0], [(10, 1)], counting)]
        task2 = export_task(corpus, 2, one[1], [(20, 1)], counting)
        task2["annotations"] += export_task(corpus, 2, two[0], [(21, 2)], counting)["annotations"]
        export = write_export(Path(folder) / "export.json", tasks + [task2])
        # Repetitive text can make a UTF-16 region also match as code points (truly ambiguous), so the
        # property states the counting; auto-detection is tested in test_labelstudio_import.py.
        stats = import_export(corpus, export, "ls", offsets=counting, allow_empty=True)
        assert stats.written == ["ls-user1", "ls-user2"]
        assert imported_records(corpus.paths.layer_path("ls-user1")) == expected_records(gold_one)
        assert imported_records(corpus.paths.layer_path("ls-user2")) == expected_records(gold_two)


# Issue 18: exports as the real editor makes them.

EDITOR_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
EDITOR_IDS = st.builds(lambda head, tail: head + tail, st.sampled_from("_-" + EDITOR_ALPHABET),
                       st.text(st.sampled_from(EDITOR_ALPHABET), min_size=9, max_size=9))
META = st.one_of(st.none(), st.text(ALPHABET, min_size=1, max_size=6).filter(str.strip))


def _as_editor_made(results: list[dict], data) -> tuple[list[dict], list[str]]:
    """The editor's own region ids (many starting with '_' or '-'), no CASH meta, and meta text on some regions."""
    regions = [r["id"] for r in results if r["type"] == "labels"]
    new_ids = dict(zip(regions, data.draw(st.lists(EDITOR_IDS, min_size=len(regions), max_size=len(regions),
                                                   unique=True)), strict=True))
    metas = {rid: data.draw(META) for rid in regions}
    out = []
    for result in results:
        result = dict(result)
        result.pop("meta", None)
        for key in ("id", "from_id", "to_id"):
            if result.get(key) in new_ids:
                result[key] = new_ids[result[key]]
        if result["type"] == "labels" and metas[next(k for k, v in new_ids.items() if v == result["id"])]:
            result["meta"] = {"text": [metas[next(k for k, v in new_ids.items() if v == result["id"])]]}
        out.append(result)
    return out, [m for m in metas.values() if m]


def _id_free(rows: list[dict]) -> list[str]:
    """Records with every id replaced by the spans it stands for, notes left out: equal iff the data are."""
    spans = {}
    for row in rows:
        if row["record"] in ("claim", "cue"):
            spans[row["document_id"], row["id"]] = (row["start"], row["end"])
        elif row["record"] == "attribution":
            spans[row["document_id"], row["id"]] = (row["cue"]["start"], row["cue"]["end"])
    out = []
    for row in rows:
        doc = row["document_id"]
        row = {k: v for k, v in row.items() if k not in ("id", "note", "ls_region_id", "ls_annotation")}
        if row["record"] == "claim" and row["holder"]["attribution_id"]:
            row["holder"] = {**row["holder"], "attribution_id": spans[doc, row["holder"]["attribution_id"]]}
        if row["record"] == "cue":
            row["claims"] = sorted(spans[doc, c] for c in row["claims"])
        if row["record"] == "attribution" and row["parent"]:
            row["parent"] = spans[doc, row["parent"]]
        out.append(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return sorted(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.data())
def test_editor_made_exports_import_losslessly_or_refuse_as_documented(case, data):
    """Editor-style ids, three annotators (by e-mail and by id), a newer draft, an updated annotation, an
    empty submission and region meta text: the import equals the layers, or refuses the empty one as documented."""
    texts, _ = case
    with tempfile.TemporaryDirectory() as folder:
        corpus: Corpus = make_corpus(Path(folder) / "root", {"d1": texts[0], "d2": texts[1]})
        one = [data.draw(documents("d1", texts[0])), data.draw(documents("d2", texts[1]))]
        two = [data.draw(documents("d2", texts[1]))]
        draft = data.draw(documents("d1", texts[0]))
        gold_one, gold_two = write_gold(corpus, one, "gold-one"), write_gold(corpus, two, "gold-two")
        tasks = [export_task(corpus, 1, one[0], [(10, 1)]), export_task(corpus, 2, one[1], [(20, 1)])]
        tasks[1]["annotations"] += export_task(corpus, 2, two[0], [(21, 2)])["annotations"]
        tasks[1]["annotations"] += [dict(tasks[1]["annotations"][0], id=22, completed_by=3, result=[])]
        metas = []
        for task in tasks:
            for annotation in task["annotations"]:
                annotation["result"], kept = _as_editor_made(annotation["result"], data)
                metas += kept
        tasks[0]["annotations"][0]["completed_by"] = {"id": 1, "email": "one@example.org"}
        tasks[0]["annotations"][0]["updated_at"] = "2026-12-24T08:00:00Z"  # updated after it was made
        draft_result, _ = _as_editor_made(export_task(corpus, 1, draft, [(30, 1)])["annotations"][0]["result"], data)
        tasks[0]["drafts"] = [{"id": 30, "user": "one@example.org", "created_at": "2026-12-31T00:00:00Z",
                               "updated_at": "2026-12-31T00:00:00Z", "lead_time": 1.0, "result": draft_result}]
        export = write_export(Path(folder) / "export.json", tasks)
        options = {"offsets": Counting.CODE_POINTS, "drafts": True, "emails": {1: "one@example.org"}}
        with pytest.raises(CashError, match=r"task 2, annotation 22: empty annotation: submitted with no regions"):
            import_export(corpus, export, "ls", **options)
        assert list(corpus.paths.annotations_dir.glob("ls-*")) == []
        stats = import_export(corpus, export, "ls", allow_empty=True, **options)
        assert stats.written == ["ls-one-example-org", "ls-user2", "ls-user3"]
        assert stats.dropped == ["task 1 draft 30 by one-example-org (2026-12-31T00:00:00Z) (a draft never replaces a "
                                 "submitted annotation)"]
        assert "task 2 annotation 22 by user3" in stats.empty  # (generated annotations may be empty too)
        mine = layer_records(corpus.paths.layer_path("ls-one-example-org"))
        assert _id_free(mine) == _id_free(layer_records(gold_one))
        assert _id_free(layer_records(corpus.paths.layer_path("ls-user2"))) == _id_free(layer_records(gold_two))
        empty = layer_records(corpus.paths.layer_path("ls-user3"))
        assert [r["record"] for r in empty] == ["document"] and empty[0]["document_stance"] == []
        notes = "\n".join(r.get("note") or "" for name in stats.written
                          for r in layer_records(corpus.paths.layer_path(name)))
        assert all(meta in notes for meta in metas)  # region meta text is never dropped
        header = json.loads(corpus.paths.layer_path("ls-one-example-org").read_text().splitlines()[0])
        assert header["provenance"]["date"] == "2026-12-24"
