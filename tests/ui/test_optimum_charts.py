"""The best levers' heatmaps and words, and goal seek's (through ``chart.to_dict()``)."""

from __future__ import annotations

from dataclasses import replace

from model import analysis as A
from model.assumptions import defaults
from ui import optimum_charts


def test_heatmaps_mark_every_optimum_with_a_shape_and_never_with_text():
    lm = A.optimise_levers(defaults())
    for key in A.OBJECTIVES:
        spec = optimum_charts.heatmap_chart(lm, key).to_dict()
        assert all(layer["mark"]["type"] != "text" for layer in spec["layer"])
        marks = [d for d in spec["datasets"].values() if len(d) == 4][0]
        assert {m["mark"] for m in marks} == set(optimum_charts.MARKS.values())
        cells = max(spec["datasets"].values(), key=len)
        assert len(cells) == lm.honesty.size * lm.investment.size
        assert spec["layer"][1]["encoding"]["shape"]["scale"]["domain"] == [
            optimum_charts.MARKS[k] for k in ("company", "tenure", "board", "now")]
    assert optimum_charts.MARKS_LEGEND.startswith("● Best for the company · ■ best for your tenure")


def test_two_optima_at_the_same_point_stay_readable():
    """Issue 12 item 5: after calibration both optima were $0 and their labels overlapped."""
    lm = A.optimise_levers(defaults())
    zero = A.Optimum("x", 0.0, 0.0, 0.0, (0.0, 0.0), (0.0, 0.0))
    same = replace(lm, optima={k: replace(zero, objective=k) for k in A.OBJECTIVES})
    spec = optimum_charts.heatmap_chart(same, "company").to_dict()
    assert all(layer["mark"]["type"] != "text" for layer in spec["layer"])
    assert "company and a leader judged on the tenure want the same plan" in optimum_charts.gap_sentence(same)
    assert "investment only $0" in optimum_charts.optimum_sentence(same, "tenure")


def test_optimum_sentence_states_the_ranges_in_words():
    lm = A.optimise_levers(defaults())
    o = lm.optima["company"]
    s = optimum_charts.optimum_sentence(lm, "company")
    lo, hi = (optimum_charts.money(x, compact=True) for x in o.investment_range)
    assert f"anything from {lo} to {hi}" in s and "within 1 % of the best" in s
    # A short tenure: doing nothing is the leader's best, said in words.
    short = A.optimise_levers({**defaults(), "tenure_years": 2})
    if abs(short.optima["tenure"].value) < 0.5:
        assert "nothing to gain" in optimum_charts.optimum_sentence(short, "tenure")


def test_goal_seek_sentences_say_when_there_is_none():
    gs = A.goal_seek(defaults(), "discount_rate_annual")
    assert optimum_charts.goal_sentence(gs, "horizon").startswith("The switch's internal rate of return is ")
    none = replace(gs, inside_tenure=None, no_root=(("inside_tenure", "loses"),))
    assert optimum_charts.goal_value(none, "inside_tenure") == "none in range"
    assert "No break-even between 1 % and 50 %: the switch loses" in optimum_charts.goal_sentence(
        none, "inside_tenure")
