"""The human-readable agreement table, rendered from the same dict as the JSON output."""

from __future__ import annotations


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


TEXT_COLUMNS = {"note", "coding"}


def _row(cells: list[str], widths: list[int], left: list[bool]) -> str:
    return "  ".join(c.ljust(w) if is_left else c.rjust(w) for c, w, is_left in zip(cells, widths, left)).rstrip()


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Aligned columns: labels and text left, numbers right."""
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    left = [k == 0 or name in TEXT_COLUMNS for k, name in enumerate(header)]
    return [_row(header, widths, left), _row(["-" * w for w in widths], widths, left),
            *(_row(r, widths, left) for r in rows)]


def _span_rows(spans: dict) -> list[list[str]]:
    rows = []
    for layer, entry in spans.items():
        rows.append([layer, str(entry["exact"]["n_a"]), str(entry["exact"]["n_b"]), _num(entry["exact"]["f1"]),
                     _num(entry["overlap"]["f1"])])
        for label_field, values in entry["by_label"].items():
            for value, modes in values.items():
                rows.append([f"  {label_field}={value}", str(modes["exact"]["n_a"]), str(modes["exact"]["n_b"]),
                             _num(modes["exact"]["f1"]), _num(modes["overlap"]["f1"])])
    return rows


def _kappa_cell(k: dict) -> list[str]:
    return [_num(k["kappa"]), str(k["n"]), _num(k["observed_agreement"]), k["reason"] or ""]


def format_report(report: dict) -> str:
    """Plain-text tables of an AgreementReport.to_dict(); undefined values print as '—' with the reason."""
    a, b = report["layers"]["a"], report["layers"]["b"]
    docs = report["documents"]
    lines = [f"Agreement: A = {a['name']} ({a['annotator']}), B = {b['name']} ({b['annotator']})",
             f"documents compared: {docs['compared']}; only in A: {docs['only_in_a']['count']}; "
             f"only in B: {docs['only_in_b']['count']}", "",
             "Span F1 (exact: same offsets; overlap: shared code point, greedy one-to-one by largest overlap)"]
    lines += _table(["layer / label", "n_A", "n_B", "F1 exact", "F1 overlap"], _span_rows(report["spans"]))
    lines += ["", "Cohen's kappa on items matched by overlap (claims, cues; attributions by cue span)"]
    rows = []
    for group, fields in report["kappa"].items():
        for name, k in fields.items():
            rows.append([f"{group}.{name}", *_kappa_cell(k)])
    lines += _table(["label", "kappa", "n", "p_o", "note"], rows)
    lines += ["", "Krippendorff's alpha (nominal, unit = corpus token)"]
    lines += _table(["layer", "alpha", "tokens", "coding"],
                    [[name, _num(x["alpha"]), str(x["units"]), x["reason"] or x["coding"]]
                     for name, x in report["alpha"].items()])
    att = report["attributions"]
    wise = att["attribution_wise"]
    lines += ["", f"Attribution-wise (paired by {att['matched_by']}): {wise['matched']} paired of "
              f"{wise['n_a']} (A) / {wise['n_b']} (B), F1 {_num(wise['f1'])}"]
    for role, modes in att["on_matched"].items():
        lines.append(f"  {role} agrees on paired attributions: exact {_num(modes['exact']['share'])}, "
                     f"overlap {_num(modes['overlap']['share'])}")
    stance = report["document_stance"]
    lines += ["", "Document stance (per target across documents; 'absent' = target not listed)"]
    lines += _table(["target", "agreed", "documents", "kappa", "note"],
                    [[t, str(v["agreed"]), str(v["documents"]), _num(v["kappa"]["kappa"]), v["kappa"]["reason"] or ""]
                     for t, v in stance["by_target"].items()])
    pooled = stance["pooled_kappa"]
    lines.append(f"pooled over (document, target): kappa {_num(pooled['kappa'])}, n {pooled['n']}"
                 + (f" ({pooled['reason']})" if pooled["reason"] else ""))
    return "\n".join(lines) + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---" if k == 0 or name in TEXT_COLUMNS else "---:" for k, name in enumerate(header)]
    return ["| " + " | ".join(r) + " |" for r in (header, align, *rows)]


def _md_kappa(k: dict) -> str:
    return _num(k["kappa"]) if k["kappa"] is not None else "undefined"


def markdown_report(report) -> str:
    """Compact Markdown of an AgreementReport (or its dict) for the datasheet; no file paths, so it is
    reproducible wherever the checkout lives."""
    data = report if isinstance(report, dict) else report.to_dict()
    a, b = data["layers"]["a"], data["layers"]["b"]
    lines = [f"Layers `{a['name']}` (A) and `{b['name']}` (B), {data['documents']['compared']} documents compared "
             f"(only in A: {data['documents']['only_in_a']['count']}, only in B: {data['documents']['only_in_b']['count']}). "
             "Exact = same offsets; overlap = at least one shared code point, one-to-one, greedy by largest overlap.",
             "", *_md_table(["span layer", "n A", "n B", "F1 exact", "F1 overlap"],
                            [[layer, str(e["exact"]["n_a"]), str(e["exact"]["n_b"]), _num(e["exact"]["f1"]),
                              _num(e["overlap"]["f1"])] for layer, e in data["spans"].items()]),
             "", "Cohen's kappa on items paired by overlap (attributions by cue span); undefined = both "
             "annotators used a single category:", ""]
    rows = [[f"{group}.{name}", _md_kappa(k), str(k["n"]), _num(k["observed_agreement"])]
            for group, fields in data["kappa"].items() for name, k in fields.items()]
    lines += _md_table(["label", "kappa", "pairs", "observed agreement"], rows)
    lines += ["", "Token-level nominal Krippendorff's alpha (unit = corpus token):", ""]
    lines += _md_table(["layer", "alpha", "tokens", "coding"],
                       [[name, _num(x["alpha"]) if x["alpha"] is not None else "undefined", str(x["units"]),
                         x["coding"]] for name, x in data["alpha"].items()])
    wise, stance = data["attributions"]["attribution_wise"], data["document_stance"]
    agreed = sum(v["agreed"] for v in stance["by_target"].values())
    total = sum(v["documents"] for v in stance["by_target"].values())
    lines += ["", f"Attribution-wise (paired by cue overlap): {wise['matched']} paired of {wise['n_a']} (A) and "
              f"{wise['n_b']} (B), F1 {_num(wise['f1'])}. Document stance: {agreed} of {total} (document, target) "
              f"pairs agree, pooled kappa {_md_kappa(stance['pooled_kappa'])}."]
    return "\n".join(lines) + "\n"


def pairwise_markdown(reports: list) -> str:
    """One summary row per pair of layers (AgreementReports or their dicts): the headline figures of
    `cash agreement A B` side by side, for the datasheet and the card."""
    header = ["A – B", "claims F1 exact", "claims F1 overlap", "cues F1 exact", "source F1", "attribution cue F1",
              "content F1", "κ certainty", "κ cue kind", "α claims", "κ document stance"]
    rows = []
    for report in reports:
        data = report if isinstance(report, dict) else report.to_dict()
        spans, kappa, alpha = data["spans"], data["kappa"], data["alpha"]
        rows.append([f"`{data['layers']['a']['name']}` – `{data['layers']['b']['name']}`",
                     _num(spans["claims"]["exact"]["f1"]), _num(spans["claims"]["overlap"]["f1"]),
                     _num(spans["cues"]["exact"]["f1"]), _num(spans["attribution_source"]["exact"]["f1"]),
                     _num(spans["attribution_cue"]["exact"]["f1"]), _num(spans["attribution_content"]["exact"]["f1"]),
                     _md_kappa(kappa["claims"]["certainty"]), _md_kappa(kappa["cues"]["kind"]),
                     _num(alpha["claims"]["alpha"]), _md_kappa(data["document_stance"]["pooled_kappa"])])
    return "\n".join(_md_table(header, rows)) + "\n"
