"""Decision analysis's charts and words for the odds, the tornado and the ranges table (through
``chart.to_dict()``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model import analysis as A
from model.assumptions import BY_NAME, ScenarioError, defaults
from ui import analysis_charts, theme


def _datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


def test_charts_send_bands_and_bins_not_raw_draws():
    mc = A.monte_carlo(defaults(), draws=1_500, seed=2)
    fan = analysis_charts.fan_chart(mc).to_dict()
    rows = max(_datasets(analysis_charts.fan_chart(mc)), key=len)
    assert len(rows) == 120
    assert all(r["p10"] <= r["p50"] <= r["p90"] for r in rows)
    body = json.dumps(fan, ensure_ascii=False)
    assert "End of your tenure (year 5)" in body and theme.TENURE_RULE in body
    assert theme.CUSTOMER_CENTRIC in body and "Median ($)" in body
    hist = _datasets(analysis_charts.delta_npv_histogram(mc, bins=30))
    assert max(len(d) for d in hist) == 30 and sum(r["count"] for r in hist[0]) == 1_500


def test_tornado_bars_are_sorted_by_swing_and_labelled_with_their_values():
    torn = A.tornado(defaults())
    for metric in ("delta_npv", "delta_inside_tenure"):
        spec = analysis_charts.tornado_chart(torn, metric).to_dict()
        order = spec["layer"][0]["encoding"]["y"]["sort"]
        assert order == [BY_NAME[r.name].label for r in torn.sorted(metric)]
        assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == [
            analysis_charts.LOW_COLOUR, analysis_charts.HIGH_COLOUR]
        # Low and high end of each bar in its own sub-row, each labelled with its value.
        assert spec["layer"][0]["encoding"]["yOffset"]["field"] == "end"
        texts = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"]
        assert len(texts) == 2 and all(t["encoding"]["text"]["field"] == "tag" for t in texts)
        rows = max(spec["datasets"].values(), key=len)
        gm = {r["end"]: r["tag"] for r in rows if r["name"] == "gross_margin"}
        assert gm == {analysis_charts.LOW_END: "55 %", analysis_charts.HIGH_END: "65 %"}
        half = {r["end"]: r["tag"] for r in rows if r["name"] == "fix_half_investment"}
        assert half == {analysis_charts.LOW_END: "$3M", analysis_charts.HIGH_END: "$8M"}
        # The axis leaves room for the labels beyond the longest bars.
        lo, hi = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
        values = [r["value"] for r in rows]
        assert lo < min(values) and hi > max(values)


def test_ranges_table_shows_percentages_and_reads_back_model_units():
    ranges = A.default_ranges(defaults())
    frame = analysis_charts.ranges_frame(ranges, lambda n: BY_NAME[n].label)
    margin = frame[frame["name"] == "gross_margin"].iloc[0]
    assert (margin["Low"], margin["Likely"], margin["High"]) == (55.0, 60.0, 65.0)
    assert A.validate_ranges(analysis_charts.rows_from_frame(frame)) == ranges  # round trip, exactly
    frame.loc[frame["name"] == "build_months", "Low"] = 8.6
    got = {r.name: r for r in A.validate_ranges(analysis_charts.rows_from_frame(frame))}
    assert got["build_months"].low == 9.0  # whole months rounded, not cut
    frame.loc[frame["name"] == "gross_margin", "High"] = np.nan
    with pytest.raises(ScenarioError, match="Gross margin: high is empty"):
        A.validate_ranges(analysis_charts.rows_from_frame(frame), show=analysis_charts.describe)
    frame.loc[frame["name"] == "gross_margin", "High"] = 50.0
    with pytest.raises(ScenarioError, match="low 55 %, likely 60 % and high 50 %"):
        A.validate_ranges(analysis_charts.rows_from_frame(frame), show=analysis_charts.describe)


def test_the_spread_is_shown_to_the_precision_its_draws_support():
    """Issue 22, defect 10: no digit finer than the Monte Carlo error of each quantile."""
    import re

    import numpy as np

    from model.analysis import monte_carlo
    from ui.format import figures_for

    assert figures_for(895_900, 40_000) == 2 and figures_for(895_900, 400) == 3
    assert figures_for(1_300_000, 600_000) == 2 and figures_for(1_300_000, 2_000_000) == 1
    assert figures_for(0.0, 1.0) == 3
    few = analysis_charts.odds_sentence(monte_carlo({}, draws=300, seed=0))
    many = analysis_charts.odds_sentence(monte_carlo({}, draws=20_000, seed=0))
    digits = lambda s: [len(m.replace(".", "")) for m in re.findall(r"\$([\d.]+)[kMB]", s)]  # noqa: E731
    assert sum(digits(few)) < sum(digits(many))
    mc = monte_carlo({}, draws=2000, seed=0)
    draws = np.asarray(mc.delta_npv)
    for p in (0.1, 0.5, 0.9):  # the error estimate is of the order of a bootstrap's
        boot = np.std([np.quantile(np.random.default_rng(i).choice(draws, draws.size), p)
                       for i in range(60)])
        assert 0.4 < analysis_charts.quantile_error(draws, p) / boot < 2.5
