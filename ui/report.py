"""The leave-behind report: self-contained HTML, the monthly CSV and the charts as PNG (no Streamlit).

``report_files(run, name, date)`` returns every file as bytes; ``report_zip`` packs them; ``cli``
serves ``python cli.py report SCENARIO.json --out DIR``. Charts are the dashboard's own builders
(``ui.charts``) rendered offline with vl-convert; every piece of text is HTML-escaped.

The report is for the people who decide: the scenario's note, results and assumptions in words
and units a reader knows. Developer material stays out (no raw JSON, no assumption keys or unit
codes); the scenario file itself is exported from the app's Scenarios page.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from html import escape

import altair as alt
import vl_convert

from model.assumptions import GROUP_TITLES, REGISTRY, defaults
from model.scenario import dump_scenario, parse_scenario, safe_csv
from model.simulation import Baseline, Run
from model.simulation import run as run_model
from ui import charts
from ui.bounded_cache import BytesLRU
from ui.fields import FIELDS
from ui.format import CURRENCY, value_with_unit
from ui.verdict import headline_metrics, verdict_sentence

# Chart files in the report, in the order they appear: file name → (title, builder).
CHARTS = {
    "profit.png": ("Profit per month", charts.profit_chart),
    "sacrifice.png": ("The sacrifice curve", charts.sacrifice_chart),
    "customers_trust.png": ("Customers and trust", charts.customers_trust_chart),
}
CHART_WIDTH = 760  # pixels; the dashboard's charts fill their container, a PNG needs a number
PNG_SCALE = 2  # sharp on high-density screens and in print


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    """A chart as PNG, rendered offline (vl-convert), on white, at a fixed width."""
    spec = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = CHART_WIDTH
    spec["background"] = "white"
    return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE)


def summary_rows(run: Run) -> list[tuple[str, str, str, str, float | int | None]]:
    """(key, label, shown value, exact text, exact value) for the table of results
    (``ui.fields.FIELDS``): shown at three significant figures, exact to the cent in the
    cell's tooltip and data-value (and in the CSVs)."""
    s = run.summary
    return [(f.key, f.label, f.short(s), f.exact(s), getattr(s, f.key)) for f in FIELDS]


def _assumption_rows(values: dict[str, object]) -> str:
    base = defaults()
    rows = []
    group = None
    for a in REGISTRY:
        if a.group != group:
            group = a.group
            rows.append(f'<tr class="group"><th colspan="3">{escape(GROUP_TITLES[group])}</th></tr>')
        v = values[a.name]
        changed = v != base[a.name]
        rows.append(
            f'<tr{" class=changed" if changed else ""} data-key="{escape(a.name)}">'
            f"<td>{escape(a.label)}</td>"
            f"<td class=num>{escape(value_with_unit(v, a.unit))}</td>"
            f"<td class=num>{escape(value_with_unit(base[a.name], a.unit))}</td></tr>")
    return "\n".join(rows)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{margin-bottom:.2rem}.meta{color:#666;margin-top:0}
.verdict{font-size:1.3rem;border-left:5px solid #0072B2;padding:.6rem 1rem;background:#f3f8fc}
.note{white-space:pre-wrap;color:#333}
.metrics{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.metric{flex:1 1 12rem;border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem}
.metric .label{color:#555;font-size:.9rem}.metric .value{font-size:1.5rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #e4e4e4;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.group th{background:#f5f5f5}tr.changed td{font-weight:600}
#assumptions td:first-child{width:36%}
img{max-width:100%;height:auto;display:block;margin:.5rem 0 1.5rem}
footer{color:#777;font-size:.85rem;margin-top:2rem}
@media print{.verdict{background:none}}
"""


def report_html(run: Run, scenario_name: str, generated_on: date | str,
                pngs: dict[str, bytes], baseline_label: str | None = None,
                note: str | None = None) -> str:
    """The report page; images are embedded as base64, so the one file is all one needs."""
    s = run.summary
    note_html = (f'<p class="note" id="scenario-note"><strong>Note:</strong> {escape(note)}</p>'
                 if note and note.strip() else "")
    name = escape(scenario_name)
    when = escape(generated_on.isoformat() if isinstance(generated_on, date) else str(generated_on))
    metrics = "\n".join(
        f'<div class="metric" title="{escape(m.help)}"><div class="label">{escape(m.label)}</div>'
        f'<div class="value">{escape(m.value)}</div></div>' for m in headline_metrics(s))
    results = "\n".join(
        f'<tr data-key="{key}"><td>{escape(label)}</td>'
        f'<td class=num data-value="{"" if exact is None else repr(exact)}" '
        f'title="{escape(text)}">{escape(shown)}</td></tr>'
        for key, label, shown, text, exact in summary_rows(run))
    images = "\n".join(
        f"<h3>{escape(title)}</h3>\n<img alt=\"{escape(title)}\" src=\"data:image/png;base64,"
        f"{base64.b64encode(pngs[file]).decode('ascii')}\">"
        for file, (title, _) in CHARTS.items() if file in pngs)
    baseline = (f"<p>Baseline calibrated from churn data: {escape(baseline_label)}.</p>"
                if baseline_label else
                "<p>Baseline built from the assumptions below (no churn data uploaded).</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The One Question — {name}</title>
<style>{_CSS}</style></head>
<body>
<h1>The One Question</h1>
<p class="meta">Scenario <strong id="scenario-name">{name}</strong> · generated on
<span id="generated-on">{when}</span> · amounts in today's money ({escape(CURRENCY)}), discounted</p>
{note_html}
<p class="question">Are you ready to sacrifice short-term gains from your customers (“bad profits”)
for the sake of long-term relationships — knowing the payback is uncertain and may come after your
tenure ends?</p>
<p class="verdict" id="verdict">{escape(verdict_sentence(s))}</p>
<div class="metrics">
{metrics}
</div>
<h2>Results</h2>
<p>Customer-centric strategy (the scenario's levers) against the status quo (the same business
with every lever off), over {s.horizon_months} months.</p>
<table id="results"><thead><tr><th>Result</th><th class=num>Value</th></tr></thead><tbody>
{results}
</tbody></table>
<h2>Charts</h2>
{images}
<h2>Assumptions</h2>
{baseline}
<p>Values that differ from the default are in bold.</p>
<table id="assumptions"><thead><tr><th>Assumption</th><th class=num>Value</th>
<th class=num>Default</th></tr></thead><tbody>
{_assumption_rows(run.values)}
</tbody></table>
<footer>The defaults are illustrative, not measurements of any company; see the Method page of
the app for the model and its sources. The monthly table of both strategies is in monthly.csv;
the scenario itself can be exported from the app's Scenarios page.</footer>
</body></html>
"""


Progress = Callable[[int, int, str], None]  # (steps done, steps in all, what comes next)


def report_files(run: Run, scenario_name: str, generated_on: date | str,
                 baseline_label: str | None = None, note: str | None = None,
                 progress: Progress | None = None) -> dict[str, bytes]:
    """Every file of the report: report.html, monthly.csv and one PNG per chart.

    ``progress(done, total, next)`` is called before each chart and before the page (rendering
    the charts takes most of the seconds)."""
    total = len(CHARTS) + 1
    pngs = {}
    for i, (file, (title, builder)) in enumerate(CHARTS.items()):
        if progress is not None:
            progress(i, total, f"Drawing “{title}”…")
        pngs[file] = chart_png(builder(run))
    if progress is not None:
        progress(total - 1, total, "Writing the page and the monthly table…")
    html = report_html(run, scenario_name, generated_on, pngs, baseline_label, note)
    return {"report.html": html.encode("utf-8"),
            "monthly.csv": safe_csv(run.combined_table()).encode("utf-8"),
            **pngs}


# The last reports built, bounded in bytes (a report is about 0.5–1 MB: HTML with embedded PNGs,
# the PNGs again and the CSV); the oldest is dropped first. Stated in SECURITY.md.
CACHE_BYTES = 24_000_000
_cache: BytesLRU[dict[str, bytes]] = BytesLRU(
    CACHE_BYTES, lambda files: sum(len(b) for b in files.values()))


def cache_size() -> int:
    """Bytes held by the report cache (for tests and benchmarks)."""
    return _cache.nbytes


def cached_report_files(values: dict[str, object], scenario_name: str, generated_on: date,
                        baseline: Baseline | None = None,
                        baseline_label: str | None = None, note: str | None = None,
                        progress: Progress | None = None) -> dict[str, bytes]:
    """``report_files`` for a scenario, remembered for the last few (rendering takes seconds and
    a download button may ask twice); at most ``CACHE_BYTES`` are kept."""
    key = (dump_scenario(values), scenario_name, generated_on.isoformat(), baseline,
           baseline_label, note)
    try:
        hash(key)
    except TypeError:  # a baseline that cannot be a cache key: build it afresh
        return report_files(run_model(values, baseline), scenario_name, generated_on,
                            baseline_label, note, progress)
    files = _cache.get(key)
    if files is None:
        files = _cache.put(key, report_files(run_model(parse_scenario(key[0]), baseline),
                                             scenario_name, generated_on, baseline_label, note,
                                             progress))
    return dict(files)


def file_stem(name: str) -> str:
    """A file-name-safe version of a scenario name (letters of any script are kept)."""
    stem = re.sub(r"[^\w\-]+", "-", name, flags=re.UNICODE).strip("-")
    return stem[:60] or "scenario"


def report_zip(files: dict[str, bytes], folder: str = "report") -> bytes:
    """The files in one ZIP (inside a folder, so unpacking does not scatter them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for file, data in files.items():
            z.writestr(f"{folder}/{file}", data)
    return buffer.getvalue()
