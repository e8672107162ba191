"""The Label Studio bridge: labeling config, tasks, export import, push/pull (issue 7).

Mapping (lossless both ways; see docs/LABEL_STUDIO.md):
- claim, cue: one `span` region each, labelled `claim` / `cue`; region id = annotation id.
- attribution: its cue is a `span` region labelled `attribution_cue` whose id is the attribution
  id; its source (optional) and content are regions labelled `attribution_source` /
  `attribution_content`, linked from the cue region by relations labelled `source` / `content`.
- claim.holder: per-region Choices `holder` (author | attribution) plus, for an attribution
  holder, a relation `holder` from the claim region to the attribution's cue region.
- cue.claims: relations `modifies` from the cue region to each claim region (in order).
- attribution.parent: relation `parent` from the cue region to the parent's cue region.
- labels: per-region Choices; claim stance: one per-region Choices `stance_<TARGET>` per target;
  notes: per-region TextArea `note`; document stance: task-level Choices `document_<TARGET>`;
  document note: task-level TextArea `document_note`.
"""
