"""Align gold with pass-c (and pass-a/b) by span overlap and print every difference (adjudication worksheet)."""
import json, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[3]
def load(name):
    recs = [json.loads(l) for l in (ROOT / "annotations" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    return recs
def span(r):
    if r["record"] == "attribution":
        return (r["cue"]["start"], r["cue"]["end"])
    return (r["start"], r["end"])
def ov(a, b): return max(0, min(a[1], b[1]) - max(a[0], b[0]))
KEYS = {"claim": ["start", "end", "claim_type", "certainty", "polarity", "holder", "stance"],
        "cue": ["start", "end", "text", "kind", "cue_type", "claims"],
        "attribution": ["source", "cue", "content", "source_type", "form", "parc_type", "parent", "hypothetical", "author_commitment"]}
def main(other="pass-c"):
    g, o = load("gold"), load(other)
    for doc in ["going-ballistic", "mullahs-missiles"]:
        for kind in ["claim", "cue", "attribution"]:
            G = [r for r in g if r.get("document_id") == doc and r["record"] == kind]
            O = [r for r in o if r.get("document_id") == doc and r["record"] == kind]
            used = set()
            for r in G:
                exact = [x for x in O if span(x) == span(r) and x["id"] not in used]
                cands = exact or [x for x in O if x["id"] not in used and not any(span(y) == span(x) for y in G)]
                best = max(cands, key=lambda x: ov(span(r), span(x)), default=None)
                if best is None or ov(span(r), span(best)) == 0 or best["id"] in used:
                    print(f"ONLY-GOLD {doc} {r['id']} {span(r)} {r.get('text', r.get('cue',{}).get('text'))!r}")
                    continue
                used.add(best["id"])
                diffs = []
                for k in KEYS[kind]:
                    a, b = r.get(k), best.get(k)
                    if kind == "claim" and k == "holder":
                        a = a["type"]; b = b["type"]
                    if kind == "cue" and k == "claims": continue
                    if kind == "attribution" and k in ("source", "cue", "content"):
                        a = a and (a["start"], a["end"]); b = b and (b["start"], b["end"])
                    if kind == "attribution" and k == "parent": continue
                    if kind == "claim" and k == "stance":
                        a = sorted((s["target"], s["polarity"]) for s in a); b = sorted((s["target"], s["polarity"]) for s in b)
                    if a != b: diffs.append(f"{k}: {a} | {b}")
                if diffs:
                    print(f"DIFF {doc} gold {r['id']} / {other} {best['id']} {r.get('text', r.get('cue',{}).get('text'))[:90]!r}")
                    for d in diffs: print("    " + d)
                    if kind == "claim" and (r["start"], r["end"]) != (best["start"], best["end"]):
                        print(f"    {other} text: {best['text'][:140]!r}")
            for x in O:
                if x["id"] not in used:
                    print(f"ONLY-{other} {doc} {x['id']} {span(x)} {x.get('text', x.get('cue',{}).get('text'))!r} :: {json.dumps({k: x.get(k) for k in KEYS[kind] if k not in ('start','end')}, ensure_ascii=False)[:300]}")
if __name__ == "__main__":
    main(*sys.argv[1:])
