"""The verdict sentence and the headline metrics."""

from __future__ import annotations

import pytest

from model.assumptions import LEVERS_OFF
from model.simulation import run
from ui.format import compact, month_label, signed_cents, signed_compact
from ui.verdict import exact_line, headline_metrics, is_status_quo, verdict_sentence


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
            f"you still have then and those still to come ({signed_compact(s.delta_end_value_active)}"
            f" and {signed_compact(s.delta_end_value_arrivals)}), you gain {compact(s.delta_npv)}; "
            f"the switch pays back in "
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
        assert f"those still to come ({signed_compact(s.delta_end_value_active)} and " \
            f"{signed_compact(s.delta_end_value_arrivals)}), you gain {compact(s.delta_npv)}" in text

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
            "Total (cash + end value)", "Payback", "Deepest sacrifice"]
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
        # Short enough for a metric at 1280 px; the note says it in full (issue 22, defect 6).
        assert m[4].value == "not by year 3" and m[4].note == "not within the horizon"

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




class TestNoContradiction:
    """Issue 22, defect 6: the headline figures never contradict each other without a word."""

    def test_tenure_outlasting_the_horizon_says_what_comes_after_it(self):
        s = run({"tenure_years": 20}).summary
        m = {x.label: x for x in headline_metrics(s, 20.0)}
        assert m["After your tenure"].note == "the end value only"

    def test_after_the_tenure_larger_than_the_total_is_explained(self, default_run):
        s = default_run.summary
        assert s.delta_after_tenure > s.delta_npv and s.delta_inside_tenure < 0
        m = {x.label: x for x in headline_metrics(s, 5.0)}
        assert m["After your tenure"].note == f"total + the {compact(-s.delta_inside_tenure)} given up first"
        assert "exceeds the total when the tenure costs money" in m["After your tenure"].help

    def test_a_gain_inside_the_tenure_and_a_payback_after_it_are_reconciled(self, default_run):
        from dataclasses import replace

        s = replace(default_run.summary, delta_inside_tenure=73_700.0, payback_month=19,
                    tenure_month=6, deepest_sacrifice=-1_000_000.0)
        text = verdict_sentence(s, 0.5)
        assert "you gain $73.7k" in text
        assert "you are ahead when your tenure ends, but the switch falls behind after it" in text
        assert "pays back for good only in month 19" in text
        pay = {x.label: x for x in headline_metrics(s, 0.5)}["Payback"]
        assert pay.note == "ahead at tenure end, then behind"

    def test_the_crossing_note_does_not_say_long_before(self, default_run):
        from ui.verdict import crossing_month, crossing_note

        note = crossing_note(default_run)
        gap = default_run.summary.payback_month - crossing_month(default_run)
        assert "long before" not in note and f"{gap} months later" in note
