"""Importing Label Studio exports: lossless, refuses bad exports with located messages, writes nothing then."""

from __future__ import annotations

import copy
import json

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.labelstudio.export_reader import iter_export_tasks
from cash_corpus.labelstudio.importer import MERGE, import_export
from cash_corpus.labelstudio.offsets import Counting
from cash_corpus.labelstudio.tasks import region_id

from labelstudio_helpers import export_task, gold_document, imported_records, expected_records, make_corpus, write_export, write_gold


@pytest.fixture()
def corpus(tmp_path):
    return make_corpus(tmp_path / "root")


def _files(corpus):
    return sorted(p.name for p in corpus.paths.annotations_dir.iterdir())


def test_single_annotation_round_trips_exactly(corpus, tmp_path):
    gold = gold_document(corpus)
    gold_path = write_gold(corpus, [gold])
    export = write_export(tmp_path / "e.json", [export_task(corpus, 5, gold, [(1, 3)])])
    stats = import_export(corpus, export, "ls")
    assert stats.written == ["ls-user3"]
    assert imported_records(corpus.paths.layer_path("ls-user3")) == expected_records(gold_path)


def test_utf16_offsets_of_an_old_front_end_are_converted(corpus, tmp_path):
    gold = gold_document(corpus)
    gold_path = write_gold(corpus, [gold])
    task = export_task(corpus, 5, gold, [(1, 3)], Counting.UTF16)
    assert task["annotations"][0]["result"][0]["value"]["start"] != gold.attributions[0].cue.start
    stats = import_export(corpus, write_export(tmp_path / "e.json", [task]), "ls")
    assert stats.utf16_regions > 0
    assert imported_records(corpus.paths.layer_path("ls-user3")) == expected_records(gold_path)


def test_annotators_split_cancelled_drafts_and_unannotated(corpus, tmp_path):
    gold = gold_document(corpus)
    task = export_task(corpus, 5, gold, [(1, 3), (2, 4), (3, 5)])
    task["annotations"][2]["was_cancelled"] = True
    draft = dict(task["annotations"][0], id=9, user="eve@example.org")
    task["drafts"] = [draft]
    bare = dict(copy.deepcopy(task), id=6, annotations=[], drafts=[],
                predictions=[{"model_version": "m", "result": task["annotations"][0]["result"]}])
    export = write_export(tmp_path / "e.json", [task, bare])
    stats = import_export(corpus, export, "ls")
    assert (stats.annotations, stats.cancelled, stats.unannotated, stats.drafts) == (2, 1, 1, 0)
    assert stats.written == ["ls-user3", "ls-user4"]
    stats = import_export(corpus, export, "dr", drafts=True)
    assert "dr-eve-example-org" in stats.written


def test_merge_refuses_two_annotations_of_one_document_unless_latest(corpus, tmp_path):
    gold = gold_document(corpus)
    export = write_export(tmp_path / "e.json", [export_task(corpus, 5, gold, [(1, 3), (2, 4)])])
    with pytest.raises(CashError, match=r"task 5: annotations 1 and 2 both annotate"):
        import_export(corpus, export, "m", annotators=MERGE)
    assert _files(corpus) == []
    stats = import_export(corpus, export, "m", annotators=MERGE, latest=True)
    assert stats.written == ["m"]
    header = json.loads(corpus.paths.layer_path("m").read_text().splitlines()[0])
    assert header["provenance"]["date"] == "2026-11-21"  # annotation 1 is the later one


def test_reimport_is_a_no_op_and_a_change_needs_overwrite(corpus, tmp_path):
    gold = gold_document(corpus)
    export = write_export(tmp_path / "e.json", [export_task(corpus, 5, gold, [(1, 3)])])
    import_export(corpus, export, "ls")
    path = corpus.paths.layer_path("ls-user3")
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert import_export(corpus, export, "ls").unchanged == ["ls-user3"]
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    changed = json.loads(export.read_text())
    changed[0]["annotations"][0]["result"] = [r for r in changed[0]["annotations"][0]["result"]
                                              if r.get("from_name") != "document_note"]
    write_export(export, changed)
    with pytest.raises(CashError, match="would change existing layer"):
        import_export(corpus, export, "ls")
    assert path.read_bytes() == before[1]
    assert import_export(corpus, export, "ls", overwrite=True).written == ["ls-user3"]
    assert "document note" not in path.read_text()


def test_reader_streams_in_small_chunks(tmp_path, corpus):
    gold = gold_document(corpus)
    tasks = [export_task(corpus, n, gold, [(1, 3)]) for n in range(5)]
    export = write_export(tmp_path / "e.json", tasks)
    assert [t for _, t in iter_export_tasks(export, chunk_size=7)] == tasks


def test_cli_import_reports_and_exit_codes(corpus, tmp_path, capsys):
    gold = gold_document(corpus)
    export = write_export(tmp_path / "e.json", [export_task(corpus, 5, gold, [(1, 3)])])
    root = str(corpus.paths.root)
    assert main(["--root", root, "ls", "import", str(export), "--layer", "ls"]) == 0
    assert "wrote annotations/ls-user3.jsonl" in capsys.readouterr().out
    bad = write_export(tmp_path / "bad.json", [dict(export_task(corpus, 5, gold, [(1, 3)]), data={})])
    assert main(["--root", root, "ls", "import", str(bad), "--layer", "other"]) == 1
    assert "task 5" in capsys.readouterr().err


# One test per malformed export: each names task, annotation and region, and nothing is written.

def _refused(corpus, tmp_path, tasks_or_text, pattern):
    export = tmp_path / "bad.json"
    if isinstance(tasks_or_text, str):
        export.write_text(tasks_or_text, encoding="utf-8")
    else:
        write_export(export, tasks_or_text)
    with pytest.raises(CashError, match=pattern) as info:
        import_export(corpus, export, "bad")
    assert _files(corpus) == [], "nothing may be written"
    return str(info.value)


def _task(corpus):
    return export_task(corpus, 5, gold_document(corpus), [(11, 3)])


def _rid(record_id, part="span"):
    """The region id `cash ls tasks` gives a record's part (an editor-style id, never the CASH id)."""
    return region_id("d1", record_id, part)


def _result(task, record_id, kind="labels"):
    rid = _rid(record_id, "cue" if record_id.startswith("a") else "span")
    return next(r for r in task["annotations"][0]["result"] if r.get("id") == rid and r["type"] == kind)


def test_bad_json(corpus, tmp_path):
    text = json.dumps([_task(corpus)])[:-40]
    message = _refused(corpus, tmp_path, text, r"malformed JSON in task #0")
    assert "bad.json" in message


def test_unknown_label(corpus, tmp_path):
    task = _task(corpus)
    _result(task, "c2")["value"]["labels"] = ["opinion"]
    _refused(corpus, tmp_path, [task], rf"task 5, annotation 11, region {_rid('c2')}: unknown label 'opinion'")


def test_unknown_from_name(corpus, tmp_path):
    task = _task(corpus)
    _result(task, "c1", "choices")["from_name"] = "claim_flavour"
    _refused(corpus, tmp_path, [task], rf"task 5, annotation 11, region {_rid('c1')}: unknown from_name 'claim_flavour'")


def test_region_text_mismatch(corpus, tmp_path):
    task = _task(corpus)
    _result(task, "q1")["value"]["text"] = "may"
    message = _refused(corpus, tmp_path, [task], rf"task 5, annotation 11, region {_rid('q1')}: region text 'may' does not match")
    assert "doc=d1" in message


def test_offsets_past_the_end(corpus, tmp_path):
    task = _task(corpus)
    value = _result(task, "q2")["value"]
    value["start"], value["end"] = 500, 507
    _refused(corpus, tmp_path, [task], rf"task 5, annotation 11, region {_rid('q2')}: offsets \[500, 507\) run past the end")


def test_dangling_relation(corpus, tmp_path):
    task = _task(corpus)
    relation = next(r for r in task["annotations"][0]["result"]
                    if r["type"] == "relation" and r["from_id"] == _rid("q2"))
    relation["to_id"] = "c9"
    _refused(corpus, tmp_path, [task], rf"task 5, annotation 11, region c9: dangling relation {_rid('q2')} -> c9")


def test_unknown_document(corpus, tmp_path):
    task = _task(corpus)
    task["data"]["document_id"] = "not-here"
    _refused(corpus, tmp_path, [task], r"task 5: unknown document 'not-here'")


def test_changed_text_sha_mismatch(corpus, tmp_path):
    task = _task(corpus)
    task["data"]["text"] = task["data"]["text"].replace("Bob", "Rob")
    message = _refused(corpus, tmp_path, [task], r"task 5: task text .* is not the corpus text")
    assert "doc=d1" in message


def test_a_later_bad_task_stops_everything(corpus, tmp_path):
    good = _task(corpus)
    bad = _task(corpus)
    bad["id"] = 6
    _result(bad, "c3", "choices")["value"]["choices"] = ["sure"]
    _refused(corpus, tmp_path, [good, bad], rf"task 6, annotation 11, region {_rid('c3')}: unknown label 'sure'")
