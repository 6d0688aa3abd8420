"""Chart parts ``ui.chart_parts`` does not have yet (kept apart: that module has another owner).

- ``legend_with(**changes)``: the line-swatch legend with a title or another place.
- ``fill_legend(**changes)``: the same legend with square swatches, for bars and bands.
- ``zero_line_x()``: the thin grey zero rule of ``chart_parts.zero_line`` drawn vertically, for
  charts whose money runs along x (the ΔNPV histogram).
"""

from __future__ import annotations

import altair as alt

from ui import theme
from ui.chart_parts import legend


def zero_line_x() -> alt.Chart:
    """A thin grey rule at x = 0 (its one datum is inline), the colour of ``zero_line``."""
    return alt.Chart(alt.Data(values=[{"x": 0.0}])).mark_rule(color=theme.ZERO_LINE).encode(
        x="x:Q")


def legend_with(**changes: object) -> alt.Legend:
    """``chart_parts.legend()`` (line swatches) with some of its settings changed, e.g. a title
    or ``orient="bottom"`` (``legend(**extra)`` adds settings but cannot change its own)."""
    settings = legend().to_dict()
    settings.update(changes)
    return alt.Legend(**settings)


def fill_legend(**changes: object) -> alt.Legend:
    """The legend of filled marks (bars, bands): square swatches, since a line swatch of a mark
    without a stroke draws nothing (seen on the histogram, tornado and fan band)."""
    return legend_with(symbolType="square", **changes)
