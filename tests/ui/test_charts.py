"""Chart specs of a model run."""

from __future__ import annotations

import json

import pytest

from model.assumptions import LEVERS_OFF
from model.curves import ConstantChurn
from model.simulation import Baseline, Segment, run
from ui import charts, theme
from ui.format import compact, month_label


@pytest.fixture(scope="module")
def default_run():
    return run()



# --- charts ---------------------------------------------------------------------------------------


def _texts(spec) -> str:
    return json.dumps(spec, default=str)


class TestCharts:
    def test_profit_chart_has_both_strategies_and_the_tenure_rule(self, default_run):
        spec = charts.profit_chart(default_run).to_dict()
        text = _texts(spec)
        assert "End of your tenure (year 5)" in text
        assert theme.STATUS_QUO in text and theme.CUSTOMER_CENTRIC in text
        assert theme.TENURE_RULE in text and "strokeDash" in text
        strategies = {row["strategy"] for ds in spec["datasets"].values() for row in ds
                      if "strategy" in row}
        assert strategies == {"Status quo", "Customer-centric"}

    def test_arrow_datasets_carry_the_same_rows(self, default_run):
        import pyarrow as pa

        for spec in (charts.profit_spec(default_run), charts.sacrifice_spec(default_run),
                     charts.sacrifice_spec(run(LEVERS_OFF)),  # empty and non-empty "extent"
                     *charts.panels(charts.customers_trust_spec(default_run))):
            sent = charts.arrow_datasets(spec)
            assert {k: v for k, v in sent.items() if k != "datasets"} == {
                k: v for k, v in spec.items() if k != "datasets"}
            for name, rows in spec["datasets"].items():
                table = pa.ipc.open_stream(sent["datasets"][name]).read_all()
                assert table.to_pylist() == rows, name

    def test_sacrifice_chart_marks_payback_and_deepest(self, default_run):
        s = default_run.summary
        text = _texts(charts.sacrifice_chart(default_run).to_dict())
        assert f"Pays back in {month_label(s.payback_month)}" in text
        # The sacrifice keeps its sign in its label.
        labels = [r["label"] for r in charts.sacrifice_spec(default_run)["datasets"]["markers"]]
        assert f"Deepest sacrifice {compact(s.deepest_sacrifice)}" in labels[0]
        assert compact(s.deepest_sacrifice).startswith("−") and "Deepest sacrifice" in text
        assert "End of your tenure (year 5)" in text

    def test_markers_are_in_a_legend_and_tenure_label_above_the_plot(self, default_run):
        spec = charts.sacrifice_spec(default_run)
        points = [layer for layer in spec["layer"] if layer.get("data") == {"name": "markers"}]
        assert len(points) == 1 and points[0]["encoding"]["color"]["legend"]["orient"] == "top"
        assert not any(layer.get("mark", {}).get("type") == "text" and
                       layer.get("data") == {"name": "markers"} for layer in spec["layer"])
        texts = [layer for layer in spec["layer"] if layer.get("data") == {"name": "tenure"}
                 and layer["mark"]["type"] == "text"]
        assert texts and all(layer["mark"]["baseline"] == "bottom" for layer in texts)
        assert all(t["transform"][-1]["calculate"].startswith("-") for t in texts)  # y < 0

    def test_flat_curve_still_has_an_axis_extent(self):
        data = charts.sacrifice_spec(run(LEVERS_OFF))["datasets"]
        assert all(row["delta"] == 0 for row in data["delta"])
        assert {row["delta"] for row in data["extent"]} == {-1000.0, 1000.0}
        assert [row["label"] for row in data["markers"]] == [
            "No change: both strategies are the same"]
        assert charts.sacrifice_spec(run())["datasets"]["extent"] == []

    def test_tenure_beyond_the_horizon_draws_no_rule(self):
        rows = charts.profit_spec(run({"tenure_years": 20}))["datasets"]["tenure"]
        assert [r["rule"] for r in rows] == [False]
        assert "beyond" in rows[0]["label"] and "year 10" not in rows[0]["label"]
        assert charts.profit_spec(run())["datasets"]["tenure"][0]["rule"] is True

    def test_tooltips_format_money_and_months(self, default_run):
        for name in ("profit", "sacrifice"):
            spec = getattr(charts, f"{name}_spec")(default_run)
            tips = [t for layer in spec["layer"]
                    for t in layer.get("encoding", {}).get("tooltip", [])
                    if isinstance(t, dict) and t.get("type") == "quantitative"]
            assert tips and all("format" in t for t in tips), name
            assert any(t["format"].startswith("$") for t in tips), name

    def test_sacrifice_chart_without_payback_has_no_payback_marker(self):
        text = _texts(charts.sacrifice_chart(run({"horizon_years": 3, "tenure_years": 2})).to_dict())
        assert "Pays back" not in text and "Deepest sacrifice" in text

    def test_customers_trust_chart_both_strategies(self, default_run):
        spec = charts.customers_trust_chart(default_run).to_dict()
        text = _texts(spec)
        assert "Active customers" in text and "Trust" in text and "End of your tenure" in text
        rows = [r for ds in spec["datasets"].values() for r in ds if "strategy" in r]
        assert {r["strategy"] for r in rows} == {"Status quo", "Customer-centric"}

    def test_customers_chart_per_segment(self):
        b = Baseline((Segment("Small", 60_000, 40.0, ConstantChurn.from_annual(0.3), 0.5),
                      Segment("Large", 40_000, 70.0, ConstantChurn.from_annual(0.1), 0.5)))
        spec = charts.customers_trust_chart(run(baseline=b)).to_dict()
        segs = {r["segment"] for ds in spec["datasets"].values() for r in ds if "segment" in r}
        assert segs == {"Small", "Large"}

    @pytest.mark.parametrize("values", [{}, {"tenure_years": 9.5, "horizon_years": 12},
                                        {"horizon_years": 3, "tenure_years": 2}])
    def test_fast_specs_equal_the_altair_charts(self, values):
        r = run(values)
        for name in ("profit", "sacrifice", "customers_trust"):
            chart = getattr(charts, f"{name}_chart")(r).to_dict()
            spec = getattr(charts, f"{name}_spec")(r)
            assert spec == chart, name

    def test_late_tenure_label_flips_inside_the_chart(self):
        r = run({"tenure_years": 9.5})
        assert charts.profit_spec(r)["datasets"]["tenure"][0]["align"] == "right"

    def test_tenure_label_moves_with_the_lever(self):
        assert "End of your tenure (year 3.5)" in _texts(
            charts.profit_chart(run({"tenure_years": 3.5})).to_dict())


