"""The dashboard through Streamlit's AppTest: verdict, metrics, charts, levers, links, modes."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from model.assumptions import LEVERS, REGISTRY
from model.simulate import run
from ui.verdict import verdict_sentence

APP = str(Path(__file__).resolve().parent.parent / "app.py")


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
    hits = [t for t in texts if t.startswith(("Inside your", "Every lever", "Your tenure"))]
    assert len(hits) == 1, texts
    return hits[0]


@pytest.fixture
def at() -> AppTest:
    return _app()


class TestFirstScreen:
    def test_verdict_metrics_and_three_charts(self, at):
        assert verdict(at) == verdict_sentence(run().summary)
        labels = [m.label for m in at.metric]
        assert labels == ["Δ inside your tenure (5 years)", "ΔNPV over 10 years", "Payback",
                          "Deepest sacrifice"]
        assert at.metric[1].value == "+$42.8M"
        assert len(at.get("vega_lite_chart")) == 3

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
        assert at.metric[1].value == "$0"

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


class TestPresentation:
    def test_presentation_mode_hides_the_panels(self, at):
        assert len(at.sidebar.expander) == 2
        at.toggle(key="presentation_mode").set_value(True).run()
        assert not at.sidebar.expander
        assert "w_bad_profit_share" not in {s.key for s in at.slider}
        assert [s.key for s in at.sidebar.slider] == [f"w_{n}" for n in LEVERS]
        assert at.query_params["present"] == "1"
        assert len(at.get("vega_lite_chart")) == 3
        at.toggle(key="presentation_mode").set_value(False).run()
        assert len(at.sidebar.expander) == 2

    def test_present_in_the_link_turns_it_on(self):
        at = _app(present="1")
        assert at.toggle(key="presentation_mode").value is True
        assert not at.sidebar.expander


class TestCalibration:
    def test_badge_locks_the_data_fields_and_reset_restores_them(self):
        from model.curves import ConstantChurn
        from model.simulate import Baseline, Segment
        from ui.state import Calibration

        baseline = Baseline((
            Segment("Small", 60_000, 40.0, ConstantChurn.from_annual(0.3), 0.5),
            Segment("Large", 40_000, 70.0, ConstantChurn.from_annual(0.1), 0.5)), "test")
        at = AppTest.from_file(APP, default_timeout=30)
        at.session_state["calibration"] = Calibration(baseline, "churn.csv · constant")
        at.run()
        assert not at.exception
        assert any("churn.csv · constant" in i.value for i in at.info)
        assert verdict(at) == verdict_sentence(run(baseline=baseline).summary)
        customers = at.number_input(key="w_customers")
        assert customers.disabled and customers.value == 100_000
        assert at.slider(key="w_annual_churn").disabled
        assert at.slider(key="w_annual_churn").value == pytest.approx(22.0)  # from the data
        assert not at.slider(key="w_honesty").disabled

        at.button(key="reset_calibration").click().run()
        assert not at.info
        assert not at.number_input(key="w_customers").disabled
        assert at.slider(key="w_annual_churn").value == 20.0  # the scenario's own value again
        assert verdict(at) == verdict_sentence(run().summary)
