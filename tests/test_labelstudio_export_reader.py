"""The streaming export reader: whatever the bytes, a CashError naming the problem, never another exception."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cash_corpus.cli import main
from cash_corpus.errors import CashError
from cash_corpus.labelstudio.export_reader import iter_export_tasks

TASK = b'{"id": 1, "data": {"text": "x", "document_id": "d"}, "annotations": []}'


@pytest.mark.parametrize("data,message", [
    (b"[" + b"[" * 2000 + b"]" * 2000 + b"]", "nested too deep"),
    (b'[{"a": ' + b"[" * 80 + b"]" * 80 + b"}]", "deeper than"),
    (b"[" + TASK + b", " + TASK.replace(b'"x"', b'"\xff\xfe"') + b"]", "not valid UTF-8"),
    (b"[" + TASK + b", " + TASK[:30], "truncated"),
    (b"[" + TASK, "truncated"),
    (b"", "empty"),
    (b'[{"id": 1, "data": {"text": "\\ud800"}}]', "lone surrogate"),
    (b'[{"id": 100000000000000000000000000000}]', "64-bit"),
    (b'[{"id": 1' + b"0" * 5000 + b"}]", "too long"),
    (b'[{"id": NaN}]', "NaN"),
])
@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_bad_exports_raise_a_cash_error(tmp_path, data, message, chunk):
    path = tmp_path / "export.json"
    path.write_bytes(data)
    with pytest.raises(CashError, match=message):
        list(iter_export_tasks(path, chunk_size=chunk))


def test_a_bom_is_accepted(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(b"\xef\xbb\xbf[" + TASK + b"]")
    assert [number for number, _ in iter_export_tasks(path)] == [0]


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_cash_ls_import_refuses_a_deep_export_and_writes_nothing(small_corpus, tmp_path, capsys):
    export = tmp_path / "export.json"
    export.write_bytes(b"[" + b"[" * 3000 + b"]" * 3000 + b"]")
    before = _tree(small_corpus)
    assert main(["--root", str(small_corpus), "ls", "import", str(export), "--layer", "ls"]) == 1
    assert "nested too deep" in capsys.readouterr().err
    assert _tree(small_corpus) == before


# --- property: arbitrary bytes and JSON values as an export (issue 11) ---

import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cash_corpus.corpus import Corpus  # noqa: E402

VALID = Path(__file__).parent / "fixtures" / "validation" / "valid"
TEXT = (VALID / "corpus" / "texts" / "beta-notes.txt").read_text(encoding="utf-8")
SHA = json.loads((VALID / "corpus" / "documents.jsonl").read_text(encoding="utf-8").splitlines()[1])["sha256"]
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(blacklist_categories=()), max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=5) | st.sampled_from(["id", "data", "annotations", "result", "value", "start", "end",
                                                "text", "labels", "from_name", "type", "completed_by"]),
        inner, max_size=4), max_leaves=10)


@st.composite
def tasks(draw):
    """Arbitrary tasks, some shaped like a real one for a real document with arbitrary annotations."""
    shaped = {"id": 1, "data": {"text": TEXT, "document_id": "beta-notes", "text_sha256": SHA},
              "annotations": [{"id": 1, "completed_by": 1, "result": draw(ANY_JSON)}]}
    return draw(st.lists(ANY_JSON | st.just(shaped), max_size=3))


def _import_in_process(root: Path, export: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "ls", "import", str(export), "--layer", "fuzz"])
    return code, err.getvalue()


def _check_import(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        shutil.copytree(VALID, root)
        export = Path(tmp) / "export.json"
        export.write_bytes(data)
        before = _tree(root)
        try:
            list(iter_export_tasks(export, chunk_size=64))
        except CashError:
            pass
        code, err = _import_in_process(root, export)
        assert code in (0, 1, 2), err
        if code:
            assert _tree(root) == before
            # one error; the problems it lists are indented continuation lines, never a line of their own
            assert all(line.startswith(" ") for line in err.rstrip("\n").split("\n")[1:])
        assert Corpus.at(root).document_ids() == ["alpha-report", "beta-notes"]


@PROPERTY
@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_an_export_never_raise_anything_but_a_cash_error(data):
    _check_import(data)


@PROPERTY
@given(tasks())
def test_arbitrary_json_tasks_as_an_export_give_a_refusal_or_a_valid_import(values):
    _check_import(json.dumps(values).encode())
