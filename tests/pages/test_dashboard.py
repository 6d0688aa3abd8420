"""The dashboard through Streamlit's AppTest: verdict, metrics, charts, levers, links, modes."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from model.assumptions import LEVERS, REGISTRY
from model.simulation import run
from tests.support.app import APP
from ui.format import escape_markdown, signed_money
from ui.verdict import SACRIFICE_TITLE, exact_line, headline_metrics, verdict_sentence
from ui.widget_sync import EXACT_KEY


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def verdict(at: AppTest) -> str:
    """The verdict as a person reads it (the page escapes $ for markdown)."""
    texts = [m.value.replace("\\$", "$") for m in at.markdown]
    hits = [t for t in texts if t.startswith(("Inside your", "Every lever", "Your "))]
    assert len(hits) == 1, texts
    return hits[0]


@pytest.fixture
def at() -> AppTest:
    return _app()


class TestFirstScreen:
    def test_verdict_metrics_and_three_charts(self, at):
        assert verdict(at) == verdict_sentence(run().summary)
        expected = headline_metrics(run().summary, 5.0)
        assert [m.label for m in at.metric] == [m.label for m in expected]
        assert [m.value for m in at.metric] == [m.value for m in expected]
        assert [m.label for m in at.metric][:4] == [
            "Inside your tenure (5 years)", "After your tenure", "Cash over 10 years",
            "Total (cash + end value)"]
        # Plain words first: no Δ in what an executive reads first.
        first = [verdict(at), *(m.label for m in at.metric), *(c.value for c in at.caption)]
        assert not any("Δ" in text for text in first)
        assert len(at.get("vega_lite_chart")) == 4  # profit, running total, customers, trust

    def test_the_verdicts_figures_are_the_summarys(self, at):
        """Words match numbers: the verdict's cash and end-value amounts are the summary's, and
        the sacrifice curve ends at the verdict's cash figure."""
        s = run().summary
        text = verdict(at)
        cash = signed_money(s.delta_npv_excl_terminal, compact=True).lstrip("+")
        total = signed_money(s.delta_npv, compact=True).lstrip("+")
        inside = signed_money(s.delta_inside_tenure, compact=True).lstrip("−")
        assert f"give up {inside};" in text
        assert f"gain {cash} in cash" in text
        assert "counting the customers you still have then and those still to come" in text
        assert f"), you gain {total}" in text
        # The cent-exact line is the help of the caption under the verdict.
        assert any(c.proto.help.replace("\\$", "$") == exact_line(s) for c in at.caption)
        assert f"**{SACRIFICE_TITLE}**" in [m.value for m in at.markdown]
        main = list(at.get("vega_lite_chart"))[:2]  # their titles are text above them
        assert not any(json.loads(c.proto.spec).get("title") for c in main)
        assert run().cumulative_delta[-1] == s.delta_npv_excl_terminal

    def test_money_out_of_proportion_is_flagged_on_the_page(self):
        at = _app(customers="5000", new_customers_monthly="90")
        notes = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "investment is" in notes and "fix_half_investment" in notes
        assert not _app().warning

    def test_sidebar_is_built_from_the_registry(self, at):
        keys = {w.key for kind in ("slider", "number_input", "toggle")
                for w in getattr(at.sidebar, kind)}
        assert {f"w_{a.name}" for a in REGISTRY if a.group != "analysis"} <= keys
        # the three levers come first, in registry order
        assert [s.key for s in at.sidebar.slider][:3] == [f"w_{n}" for n in LEVERS]
        assert [e.label for e in at.sidebar.expander] == ["Business basics",
                                                          "Advanced assumptions"]
        assert at.slider(key="w_honesty").value == 60.0  # shown as percent

    def test_csv_download_is_offered(self, at):
        assert at.get("download_button")


class TestLevers:
    def test_moving_honesty_changes_the_verdict(self, at):
        before = verdict(at)
        at.slider(key="w_honesty").set_value(90.0).run()
        assert not at.exception
        assert verdict(at) != before
        assert verdict(at) == verdict_sentence(run({"honesty": 0.9}).summary)
        assert at.query_params["honesty"] == "0.9"

    def test_levers_off_gives_the_status_quo(self, at):
        at.slider(key="w_honesty").set_value(0.0)
        at.slider(key="w_investment").set_value(0.0).run()
        assert "this is the status quo" in verdict(at)
        assert at.metric[3].value == "$0"
        payback = next(m for m in at.metric if m.label == "Payback")
        assert payback.value == "no change"
        assert any(c.proto.help.endswith("payback no change") for c in at.caption)

    def test_investment_is_offered_as_a_share_of_revenue(self, at):
        assert at.slider(key="w_investment").value == 10.0  # $6M of $60M a year
        at.slider(key="w_investment").set_value(20.0).run()
        assert at.session_state["scenario_values"]["investment"] == 12_000_000.0
        assert verdict(at) == verdict_sentence(run({"investment": 12_000_000.0}).summary)
        assert at.number_input(key=EXACT_KEY).value == 12_000_000.0
        assert any(c.value.startswith("\\$12,000,000 · ") for c in at.sidebar.caption)

    def test_an_exact_investment_is_kept_to_the_unit(self, at):
        at.number_input(key=EXACT_KEY).set_value(6_250_000.0).run()
        assert not at.exception
        assert at.session_state["scenario_values"]["investment"] == 6_250_000.0
        assert at.slider(key="w_investment").value == pytest.approx(100 * 6.25 / 60)
        assert verdict(at) == verdict_sentence(run({"investment": 6_250_000.0}).summary)
        at.slider(key="w_honesty").set_value(80.0).run()
        assert at.session_state["scenario_values"]["investment"] == 6_250_000.0

    def test_reset_the_levers(self, at):
        at.slider(key="w_honesty").set_value(90.0)
        at.slider(key="w_tenure_years").set_value(3.0)
        at.slider(key="w_bad_profit_share").set_value(20.0).run()
        at.button(key="reset_levers").click().run()
        assert at.slider(key="w_honesty").value == 60.0
        assert at.slider(key="w_tenure_years").value == 5.0
        assert at.session_state["scenario_values"]["bad_profit_share"] == 0.2  # not a lever
        assert verdict(at) == verdict_sentence(run({"bad_profit_share": 0.2}).summary)

    def test_tenure_beyond_the_horizon_is_said(self, at):
        at.slider(key="w_tenure_years").set_value(20.0).run()
        assert verdict(at).startswith("Your 20-year tenure reaches beyond the horizon")
        assert at.metric[0].label == "Inside your tenure (beyond the horizon)"

    def test_a_small_business_gets_a_slider_in_its_own_proportion(self):
        at = _app(customers="5000", investment="300000")
        assert at.slider(key="w_investment").value == 10.0  # $300k of $3M a year

    def test_an_advanced_assumption_counts(self, at):
        at.slider(key="w_bad_profit_share").set_value(20.0).run()
        assert verdict(at) == verdict_sentence(run({"bad_profit_share": 0.2}).summary)

    def test_values_survive_a_visit_to_another_page(self, at):
        at.slider(key="w_tenure_years").set_value(3.0).run()
        at.switch_page("pages/method.py").run()
        at.switch_page("pages/dashboard.py").run()
        assert at.slider(key="w_tenure_years").value == 3.0
        assert verdict(at).startswith("Inside your 3-year tenure")

    @pytest.mark.parametrize("other", ["pages/compare.py", "pages/decision_analysis.py"])
    def test_values_survive_pages_that_draw_the_sidebar_too(self, at, other):
        at.slider(key="w_honesty").set_value(35.0).run()
        at.switch_page(other).run()
        assert not at.exception
        assert at.slider(key="w_honesty").value == 35.0
        assert at.slider(key="w_tenure_years").value == 5.0  # not reset to its minimum
        assert at.session_state["scenario_values"]["horizon_years"] == 10
        at.switch_page("pages/dashboard.py").run()
        assert verdict(at) == verdict_sentence(run({"honesty": 0.35}).summary)

    def test_set_values_elsewhere_updates_the_widgets(self, at):
        at.slider(key="w_honesty").set_value(90.0).run()
        # what ui.state.set_values does when another page loads a scenario
        at.session_state["scenario_values"] = {**at.session_state["scenario_values"],
                                               "honesty": 0.3}
        at.session_state["_sync_widgets"] = True
        at.run()
        assert at.slider(key="w_honesty").value == 30.0
        assert verdict(at) == verdict_sentence(run({"honesty": 0.3}).summary)


class TestLinks:
    def test_a_link_reproduces_its_view(self):
        at = _app(honesty="0.35", tenure_years="3.5", successor_reverts="1")
        expected = run({"honesty": 0.35, "tenure_years": 3.5, "successor_reverts": True}).summary
        assert verdict(at) == verdict_sentence(expected)
        assert at.slider(key="w_honesty").value == 35.0
        assert at.toggle(key="w_successor_reverts").value is True
        assert not at.warning

    def test_a_bad_param_warns_and_keeps_the_default(self):
        at = _app(honesty="7", tenure_years="3", evil="1")
        notes = [w.value for w in at.warning]
        assert any("honesty" in n and "out of range" in n for n in notes)
        assert any("evil" in n for n in notes)
        assert at.slider(key="w_honesty").value == 60.0  # the default
        assert at.slider(key="w_tenure_years").value == 3.0  # the good param still applies


class TestNamesAndLinksOnEveryPage:
    HOSTILE = "Bold [x](http://evil.example) **plan**"

    def test_the_link_names_the_scenario_escaped(self):
        at = _app(honesty="0.9", name=self.HOSTILE)
        shown = [m.value for m in at.markdown if m.value.startswith("Scenario:")]
        assert shown == [f"Scenario: **{escape_markdown(self.HOSTILE)}**"]
        assert at.query_params["name"] == self.HOSTILE  # the share link carries it
        at.slider(key="w_honesty").set_value(80.0).run()
        assert "changed since it was loaded" in [m.value for m in at.markdown
                                                 if m.value.startswith("Scenario:")][0]
        assert "name" not in at.query_params

    @pytest.mark.parametrize("page", ["pages/decision_analysis.py", "pages/compare.py"])
    def test_a_link_with_assumptions_works_on_other_pages(self, page):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["honesty"] = "0.9"
        at.query_params["tenure_years"] = "3"
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert at.session_state["scenario_values"]["honesty"] == 0.9
        assert at.slider(key="w_honesty").value == 90.0
        assert at.slider(key="w_tenure_years").value == 3.0

    def test_a_bad_link_param_warns_on_other_pages(self):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["honesty"] = "7"
        at.switch_page("pages/compare.py")
        at.run()
        assert any("honesty" in w.value and "out of range" in w.value for w in at.warning)


class TestMonthlyTable:
    def test_built_only_while_open(self, at):
        assert not at.dataframe  # a closed table costs a slider move nothing
        at.session_state["monthly_open"] = True
        at.run()
        assert len(at.dataframe) == 1 and not at.exception

    def test_plain_columns_whole_customers_full_precision_csv(self, at):
        from ui import monthly

        at.session_state["monthly_open"] = True
        at.run()
        frame = at.dataframe[0].value
        assert "Active customers" in frame.columns and "customers_active" not in frame.columns
        assert frame["Active customers"].dtype.kind == "i"
        table = run().combined_table()
        assert (frame["Active customers"] == table["customers_active"].round()).all()
        assert not (table["customers_active"] == table["customers_active"].round()).all()
        assert set(frame["Strategy"]) == {"Status quo", "Customer-centric"}
        assert set(monthly.column_formats().values()) <= {"%d", "localized", "%.1f%%"}


class TestPresentation:
    def test_presentation_mode_hides_the_panels(self, at):
        assert len(at.sidebar.expander) == 2
        at.toggle(key="presentation_mode").set_value(True).run()
        assert not at.sidebar.expander
        assert "w_bad_profit_share" not in {s.key for s in at.slider}
        assert [s.key for s in at.sidebar.slider] == [f"w_{n}" for n in LEVERS]
        assert at.query_params["present"] == "1"
        assert len(at.get("vega_lite_chart")) == 4
        assert not any(c.proto.help for c in at.caption)  # the exact line is hidden
        at.toggle(key="presentation_mode").set_value(False).run()
        assert len(at.sidebar.expander) == 2

    def test_present_in_the_link_turns_it_on(self):
        at = _app(present="1")
        assert at.toggle(key="presentation_mode").value is True
        assert not at.sidebar.expander


class TestCalibration:
    def test_badge_locks_the_data_fields_and_reset_restores_them(self):
        from model.curves import ConstantChurn
        from model.simulation import Baseline, Segment
        from ui.state import Calibration

        baseline = Baseline((
            Segment("Small", 60_000, 40.0, ConstantChurn.from_annual(0.3), 0.5),
            Segment("Large", 40_000, 70.0, ConstantChurn.from_annual(0.1), 0.5)), "test")
        at = AppTest.from_file(APP, default_timeout=30)
        at.session_state["calibration"] = Calibration(baseline, "churn.csv · constant")
        at.run()
        assert not at.exception
        assert any(escape_markdown("churn.csv · constant") in i.value for i in at.info)
        assert verdict(at) == verdict_sentence(run(baseline=baseline).summary)
        customers = at.number_input(key="w_customers")
        assert customers.disabled and customers.value == 100_000
        assert at.slider(key="w_annual_churn").disabled
        assert at.slider(key="w_annual_churn").value == pytest.approx(22.0)  # from the data
        assert not at.slider(key="w_honesty").disabled

        at.button(key="reset_calibration").click().run()
        assert not any("churn.csv" in i.value for i in at.info)
        assert not at.number_input(key="w_customers").disabled
        assert at.slider(key="w_annual_churn").value == 20.0  # the scenario's own value again
        assert verdict(at) == verdict_sentence(run().summary)

    def test_use_in_model_on_a_small_business_rescales_the_money(self):
        """After "Use in model" on 5,000 customers (ui.state.set_calibration applies
        follow_calibration) the money follows the business: the same share of revenue, a
        proportionate CAC, no out-of-proportion warning, and a switch that can pay back."""
        from model.assumptions import defaults
        from model.curves import ConstantChurn
        from model.proportion import follow_calibration
        from model.simulation import Baseline, Segment
        from ui.state import Calibration

        small = Baseline((Segment("All", 5_000, 63.0, ConstantChurn.from_annual(0.2), 1.0),),
                         "test", new_customers_monthly=90.0)
        values = follow_calibration(defaults(), None, small)
        at = AppTest.from_file(APP, default_timeout=30)
        at.session_state["calibration"] = Calibration(small, "small.csv · constant")
        at.session_state["scenario_values"] = values
        at.run()
        assert not at.exception
        assert at.slider(key="w_investment").value == 10.0
        assert values["investment"] == pytest.approx(0.1 * 12 * 5_000 * 63.0)
        assert not [w for w in at.warning if "revenue" in w.value or "lifetime" in w.value]
        s = run(values, small).summary
        assert verdict(at) == verdict_sentence(s)
        assert s.payback_month is not None
