"""Pure UI pieces: the verdict sentence, headline metrics, link encoding/parsing, chart specs,
widget unit conversions."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.assumptions import BY_NAME, LEVERS_OFF, REGISTRY, defaults
from model.curves import ConstantChurn
from model.simulate import Baseline, Segment, run
from ui import charts, theme
from ui.format import compact, escape_markdown, month_label, signed_cents, signed_compact
from ui.share import PRESENT, encode, link_suffix, parse_query
from ui.verdict import exact_line, headline_metrics, is_status_quo, verdict_sentence
from ui.widgets import from_widget, to_widget, widget_kind, widget_label


@pytest.fixture(scope="module")
def default_run():
    return run()


# --- verdict ----------------------------------------------------------------------------------


class TestVerdict:
    def test_default_sentence_reads_as_designed(self, default_run):
        s = default_run.summary
        assert s.delta_inside_tenure < 0 < s.delta_npv_excl_terminal < s.delta_npv
        assert s.tenure_month < s.payback_month
        assert verdict_sentence(s) == (
            f"Inside your 5-year tenure you give up {compact(-s.delta_inside_tenure)}; over 10 "
            f"years you gain {compact(s.delta_npv_excl_terminal)} in cash; counting the customers "
            f"you still have then, you gain {compact(s.delta_npv)}; the switch pays back in "
            f"{month_label(s.payback_month)}.")

    def test_levers_off_is_the_status_quo(self):
        s = run(LEVERS_OFF).summary
        assert is_status_quo(s)
        assert "this is the status quo" in verdict_sentence(s)

    def test_payback_inside_tenure_is_said(self):
        s = run({"tenure_years": 9}).summary
        assert s.payback_month is not None and s.payback_month <= s.tenure_month
        text = verdict_sentence(s)
        assert "inside your tenure" in text and f"month {s.payback_month}" in text

    def test_never_pays_back_names_the_terminal_value(self):
        s = run({"horizon_years": 3, "tenure_years": 2}).summary
        assert s.payback_month is None
        text = verdict_sentence(s)
        assert "does not pay back in cash within the 3-year horizon" in text
        assert s.delta_npv > 0
        assert f"counting the customers you still have then, you gain {compact(s.delta_npv)}" in text

    def test_never_pays_back_without_terminal_value(self):
        s = run({"horizon_years": 3, "tenure_years": 2, "include_terminal_value": False}).summary
        assert "are not counted" in verdict_sentence(s)

    def test_no_sacrifice(self):
        # Honesty alone with no bad profits or over-promising to give up only gains.
        s = run({"investment": 0, "bad_profit_share": 0, "overpromise_share": 0,
                 "turmoil_churn_increase": 0, "turmoil_cost_share": 0}).summary
        assert s.deepest_sacrifice == 0
        text = verdict_sentence(s)
        assert "no sacrifice" in text and "you gain" in text

    def test_tenure_covering_the_horizon(self):
        s = run({"tenure_years": 12}).summary
        text = verdict_sentence(s)
        assert text.startswith("Your tenure covers the whole 10-year horizon: inside it you gain")
        assert "Inside your" not in text

    def test_moving_honesty_changes_the_sentence(self, default_run):
        assert verdict_sentence(run({"honesty": 0.9}).summary) != verdict_sentence(
            default_run.summary)

    def test_exact_line_is_to_the_cent(self, default_run):
        s = default_run.summary
        assert f"{abs(s.delta_npv):,.2f}" in exact_line(s)
        assert f"{abs(s.delta_inside_tenure):,.2f}" in exact_line(s)

    def test_headline_metrics(self, default_run):
        s = default_run.summary
        m = headline_metrics(s)
        assert [x.label for x in m] == [
            "Inside your tenure (5 years)", "After your tenure", "Cash over 10 years",
            "Counting customers still active", "Payback", "Deepest sacrifice"]
        assert [x.value for x in m[:4]] == [signed_compact(x) for x in (
            s.delta_inside_tenure, s.delta_after_tenure, s.delta_npv_excl_terminal, s.delta_npv)]
        assert m[4].value == month_label(s.payback_month) and m[4].note == "after your tenure"
        assert m[5].value == compact(s.deepest_sacrifice) and m[5].value.startswith("−")
        assert m[5].note == f"in {month_label(s.deepest_sacrifice_month)}"
        assert all(x.help for x in m)
        # No Δ as the first thing an executive reads; the exact amounts sit in the help texts.
        assert not any("Δ" in x.label or "Δ" in x.help for x in m)
        assert signed_cents(s.delta_inside_tenure) in m[0].help

    def test_metrics_without_payback(self):
        m = headline_metrics(run({"horizon_years": 3, "tenure_years": 2}).summary)
        assert m[4].value == "not within the horizon" and m[4].note is None

    def test_no_change_has_no_payback(self):
        s = run(LEVERS_OFF).summary
        m = {x.label: x for x in headline_metrics(s)}
        assert m["Payback"].value == "no change"
        assert exact_line(s).endswith("payback no change")
        assert m["Deepest sacrifice"].value == "none"

    def test_tenure_beyond_the_horizon(self):
        r = run({"tenure_years": 20})
        s = r.summary
        m = headline_metrics(s, r.values["tenure_years"])
        assert m[0].label == "Inside your tenure (beyond the horizon)"
        text = verdict_sentence(s, r.values["tenure_years"])
        assert text.startswith("Your 20-year tenure reaches beyond the horizon")
        assert "(10 years)" not in text + m[0].label

    def test_singulars(self):
        r = run({"tenure_years": 1, "horizon_years": 1})
        m = headline_metrics(r.summary, 1.0)
        assert "Cash over 1 year" in [x.label for x in m]
        assert "1 years" not in verdict_sentence(r.summary, 1.0)

    def test_crossing_note_explains_the_early_losses(self, default_run):
        from ui.verdict import crossing_month, crossing_note

        cross = crossing_month(default_run)
        gap = default_run.scenario["profit"] - default_run.status_quo["profit"]
        assert gap.iloc[cross - 2] < 0 <= gap.iloc[cross - 1:].min()
        assert cross < default_run.summary.payback_month
        assert month_label(cross) in crossing_note(default_run)
        assert crossing_note(run(LEVERS_OFF)) is None


# --- share by link ------------------------------------------------------------------------------


class TestShare:
    def test_defaults_give_an_empty_link(self):
        assert encode(defaults()) == {}
        assert link_suffix({}) == ""

    def test_round_trip_is_exact(self):
        values = {**defaults(), "honesty": 0.35, "investment": 12_250_000.0, "tenure_years": 3.5,
                  "build_months": 18, "successor_reverts": True, "referral_rate_full_trust": 0.0015,
                  "discount_rate_annual": 0.1 + 0.2 * 0.1}  # a float with a long repr
        params = encode(values, present=True)
        assert params[PRESENT] == "1" and params["successor_reverts"] == "1"
        link = parse_query(params)
        assert link.notes == [] and link.present
        assert {**defaults(), **link.values} == values
        assert run(values).summary == run(link.values).summary

    @pytest.mark.parametrize("key,value,fragment", [
        ("honesty", "7", "out of range"),
        ("honesty", "abc", "not a number"),
        ("honesty", "nan", "not a finite number"),
        ("investment", "-1", "out of range"),
        ("build_months", "2.5", "not a whole number"),
        ("successor_reverts", "maybe", "expected 1 or 0"),
        ("no_such_thing", "1", "not an assumption"),
    ])
    def test_bad_params_are_ignored_with_a_note(self, key, value, fragment):
        link = parse_query({key: value, "tenure_years": "3"})
        assert key not in link.values
        assert link.values == {"tenure_years": 3.0}
        assert len(link.notes) == 1 and fragment in link.notes[0] and repr(key) in link.notes[0]

    def test_repeated_param_takes_the_last(self):
        assert parse_query({"honesty": ["0.2", "0.4"]}).values == {"honesty": 0.4}

    def test_long_tampered_text_is_cut_short(self):
        link = parse_query({"x" * 500: "1", "honesty": "y" * 500})
        assert all(len(n) < 250 for n in link.notes)

    def test_markdown_is_neutralised(self):
        assert escape_markdown("[a](b) $x$") == "\\[a\\]\\(b\\) \\$x\\$"

    @settings(max_examples=60, deadline=None)
    @given(st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=5))
    def test_any_query_never_raises(self, params):
        link = parse_query(params)
        for name, v in link.values.items():
            a = BY_NAME[name]
            if a.kind != "bool":
                assert a.min <= v <= a.max and math.isfinite(v)


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


# --- widget conversions -----------------------------------------------------------------------


class TestWidgetUnits:
    def test_fractions_shown_as_percent_and_back_exactly(self):
        for a in REGISTRY:
            if a.is_fraction:
                for x in (a.min, a.default, a.max, a.low or a.min):
                    assert from_widget(a, to_widget(a, x)) == x
        assert to_widget(BY_NAME["honesty"], 0.6) == 60.0
        assert to_widget(BY_NAME["discount_rate_annual"], 0.07) == 7.0

    def test_labels_carry_units(self):
        assert widget_label(BY_NAME["honesty"]).endswith("(%)")
        assert widget_label(BY_NAME["investment"]).endswith("($)")
        assert widget_label(BY_NAME["arpu_monthly"]).endswith("($ per month)")
        assert widget_label(BY_NAME["horizon_years"]) == "Horizon (years)"
        assert widget_label(BY_NAME["tenure_years"]) == BY_NAME["tenure_years"].label

    def test_kinds(self):
        assert widget_kind(BY_NAME["include_terminal_value"]) == "toggle"
        assert widget_kind(BY_NAME["honesty"]) == "slider"
        assert widget_kind(BY_NAME["investment"]) == "slider"
        assert widget_kind(BY_NAME["customers"]) == "number"


def test_escaped_text_has_no_autolink_left_once_escapes_are_resolved():
    """remark-gfm links http://, www. and user@host after resolving escapes: a word joiner stops it."""
    import re

    from ui.format import WORD_JOINER

    for text in ("![x](http://127.0.0.1:9/x.png)", "see WWW.evil.example", "a@b.example",
                 "https://example.org/a"):
        resolved = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escape_markdown(text))
        assert not re.search(r"(?i)https?://|www\.|\w@\w", resolved), resolved
        assert resolved.replace(WORD_JOINER, "") == text


class TestOneVocabulary:
    """One rounding rule, one table of summary fields, one set of chart parts."""

    def test_the_sign_follows_the_number_as_shown(self):
        from ui.format import cents, money, signed_cents, signed_compact, signed_money

        assert money(-0.4) == "$0" and signed_money(0.4) == "$0" and signed_money(-0.4) == "$0"
        assert cents(-0.004) == "$0.00" and signed_cents(0.004) == "$0.00"
        assert signed_cents(-0.006) == "−$0.01" and signed_cents(1234.5) == "+$1,234.50"
        assert signed_compact(-40) == "−$40" and signed_compact(0.3) == "$0"
        assert signed_compact(1_234_567) == "+$1.2M" and money(999_960, compact=True) == "$1.0M"
        assert money(-1234) == "−$1,234" and money(float("nan")) == "—"

    def test_differences_and_payback_read_the_same_everywhere(self):
        from ui.format import payback, signed_count, signed_months, signed_points

        assert signed_points(0.0004) == "0 pp" and signed_points(-0.025) == "−2.5 pp"
        assert signed_months(0) == "same" and signed_months(-1) == "−1 month"
        assert signed_months(12) == "+12 months" and signed_count(-0.4) == "0"
        assert payback(None, -5.0) == "not within the horizon"
        assert payback(82, -5.0) == "month 82 (year 7)" and payback(None, 0.0) == "immediate"

    def test_every_field_is_a_summary_attribute_with_a_known_kind(self, default_run):
        from ui.fields import FIELDS, KINDS

        s = default_run.summary
        for f in FIELDS:
            assert hasattr(s, f.key) and f.kind in KINDS, f
            assert f.exact(s) and f.short(s) and f.diff(s, s) and f.full_label(s)
        assert len({f.key for f in FIELDS}) == len(FIELDS)

    def test_report_and_compare_table_share_the_fields(self, default_run):
        from ui import compare_charts, report
        from ui.fields import COMPARED, FIELDS

        rows = report.summary_rows(default_run)
        assert [r[0] for r in rows] == [f.key for f in FIELDS]
        table = compare_charts.metrics_table([("A", default_run), ("B", default_run)])
        assert list(table.index[: len(COMPARED)]) == [f.label for f in COMPARED]
        assert set(table["B − A"][: len(COMPARED)]) <= {"$0", "0", "0 pp", "same", "same month"}

    def test_dashboard_and_compare_charts_share_axis_rule_and_legend(self, default_run):
        from ui import compare_charts

        def flat(spec):
            for x in spec.get("layer", []):
                yield from (flat(x) if "layer" in x else [x])

        def parts_of(spec):
            layers = list(flat(spec))
            line = next(x for x in layers if x.get("mark", {}).get("type") == "line")
            rule = next(x for x in layers if x.get("mark", {}).get("color") == theme.TENURE_RULE)
            zero = layers[0]
            return (line["encoding"]["x"], line["encoding"]["y"]["axis"], rule["mark"],
                    zero["mark"], line["encoding"]["color"]["legend"]["symbolType"])

        dash = parts_of(charts.profit_chart(default_run).to_dict())
        comp = parts_of(compare_charts.profit_overlay([("A", default_run)]).to_dict())
        assert dash == comp
