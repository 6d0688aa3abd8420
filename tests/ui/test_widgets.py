"""The sidebar's widgets: labels with units and the kind of widget per assumption."""

from __future__ import annotations

from model.assumptions import BY_NAME
from ui.widgets import widget_kind, widget_label


class TestWidgets:
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
