"""Segments from a churn-data calibration: each calibrated segment as a typed-in segment (its
share of today's customers, its ARPU, and the share of its active customers who leave within the
next 12 months at its fitted curve and age mix), ready to be given its own bad-profit and
over-promise shares, CAC and honesty.

A structured run with typed segments runs each at constant churn: with a calibration active, the
segments take its place (a note says so); the calibration's curve shapes are not used there.
"""

from __future__ import annotations

from dataclasses import replace

from model.assumptions import BY_NAME
from model.simulation import Baseline, Segment, baseline_basics
from model.structure._spec import MAX_NAME, MAX_SEGMENTS, SegmentSpec


def segments_from_calibration(baseline: Baseline) -> tuple[SegmentSpec, ...]:
    """The calibration's segments (at most ``MAX_SEGMENTS``, the largest) as segment specs."""
    segs = sorted(baseline.segments, key=lambda s: -s.customers)[:MAX_SEGMENTS]
    total = sum(s.customers for s in segs)
    if total <= 0:
        return ()
    out = []
    for s in segs:
        basics = baseline_basics(Baseline((replace(s, new_share=1.0),)))
        churn = min(max(basics["annual_churn"], BY_NAME["annual_churn"].min),
                    BY_NAME["annual_churn"].max)
        arpu = min(max(s.arpu_monthly, BY_NAME["arpu_monthly"].min), BY_NAME["arpu_monthly"].max)
        out.append(SegmentSpec(name=_name(s), share=s.customers / total, arpu=arpu,
                               churn=churn))
    # Shares that add up to 1 exactly (the parser's check), the rounding put on the largest.
    rest = 1.0 - sum(x.share for x in out[1:])
    out[0] = replace(out[0], share=rest)
    return tuple(out)


def _name(segment: Segment) -> str:
    text = str(segment.name).strip() or "Segment"
    return text[:MAX_NAME]
