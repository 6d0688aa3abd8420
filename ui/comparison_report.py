"""The comparison report: 1–5 scenarios of a workspace side by side, with their notes and, when a
workshop ran, its votes and pooled ranges (no Streamlit).

``comparison_files(...)`` returns every file as bytes: ``comparison.html`` (self-contained: charts
inlined as PNG, print CSS, every piece of text HTML-escaped), ``comparison.csv`` (one row per
result, one column per scenario; cells that a spreadsheet would read as formulas neutralised) and
the charts as PNG. Reuses the compare page's chart builders and the single report's pieces.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape

import pandas as pd

from model.assumptions import BY_NAME
from model.scenario import safe_csv
from model.simulation import run as run_model
from model.structure import Structure, run_structured
from model.workshop import VOTE_LABELS, VOTES, Results
from ui import compare_charts, report, workshop_charts
from ui.format import compact, value_with_unit

MAX_SCENARIOS = 5

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:64rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{margin-bottom:.2rem}.meta{color:#666;margin-top:0}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1.4rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{white-space:pre-wrap;color:#444}
img{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none;font-size:10.5pt}
h2{break-after:avoid}table,img,figure{break-inside:avoid}
@page{size:A4;margin:14mm}}
"""


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode()
    return f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}"></figure>'


LEVERS = ("honesty", "investment", "tenure_years", "horizon_years", "include_terminal_value")


def _setting(name: str, x: object) -> str:
    a = BY_NAME[name]
    if a.unit.startswith("currency"):  # money at three significant figures, as everywhere
        return compact(float(x)) + a.unit.removeprefix("currency")  # type: ignore[arg-type]
    return value_with_unit(x, a.unit)  # type: ignore[arg-type]


def results_frame(runs: Sequence[tuple[str, object]]) -> pd.DataFrame:
    """One row per result (key and the glossary's words), one column per scenario, exact values;
    then the lever settings each scenario was run with."""
    rows: dict[str, dict[str, object]] = {}
    for name, r in runs:
        for key, label, _shown, _text, exact in report.summary_rows(r):
            rows.setdefault(key, {"key": key, "result": label})[name] = exact
        for lever in LEVERS:
            rows.setdefault(lever, {"key": lever, "result": BY_NAME[lever].label})[name] = \
                r.values[lever]
    return pd.DataFrame(list(rows.values()))


def _table(runs: Sequence[tuple[str, object]], first: str, rows: dict[str, tuple]) -> str:
    head = "".join(f"<th class=num>{escape(n)}</th>" for n, _ in runs)
    body = "".join(f"<tr data-key=\"{escape(k)}\"><td>{escape(lbl)}</td>" + "".join(
        f"<td class=num title=\"{escape(tip)}\">{escape(t)}</td>" for t, tip in cells)
        + "</tr>" for k, (lbl, cells) in rows.items())
    return f"<table><tr><th>{escape(first)}</th>{head}</tr>{body}</table>"


def _results_table(runs: Sequence[tuple[str, object]]) -> str:
    """The results at three significant figures (exact to the cent in each cell's tooltip), one
    row per result whatever each scenario's tenure."""
    rows: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for _name, r in runs:
        for key, label, text, exact_text, _exact in report.summary_rows(r):
            rows.setdefault(key, (label, []))[1].append((text, exact_text))
    return _table(runs, "Result", rows)


def _levers_table(runs: Sequence[tuple[str, object]]) -> str:
    """The lever settings each scenario was run with (the rest is in the CSV and the app)."""
    rows = {lever: (BY_NAME[lever].label,
                    [(_setting(lever, r.values[lever]),) * 2 for _n, r in runs])
            for lever in LEVERS}
    return _table(runs, "Lever", rows)


def _workshop_html(title: str, res: Results) -> str:
    votes = "".join(
        f"<tr><td>{escape(VOTE_LABELS[v])}</td><td class=num>{res.votes['before'][v]}</td>"
        f"<td class=num>{res.votes['after'][v]}</td></tr>" for v in VOTES)
    def v(name: str, x: float) -> str:  # in the reader's units ("25 %"), not model units
        return escape(value_with_unit(x, BY_NAME[name].unit))

    pooled = "".join(
        f"<tr><td>{escape(BY_NAME[n].label)}</td><td class=num>{p.n}</td>"
        f"<td class=num>{v(n, p.low)}</td><td class=num>{v(n, p.likely)}</td>"
        f"<td class=num>{v(n, p.high)}</td><td class=num>{v(n, p.p10)} – {v(n, p.p90)}</td></tr>"
        for n, p in res.pooled.items())
    return (f"<h2>Workshop: {escape(title)}</h2><p>{res.participants} participants.</p>"
            "<table><tr><th>Vote</th><th>Before the analysis</th><th>After</th></tr>"
            f"{votes}</table>"
            "<table><tr><th>Assumption (pooled)</th><th>Answers</th><th>Low</th>"
            "<th>Likely (median)</th><th>High</th><th>Middle 80 %</th></tr>"
            f"{pooled}</table>")


def _structure_html(name: str, result) -> str:
    """A scenario's segments (where the bad profits sit, vulture segments with their figure)
    and its fixes (ranking, what the budget buys), as escaped HTML."""
    out = f"<h2>Segments, tiers and fixes of {escape(name)}</h2>"
    if result.segments:
        rows = "".join(
            f"<tr><td>{escape(str(r['segment']))}</td><td>{r['customers']:,.0f}</td>"
            f"<td>{r['bad_profit_revenue_per_year_today']:,.0f}</td>"
            f"<td>{r['share_of_bad_profits']:.0%}</td><td>{r['ltv_honest']:,.0f}</td>"
            f"<td>{r['cac']:,.0f}</td><td>{r['delta_npv_honest_alone']:,.0f}</td>"
            f"<td class=note>{escape(str(r.get('vulture_reason', 'no')))}</td></tr>"
            for r in result.segments)
        out += ("<table><tr><th>Segment</th><th>Customers</th><th>Bad-profit revenue a year"
                "</th><th>Share of bad profits</th><th>Honest LTV</th><th>CAC</th>"
                "<th>ΔNPV going honest alone</th><th>Vulture?</th></tr>" + rows + "</table>")
    if result.tiers:
        t = result.tiers
        out += (f"<p>Net revenue retention over 12 months: {t['nrr_12_months_scenario']:.1%} "
                f"(status quo {t['nrr_12_months_status_quo']:.1%}); super users at the horizon "
                f"end: {t['super_users_horizon_end_scenario']:,.0f} (status quo "
                f"{t['super_users_horizon_end_status_quo']:,.0f}).</p>")
    if result.fixes:
        rows = "".join(
            f"<tr><td>{r['rank']}</td><td>{escape(str(r['name']))}</td><td>{r['capex']:,.0f}</td>"
            f"<td>{r['delta_npv']:,.0f}</td><td>{r['value_per_dollar']:.2f}</td>"
            f"<td>{'yes' if r['name'] in result.fixes_bought else 'no'}</td></tr>"
            for r in result.fixes)
        out += ("<table><tr><th>Rank</th><th>Fix</th><th>One-off</th><th>Net ΔNPV alone</th>"
                "<th>Per dollar</th><th>Bought</th></tr>" + rows + "</table>")
    return out


def comparison_files(scenarios: Sequence[tuple[str, str, dict]], workspace: str,
                     generated_on: date | str, workshop: tuple[str, Results] | None = None,
                     progress: report.Progress | None = None,
                     tracking: object | None = None,
                     structures: Mapping[str, Structure] | None = None) -> dict[str, bytes]:
    """(name, note, values) of 1–5 scenarios → the report's files; ``progress(done, total,
    next)`` before the runs, before each chart and before the page. ``tracking``: a
    ``ui.track_report.TrackSection`` (plan against actual) added as a section and a CSV.
    ``structures`` gives a scenario's segments, tiers and fixes by name: its figures are then
    of the structured business, and the page adds each one's segments and fixes."""
    if not 1 <= len(scenarios) <= MAX_SCENARIOS:
        raise ValueError(f"choose 1 to {MAX_SCENARIOS} scenarios for the report")
    total = 4 + (workshop is not None)

    def tell(done: int, what: str) -> None:
        if progress is not None:
            progress(done, total, what)

    tell(0, "Running the scenarios…")
    structures = structures or {}
    structured = {name: run_structured(values, structures[name]) for name, _note, values
                  in scenarios if name in structures and not structures[name].empty}
    runs = [(name, structured[name].run if name in structured else run_model(values))
            for name, _note, values in scenarios]
    charts = {"profit.png": ("Profit per month", compare_charts.profit_overlay(runs)),
              "delta.png": ("Cumulative Δ against the status quo",
                            compare_charts.delta_overlay(runs))}
    if workshop is not None:
        charts["votes.png"] = ("The vote before and after",
                               workshop_charts.votes_chart(workshop[1]))
    pngs = {}
    for i, (f, (title, c)) in enumerate(charts.items()):
        tell(1 + i, f"Drawing “{title}”…")
        pngs[f] = report.chart_png(c)
    tell(total - 1, "Writing the page and the table…")
    notes = "".join(f"<tr><td>{escape(n)}</td><td class=note>{escape(note) or '—'}</td></tr>"
                    for n, note, _v in scenarios)
    html = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>Comparison — {escape(workspace)}</title><style>{_CSS}</style></head><body>"
        f"<h1>Comparison of {len(runs)} scenario{'s' if len(runs) > 1 else ''}</h1>"
        f"<p class=meta>Workspace {escape(workspace)} · {escape(str(generated_on))}</p>"
        f"<h2>Scenarios and notes</h2><table><tr><th>Scenario</th><th>Note</th></tr>{notes}"
        "</table><h2>Lever settings</h2>" + _levers_table(runs)
        + "<h2>Results</h2><p class=meta>Gain (+) or loss (−) against carrying on as today, in "
        "today's money, at three significant figures; the exact amounts are in each cell's "
        "tooltip and in comparison.csv. The words are the app's glossary (Method page).</p>"
        + _results_table(runs)
        + "".join(f"<h2>{escape(t)}</h2>" + _img(pngs[f], t) for f, (t, _c) in charts.items()
                  if f != "votes.png")
        + "".join(_structure_html(n, r) for n, r in structured.items())
        + (_workshop_html(workshop[0], workshop[1]) + _img(pngs["votes.png"], "votes")
           if workshop is not None else "")
        + (tracking.html if tracking is not None else "")
        + "</body></html>")
    frame = results_frame(runs).astype(object)  # the note row adds text to number columns
    frame.loc[len(frame)] = {"key": "note", "result": "Note",
                             **{n: note for n, note, _v in scenarios}}
    extra = {"plan_vs_actual.csv": tracking.csv} if tracking is not None else {}
    return {"comparison.html": html.encode(), "comparison.csv": safe_csv(frame).encode(), **pngs,
            **extra}
