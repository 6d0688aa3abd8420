"""Share by link: encoding and parsing the query string."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.assumptions import BY_NAME, defaults
from model.simulation import run
from ui.format import escape_markdown
from ui.share import PRESENT, encode, link_suffix, parse_query


@pytest.fixture(scope="module")
def default_run():
    return run()



# --- share by link ------------------------------------------------------------------------------


class TestShare:
    def test_defaults_give_an_empty_link(self):
        assert encode(defaults()) == {}
        assert link_suffix({}) == ""

    def test_round_trip_is_exact(self):
        values = {**defaults(), "honesty": 0.35, "investment": 12_250_000.0, "tenure_years": 3.5,
                  "build_months": 18, "successor_reverts": True, "referral_rate_full_trust": 0.0015,
                  "discount_rate_annual": 0.1 + 0.2 * 0.1}  # a float with a long repr
        params = encode(values, present=True)
        assert params[PRESENT] == "1" and params["successor_reverts"] == "1"
        link = parse_query(params)
        assert link.notes == [] and link.present
        assert {**defaults(), **link.values} == values
        assert run(values).summary == run(link.values).summary

    @pytest.mark.parametrize("key,value,fragment", [
        ("honesty", "7", "out of range"),
        ("honesty", "abc", "not a number"),
        ("honesty", "nan", "not a finite number"),
        ("investment", "-1", "out of range"),
        ("build_months", "2.5", "not a whole number"),
        ("successor_reverts", "maybe", "expected 1 or 0"),
        ("no_such_thing", "1", "not an assumption"),
    ])
    def test_bad_params_are_ignored_with_a_note(self, key, value, fragment):
        link = parse_query({key: value, "tenure_years": "3"})
        assert key not in link.values
        assert link.values == {"tenure_years": 3.0}
        assert len(link.notes) == 1 and fragment in link.notes[0] and repr(key) in link.notes[0]

    def test_repeated_param_takes_the_last(self):
        assert parse_query({"honesty": ["0.2", "0.4"]}).values == {"honesty": 0.4}

    def test_long_tampered_text_is_cut_short(self):
        link = parse_query({"x" * 500: "1", "honesty": "y" * 500})
        assert all(len(n) < 250 for n in link.notes)

    def test_markdown_is_neutralised(self):
        assert escape_markdown("[a](b) $x$") == "\\[a\\]\\(b\\) \\$x\\$"

    @settings(max_examples=60, deadline=None)
    @given(st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=5))
    def test_any_query_never_raises(self, params):
        link = parse_query(params)
        for name, v in link.values.items():
            a = BY_NAME[name]
            if a.kind != "bool":
                assert a.min <= v <= a.max and math.isfinite(v)


