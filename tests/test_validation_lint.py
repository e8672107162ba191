"""validation/lint.py: each consistency rule on small layers that trigger it and layers that do not,
the CLI (`cash validate --lint`, `cash lint`), and lint on the real corpus texts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cash_corpus.cli import main
from cash_corpus.layers import write_layer
from cash_corpus.records import (Attribution, Claim, Cue, DocumentAnnotations, Holder, LayerHeader, Provenance,
                                 Span, Stance)
from cash_corpus.schema import schema_version
from cash_corpus.validation import validate_paths
from cash_corpus.validation.findings import CODES, LINT_CODES
from cash_corpus.validation.lint import (attributions_without_claim, collect_cue_forms, cue_form, cue_pattern,
                                         document_stance_contradictions, lint_document, lint_layer,
                                         repeated_stance_targets, reported_claims_with_author_stance,
                                         unmarked_cue_occurrences)

REPO = Path(__file__).resolve().parents[1]
LINT_ROOT = Path(__file__).parent / "fixtures" / "validation" / "lint"
SHA = "0" * 64


def span(text: str, piece: str, occurrence: int = 1) -> Span:
    start = -1
    for _ in range(occurrence):
        start = text.index(piece, start + 1)
    return Span(start, start + len(piece), piece)


def claim(cid: str, sp: Span, stance=(), holder: str | None = None, doc: str = "d") -> Claim:
    return Claim(cid, doc, sp, "factual", "certain", "positive",
                 Holder("attribution", holder) if holder else Holder("author"), tuple(Stance(*s) for s in stance))


def cue(qid: str, sp: Span, claims=("c1",), doc: str = "d") -> Cue:
    return Cue(qid, doc, sp, "hedge", "modal", tuple(claims))


def document(doc_stance=(), claims=(), cues=(), attributions=(), doc: str = "d") -> DocumentAnnotations:
    return DocumentAnnotations(doc, SHA, tuple(Stance(*s) for s in doc_stance), tuple(claims), tuple(cues),
                               tuple(attributions))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# -- rule 1: cue-unmarked-occurrence

TEXT_A = "𝔸 😀 Iran May send missiles."
TEXT_B = "😀 Russia may use them; the mayor may not. It is likely to rain.\nUp\n to 𝔸 two."


def _cue_layer(docs: list[tuple[DocumentAnnotations, str]]):
    texts = {d.document_id: raw for d, raw in docs}
    return list(lint_layer(lambda: [d for d, _ in docs], texts.get, "x.jsonl"))


def test_cue_rule_reports_an_identical_unmarked_occurrence_in_another_document_case_folded():
    a = document(claims=[claim("c1", span(TEXT_A, "Iran May send missiles"), doc="a")],
                 cues=[cue("h1", span(TEXT_A, "May"), doc="a")], doc="a")
    b = document(claims=[claim("c1", span(TEXT_B, "Russia may use them"), doc="b")], doc="b")
    findings = _cue_layer([(a, TEXT_A), (b, TEXT_B)])
    assert codes(findings) == ["cue-unmarked-occurrence"] * 2
    first, second = findings
    assert (first.document_id, first.annotation_id, first.start, first.end) == ("b", None, 9, 12)
    assert TEXT_B[first.start:first.end] == first.found == "may"
    assert TEXT_B[second.start:second.end] == "may" and second.start == 33  # not the "may" in "mayor"
    where = f"doc=a ann=h1 [{TEXT_A.index('May')}, {TEXT_A.index('May') + 3})"
    assert where in first.message and where in first.expected
    assert first.severity == "warning" and first.file == "x.jsonl"


def test_cue_rule_is_quiet_when_every_occurrence_is_marked_or_covered_by_an_overlapping_cue():
    a = document(claims=[claim("c1", span(TEXT_A, "Iran May send missiles"), doc="a")],
                 cues=[cue("h1", span(TEXT_A, "May"), doc="a")], doc="a")
    b = document(cues=[cue("h1", span(TEXT_B, "may", 1), doc="b"), cue("h2", span(TEXT_B, "may", 3), doc="b")],
                 doc="b")
    assert _cue_layer([(a, TEXT_A), (b, TEXT_B)]) == []
    # "likely" marked inside "is likely to" elsewhere covers this occurrence of "likely"
    c = document(cues=[cue("h1", span(TEXT_B, "likely"), doc="c")], doc="c")
    d = document(cues=[cue("h1", span(TEXT_B, "is likely to"), doc="d")], doc="d")
    assert _cue_layer([(c, TEXT_B), (d, TEXT_B)]) == []
    # a layer without cues has nothing to compare with
    assert _cue_layer([(document(doc="e"), TEXT_B)]) == []


def test_cue_rule_matches_a_phrase_across_a_different_whitespace_run_and_longest_form_first():
    marked = document(cues=[cue("h1", Span(0, 5, "up to"))], doc="m")
    other = document(doc="o")
    findings = _cue_layer([(marked, "up to two"), (other, TEXT_B)])
    assert [(f.document_id, f.found) for f in findings] == [("o", "Up\n to")]
    assert "'Up\\n to' is not marked here" in findings[0].message  # one line, the newline escaped
    assert cue_form("Up\n  TO") == "up to"
    pattern = cue_pattern(["likely", "is likely to"])
    assert pattern.search("it is likely to rain").group() == "is likely to"


# -- rule 2: stance-reported-as-author

RT = "𝔸 Officials said that Iran is a threat. Iran is a threat."
ATT = Attribution("a1", "d", span(RT, "Officials"), span(RT, "said"), span(RT, "Iran is a threat"), "government",
                  "indirect", "assertion")
REPORTED = span(RT, "Iran is a threat")


def test_reported_claim_with_the_document_stance_on_every_target_is_reported():
    doc = document([("T_IRAN_REGIME", "against"), ("T_RUSSIA_WAR", "against")],
                   [claim("c1", REPORTED, [("T_IRAN_REGIME", "against"), ("T_RUSSIA_WAR", "against")], "a1")],
                   attributions=[ATT])
    [f] = reported_claims_with_author_stance(doc, "x.jsonl")
    assert (f.code, f.annotation_id, f.start, f.end) == ("stance-reported-as-author", "c1", REPORTED.start, REPORTED.end)
    assert "a1 (source 'Officials')" in f.message
    assert f.found == "T_IRAN_REGIME against, T_RUSSIA_WAR against"


@pytest.mark.parametrize("holder, stance", [
    (None, [("T_IRAN_REGIME", "against")]),                                   # the author's own claim
    ("a1", [("T_IRAN_REGIME", "favor")]),                                     # the holder's own side
    ("a1", [("T_IRAN_REGIME", "against"), ("T_SANCTIONS", "favor")]),         # differs on one target
    ("a1", [("T_ENGAGE_IRAN", "neutral")]),                                   # neutral only: takes no side
    ("a1", []),                                                               # no stance at all
    ("a1", [("T_UKRAINE_STRIKES", "favor")]),                                 # target not in document stance
])
def test_reported_claim_stance_rule_is_quiet(holder, stance):
    doc = document([("T_IRAN_REGIME", "against"), ("T_ENGAGE_IRAN", "neutral"), ("T_SANCTIONS", "against")],
                   [claim("c1", REPORTED, stance, holder)], attributions=[ATT])
    assert list(reported_claims_with_author_stance(doc, None)) == []


# -- rule 3: attribution-content-without-claim

def test_attribution_whose_content_holds_no_claim_is_reported():
    elsewhere = claim("c1", span(RT, "Iran is a threat", 2))
    [f] = attributions_without_claim(document(claims=[elsewhere], attributions=[ATT]), None)
    assert (f.code, f.annotation_id, f.start, f.end, f.found) == (
        "attribution-content-without-claim", "a1", ATT.content.start, ATT.content.end, "Iran is a threat")


def test_attribution_with_a_claim_inside_its_content_is_quiet_including_nested_and_partial_claims():
    text = "𝔸 The minister warned that analysts believe the talks will fail."
    outer = Attribution("a1", "d", span(text, "The minister"), span(text, "warned"),
                        span(text, "analysts believe the talks will fail"), "government", "indirect", "assertion")
    inner = Attribution("a2", "d", span(text, "analysts"), span(text, "believe"), span(text, "the talks will fail"),
                        "group", "indirect", "belief", parent="a1")
    nested = document(claims=[claim("c1", span(text, "the talks will fail"), holder="a2")],
                      attributions=[outer, inner])
    assert list(attributions_without_claim(nested, None)) == []
    # a claim overlapping the content but not inside it does not count
    across = document(claims=[claim("c1", span(text, "warned that analysts"))], attributions=[inner])
    assert codes(attributions_without_claim(across, None)) == ["attribution-content-without-claim"]


# -- rule 4: stance-document-contradicts-claims

def _votes(doc_polarity: str, author: list[str], reported: list[str] = ()) -> DocumentAnnotations:
    claims = [claim(f"c{i}", Span(i, i + 1, "x"), [("T_SANCTIONS", p)]) for i, p in enumerate(author)]
    claims += [claim(f"r{i}", Span(i, i + 1, "x"), [("T_SANCTIONS", p)], holder="a1") for i, p in enumerate(reported)]
    return document([("T_SANCTIONS", doc_polarity), ("T_IRAN_REGIME", "against")], claims)


@pytest.mark.parametrize("doc_polarity, author", [
    ("against", ["favor", "favor", "neutral"]),
    ("favor", ["against"]),
    ("neutral", ["against", "against", "favor"]),
    ("none", ["neutral"]),
])
def test_document_stance_contradicted_by_the_majority_of_author_claims_is_reported(doc_polarity, author):
    [f] = document_stance_contradictions(_votes(doc_polarity, author), "x.jsonl")
    assert (f.code, f.document_id, f.annotation_id, f.start) == ("stance-document-contradicts-claims", "d", None, None)
    assert f.found == f"T_SANCTIONS {doc_polarity}" and f.expected.startswith("author claims on T_SANCTIONS:")


@pytest.mark.parametrize("doc_polarity, author, reported", [
    ("against", ["favor", "against"], []),              # a tie is no majority
    ("against", ["favor", "against", "neutral"], []),   # favor is not more than half
    ("favor", ["neutral", "neutral", "favor"], []),     # neutral reports do not contradict a side
    ("against", ["against"], ["favor", "favor"]),       # reported claims carry their holder's stance
    ("neutral", ["neutral", "against"], []),
    ("none", [], ["favor"]),
    ("favor", [], []),
])
def test_document_stance_rule_is_quiet(doc_polarity, author, reported):
    assert list(document_stance_contradictions(_votes(doc_polarity, author, reported), None)) == []


# -- rule 5: stance-target-repeated

def test_a_target_listed_twice_in_a_claim_or_document_stance_is_reported():
    doc = document([("T_SANCTIONS", "favor"), ("T_SANCTIONS", "neutral")],
                   [claim("c1", REPORTED, [("T_IRAN_REGIME", "against"), ("T_IRAN_REGIME", "against")]),
                    claim("c2", REPORTED, [("T_IRAN_REGIME", "against"), ("T_SANCTIONS", "against")])])
    findings = list(repeated_stance_targets(doc, None))
    assert [(f.code, f.annotation_id, f.found) for f in findings] == [
        ("stance-target-repeated", None, "T_SANCTIONS"),
        ("stance-target-repeated", "c1", "T_IRAN_REGIME against, T_IRAN_REGIME against")]


def test_distinct_targets_are_quiet():
    doc = document([("T_SANCTIONS", "favor"), ("T_IRAN_REGIME", "against")],
                   [claim("c1", REPORTED, [("T_IRAN_REGIME", "against"), ("T_SANCTIONS", "favor")])])
    assert list(repeated_stance_targets(doc, None)) == []


# -- every rule: never raises, only lint codes, cue findings point at real unmarked text

WORDS = ["may", "May", "likely", "𝔸", "😀", "Iran", "up to", "risk", "\n", ".", " "]


@st.composite
def documents(draw):
    raw = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)))
    positions = st.integers(0, len(raw) - 1)
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(positions)
        end = draw(st.integers(start + 1, len(raw)))
        spans.append(Span(start, end, raw[start:end]))
    targets = st.sampled_from(["T_SANCTIONS", "T_IRAN_REGIME"])
    polarity = st.sampled_from(["favor", "against", "neutral"])
    stance = st.lists(st.tuples(targets, polarity), max_size=3)
    claims = [claim(f"c{i}", sp, draw(stance), draw(st.sampled_from([None, "a1"]))) for i, sp in enumerate(spans)]
    cues = [cue(f"h{i}", sp) for i, sp in enumerate(draw(st.lists(st.sampled_from(spans), max_size=3)) if spans else [])]
    attributions = [Attribution("a1", "d", None, sp, sp, "unnamed", "indirect", "assertion") for sp in spans[:1]]
    doc_stance = draw(st.lists(st.tuples(targets, st.sampled_from(["favor", "against", "neutral", "none"])),
                               max_size=3))
    return document(doc_stance, claims, cues, attributions), raw


@settings(max_examples=150, deadline=None)
@given(documents())
def test_lint_never_raises_and_cue_findings_are_unmarked_occurrences_of_marked_forms(drawn):
    doc, raw = drawn
    forms = collect_cue_forms([doc])
    findings = lint_document(doc, raw, forms, cue_pattern(forms), "x.jsonl")
    assert {f.code for f in findings} <= set(LINT_CODES)
    assert all(CODES[f.code][0] == "warning" for f in findings)
    for f in findings:
        if f.code == "cue-unmarked-occurrence":
            assert f.start < f.end and raw[f.start:f.end] == f.found and cue_form(f.found) in forms
            assert not any(q.span.start < f.end and f.start < q.span.end for q in doc.cues)
    assert list(unmarked_cue_occurrences(doc, raw, forms, cue_pattern(forms), "x.jsonl")) == [
        f for f in findings if f.code == "cue-unmarked-occurrence"]


# -- the CLI

@pytest.fixture
def lint_root(tmp_path) -> Path:
    root = tmp_path / "lint"
    shutil.copytree(LINT_ROOT, root)
    return root


def test_validate_without_lint_reports_nothing_new_and_with_lint_warns(lint_root, capsys):
    layer = lint_root / "stance-reported-as-author.jsonl"
    assert main(["--root", str(lint_root), "validate", str(layer)]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == "cash validate: 0 error(s), 0 warning(s)\n"
    assert main(["--root", str(lint_root), "validate", "--lint", str(layer)]) == 0
    out = capsys.readouterr()
    assert "[W stance-reported-as-author]" in out.out and "1 of the warnings are lint warnings" in out.err
    assert main(["--root", str(lint_root), "validate", "--lint", "--strict", str(layer)]) == 1
    capsys.readouterr()
    assert main(["--root", str(lint_root), "validate", "--lint", "--json", str(layer)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["errors"], report["warnings"], report["lint_warnings"], report["lint_skipped"]) == (0, 1, 1, [])
    assert report["findings"][0]["code"] == "stance-reported-as-author"


def test_lint_command_takes_layer_names_of_the_root(lint_root, capsys):
    shutil.copy(lint_root / "cue-unmarked-occurrence.jsonl", lint_root / "annotations")
    assert main(["--root", str(lint_root), "lint", "gold"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--root", str(lint_root), "lint", "--strict", "gold", "cue-unmarked-occurrence"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("annotations/cue-unmarked-occurrence.jsonl doc=delta-brief [46, 49)")
    assert main(["--root", str(lint_root), "lint"]) == 0  # every layer: the copied one warns, exit 0
    assert "[W cue-unmarked-occurrence]" in capsys.readouterr().out
    assert main(["--root", str(lint_root), "lint", "no-such-layer"]) == 2


@pytest.mark.parametrize("breakage", ["span", "json"])
def test_a_layer_with_errors_is_validated_but_not_linted(lint_root, capsys, breakage):
    path = lint_root / "annotations" / "gold.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    if breakage == "span":
        record = json.loads(lines[3])
        assert record["record"] == "claim"
        record["start"] += 1
        lines[3] = json.dumps(record, ensure_ascii=False)
    else:
        lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--root", str(lint_root), "validate", "--lint"]) == 1
    out = capsys.readouterr()
    assert "[E " in out.out and "[W " not in out.out
    assert "annotations/gold.jsonl not linted: it has errors" in out.err and "Traceback" not in out.err


def test_validation_and_the_typed_reader_split_lines_alike(lint_root, capsys):
    """A bare carriage return between JSON tokens is JSON whitespace to validation and, since both
    read through `jsonl.decode_json` on lines split at \\n only (issue 11), to the typed reader of
    `layers` too: the layer is linted, not skipped (it used to be skipped as refused by the reader)."""
    path = lint_root / "annotations" / "gold.jsonl"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(', "id"', ',\r "id"', 1)
    path.write_bytes("\n".join(lines).encode("utf-8"))
    assert main(["--root", str(lint_root), "validate", "--lint", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 0 and report["lint_warnings"] == 0 and report["lint_skipped"] == []


# -- the real corpus texts

def test_cue_rule_on_a_real_text_reports_the_unmarked_shows(tmp_path):
    root = tmp_path / "real"
    shutil.copytree(REPO / "corpus", root / "corpus")
    doc_id = "going-ballistic"
    raw = (root / "corpus" / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
    sha = next(json.loads(line)["sha256"] for line in (root / "corpus" / "documents.jsonl").open(encoding="utf-8")
               if json.loads(line)["id"] == doc_id)
    first, second = span(raw, "shows", 1), span(raw, "shows", 2)
    c1 = Claim("c1", doc_id, first, "factual", "certain", "positive", Holder("author"), ())
    header = LayerHeader("lint-real", schema_version(), Provenance("manual", "test", "1.1.0", "2026-11-29"), "1.0.0")

    def layer(cues) -> list:
        path = root / "annotations" / "lint-real.jsonl"
        write_layer(path, header, [DocumentAnnotations(doc_id, sha, (), (c1,), tuple(cues), ())], overwrite=True)
        assert validate_paths([path], root) == []
        from cash_corpus.validation.lint import layer_files, lint_files
        linted, skipped = lint_files(layer_files([path], root), set())
        return linted

    one = layer([Cue("h1", doc_id, first, "booster", "lexical_verb", ("c1",))])
    assert [(f.code, f.start, f.end, f.found) for f in one] == [
        ("cue-unmarked-occurrence", second.start, second.end, "shows")]
    both = layer([Cue("h1", doc_id, first, "booster", "lexical_verb", ("c1",)),
                  Cue("h2", doc_id, second, "booster", "lexical_verb", ("c1",))])
    assert both == []


def test_lint_on_the_repository_layers_locates_every_finding_on_the_raw_text():
    from cash_corpus.validation.lint import layer_files, lint_files
    linted, skipped = lint_files(layer_files([], REPO), set())
    assert skipped == [] and {f.code for f in linted} <= set(LINT_CODES)
    for f in linted:
        if f.code in ("cue-unmarked-occurrence", "attribution-content-without-claim"):
            raw = (REPO / "corpus" / "texts" / f"{f.document_id}.txt").read_text(encoding="utf-8")
            assert raw[f.start:f.end] == f.found


def test_cue_rule_skips_occurrences_outside_the_annotated_zones_of_a_real_text(tmp_path):
    """"risk" is a cue in the body of going-ballistic and also the first word of the subheading
    "The risk of wider escalation", which is not annotated (guidelines §0)."""
    from cash_corpus.validation.lint import annotated_zones, layer_files, lint_files, lint_layer_file
    root = tmp_path / "real"
    shutil.copytree(REPO / "corpus", root / "corpus")
    doc_id = "going-ballistic"
    raw = (root / "corpus" / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
    sha = next(json.loads(line)["sha256"] for line in (root / "corpus" / "documents.jsonl").open(encoding="utf-8")
               if json.loads(line)["id"] == doc_id)
    zones = annotated_zones(root / "corpus" / "structure.jsonl")[doc_id]
    risks = [Span(m.start(), m.end(), m.group()) for m in __import__("re").finditer(r"(?<!\w)risk(?!\w)", raw, 2)]
    inside = [sp for sp in risks if any(s <= sp.start and sp.end <= e for s, e in zones)]
    outside = [sp for sp in risks if sp not in inside]
    assert inside and [raw[sp.start:sp.end + 20] for sp in outside] == ["risk of wider escalation"]
    c1 = Claim("c1", doc_id, inside[0], "factual", "certain", "positive", Holder("author"), ())
    cues = tuple(Cue(f"h{i}", doc_id, sp, "hedge", "noun", ("c1",)) for i, sp in enumerate(inside, 1))
    header = LayerHeader("risk", schema_version(), Provenance("manual", "test", "1.1.0", "2026-11-29"), "1.0.0")
    path = root / "annotations" / "risk.jsonl"
    write_layer(path, header, [DocumentAnnotations(doc_id, sha, (), (c1,), cues, ())])
    assert validate_paths([path], root) == []
    assert lint_files(layer_files([path], root), set()) == ([], [])
    unfiltered = lint_layer_file(path, lambda d: raw)
    assert [(f.code, f.start, f.end) for f in unfiltered] == [
        ("cue-unmarked-occurrence", sp.start, sp.end) for sp in outside]


def test_annotated_zones_are_zone_types_of_the_schema():
    from cash_corpus.schema import label_names
    from cash_corpus.validation.lint import ANNOTATED_ZONES
    assert ANNOTATED_ZONES <= set(label_names("zone_type"))

