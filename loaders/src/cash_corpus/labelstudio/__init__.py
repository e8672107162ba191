"""The Label Studio bridge: labeling config, tasks, export import, push/pull (issue 7).

Mapping (lossless both ways up to ids; see docs/LABEL_STUDIO.md):
- region ids are editor-style (10 chars over A-Za-z0-9_-, never `#`); a predicted span result's
  `meta` names the CASH record it shows (`cash_id`, `cash_part`); imported records get CASH ids
  from kind and offsets (`ids.py`) and keep the editor's id as `ls_region_id`.
- claim, cue: one `span` region each, labelled `claim` / `cue`.
- attribution: its cue is a `span` region labelled `attribution_cue`; its source (optional) and
  content are regions labelled `attribution_source` / `attribution_content`, linked from the cue
  region by relations labelled `source` / `content`.
- claim.holder: per-region Choices `holder` (author | attribution) plus, for an attribution
  holder, a relation `holder` from the claim region to the attribution's cue region.
- cue.claims: relations `modifies` from the cue region to each claim region (in order).
- attribution.parent: relation `parent` from the cue region to the parent's cue region.
- labels: per-region Choices; claim stance: one per-region Choices `stance_<TARGET>` per target;
  notes: per-region TextArea `note` (and region meta text); document stance: task-level Choices `document_<TARGET>`;
  document note: task-level TextArea `document_note`.
"""
