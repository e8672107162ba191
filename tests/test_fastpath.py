"""validation.fastpath: `validate_root` gives the same findings with the fast path as without.

The fast path never reports a finding; when it cannot prove a root clean, `validate_root` runs the
exact checks. So what must hold is soundness: "clean" only where the exact checks find nothing.
It is checked as equal findings with and without the fast path on every invalid fixture and on
random edits of a synthetic corpus (any field of any record, whole lines, raw bytes, text
characters, stray files); and the fast path must still prove clean roots clean, or it would be
worthless.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cash_corpus.paths import CorpusPaths
from cash_corpus.synth import write_synth
from cash_corpus.validation import fastpath, validate_root
from cash_corpus.validation.fastpath import prove_clean

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "validation"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
SETTINGS = settings(max_examples=int(__import__("os").environ.get("CASH_FASTPATH_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def exact(root: Path) -> list:
    return validate_root(root, fast=False)


def same_findings(root: Path) -> tuple[bool, list]:
    """(validate_root with the fast path == without it, the exact findings)."""
    findings = [f.to_dict() for f in exact(root)]
    return [f.to_dict() for f in validate_root(root)] == findings, findings


@pytest.fixture(scope="module")
def synth_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fastpath") / "synth"
    write_synth(root, 12, seed=17)
    return root


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 5 documents, so a 12-document corpus crosses chunk boundaries."""
    monkeypatch.setattr(fastpath, "CHUNK_DOCUMENTS", 5)


@pytest.mark.parametrize("root", [REPO, VALID], ids=["repository", "valid-fixture"])
def test_clean_roots_are_proven_clean(root):
    assert exact(root) == []
    assert prove_clean(CorpusPaths(root))


def test_a_synthetic_corpus_across_chunks_is_proven_clean(synth_root, small_chunks):
    assert exact(synth_root) == []
    assert prove_clean(CorpusPaths(synth_root))


def test_validate_root_takes_the_fast_path_only_when_it_proves_clean(synth_root, monkeypatch):
    calls = []
    monkeypatch.setattr("cash_corpus.validation.check_corpus",
                        lambda *a, **k: calls.append("exact") or iter(()))
    assert validate_root(synth_root) == [] and calls == []


def _fixture_roots(tmp_path: Path) -> list[tuple[str, Path]]:
    """Each invalid fixture as a whole corpus root (a layer fixture beside the valid gold layer)."""
    roots = []
    for fixture in sorted(INVALID.iterdir()):
        if fixture.is_dir():
            target = tmp_path / fixture.name
            shutil.copytree(fixture, target, symlinks=True)
        else:
            target = tmp_path / f"layer-{fixture.stem}"
            shutil.copytree(VALID, target)
            shutil.copyfile(fixture, target / "annotations" / fixture.name)
        roots.append((fixture.name, target))
    return roots


def test_every_invalid_fixture_gets_the_same_findings_with_the_fast_path(tmp_path):
    roots = _fixture_roots(tmp_path)
    assert len(roots) >= 50
    for name, root in roots:
        same, findings = same_findings(root)
        assert same and findings, name


# ---------------------------------------------------------------- random edits of a clean corpus

FILES = ("corpus/documents.jsonl", "corpus/structure.jsonl", "annotations/gold.jsonl")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 400) | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=6) | st.sampled_from(["claim", "cue", "attribution", "document", "hedge", "booster",
                                             "author", "attribution", "a1", "c1", "q1", "synth-0000001", " x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["start", "end", "text", "id"]),
                                                               inner, max_size=3),
    max_leaves=6)


def _paths_in(value, prefix=()):
    """Every (path, value) inside a JSON value, containers included."""
    yield prefix, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths_in(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths_in(child, prefix + (index,))


def _set(value, path, new):
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def _delete(value, path):
    for step in path[:-1]:
        value = value[step]
    del value[path[-1]]


@st.composite
def edits(draw):
    """One random edit: (kind, details), applied by `_apply` to a copy of the synthetic root."""
    kind = draw(st.sampled_from(["field", "field", "field", "nudge", "nudge", "delete-key", "line", "bytes", "text",
                                 "extra-file"]))
    return kind, draw(st.randoms(use_true_random=False)), draw(JSON_VALUES)


def _apply(root: Path, kind: str, rng: random.Random, value) -> None:
    if kind == "text":
        texts = sorted((root / "corpus" / "texts").glob("*.txt"))
        path = rng.choice(texts)
        text = path.read_text(encoding="utf-8")
        i = rng.randrange(len(text))
        path.write_text(text[:i] + rng.choice(["x", " ", "🚀", "", "\x07", "ab"]) + text[i + 1:], encoding="utf-8")
        return
    if kind == "extra-file":
        (root / "corpus" / "texts" / rng.choice(["stray.txt", "synth-9999999.txt", "notes"])).write_text("x")
        return
    path = root / rng.choice(FILES)
    lines = path.read_bytes().splitlines(keepends=True)
    i = rng.randrange(len(lines))
    if kind == "bytes":
        data = bytearray(lines[i])
        j = rng.randrange(len(data))
        data[j:j + 1] = rng.choice([b"", b"\x00", b"1", b"}", b'"', b"\xff", b"\n", b"\\u00e9", b" "])
        lines[i] = bytes(data)
    elif kind == "line":
        op = rng.choice(["delete", "duplicate", "swap"])
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    else:
        record = json.loads(lines[i])
        paths = [p for p, _ in _paths_in(record) if p]
        target = rng.choice(paths)
        if kind == "delete-key":
            _delete(record, target)
        elif kind == "nudge":
            old = dict(_paths_in(record))[target]
            if isinstance(old, int) and not isinstance(old, bool):
                _set(record, target, old + rng.choice([-2, -1, 1, 2]))
            elif isinstance(old, str) and old:
                _set(record, target, rng.choice([old[1:], old + " ", old.upper(), old[:-1] + "z"]))
            else:
                _set(record, target, value)
        else:
            _set(record, target, value)
        lines[i] = (json.dumps(record, ensure_ascii=rng.random() < 0.5) + "\n").encode()
    path.write_bytes(b"".join(lines))


OUTCOMES = {"clean": 0, "findings": 0}


@SETTINGS
@given(edit=edits())
def test_random_edits_get_the_same_findings_with_the_fast_path(synth_root, tmp_path_factory, small_chunks, edit):
    root = tmp_path_factory.mktemp("edit") / "root"
    shutil.copytree(synth_root, root)
    kind, rng, value = edit
    _apply(root, kind, rng, value)
    same, findings = same_findings(root)
    OUTCOMES["findings" if findings else "clean"] += 1
    assert same, (kind, [f["code"] for f in findings])
    shutil.rmtree(root.parent)


def test_random_edits_hit_both_outcomes():
    """The property above was not vacuous: some edits broke the corpus and some did not."""
    if OUTCOMES["findings"] + OUTCOMES["clean"] == 0:
        pytest.skip("the property test did not run in this session")
    assert OUTCOMES["findings"] > 0


@pytest.mark.parametrize("split", ['"polarity": ', '"holder": ', "two-on-a-line"])
def test_one_record_a_line_or_the_exact_path(synth_root, tmp_path, split):
    """msgspec reads whitespace-separated values, so an object split over two lines (or two objects
    on one line) would decode; JSON Lines is one value a line. Found by the random edits above."""
    root = tmp_path / "root"
    shutil.copytree(synth_root, root)
    gold = root / "annotations" / "gold.jsonl"
    lines = gold.read_text(encoding="utf-8").splitlines(keepends=True)
    if split == "two-on-a-line":
        lines[2:4] = [lines[2].rstrip("\n") + " " + lines[3]]
    else:
        i = next(i for i, line in enumerate(lines) if split in line)
        lines[i] = lines[i].replace(split, split.rstrip() + "\n", 1)
    gold.write_text("".join(lines), encoding="utf-8")
    same, findings = same_findings(root)
    assert findings and same
    assert not prove_clean(CorpusPaths(root))
