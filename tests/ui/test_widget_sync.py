"""The sidebar's state machine (ui.widget_sync) on a plain dict as the session: seed, the
investment's two widgets, write back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.assumptions import BY_NAME, LEVERS, REGISTRY, defaults
from ui import widget_sync as ws

REVENUE = 60_000_000.0  # a year's revenue at the defaults: 100,000 customers × $50 × 12


def seeded(values=None, **kwargs) -> dict:
    session: dict = {}
    ws.seed(session, values or defaults(), force=kwargs.pop("force", False),
            calibrated=kwargs.pop("calibrated", None), revenue=kwargs.pop("revenue", REVENUE),
            **kwargs)
    return session


class TestUnits:
    def test_fractions_shown_as_percent_and_back_exactly(self):
        for a in REGISTRY:
            if a.is_fraction:
                for x in (a.min, a.default, a.max, a.low or a.min):
                    assert ws.from_widget(a, ws.to_widget(a, x)) == x
        assert ws.to_widget(BY_NAME["honesty"], 0.6) == 60.0
        assert ws.to_widget(BY_NAME["discount_rate_annual"], 0.07) == 7.0

    def test_the_investment_is_a_share_of_revenue_and_back_to_the_cent(self):
        assert ws.investment_to_share(6_000_000.0, REVENUE) == 10.0
        assert ws.share_to_investment(10.5, REVENUE) == 6_300_000.0
        assert ws.investment_to_share(1.0, 0.0) == 0.0  # no revenue: no share, no division


class TestSeed:
    def test_a_first_run_writes_every_widget_from_the_scenario(self):
        session = seeded()
        for a in REGISTRY:
            if a.name != ws.INVESTMENT:
                assert session[ws.key_of(a.name)] == ws.to_widget(a, a.default), a.name
        assert session[ws.key_of("investment")] == 10.0
        assert session[ws.EXACT_KEY] == 6_000_000.0
        assert session[ws.REVENUE_KEY] == REVENUE

    def test_without_a_reason_a_widget_keeps_what_it_shows(self):
        """A run that finishes late must not undo a key press made while it ran."""
        session = seeded()
        session[ws.key_of("honesty")] = 75.0  # the user moved it; the scenario does not know yet
        ws.seed(session, defaults(), force=False, calibrated=None, revenue=REVENUE)
        assert session[ws.key_of("honesty")] == 75.0

    def test_force_rewrites_every_widget(self):
        session = seeded()
        session[ws.key_of("honesty")] = 75.0
        session[ws.EXACT_KEY] = 1.0
        ws.seed(session, {**defaults(), "honesty": 0.3}, force=True, calibrated=None,
                revenue=REVENUE)
        assert session[ws.key_of("honesty")] == 30.0
        assert session[ws.EXACT_KEY] == 6_000_000.0

    def test_a_new_revenue_rederives_only_the_investment(self):
        session = seeded()
        session[ws.key_of("honesty")] = 75.0
        ws.seed(session, defaults(), force=False, calibrated=None, revenue=REVENUE / 2)
        assert session[ws.key_of("investment")] == 20.0  # the same $6M of half the revenue
        assert session[ws.EXACT_KEY] == 6_000_000.0
        assert session[ws.key_of("honesty")] == 75.0

    def test_a_calibration_always_shows_the_data_clamped_to_the_widget(self):
        session = seeded()
        ws.seed(session, defaults(), force=False, revenue=REVENUE,
                calibrated={"annual_churn": 0.22, "customers": 10**12})
        assert session[ws.key_of("annual_churn")] == 22.0
        assert session[ws.key_of("customers")] == BY_NAME["customers"].max

    def test_only_the_named_widgets(self):
        session = seeded(only=LEVERS)
        assert set(session) == {*(ws.key_of(n) for n in LEVERS), ws.EXACT_KEY, ws.REVENUE_KEY}


class TestWhyToSeed:
    def test_the_sync_flag(self):
        session: dict = {}
        assert not ws.sync_requested(session)
        ws.request_sync(session)
        assert ws.sync_requested(session)
        ws.mark_synced(session)
        assert not ws.sync_requested(session)

    def test_another_page_and_another_revenue_are_noticed_once(self):
        session: dict = {}
        assert ws.page_changed(session, "a") and not ws.page_changed(session, "a")
        assert ws.page_changed(session, "b")
        assert not ws.revenue_changed(session, REVENUE)  # the first: nothing to compare with
        assert not ws.revenue_changed(session, REVENUE)
        assert ws.revenue_changed(session, 2 * REVENUE)


class TestInvestmentWidgets:
    def test_the_exact_box_follows_the_slider(self):
        session = seeded()
        session[ws.key_of("investment")] = 12.5
        ws.slider_moved(session, REVENUE)
        assert session[ws.EXACT_KEY] == 7_500_000.0

    def test_the_slider_follows_the_exact_box_and_the_amount_is_kept_to_the_unit(self):
        session = seeded()
        session[ws.EXACT_KEY] = 6_250_000.0
        assert ws.exact_typed(session, REVENUE) == 6_250_000.0
        assert session[ws.key_of("investment")] == pytest.approx(100 * 6.25 / 60)
        session[ws.EXACT_KEY] = -5.0
        assert ws.exact_typed(session, REVENUE) == 0.0  # clamped to the allowed range


class TestWriteBack:
    def test_only_what_the_user_changed_in_model_units(self):
        session = seeded()
        session[ws.key_of("honesty")] = 90.0
        session[ws.key_of("investment")] = 20.0
        drawn = [BY_NAME[n] for n in LEVERS]
        assert ws.changes(session, drawn, defaults(), REVENUE) == {
            "honesty": 0.9, "investment": 12_000_000.0}

    def test_a_widget_not_drawn_is_not_read(self):
        session = seeded()
        session[ws.key_of("gross_margin")] = 10.0
        assert ws.changes(session, [BY_NAME["honesty"]], defaults(), REVENUE) == {}

    @given(honesty=st.integers(0, 100), share=st.integers(0, 400), tenure=st.integers(1, 40))
    def test_seeding_then_reading_back_changes_nothing(self, honesty, share, tenure):
        """No widget's rounding may rewrite the scenario (the widgets would fight the state)."""
        values = {**defaults(), "honesty": honesty / 100,
                  "investment": ws.share_to_investment(share / 2, REVENUE),
                  "tenure_years": tenure / 2}
        session = seeded(values)
        assert ws.changes(session, REGISTRY, values, REVENUE) == {}


class TestInvestmentTop:
    """Issue 22, defect 1: the slider's maximum (part of its identity) does not move at the top."""

    def test_the_top_stays_the_top(self):
        session = {ws.key_of("investment"): 200.0}
        assert ws.investment_top(session, 200.0, 0.5) == 200.0
        session[ws.key_of("investment")] = 199.5
        assert ws.investment_top(session, 200.0, 0.5) == 200.0

    def test_a_larger_share_widens_to_the_step_and_back(self):
        session = {ws.key_of("investment"): 250.2}
        assert ws.investment_top(session, 200.0, 0.5) == 250.5
        session[ws.key_of("investment")] = 100.0
        assert ws.investment_top(session, 200.0, 0.5) == 200.0
        # The new slider (a new maximum) starts where the old one stood, not at its minimum.
        assert session[ws.key_of("investment")] == 100.0
        assert session[ws.TOP_KEY] == 200.0
