"""Importing Label Studio exports: lossless, refuses bad exports with located messages, writes nothing then."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.labelstudio.export_reader import iter_export_tasks
from cash_corpus.labelstudio.importer import MAX_REPORTED, MERGE, default_guideline_version, import_export
from cash_corpus.labelstudio.offsets import Counting
from cash_corpus.labelstudio.tasks import region_id

from labelstudio_helpers import (export_task, expected_records, gold_document, imported_records, layer_records,
                                 make_corpus, write_export, write_gold)

REPO = Path(__file__).resolve().parents[1]


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
    with pytest.raises(CashError, match=r"document d1 in layer 'm': task 5 annotation 2 by user4 .*; task 5 "
                                        r"annotation 1 by user3"):
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
    text = json.dumps([_task(corpus)]).replace('"was_cancelled": false', '"was_cancelled": nope')
    message = _refused(corpus, tmp_path, text, r"malformed JSON in task #0")
    assert "bad.json" in message


def test_a_truncated_file_is_said_to_end_early(corpus, tmp_path):
    text = json.dumps([_task(corpus), _task(corpus)])
    _refused(corpus, tmp_path, text[:-40], r"the export ends in the middle of task #1: the file is truncated")
    _refused(corpus, tmp_path, text[:-1], r"ends after task #1 without the closing '\]': the file is truncated")


def test_an_empty_file_is_said_to_be_empty(corpus, tmp_path):
    _refused(corpus, tmp_path, "", r"the export is empty")


def test_an_export_with_a_byte_order_mark_imports(corpus, tmp_path):
    gold = gold_document(corpus)
    export = tmp_path / "bom.json"
    export.write_bytes(b"\xef\xbb\xbf" + json.dumps([export_task(corpus, 5, gold, [(1, 3)])]).encode())
    assert import_export(corpus, export, "ls").written == ["ls-user3"]


def test_forcing_utf16_on_a_code_point_export_says_code_points_match(corpus, tmp_path):
    export = write_export(tmp_path / "e.json", [_task(corpus)])
    with pytest.raises(CashError) as info:
        import_export(corpus, export, "x", offsets=Counting.UTF16)
    message = str(info.value)
    assert "as UTF-16 units (--offsets utf16) the raw text there is" in message
    assert "counted as code points it matches: this export counts code points, drop --offsets utf16" in message


def test_split_mode_hint_does_not_suggest_split(corpus, tmp_path):
    gold = gold_document(corpus)
    one, two = export_task(corpus, 5, gold, [(1, 3)]), export_task(corpus, 6, gold, [(2, 3)])
    message = _refused(corpus, tmp_path, [one, two], r"document d1 in layer 'bad-user3'")
    assert "--annotators split" not in message and "more than once (in several tasks)" in message


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
    message = _refused(corpus, tmp_path, [task], r"1 stale task\(s\), made from an older text of their document: "
                                                 r"task 5 \(document d1\)")
    assert "is not the corpus text" in message and "--skip-stale" in message


def test_a_later_bad_task_stops_everything(corpus, tmp_path):
    good = _task(corpus)
    bad = _task(corpus)
    bad["id"] = 6
    _result(bad, "c3", "choices")["value"]["choices"] = ["sure"]
    _refused(corpus, tmp_path, [good, bad], rf"task 6, annotation 11, region {_rid('c3')}: unknown label 'sure'")


# Issue 18: changed texts, drafts, annotators, empty submissions, meta text, every error at once.

def _changed(task, new_id):
    stale = copy.deepcopy(task)
    stale["id"] = new_id
    stale["data"]["text"] = stale["data"]["text"].replace("Bob", "Rob")
    stale["data"]["text_sha256"] = hashlib.sha256(stale["data"]["text"].encode()).hexdigest()
    return stale


def test_stale_tasks_are_all_named_and_skipped_only_when_asked(corpus, tmp_path):
    gold = gold_document(corpus)
    good = export_task(corpus, 5, gold, [(1, 3)])
    export = write_export(tmp_path / "e.json", [_changed(good, 7), good, _changed(good, 9)])
    message = _refused(corpus, tmp_path, json.loads(export.read_text()), r"2 stale task\(s\)")
    assert "task 7 (document d1)" in message and "task 9 (document d1)" in message
    stats = import_export(corpus, export, "ls", skip_stale=True)
    assert [str(s) for s in stats.stale] == ["task 7 (document d1)", "task 9 (document d1)"]
    assert stats.written == ["ls-user3"]


def _with_draft(corpus, draft_time: str, draft_result=None):
    gold = gold_document(corpus)
    task = export_task(corpus, 5, gold, [(1, 3)])
    claim_only = [r for r in task["annotations"][0]["result"] if r.get("from_name") == "document_note"]
    task["drafts"] = [{"id": 40, "user": "cash-tests@example.org", "created_username": "cash-tests@example.org, 3",
                       "created_at": draft_time, "updated_at": draft_time, "lead_time": 3.0,
                       "result": claim_only if draft_result is None else draft_result}]
    return task


def test_a_newer_draft_never_replaces_a_submitted_annotation_and_what_is_dropped_is_listed(corpus, tmp_path):
    task = _with_draft(corpus, "2026-12-31T00:00:00Z")  # the draft is newer than the submitted annotation
    task["drafts"][0]["user"] = 3  # the same person
    export = write_export(tmp_path / "e.json", [task])
    stats = import_export(corpus, export, "m", annotators=MERGE, drafts=True, latest=True)
    rows = layer_records(corpus.paths.layer_path("m"))
    assert sum(r["record"] == "claim" for r in rows) == 3  # the complete submitted annotation, not the draft
    assert rows[0]["ls_annotation"]["kind"] == "annotation" and rows[0]["ls_annotation"]["annotation"] == 1
    assert stats.dropped == ["task 5 draft 40 by user3 (2026-12-31T00:00:00Z) (a draft never replaces a submitted "
                             "annotation)"]


def test_latest_lists_every_annotation_it_drops(corpus, tmp_path):
    gold = gold_document(corpus)
    export = write_export(tmp_path / "e.json", [export_task(corpus, 5, gold, [(1, 3), (2, 4), (4, 5)])])
    stats = import_export(corpus, export, "m", annotators=MERGE, latest=True)
    assert stats.dropped == ["task 5 annotation 2 by user4 (2026-11-20T10:00:00Z) (older than annotation 1, --latest)",
                             "task 5 annotation 4 by user5 (2026-11-20T10:00:00Z) (older than annotation 1, --latest)"]


def test_annotators_are_named_by_email_with_numeric_ids_only_as_a_said_fallback(corpus, tmp_path):
    gold = gold_document(corpus)
    task = export_task(corpus, 5, gold, [(1, 3), (2, 4)])
    task["annotations"][0]["completed_by"] = {"id": 3, "email": "Ann@Example.org"}
    export = write_export(tmp_path / "e.json", [task])
    stats = import_export(corpus, export, "ls")
    assert stats.written == ["ls-ann-example-org", "ls-user4"]
    header = json.loads(corpus.paths.layer_path("ls-user4").read_text().splitlines()[0])
    assert "user4 are Label Studio numeric user ids" in header["provenance"]["notes"]
    header = json.loads(corpus.paths.layer_path("ls-ann-example-org").read_text().splitlines()[0])
    assert "numeric" not in header["provenance"]["notes"]
    # on pull, ids are looked up through the API: a submitted annotation and a draft of one person meet
    stats = import_export(corpus, export, "pulled", emails={4: "bob@example.org"})
    assert stats.written == ["pulled-ann-example-org", "pulled-bob-example-org"]


def test_provenance_keeps_annotation_ids_lead_time_and_the_guideline_version(corpus, tmp_path):
    gold = gold_document(corpus)
    export = write_export(tmp_path / "e.json", [export_task(corpus, 5, gold, [(1, 3)])])
    import_export(corpus, export, "ls")
    rows = layer_records(corpus.paths.layer_path("ls-user3"))
    assert rows[0]["ls_annotation"] == {"task": 5, "annotation": 1, "kind": "annotation", "annotator": "user3",
                                        "annotator_is_id": True, "updated_at": "2026-11-21T10:00:00Z",
                                        "lead_time": 12.5}
    header = json.loads(corpus.paths.layer_path("ls-user3").read_text().splitlines()[0])
    guidelines = (REPO / "schema" / "GUIDELINES.md").read_text(encoding="utf-8")
    stated = re.search(r"Guideline version \*\*(\S+)\*\*", guidelines).group(1)
    assert header["provenance"]["guideline_version"] == stated == default_guideline_version(corpus.paths.root)


def test_an_empty_submission_is_refused_unless_allowed(corpus, tmp_path):
    gold = gold_document(corpus)
    task = export_task(corpus, 5, gold, [(1, 3), (2, 4)])
    task["annotations"][1]["result"] = []
    export = write_export(tmp_path / "e.json", [task])
    _refused(corpus, tmp_path, [task], r"task 5, annotation 2: empty annotation: submitted with no regions")
    stats = import_export(corpus, export, "ls", allow_empty=True)
    assert stats.empty == ["task 5 annotation 2 by user4"]
    assert layer_records(corpus.paths.layer_path("ls-user4"))[1:] == []


def test_region_meta_text_is_kept_in_the_note(corpus, tmp_path):
    gold = gold_document(corpus)
    task = export_task(corpus, 5, gold, [(1, 3)])
    by_id = {(r["meta"]["cash_id"], r["meta"]["cash_part"]): r for r in task["annotations"][0]["result"]
             if r["type"] == "labels"}
    by_id[("q2", "span")]["meta"]["text"] = ["meta on a cue"]
    by_id[("c1", "span")]["meta"]["text"] = ["meta on a claim with a note"]
    by_id[("a1", "content")]["meta"]["text"] = ["meta on content"]
    import_export(corpus, write_export(tmp_path / "e.json", [task]), "ls")
    notes = {(r["record"], r["text"] if "text" in r else r["cue"]["text"]): r.get("note")
             for r in layer_records(corpus.paths.layer_path("ls-user3")) if r["record"] != "document"}
    assert notes[("cue", "clearly")] == "meta on a cue"
    assert notes[("claim", "prices will probably rise.")] == "hm\nmeta on a claim with a note"
    assert notes[("attribution", "said")] == "outer\ncontent: meta on content"


def test_every_error_of_an_export_is_reported_with_a_cap_and_a_count(corpus, tmp_path):
    tasks = []
    for n in range(MAX_REPORTED + 5):
        task = _task(corpus)
        task["id"] = 100 + n
        _result(task, "c2")["value"]["labels"] = ["opinion"]
        tasks.append(task)
    message = _refused(corpus, tmp_path, tasks, rf"{MAX_REPORTED + 5} problems in this export, nothing written "
                                                rf"\(the first {MAX_REPORTED} shown, 5 more\)")
    assert message.count("unknown label 'opinion'") == MAX_REPORTED
    assert f"task 100, annotation 11, region {_rid('c2')}" in message and "doc=d1" in message


def test_cli_lists_stale_dropped_and_empty(corpus, tmp_path, capsys):
    gold = gold_document(corpus)
    good = export_task(corpus, 5, gold, [(1, 3), (2, 4)])
    good["annotations"][1]["result"] = []
    export = write_export(tmp_path / "e.json", [_changed(good, 7), good])
    root = str(corpus.paths.root)
    assert main(["--root", root, "ls", "import", str(export), "--layer", "m", "--annotators", "merge"]) == 1
    err = capsys.readouterr().err
    assert "2 problems in this export, nothing written" in err and "task 7 (document d1)" in err
    assert "task 5, annotation 2: empty annotation" in err
    assert main(["--root", root, "ls", "import", str(export), "--layer", "m", "--annotators", "merge",
                 "--skip-stale", "--allow-empty", "--latest"]) == 0
    out = capsys.readouterr().out
    assert "stale tasks skipped (--skip-stale): 1\n  task 7 (document d1)" in out
    assert "annotations left out: 1\n  task 5 annotation 2 by user4" in out
    assert "empty submissions imported: 1\n  task 5 annotation 2 by user4" in out
