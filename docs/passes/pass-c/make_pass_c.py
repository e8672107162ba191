import json, sys
sys.path.insert(0, '/work/wt/blind-c/work')
import gb, mm
docs = {json.loads(l)['id']: json.loads(l) for l in open('/work/wt/blind-c/corpus/documents.jsonl')}
import hashlib
header = {"record": "layer", "layer": "pass-c", "schema_version": "1.1.0", "corpus_version": "1.0.0",
  "provenance": {"method": "llm", "annotator": "LLM agent (Anthropic Claude), independent blind pass C", "tool": None,
   "guideline_version": "1.2.0", "date": "2026-11-29",
   "notes": "Blind pass under guidelines 1.2.0 (frozen): only the blind kit (schema, guidelines, raw texts, structure) was read. Each sentence was segmented by §1.1 S1–S7, attributions by §4, cues by §3.1, certainty by the §1.4 table, stance by §2.1–2.5 (strict R3 relevance), document stance by §2.6. Decisions were written as surface strings in work/make_pass_c.py (work/gb.py, work/mm.py); offsets computed by string search over the raw text and checked; hard-case reasoning is in note fields."}}
lines = [header]
for mod in sorted([gb, mm], key=lambda m: m.d.id):
    d = mod.d
    sha = docs[d.id]['sha256']
    assert hashlib.sha256(d.text.encode('utf-8')).hexdigest() == sha
    lines += d.records(mod.DS, mod.NOTE, sha)
with open('/work/wt/blind-c/annotations/pass-c.jsonl', 'w', encoding='utf-8') as f:
    for o in lines:
        f.write(json.dumps(o, ensure_ascii=False, separators=(", ", ": ")) + "\n")
print(len(lines))
