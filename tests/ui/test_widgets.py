"""Widget unit conversions and escaped text."""

from __future__ import annotations

import pytest

from model.assumptions import BY_NAME, REGISTRY
from model.simulation import run
from ui.format import escape_markdown
from ui.widgets import from_widget, to_widget, widget_kind, widget_label


@pytest.fixture(scope="module")
def default_run():
    return run()



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


