"""Scenario files: every bad file in tests/corpus/scenarios gets its one short message."""

from __future__ import annotations

import json

import pytest

from model.assumptions import ScenarioError
from model.scenario import MAX_SCENARIO_BYTES, parse_scenario
from tests.support.app import ROOT

CORPUS = ROOT / "tests" / "corpus" / "scenarios"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
TOO_BIG = b'{"honesty": 0.5, "pad": "' + b"x" * (MAX_SCENARIO_BYTES + 10) + b'"}'



def test_the_corpus_has_one_file_per_expected_message():
    files = {p.name for p in CORPUS.glob("*.json")} - {"expected.json"}
    assert files == set(EXPECTED)


# --- the scenario parser --------------------------------------------------------------------------

@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_each_bad_file_gives_its_short_message(file):
    with pytest.raises(ScenarioError) as err:
        parse_scenario((CORPUS / file).read_bytes())
    assert EXPECTED[file] in str(err.value)
    assert len(str(err.value)) < 800 and "\n" not in str(err.value)


def test_an_oversized_file_is_refused_by_its_size():
    with pytest.raises(ScenarioError, match="at most 1,000,000 bytes"):
        parse_scenario(TOO_BIG)


def test_any_text_gives_a_scenario_or_a_scenario_error():
    """The library's read path catches ScenarioError only: nothing else may escape the parser."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(['[', ']', '{', '}', '"honesty"', ':', ',', '1e999', '-', '0.5',
                              '9' * 50, 'NaN', '"x"', 'true', 'null', '\\u0000', ' ', '"'])

    @settings(max_examples=400, deadline=None, database=None, derandomize=True)
    @given(st.lists(pieces, max_size=60).map("".join) | st.binary(max_size=200))
    def check(text):
        try:
            parse_scenario(text)
        except ScenarioError:
            pass

    check()
