"""Second review of the 1.2.0 re-adjudication (issue 15): the reviewer's upheld disputes, applied after
docs/passes/adjudication-1.2/readjudicate.py.

Gold is reproducible from gold 1.1 (commit readjudicate.BASE) by running this one script from the repository root:

    python3 docs/passes/review-1.2/review.py

It (1) runs readjudicate.main(), which rebuilds annotations/gold.jsonl from gold 1.1 plus the adjudicator's 156
logged changes; (2) applies the reviewer's REVIEW list below (each entry: dispute number, document, record id, field,
after, guideline rule, reason; `before` is read from the adjudicated gold); (3) re-runs the adjudicator's integrity
checks (spans equal the raw text and sit on token boundaries, reported claims inside their holder's content,
underspecified exactly for hypothetical holders, no target twice, no neutral, cue links resolve) and recomputes the
document stance by §2.6, asserting it is unchanged; (4) writes canonical JSON lines in the same order as
readjudicate.py and the log review-changes.jsonl / review-changes.md. Ids are stable: deleted ids are not reused and
the one new record takes the next free id (MM c58).
"""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
_spec = importlib.util.spec_from_file_location("readjudicate", ROOT / "docs/passes/adjudication-1.2/readjudicate.py")
R = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(R)
GB, MM, S = R.GB, R.MM, R.S

REVIEW: list[dict] = []


def rv(dispute, doc, rid, field, after, rule, reason):
    REVIEW.append({"dispute": dispute, "document_id": doc, "id": rid, "field": field, "after": after,
                   "rule": rule, "reason": reason})


# D1  MM c19: the anaphor 'this development' reaches Russia's act as much as Iran's (ambiguity 2 applied evenly)
rv("D1", MM, "c19", "stance", S("IR:a,RW:a"), "§2.1 R1 (co-reference, ADJUDICATION.md 1.2 ambiguity 2), §2.4 step 1",
   "'this development' is the anaphor for the preceding report: Russia has received the missiles and is poised to deploy "
   "them against Ukrainian targets, an addition to Russia's arsenal. If the anaphor makes Iran (supplier) relevant, it makes "
   "the Kremlin's conduct of the war (receiver, deployer) relevant too; Lammy *condemned* it (§2.4 step 1): against both "
   "agents. The adjudicator's reason ('Russia is not mentioned in the content') holds equally for Iran. Pass-c and gold 1.1 agree.")
rv("D1", MM, "c19", "note",
   "Held by Lammy's condemnation (a8). 'this development' refers to Iran's supply and Russia's receipt and imminent use of "
   "the missiles against Ukraine (anaphor for the agents' acts, ADJUDICATION.md 1.2 ambiguity 2): T_IRAN_REGIME and "
   "T_RUSSIA_WAR against are the holder's side by his speech act (condemn, §2.4 step 1); they coincide with the author's "
   "because Lammy does take that side.", "§2.4", "note brought up to date (lint stance-reported-as-author)")
# D2  GB c18: 'it' = the provision of missiles (Iran's act), treated as in c16/c17
rv("D2", GB, "c18", "stance", S("IR:x,SA:x"), "§2.1 R1 (co-reference, ADJUDICATION.md 1.2 ambiguity 2), §2.5",
   "subject 'it' = 'the provision of missiles to Russia' (Iran's act), exactly as the subject of c16 and the understood "
   "subject of c17, which the adjudicator gave T_IRAN_REGIME no_stance; the same anaphor rule gives c18 the same target. "
   "No evaluative word on Iran: no_stance.")
# D3  MM h13: 'underscores' + NP object boosts nothing in its sentence
rv("D3", MM, "h13", "(deleted)", None, "§3 unit, §3.3, §3.1 rule 4",
   "a cue is linked to the claim(s) in its own sentence whose certainty it changes. 'underscores this reality' is the main "
   "predicate of c41 (what c41 asserts: the pledge is evidence of the reality), like the epistemic noun as predicate in "
   "§3.3; the proposition it would boost ('all factions are accountable to Khamenei', c39) is in another sentence. §3.1 "
   "lists 'underscores that' (propositional complement inside the claim, GB h5), not 'underscores' + NP. Pass-c: no cue.")
# D4  MM a12: author's commitment to the content, not to the ascription
rv("D4", MM, "a12", "author_commitment", "not_committed", "§4.6 step 1 vs step 3 (and hard case 'imputed beliefs')",
   "the adjudicator's reason ('the author asserts the commitment in own voice') is commitment to the ascription, which "
   "§4.6 says 'is not the question'. The content is the eventuality 'preserving Iran’s missile program and advancing its "
   "clandestine nuclear ambitions'; no author claim asserts that it is or will be fulfilled (Pezeshkian's 'Tehran will "
   "never relinquish its missile program' is a2's content, not the author's). Same treatment as GB a4, a6, a8.")
rv("D4", MM, "a12", "note",
   "author_commitment not_committed (review): the author asserts that Pezeshkian has the commitment (c41), i.e. the "
   "ascription, not the fulfilment of the eventuality content (§4.6 step 3; hard case: commitment to the ascription is not "
   "the question). Contrast a11, whose content the author asserts in own voice in c39 ('all factions are accountable to "
   "Supreme Leader Ali Khamenei').", "§4.6", "decision recorded")
rv("D4", MM, "a11", "note",
   "author_commitment committed (§4.6 step 1): the author asserts the content in own voice in c39 ('all factions are "
   "accountable to Supreme Leader Ali Khamenei', which the pledge 'underscores'); asserting that the pledge was made would "
   "not by itself be enough (commitment to the ascription is not the question).", "§4.6",
   "reason corrected (value agreed)")
# D5  MM a7: parity with a1 and the author's own presupposition
rv("D5", MM, "a7", "author_commitment", "committed", "§4.6 step 1",
   "the author presupposes the content in own voice: 'making them a versatile addition to Russia’s military arsenal' (c18, "
   "of these Iranian-built missiles) and 'his own use of Iranian missiles to strike civilian targets deep within Ukraine’s "
   "sovereign territory' (c24). a1 (same supply, plus a prediction of use) is committed; a7 must be too.")
rv("D5", MM, "a7", "note",
   "author_commitment committed (review, §4.6 step 1): presupposed in the author's voice by c18 ('a versatile addition to "
   "Russia’s military arsenal') and c24 ('his own use of Iranian missiles to strike civilian targets deep within "
   "Ukraine’s sovereign territory'); same value as a1.", "§4.6", "decision recorded")
rv("D5", MM, "a1", "note",
   "author_commitment committed (§4.6 step 1): the supply of short-range missiles is presupposed in the author's voice by "
   "c16-c18 ('These Iranian-built missiles … a versatile addition to Russia’s military arsenal') and c24 ('his own use of "
   "Iranian missiles'); c11's 'These missiles' refers to the long-range missiles of a5, not to this content.", "§4.6",
   "reason corrected (value agreed)")
# D6  MM appositive with a verb form is a claim (ambiguity 10 rejected)
rv("D6", MM, "c56", "end", 5474, "§1.1 S6, two further rules (appositives)",
   "the dash-set appositive 'a coalition of autocracies that includes …' contains a verb form ('includes'), so it is a "
   "claim of its own (S6: 'if and only if it contains a verb form'; 'Appositives are never split off … unless they contain a "
   "verb form'); the host ends before the dash (ADJUDICATION.md 1.2 ambiguity 4)")
rv("D6", MM, "c56", "text", "The downfall of the mullahs’ regime would dismantle the so-called ‘Axis of Resistance’",
   "§1.1 S6, §1.2", "span shortened to the host clause")
rv("D6", MM, "c58", "(added)", "claim a coalition of autocracies that includes Russia, Venezuela, North Korea, and Iran",
   "§1.1 S6, §1.3 rule 3, §2.1 R3", "appositive with a verb form: a claim of its own (ambiguity 10 rejected)")

NEW = [{"record": "claim", "id": "c58", "document_id": MM, "start": 5475, "end": 5556,
        "text": "a coalition of autocracies that includes Russia, Venezuela, North Korea, and Iran",
        "claim_type": "evaluative", "certainty": "certain", "polarity": "positive",
        "holder": {"type": "author", "attribution_id": None}, "stance": [],
        "note": "Appositive (set off by dashes) that contains a verb form, so a claim of its own (§1.1 S6 and the "
                "appositive rule; second review, rejecting ADJUDICATION.md 1.2 ambiguity 10). Evaluative: a value-laden "
                "characterisation presented as fact ('autocracies', §1.3 rule 3, like 'a theocratic, authoritarian "
                "regime'). Asserted by the author outside the scope of c56's conditional 'would': certain. No target: Iran "
                "and Russia appear only inside the restrictive relative modifying 'coalition of autocracies' (§2.1 R3)."}]

CLAIM_ORDER = ["record", "id", "document_id", "start", "end", "text", "claim_type", "certainty", "polarity", "holder",
               "stance", "note"]


def main() -> None:
    R.main()  # gold 1.1 + the adjudicator's 156 logged changes -> annotations/gold.jsonl (+ its own log)
    gold_path = ROOT / "annotations" / "gold.jsonl"
    lines = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    header, docs, anns = lines[0], {}, {}
    for r in lines[1:]:
        if r["record"] == "document":
            docs[r["document_id"]] = r
        else:
            anns[(r["document_id"], r["id"])] = r
    texts = {d: (ROOT / "corpus" / "texts" / f"{d}.txt").read_text(encoding="utf-8") for d in (GB, MM)}
    new = {k: copy.deepcopy(v) for k, v in anns.items()}
    log = []
    for c in REVIEW:
        key = (c["document_id"], c["id"])
        if c["field"] == "(added)":
            assert key not in anns, f"{key} reuses an id"
            new[key] = copy.deepcopy(next(n for n in NEW if (n["document_id"], n["id"]) == key))
            before = None
        elif c["field"] == "(deleted)":
            before = anns[key].get("text")
            del new[key]
        else:
            rec = new[key]
            before = rec.get(c["field"])
            assert before != c["after"], f"no-op review change {key} {c['field']}"
            rec[c["field"]] = c["after"]
        log.append({**c, "before": before})
    # canonical key order
    for key, r in new.items():
        if r["record"] == "attribution":
            order = ["record", "id", "document_id", "source", "cue", "content", "source_type", "form", "parc_type",
                     "parent", "hypothetical", "author_commitment", "note"]
            new[key] = {k: r[k] for k in order if k in r}
        elif r["record"] == "claim":
            assert set(r) <= set(CLAIM_ORDER), key
            new[key] = {k: r[k] for k in CLAIM_ORDER if k in r}
    # integrity checks (as in readjudicate.py)
    for (doc, rid), r in new.items():
        t = texts[doc]
        if r["record"] == "attribution":
            for part in ("source", "cue", "content"):
                if r[part] is not None:
                    R.check_span(t, r[part], f"{doc} {rid} {part}")
        else:
            R.check_span(t, r, f"{doc} {rid}")
        if r["record"] == "claim":
            hid = r["holder"]["attribution_id"]
            if hid:
                att = new[(doc, hid)]
                assert att["content"]["start"] <= r["start"] and r["end"] <= att["content"]["end"], f"{rid} outside content"
                assert (r["certainty"] == "underspecified") == bool(att["hypothetical"]), f"{doc} {rid}"
            else:
                assert r["certainty"] != "underspecified", f"{doc} {rid}"
            targets = [s["target"] for s in r["stance"]]
            assert len(targets) == len(set(targets)), f"{rid} target twice"
            assert all(s["polarity"] != "neutral" for s in r["stance"]), f"{doc} {rid}: neutral"
        if r["record"] == "cue":
            for cid in r["claims"]:
                assert (doc, cid) in new, f"{doc} {rid} links missing {cid}"
    # no two claims of a document share a span
    spans = [(d, r["start"], r["end"]) for (d, _), r in new.items() if r["record"] == "claim"]
    assert len(spans) == len(set(spans)), "duplicate claim span"
    # document stance: the review must not change the §2.6 result (it is asserted equal to the logged values)
    for doc, rec in docs.items():
        claims = [r for (d, _), r in new.items() if d == doc and r["record"] == "claim"]
        computed = R.compute_doc_stance(claims)
        assert computed == {s["target"]: s["polarity"] for s in rec["document_stance"]}, f"{doc}: §2.6 now {computed}"
    header = copy.deepcopy(header)
    header["provenance"]["notes"] += (
        " Second review (issue 15): every logged change and every remaining disagreement with the passes was reviewed by a "
        "second LLM agent session that made neither gold nor the adjudication; the disputes it upheld are applied after "
        "readjudicate.py by docs/passes/review-1.2/review.py from a logged list (review-changes.jsonl).")
    log.append({"dispute": "-", "document_id": "-", "id": "layer", "field": "provenance.notes",
                "before": "(adjudicator's text)", "after": "(adjudicator's text) + one sentence on the second review",
                "rule": "provenance", "reason": "record the review in the layer's provenance"})
    out = [header]
    for doc in sorted(docs):
        out.append(docs[doc])
        recs = [r for (d, _), r in new.items() if d == doc]
        anchor = lambda r: r["cue"] if r["record"] == "attribution" else r
        recs.sort(key=lambda r: (R.KIND_ORDER[r["record"]], anchor(r)["start"], anchor(r)["end"], r["id"]))
        out.extend(recs)
    dump = lambda o: json.dumps(o, ensure_ascii=False, separators=(", ", ": "))
    gold_path.write_text("".join(dump(o) + "\n" for o in out), encoding="utf-8")
    (HERE / "review-changes.jsonl").write_text("".join(dump(o) + "\n" for o in log), encoding="utf-8")

    def cell(v):
        if isinstance(v, list) and v and isinstance(v[0], dict):
            v = ", ".join(f"{s['target'][2:]} {s['polarity']}" for s in v)
        elif isinstance(v, list):
            v = "[]" if not v else ", ".join(map(str, v))
        v = "—" if v is None else str(v)
        v = v if len(v) <= 140 else v[:137] + "…"
        return v.replace("|", "\\|").replace("\n", " ")
    rows = ["| # | dispute | doc | record | field | before | after | rule | reason |",
            "|---|---|---|---|---|---|---|---|---|"]
    for i, c in enumerate(log, 1):
        d = {GB: "GB", MM: "MM"}.get(c["document_id"], "—")
        rows.append(f"| {i} | {c['dispute']} | {d} | {c['id']} | {c['field']} | {cell(c['before'])} | {cell(c['after'])} "
                    f"| {c['rule']} | {cell(c['reason'])} |")
    (HERE / "review-changes.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"review: {len(log)} rows over {len({(c['document_id'], c['id']) for c in log})} records; "
          f"gold records now {len(out) - 1}")


if __name__ == "__main__":
    main()
