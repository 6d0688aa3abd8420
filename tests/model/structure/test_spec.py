"""Segments, tiers and fixes are checked like every other input: one sentence naming the list,
the item, the field, the value and the fix; a file with them round-trips."""

from __future__ import annotations

import json

import pytest

from model.assumptions import ScenarioError
from model.structure import (
    dump_structured,
    fixes_csv_example,
    parse_fixes_csv,
    parse_structure,
    parse_structured,
)

SEG = {"name": "A", "share": 1.0}
TIER = [{"name": "User", "share": 0.7, "arpu": 40, "upgrade": 0.02},
        {"name": "Super", "share": 0.3, "arpu": 90, "downgrade": 0.01}]
FIX = {"name": "Billing", "capex": 1e6, "churn_share": 0.05}


@pytest.mark.parametrize("data, message", [
    ({"segments": []}, "segments: expected a list of objects"),
    ({"segments": [5]}, "segments[0]: 5 is not an object"),
    ({"segments": [{"share": 1.0}]}, "segments[0]: the field 'name' is missing"),
    ({"segments": [{"name": "A", "share": 0.5}]}, "segments' shares add up to 0.5; they must add up to 1"),
    ({"segments": [{"name": "A", "share": 1.0, "churn": 5}]},
     "segments[0].churn: 5 is out of range; expected a number from 0.005 to 0.95"),
    ({"segments": [{"name": "A", "share": 1.0, "arpu": "x"}]}, "segments[0].arpu: 'x' is not a number"),
    ({"segments": [{"name": "A", "share": 1.0, "colour": 1}]}, "segments[0]: unknown field 'colour'"),
    ({"segments": [{"name": "A", "share": 0.5}, {"name": "a", "share": 0.5}]},
     "segments[1].name: 'a' appears more than once"),
    ({"segments": [{"name": "", "share": 1.0}]}, "segments[0].name: '' is not a name"),
    ({"tiers": [{"name": "U", "share": 1.0, "arpu": 10, "upgrade": 0.1}]},
     "tiers[0].upgrade: the heaviest tier has no tier above it"),
    ({"tiers": [{"name": "U", "share": 0.5, "arpu": 10, "downgrade": 0.1},
                {"name": "S", "share": 0.5, "arpu": 10}]}, "tiers[0].downgrade: the lightest tier"),
    ({"tiers": [{"name": "U", "share": 1.0, "arpu": 10, "upgrade": float("nan")}]},
     "tiers[0].upgrade: nan is not a finite number"),
    ({"fixes": [{"name": "F", "capex": -1, "churn_share": 0.1}]}, "fixes[0].capex: -1 is out of range"),
    ({"fixes": [{"name": "F", "capex": 1, "churn_share": {"low": 0.2, "likely": 0.1, "high": 0.3}}]},
     "fixes[0].churn_share: low 0.2 ≤ likely 0.1 ≤ high 0.3 does not hold"),
    ({"fixes": [{"name": "F", "capex": 1, "churn_share": 30}]},
     "fixes[0].churn_share: 30 is out of range"),
    ({"segments": [SEG], "fixes": [{"name": "F", "capex": 1, "churn_share": 0.1,
                                    "segments": ["B"]}]},
     "fixes[0].segments[0]: 'B' is not a segment of the scenario (segments: A)"),
    ({"fixes": [{"name": "F", "capex": 1, "churn_share": 0.1, "build_months": 0}]},
     "fixes[0].build_months: 0 is out of range"),
    ({"segments": [{"name": "A", "share": 0.5, "new_share": 1.0}, {"name": "B", "share": 0.5}]},
     "segments: new_share is given for some segments only; give it for every segment or for none"),
    ({"segments": [{"name": "A", "share": 0.5, "new_share": 0.5},
                   {"name": "B", "share": 0.5, "new_share": 0.2}]},
     "segments: the segments' new_share values add up to 0.7"),
    ({"tiers": [{**TIER[0], "entry_share": 1.0}, TIER[1]]},
     "tiers: entry_share is given for some tiers only; give it for every tier or for none"),
    ({"tiers": [{**TIER[0], "entry_share": 0.9}, {**TIER[1], "entry_share": 0.9}]},
     "tiers: the tiers' entry_share values add up to 1.8"),
])
def test_bad_structure_gets_one_sentence(data, message):
    with pytest.raises(ScenarioError) as err:
        parse_structure(data)
    assert message in str(err.value)
    assert "\n" not in str(err.value) and len(str(err.value)) < 300


def test_a_scenario_file_with_structure_round_trips():
    text = json.dumps({"honesty": 0.9, "segments": [SEG], "tiers": TIER,
                       "fixes": [FIX, {"name": "App", "capex": 2e6, "opex_per_year": 1e5,
                                       "churn_share": {"low": 0.02, "likely": 0.04,
                                                       "high": 0.08},
                                       "segments": ["A"], "build_months": 6}]})
    values, structure = parse_structured(text)
    assert values["honesty"] == 0.9
    assert structure.fixes[1].low == 0.02 and structure.fixes[1].segments == ("A",)
    again = parse_structured(dump_structured(values, structure))
    assert again == (values, structure)


def test_a_plain_scenario_has_an_empty_structure_and_unknown_keys_are_still_refused():
    values, structure = parse_structured(b'{"honesty": 0.3}')
    assert structure.empty and values["honesty"] == 0.3
    with pytest.raises(ScenarioError, match="unknown key 'segmentz'"):
        parse_structured(b'{"segmentz": []}')


# --- fixes from CSV -------------------------------------------------------------------------------

def test_the_fixes_csv_template_is_read_as_written():
    fixes = parse_fixes_csv(fixes_csv_example())
    assert [f.name for f in fixes] == ["Billing errors", "Onboarding"]
    assert (fixes[0].low, fixes[0].churn_share, fixes[0].high) == (0.05, 0.08, 0.12)
    assert fixes[0].build_months == 9 and fixes[1].build_months is None


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("name,capex,colour\n", "line 1, column 3: 'colour' is not a column"),
    ("name,capex\nA,1\n", "line 1: the column 'churn_share' is missing"),
    ("name,capex,churn_share\nA,lots,0.1\n", "line 2, column capex: 'lots' is not a number"),
    ("name,capex,churn_share\nA,1,0.1\nB,1,7\n", "line 3, column churn_share: 7.0 is out of range"),
    ("name,capex,churn_share,low\nA,1,0.1,0.05\n", "line 2: give both low and high"),
    ("name,capex,churn_share,segments\nA,1,0.1,Gold\n",
     "line 2, column segments: 'Gold' is not a segment"),
])
def test_bad_fixes_csv_names_the_line_and_column(text, message):
    with pytest.raises(ScenarioError) as err:
        parse_fixes_csv(text)
    assert message in str(err.value)
