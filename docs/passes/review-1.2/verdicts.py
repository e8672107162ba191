"""Second reviewer's verdict on every logged change of the 1.2.0 re-adjudication and on every remaining
disagreement between the adjudicated gold and each pass that the adjudicator did not log (issue 15).

Writes review-verdicts.md next to this file. Inputs: docs/passes/adjudication-1.2/changes.jsonl (the 156 logged
rows) and the adjudicated gold as committed before the review (git commit ADJUDICATED), aligned with pass-a, pass-b
and pass-c by docs/passes/adjudication-1.2/diff_layers.py's pairing. A row is 'logged' when the log has a change of
the same record and field (or, for a record found in one layer only, any change of that gold record).

Verdicts: agree; agree (reason amended) — value right, logged reason wrong; dispute → upheld (D-number, applied by
review.py); dispute → rejected (the adjudicator is right after all; reason given).

Run from the repository root:  python3 docs/passes/review-1.2/verdicts.py
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ADJUDICATED = "45cba90"  # main after the re-adjudication, before this review
GB, MM = "going-ballistic", "mullahs-missiles"
D = {GB: "GB", MM: "MM"}

UPHELD = {  # logged row number -> (dispute, reviewer's value, rule, reason)
    28: ("D5", "committed", "§4.6 step 1", "content presupposed by the author (c18 'addition to Russia’s military arsenal', c24 'his own use of Iranian missiles'); parity with a1"),
    38: ("D4", "not_committed", "§4.6 step 3, hard case", "the reason given is commitment to the ascription ('asserts the commitment'), which §4.6 says is not the question; the eventuality content is not asserted by the author"),
    67: ("D2", "IRAN_REGIME no_stance, SANCTIONS no_stance", "§2.1 R1 (ambiguity 2)", "'it' = the provision of missiles (Iran's act), as in c16/c17; the anaphor rule must be applied evenly"),
    102: ("D1", "IRAN_REGIME against, RUSSIA_WAR against", "§2.1 R1 (ambiguity 2), §2.4 step 1", "'this development' covers Russia's receipt and imminent use as much as Iran's supply; condemn → against both agents"),
    103: ("D1", "note rewritten", "§2.4", "note follows D1"),
    148: ("D3", "h13 deleted", "§3 unit, §3.3", "moot: the cue goes (D3)"),
    149: ("D3", "h13 deleted", "§3 unit, §3.3, §3.1 rule 4", "'underscores' + NP object is c41's main predicate; the proposition it would boost (c39) is in another sentence; §3.1 lists only 'underscores that'"),
}
REJECTED = {  # logged rows the reviewer disputed and then found right
    51: "R1 strictly names the target or a co-referring expression, and 'The move' co-refers with an act, not the regime; but §2.3 ('the target itself, its agent or its action') and the §2.4 step 1 example (against 'the agent of the reported event') make a target's own act engage it, and pass-c itself does so for GB c4 and MM c19: ambiguity 2 is a fair reading. Adjudicator right.",
    63: "as row 51 (subject 'the provision of missiles' = Iran's act). Adjudicator right.",
    65: "as row 51 (understood subject = the provision). Adjudicator right.",
    85: "§3.2 says of the span 'can point to a European partner willing to engage in fair talks' 'no cue, no attribution', but the sentence is about 'point to'; 'willing to engage' passes §4.2's three steps and §4.3 lists willingness as eventuality. Adjudicator right (defect G4).",
    112: "'aggressive' is value-laden, but §1.3 rule 3 asks whether the point of the clause is a judgement; the point is the causal consequence. Adjudicator right.",
    132: "§1.1 says a loaded appositive counts for the stance of its claim, but §2.2 runs only 'for each target that passed §2.1' and 'the current dictatorship' is the complement of the noun 'alternative' (R3, modifier of another noun). Adjudicator right (defect G2).",
}
AMENDED = {
    16: "value right; but c11's 'These missiles' are the long-range missiles of a5. The supply of short-range missiles is presupposed by c16-c18 and c24 (note corrected by review.py, D5)",
    36: "value right; the reason ('presents the pledge as underscoring') is commitment to the ascription. The right reason is c39 'all factions are accountable to Supreme Leader Ali Khamenei' (note corrected by review.py, D4)",
}
COMMENT = {  # extra basis for agreed rows where the check was not obvious
    22: "'supports this alarm' endorses that intelligence supports Blinken; the characterisation itself (threat to all of Europe) is not asserted in the author's voice",
    30: "c11 'signify a new escalation' asserts in the author's voice what Lammy's content says (§4.6 step 1); pass-c's not_committed overlooks c11",
    32: "§4.6 step 2 names exactly these two phrases as not doubt",
    46: "'this' = Iran's act (ambiguity 2); the holder's own quoted 'dramatic' (§2.4 step 1)",
    48: "'in Ukraine' is a place adjunct (R3); 'challenging European security' has no loaded word on Iran; §2.5 when unsure no_stance",
    52: "relief as incentive is T_ENGAGE_IRAN by the definition; understood subject = the Iranian government",
    60: "host includes the content (§2.3's own span example MM [2054, 2202)); the prescription itself takes sides on Tehran and on sanctions",
    73: "§1.3 first match: 'will be needed' says what someone needs to do",
    74: "predicting that X worsens things is against X, as in the §2.2 example 'only emboldens the Kremlin'; coverage of 'escalating tensions' by T_SANCTIONS is a reading of 'other coercive pressure' (defect G3)",
    87: "§2.4 step 1 example; Russia as recipient argument parallels the GB example",
    102: "",
    104: "R2 requires a link the document states; adjacency is not one (ambiguity 9)",
    115: "R3 'within the regime' modifies 'moderates and hardliners'; the subject head is 'distinction'",
    121: "R3: restrictive participial modifying 'movements'",
    127: "'Such actions' co-refers with the subject of c47",
}


def ch_rule(c):
    return c["rule"]


def logged_rows():
    return [json.loads(x) for x in (ROOT / "docs/passes/adjudication-1.2/changes.jsonl").read_text(encoding="utf-8").splitlines()]


def unlogged(log):
    """Rows of diff_layers.py output (adjudicated gold vs each pass) not covered by a logged change."""
    logged = {(c["document_id"], c["id"], c["field"].split(".")[0]) for c in log}
    logged_rec = {(c["document_id"], c["id"]) for c in log}
    gold = subprocess.run(["git", "-C", str(ROOT), "show", f"{ADJUDICATED}:annotations/gold.jsonl"], check=True,
                          capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_file_location("diff_layers", ROOT / "docs/passes/adjudication-1.2/diff_layers.py")
    dl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dl)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "annotations").mkdir()
        (Path(tmp) / "annotations/gold.jsonl").write_text(gold, encoding="utf-8")
        for p in ("pass-a", "pass-b", "pass-c"):
            (Path(tmp) / f"annotations/{p}.jsonl").write_text((ROOT / f"annotations/{p}.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
        dl.ROOT = Path(tmp)
        items = []
        for p in ("pass-a", "pass-b", "pass-c"):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                dl.main(p)
            cur = None
            for line in buf.getvalue().splitlines():
                if line.startswith("DIFF"):
                    m = re.match(r"DIFF (\S+) gold (\S+) / \S+ (\S+)", line)
                    cur = (m.group(1), m.group(2), m.group(3))
                elif line.startswith("    ") and not line.startswith(f"    {p}"):
                    field = line.strip().split(":")[0]
                    if (cur[0], cur[1], field) not in logged:
                        items.append((p, cur[0], cur[1], field, line.strip()))
                elif line.startswith("ONLY"):
                    m = re.match(r"ONLY-(\S+) (\S+) (\S+) \((\d+), (\d+)\) (.*)", line)
                    if m.group(1) == "GOLD" and (m.group(2), m.group(3)) in logged_rec:
                        continue
                    items.append((p, m.group(2), m.group(3), f"only in {m.group(1)}", m.group(6)))
    return items


BOOSTERS_NOT = {"firmly", "only", "already", "know", "disclosed", "fallacy", "reality"}


def unlogged_verdict(p, doc, rid, field, what):
    """(verdict, rule, basis) for an unlogged disagreement; decided item by item, grouped where the rule is the same."""
    w = what
    if field.startswith("only in pass"):
        word = re.match(r"'([^']*)'", w).group(1) if w.startswith("'") else w
        if word in BOOSTERS_NOT:
            return "agree", "§3.1 rule 4, §4.6", f"'{word}' is listed as not a booster (temporal, focus, manner, evaluative noun or factive attribution cue)"
        if word in ("prospect", "possibility"):
            return "agree", "§3.1 rule 3", "noun that is part of what is prescribed: content, not a cue"
        if word == "evidence":
            return "agree", "§3.3", "epistemic noun as predicate of the characterisation (guideline example)"
        if word == "advocating for":
            return "agree", "§4.2 step 3", "content 'talks with the West' is a bare noun phrase"
        if word == "want to prevent":
            return "agree", "§4.2 step 3", "content exists only as a relative-clause gap (guideline example)"
        if word == "concern":
            return "agree", "§4.1", "one attribution per reporting event: cue 'characterizing' (guideline example)"
        if word.startswith("the issue with"):
            return "agree", "§1.1 S6", "verbless predicative as-phrase stays in its host (guideline example)"
        if word.startswith("Iran’s ballistic missile program as"):
            return "agree", "§1.1 S7", "verbless coordinated predicatives: one claim (ambiguity 15)"
        if word.startswith("precludes") or word.startswith("striving"):
            return "agree", "§1.1 S3", "restrictive relative / reduced relative stays in its host (guideline example)"
        if word.startswith("President Pezeshkian’s pledge") or word.startswith("the U.S. and Canada"):
            return "agree", "§1.1 S5", "pro-form ellipsis merged into its host (guideline example)"
        if word.startswith("Western nations should extend"):
            return "agree", "§1.1 S6", "as-phrase and adjective phrase stay in the host (guideline example)"
        if word.startswith("the international community views"):
            return "agree", "§1.1 S6 (last sentence), §4.5", "the predication is the nested attribution a14 (cue with content), not a claim; a13's content holds c48 through a14"
    if field.startswith("only in GOLD"):
        if rid == "c6":
            return "agree", "§1.1 framing clauses", "framing clause of the author (guideline example)"
        if rid == "c17":
            return "agree", "§1.1 S7", "split coordinated predicate (guideline example)"
        if rid == "c21":
            return "agree", "§1.1 S4", "finite as-clause set off by its subordinator: a claim of its own"
        if rid == "c30":
            return "dispute → rejected", "§1.1 S4, §2.3", "'while maintaining …' is non-finite and not comma-set, so S4 does not literally cover it (defect G5); but §2.3 treats MM [2596, 2686) as a claim with its own stance, so the split stands"
    key = (doc, rid, field)
    table = {
        (GB, "c5", "claim_type"): ("agree", "§1.3", "a checkable state of affairs; no judgement word is the point"),
        (GB, "c21", "stance"): ("agree", "§2.1 R3", "Russia only in the condition (guideline example)"),
        (GB, "c27", "end"): ("agree", "§1.1 S6", "predicative as-phrase stays in the host (guideline example)"),
        (MM, "c7", "start"): ("agree", "§1.1 S7", "merge of c8 into c7 (logged under end/text)"),
        (MM, "c10", "certainty"): ("agree", "§1.4 source column", "'indicating' makes it probable (guideline example)"),
        (MM, "c19", "start"): ("agree", "§4.2", "'this development as “a significant escalation”' is the X-as-Y content (guideline example)"),
        (MM, "c24", "stance"): ("agree", "§2.1 R3", "'Iranian missiles' is a modifier (guideline example)"),
        (MM, "c32", "polarity"): ("agree", "§1.5", "quasi-negator 'little' keeps positive (guideline example)"),
        (MM, "c37", "end"): ("agree", "§1.1 S3", "restrictive relative stays in (guideline example)"),
        (MM, "c41", "start"): ("agree", "§1.1 S5", "ellipsis merged (logged under end/text)"),
        (MM, "c46", "end"): ("agree", "§1.1 S3", "restrictive participial stays in (guideline example)"),
        (MM, "c54", "start"): ("agree", "§1.1 S6", "as-phrase / adjective phrase stay in the host (guideline example)"),
        (MM, "c54", "claim_type"): ("agree", "§1.3 rule 1", "the host is a prescription"),
        (MM, "a8", "content"): ("agree", "§4.2", "X-as-Y content (guideline example)"),
        (MM, "a8", "form"): ("agree", "§4.1 form", "paraphrase with a quoted fragment: mixed"),
        (MM, "a9", "source"): ("agree", "§4.1 source", "a possessive source keeps its ’s (guideline example)"),
        (MM, "a11", "source"): ("agree", "§4.1 source", "a possessive source keeps its ’s"),
        (MM, "a13", "cue"): ("agree", "§4.1 cue", "verb group with its auxiliary"),
        (GB, "c28", "start"): ("agree", "§1.1 S6", "finite as-clause of reason is a claim of its own; its span leaves out 'as' (guideline example)"),
        (GB, "c28", "end"): ("agree", "§1.1 S6", "host and supplement split (guideline example)"),
        (GB, "c28", "claim_type"): ("agree", "§1.3", "the supplement is factual; the prescription is c29"),
        (GB, "a3", "parc_type"): ("agree", "§4.3", "'For X, P' is belief (guideline example)"),
        (MM, "c16", "end"): ("agree", "§1.1 S7", "split (guideline example)"),
        (MM, "c20", "end"): ("agree", "§1.1 S4", "finite as-clause is split"),
        (MM, "c29", "end"): ("dispute → rejected", "§1.1 S4, §2.3", "see MM c30: the split follows §2.3's example span"),
        (MM, "c29", "claim_type"): ("dispute → rejected", "§1.3", "with the split, c29 is a checkable report (factual); the evaluation is in c30"),
        (MM, "c41", "claim_type"): ("agree", "§1.3", "the pledge underscoring a state of affairs is presented as a checkable relation; not a judgement"),
        (MM, "c47", "stance"): ("agree", "§2.1 R1 (definitions), §2.2", "closing embassies/expelling diplomats acts on diplomacy (T_ENGAGE_IRAN, against) and is coercive (T_SANCTIONS, favor) (ambiguity 12)"),
        (MM, "h7", "end"): ("agree", "§1.4, §3.1 rule 3", "the cue is 'poised to' as listed"),
        (MM, "h7", "text"): ("agree", "§1.4, §3.1 rule 3", "the cue is 'poised to' as listed"),
        (GB, "c29", "claim_type"): ("agree", "§1.3 rule 1", "ambiguity 6: 'will be needed' = needs to (deontic), first match"),
    }
    if key in table:
        return table[key]
    raise KeyError(f"no verdict for {p} {key} {what}")


def main():
    log = logged_rows()
    out = ["# Second review of the 1.2.0 re-adjudication: verdict on every item", "",
           "Generated by `docs/passes/review-1.2/verdicts.py`. D-numbers are the upheld disputes applied by `review.py`;",
           "see docs/ADJUDICATION.md, section \"Review of the 1.2.0 re-adjudication (second reviewer)\".", "",
           "## A. The 156 logged changes", "",
           "| # | doc | record | field | adjudicator's rule | verdict | reviewer's basis |", "|---|---|---|---|---|---|---|"]
    counts = {}
    for i, c in enumerate(log, 1):
        if i in UPHELD:
            d, val, rule, why = UPHELD[i]
            verdict, basis = f"dispute → upheld ({d})", f"{rule}: {why}; reviewer's value: {val}"
        elif i in REJECTED:
            verdict, basis = "dispute → rejected", REJECTED[i]
        elif i in AMENDED:
            verdict, basis = "agree (reason amended)", AMENDED[i]
        else:
            verdict = "agree"
            basis = COMMENT.get(i) or ("applies the guideline's own example" if "guideline example" in c["reason"]
                                      else "the logged rule and reason hold on the guideline text")
        counts[verdict.split(" (")[0]] = counts.get(verdict.split(" (")[0], 0) + 1
        out.append(f"| {i} | {D.get(c['document_id'], '—')} | {c['id']} | {c['field']} | {c['rule']} | {verdict} | "
                   f"{basis.replace('|', '/')} |")
    out += ["", "Counts (logged): " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), "",
            "## B. Disagreements between the adjudicated gold and a pass that the log does not cover", "",
            "| pass | doc | gold record | field | difference (gold \\| pass) | verdict | rule | reviewer's basis |",
            "|---|---|---|---|---|---|---|---|"]
    ucounts = {}
    for p, doc, rid, field, what in unlogged(log):
        verdict, rule, basis = unlogged_verdict(p, doc, rid, field, what)
        ucounts[verdict] = ucounts.get(verdict, 0) + 1
        short = what if len(what) <= 90 else what[:87] + "…"
        out.append(f"| {p} | {D[doc]} | {rid} | {field} | {short.replace('|', '/')} | {verdict} | {rule} | {basis} |")
    out += ["", "Counts (unlogged): " + ", ".join(f"{k} {v}" for k, v in sorted(ucounts.items())), ""]
    (HERE / "review-verdicts.md").write_text("\n".join(out), encoding="utf-8")
    print(counts, ucounts)


if __name__ == "__main__":
    main()
