"""The one write path: locked, staged, validated, journaled, renamed. Interrupted, concurrent and refused writes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.corpus import Corpus
from cash_corpus.errors import CashError
from cash_corpus.transaction import STATE_DIR, RefusedChange, corpus_transaction
from cash_corpus.validation import errors, validate_root
from hf_helpers import make_corpus

ALSO_TEXT = "Second 🛰️ text\nAnalysts said Iran may 𝔸ct.\r\nThe end.\n"


def tree(root: Path) -> dict[str, str]:
    """sha256 of every file under the root, the lock folder excepted (what a user would commit)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] == STATE_DIR or not path.is_file():
            continue
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def corpus_root(tmp_path: Path) -> Path:
    root = make_corpus(tmp_path / "c")
    assert main(["--root", str(root), "build"]) == 0
    return root


def zones_file(tmp_path: Path) -> Path:
    path = tmp_path / "zones.json"
    path.write_text('{"2": "caption"}', encoding="utf-8")
    return path


def commands(root: Path, tmp_path: Path) -> dict[str, list[str]]:
    source = tmp_path / "also.txt"
    source.write_bytes(ALSO_TEXT.encode("utf-8"))
    base = ["--root", str(root)]
    return {
        "add": base + ["add", str(source), "--title", "Second", "--id", "also"],
        "zones": base + ["zones", "sanctions-work", "--zones", str(zones_file(tmp_path))],
        "build": base + ["build", "--shard-size", "1"],
        "manifest": base + ["manifest"],
    }


class Interrupt:
    """Wraps os.replace: raises KeyboardInterrupt on the Nth call (a Ctrl-C between two renames)."""

    def __init__(self, monkeypatch, n: int):
        self.calls, self.n, self.real = 0, n, os.replace
        monkeypatch.setattr(os, "replace", self)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.n:
            raise KeyboardInterrupt
        return self.real(*args, **kwargs)


def count_replaces(monkeypatch, argv: list[str]) -> int:
    counter = Interrupt(monkeypatch, n=0)
    assert main(argv) == 0
    monkeypatch.setattr(os, "replace", counter.real)
    return counter.calls


@pytest.mark.parametrize("command", ["add", "zones", "build", "manifest"])
def test_an_interrupt_at_every_rename_leaves_a_valid_corpus_and_the_retry_succeeds(command, tmp_path, monkeypatch,
                                                                                    capsys):
    template = make_corpus(tmp_path / "template")
    assert main(["--root", str(template), "build"]) == 0
    probe = tmp_path / "probe"
    _copy(template, probe)
    (tmp_path / "probe-in").mkdir()
    total = count_replaces(monkeypatch, commands(probe, tmp_path / "probe-in")[command])
    assert total >= 2, "the command should rename at least its journal and one file"
    final = tree(probe)
    for n in range(1, total + 1):
        root = tmp_path / f"run-{n}"
        _copy(template, root)
        before = tree(root)
        inputs = tmp_path / f"in-{n}"
        inputs.mkdir()
        argv = commands(root, inputs)[command]
        Interrupt(monkeypatch, n)
        assert main(argv) == 130  # the interrupt surfaced as an interrupt, not a traceback
        monkeypatch.undo()
        after_interrupt = tree(root)
        # Old corpus or new corpus: the next command (here validate) completes a decided change.
        assert main(["--root", str(root), "validate"]) == 0, capsys.readouterr()
        recovered = tree(root)
        assert recovered in (before, final), f"interrupt at rename {n}: neither the old nor the new corpus"
        assert not list((root / STATE_DIR).glob("txn-*"))
        if recovered == before:
            assert main(argv) == 0, capsys.readouterr()
        else:
            assert after_interrupt != before or n > 1
        assert tree(root) == final
        assert not errors(validate_root(root))


def _copy(source: Path, target: Path) -> None:
    import shutil
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(STATE_DIR))


def test_four_adds_at_once_all_land(corpus_root, tmp_path):
    sources = []
    for index in range(4):
        source = tmp_path / f"doc{index}.txt"
        source.write_text(f"Title {index}\nOfficials said 🚀 Iran may send missiles ({index}).\n", encoding="utf-8")
        sources.append(source)
    env = os.environ | {"CASH_LOCK_TIMEOUT": "120"}
    processes = [subprocess.Popen([sys.executable, "-m", "cash_corpus.cli", "--root", str(corpus_root), "add",
                                   str(source), "--title", f"Title {i}", "--id", f"doc-{i}"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                 for i, source in enumerate(sources)]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in processes]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    ids = Corpus.at(corpus_root).document_ids()
    assert sorted(i for i in ids if i.startswith("doc-")) == ["doc-0", "doc-1", "doc-2", "doc-3"]
    assert len({json.loads(line)["document_id"] for line in
                (corpus_root / "corpus" / "structure.jsonl").read_text(encoding="utf-8").splitlines()}) == len(ids)
    assert not errors(validate_root(corpus_root))


def test_a_second_writer_waits_then_gives_up_naming_the_holder(corpus_root, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from cash_corpus.transaction import corpus_lock
        with corpus_lock(__import__("pathlib").Path({str(corpus_root)!r}), "build"):
            print("locked", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        source = tmp_path / "x.txt"
        source.write_text("Title\nBody 🚀.\n", encoding="utf-8")
        before = tree(corpus_root)
        result = subprocess.run([sys.executable, "-m", "cash_corpus.cli", "--root", str(corpus_root), "add", str(source),
                                 "--title", "Title", "--id", "x"], capture_output=True, text=True,
                                env=os.environ | {"CASH_LOCK_TIMEOUT": "1"}, timeout=120)
        assert result.returncode == 1
        assert f"pid {holder.pid}" in result.stderr and "cash build" in result.stderr
        assert "gave up after 1 s" in result.stderr and "Traceback" not in result.stderr
        assert tree(corpus_root) == before
    finally:
        holder.kill()
        holder.wait()


def _break_holder(root: Path) -> None:
    """A claim whose holder names an attribution that does not exist (a dangling reference)."""
    layer = root / "annotations" / "gold.jsonl"
    lines = layer.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        record = json.loads(line)
        if record.get("record") == "claim" and record.get("holder", {}).get("type") == "attribution":
            record["holder"]["attribution_id"] = "a-missing"
            lines[index] = json.dumps(record, ensure_ascii=False)
            break
    else:
        raise AssertionError("fixture has no attributed claim")
    layer.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("argv", [["build"], ["manifest"], ["release", "1.0.0"]])
def test_build_and_release_refuse_an_invalid_corpus_and_write_nothing(corpus_root, argv, capsys):
    _break_holder(corpus_root)
    before = tree(corpus_root)
    assert main(["--root", str(corpus_root), *argv]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "a-missing" in err
    assert tree(corpus_root) == before


def test_release_refuses_a_stale_build_and_writes_nothing(corpus_root, capsys):
    next((corpus_root / "data" / "claims").glob("*.parquet")).unlink()
    before = tree(corpus_root)
    assert main(["--root", str(corpus_root), "release", "1.0.0"]) == 1
    assert "build is not current" in capsys.readouterr().err
    assert tree(corpus_root) == before


def test_add_refuses_a_record_the_corpus_would_reject_and_writes_nothing(corpus_root, tmp_path, capsys):
    source = tmp_path / "x.txt"
    source.write_text("Title\nBody.\n", encoding="utf-8")
    before = tree(corpus_root)
    # An empty title passes every argument check; only validating the corpus as it would be catches it.
    assert main(["--root", str(corpus_root), "add", str(source), "--title", "", "--id", "x"]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "documents.jsonl" in err
    assert tree(corpus_root) == before


def test_zone_overrides_for_lines_the_text_lacks_are_refused(corpus_root, tmp_path, capsys):
    path = tmp_path / "zones.json"
    path.write_text('{"99": "caption"}', encoding="utf-8")
    before = tree(corpus_root)
    assert main(["--root", str(corpus_root), "zones", "sanctions-work", "--zones", str(path)]) == 2
    assert "line 99" in capsys.readouterr().err
    assert tree(corpus_root) == before


def test_a_symlink_under_the_root_is_refused_by_every_writer(corpus_root, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("LABEL_STUDIO_API_KEY=s3cr3t\n", encoding="utf-8")
    (corpus_root / "annotations" / "x.jsonl").symlink_to(secret)
    before = tree(corpus_root)
    for argv in (["build"], ["manifest"], ["zones", "sanctions-work", "--zones", str(zones_file(tmp_path))]):
        assert main(["--root", str(corpus_root), *argv]) == 1
        err = capsys.readouterr().err
        assert "annotations/x.jsonl" in err and "symbolic link" in err and "s3cr3t" not in err
    assert tree(corpus_root) == before


def test_a_fifo_under_the_root_is_refused_without_hanging(corpus_root, capsys):
    os.mkfifo(corpus_root / "annotations" / "pipe.jsonl")
    assert main(["--root", str(corpus_root), "manifest"]) == 1
    assert "not a regular file" in capsys.readouterr().err


def test_staged_leftovers_are_discarded_and_journaled_changes_completed(corpus_root, capsys):
    state = corpus_root / STATE_DIR
    undecided = state / "txn-1-aaaa" / "stage" / "corpus"
    undecided.mkdir(parents=True)
    (undecided / "documents.jsonl").write_text("garbage\n", encoding="utf-8")
    decided = state / "txn-2-bbbb"
    (decided / "stage" / "data").mkdir(parents=True)
    (decided / "stage" / "data" / "note.txt").write_text("rolled forward\n", encoding="utf-8")
    (decided / "journal.json").write_text(json.dumps({"command": "build", "operations": [["replace", "data/note.txt"]]}))
    assert main(["--root", str(corpus_root), "validate"]) == 0
    err = capsys.readouterr().err
    assert "completed an interrupted `build`" in err and "discarded the staged files" in err
    assert (corpus_root / "data" / "note.txt").read_text(encoding="utf-8") == "rolled forward\n"
    assert not list(state.glob("txn-*"))
    assert json.loads((corpus_root / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_an_exception_inside_the_block_writes_nothing(corpus_root):
    before = tree(corpus_root)
    with pytest.raises(RuntimeError):
        with corpus_transaction(corpus_root, "test") as txn:
            txn.write_text("corpus/documents.jsonl", "")
            raise RuntimeError("boom")
    assert tree(corpus_root) == before


def test_a_staged_change_that_breaks_the_corpus_is_refused(corpus_root):
    before = tree(corpus_root)
    with pytest.raises(RefusedChange) as refused:
        with corpus_transaction(corpus_root, "test") as txn:
            txn.remove("corpus/texts/sanctions-work.txt")
    assert any(f.document_id == "sanctions-work" for f in refused.value.findings)
    assert tree(corpus_root) == before


def test_paths_outside_the_root_or_in_the_state_folder_are_refused(corpus_root):
    with corpus_transaction(corpus_root, "test") as txn:
        for bad in ("../x", "/etc/passwd", "a/../../x", ".cash/lock", "", "a//b"):
            with pytest.raises(CashError):
                txn.write_text(bad, "x")


@pytest.mark.parametrize("argv,expected", [
    (["--language", "not a tag!"], "invalid --language"),
    (["--id", "a\n"], "invalid document id"),
    (["--id", "con"], "invalid document id"),
])
def test_add_refuses_bad_arguments_before_taking_the_lock(corpus_root, tmp_path, capsys, argv, expected):
    source = tmp_path / "x.txt"
    source.write_text("Title\nBody.\n", encoding="utf-8")
    before = tree(corpus_root)
    args = ["--root", str(corpus_root), "add", str(source), "--title", "T"]
    if "--id" not in argv:
        args += ["--id", "x"]
    assert main(args + argv) == 2
    assert expected in capsys.readouterr().err
    assert tree(corpus_root) == before


def test_add_refuses_control_characters_in_the_text(corpus_root, tmp_path, capsys):
    source = tmp_path / "x.txt"
    source.write_bytes(b"Title\nBody \x1b[31mred\x00.\n")
    before = tree(corpus_root)
    assert main(["--root", str(corpus_root), "add", str(source), "--title", "T", "--id", "x"]) != 0
    err = capsys.readouterr().err
    assert "control character" in err and "\x1b" not in err
    assert tree(corpus_root) == before



@pytest.mark.parametrize("command", ["ls import", "generate"])
def test_an_interrupt_at_every_rename_of_import_and_generate_leaves_a_valid_corpus(command, tmp_path, monkeypatch,
                                                                                   capsys):
    """The same property for `cash ls import` (a synthetic corpus and its Label Studio export) and
    `cash generate` (a copy of this repository's sources with one generated table made stale)."""
    import shutil
    from cash_corpus.synth import write_synth
    template = tmp_path / "template"
    if command == "ls import":
        export = tmp_path / "export.json"
        write_synth(template, 6, seed=3, ls_export=export)
        argv_for = lambda root: ["--root", str(root), "ls", "import", str(export), "--layer", "ls",  # noqa: E731
                                 "--annotators", "merge"]
    else:
        repo = Path(__file__).resolve().parents[1]
        for folder in ("corpus", "annotations", "schema"):
            shutil.copytree(repo / folder, template / folder)
        xml = template / "schema" / "generated" / "labelstudio.xml"
        xml.write_text(xml.read_text(encoding="utf-8").replace('value="factual"', 'value="fact"'), encoding="utf-8")
        argv_for = lambda root: ["--root", str(root), "generate"]  # noqa: E731
    probe = tmp_path / "probe"
    _copy(template, probe)
    total = count_replaces(monkeypatch, argv_for(probe))
    assert total >= 2
    final = tree(probe)
    for n in range(1, total + 1):
        root = tmp_path / f"run-{n}"
        _copy(template, root)
        before = tree(root)
        Interrupt(monkeypatch, n)
        assert main(argv_for(root)) == 130
        monkeypatch.undo()
        assert main(["--root", str(root), "validate"]) == 0, capsys.readouterr()
        recovered = tree(root)
        assert recovered in (before, final), f"interrupt at rename {n}: neither the old nor the new corpus"
        if recovered == before:
            assert main(argv_for(root)) == 0, capsys.readouterr()
        assert tree(root) == final
