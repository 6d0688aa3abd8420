"""A fix's effect in the workshop through the command line: docs/segments.md's answer is stored
by `workshop answer` as written, `workshop results` prints the room's view of the fix, and
`analyze --ranges` with docs/segments.md's room view draws the fix from the room's range."""

from __future__ import annotations

import json
import re

import pytest

import cli
from tests.support.app import ROOT

DOC = (ROOT / "docs" / "segments.md").read_text(encoding="utf-8")
ANSWER = json.loads(re.search(r"```json workshop-answer\n(.*?)```", DOC, re.S).group(1))
VIEW = json.loads(re.search(r"```json room-view\n(.*?)```", DOC, re.S).group(1))
SCENARIO = json.loads(re.findall(r"```json\n(.*?)```", DOC, re.S)[-1])  # has "Billing errors"


def test_an_answer_with_a_fix_estimate_is_stored_and_pooled(tmp_path, capsys):
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(ANSWER), encoding="utf-8")
    assert cli.main(["workspace", "create", "Fixes"]) == 0
    capsys.readouterr()
    assert cli.main(["workshop", "create", "Fixes"]) == 0
    shop = json.loads(capsys.readouterr().out)["workshop_id"]
    assert cli.main(["workshop", "answer", shop, str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["workshop", "results", shop]) == 0
    res = json.loads(capsys.readouterr().out)
    fix = res["fixes"]["Billing errors"]  # one participant: their range, the PERT's median
    assert list(res["fixes"]) == ["Billing errors"]
    assert (fix["low"], fix["high"]) == (0.03, 0.12) and 0.06 < fix["likely"] < 0.07
    assert set(res["ranges"]) == {"bad_profit_share"}
    path.write_text(json.dumps({**ANSWER, "estimates": {"fix:Billing errors": {
        "low": 0.03, "likely": 0.06, "high": 0.95}}}), encoding="utf-8")
    assert cli.main(["workshop", "answer", shop, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: estimates.fix:Billing errors.high: ") and "0.9" in err


@pytest.mark.slow  # two structured Monte Carlo runs through the command line: 3 s
def test_analyze_draws_the_fix_from_the_rooms_view(tmp_path, capsys):
    scenario, view = tmp_path / "s.json", tmp_path / "view.json"
    scenario.write_text(json.dumps(SCENARIO), encoding="utf-8")
    median = {}
    for name, fixes in (("doc", VIEW["fixes"]),
                        ("high", {"Billing errors": {"low": 0.3, "likely": 0.4, "high": 0.5}})):
        view.write_text(json.dumps({**VIEW, "fixes": fixes}), encoding="utf-8")
        assert cli.main(["analyze", str(scenario), "--draws", "300", "--ranges", str(view)]) == 0
        out = json.loads(capsys.readouterr().out)
        median[name] = out["monte_carlo"]["delta_npv"]["p50"]
    assert median["high"] > median["doc"]  # the room's fix range is what is drawn
