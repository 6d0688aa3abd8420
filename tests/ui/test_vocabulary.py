"""One vocabulary: the same figure has the same words and formatters."""

from __future__ import annotations

import pytest

from model.simulation import run
from ui import charts, theme
from ui.format import signed_cents, signed_compact


@pytest.fixture(scope="module")
def default_run():
    return run()



class TestOneVocabulary:
    """One rounding rule, one table of summary fields, one set of chart parts."""

    def test_the_sign_follows_the_number_as_shown(self):
        from ui.format import cents, money, signed_money

        assert money(-0.4) == "$0" and signed_money(0.4) == "$0" and signed_money(-0.4) == "$0"
        assert cents(-0.004) == "$0.00" and signed_cents(0.004) == "$0.00"
        assert signed_cents(-0.006) == "−$0.01" and signed_cents(1234.5) == "+$1,234.50"
        assert signed_compact(-40) == "−$40" and signed_compact(0.3) == "$0"
        assert signed_compact(1_234_567) == "+$1.23M" and money(999_960, compact=True) == "$1M"
        assert money(895_900, compact=True) == "$896k" and money(150_300_000, compact=True) == "$150M"
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
