"""The store's commands: ``cli.py workspace …`` and ``cli.py workshop …`` (one user's view)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.support.app import ROOT


def answer(**changes) -> dict:
    base = {"participant": "p1", "round": "before", "vote": "yes", "confidence": 0.8,
            "estimates": {"bad_profit_share": {"low": 0.04, "likely": 0.08, "high": 0.14}}}
    return {**base, **changes}


def cli(*args, env_extra=None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "cli.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_cli_workshop_round_trip(tmp_path):
    env = {"ONEQ_LIBRARY": str(tmp_path / "lib.sqlite"), "ONEQ_BASE_URL": "https://ws.example/"}
    assert cli("workspace", "create", "Acme", env_extra=env).returncode == 0
    made = json.loads(cli("workshop", "create", "Acme", env_extra=env).stdout)
    assert made["join_url"].startswith("https://ws.example/?join=" + made["workshop_id"] + ".")
    assert made["facilitator_url"].startswith("https://ws.example/?facilitator=")
    good, bad = tmp_path / "a.json", tmp_path / "b.json"
    good.write_text(json.dumps(answer(participant="ana")))
    bad.write_text(json.dumps(answer(participant="bo", vote="perhaps")))
    assert cli("workshop", "answer", made["workshop_id"], str(good), env_extra=env).returncode == 0
    out = cli("workshop", "answer", made["workshop_id"], str(bad), env_extra=env)
    assert out.returncode == 2 and out.stderr.startswith("error: vote: ")
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    res = json.loads(cli("workshop", "results", made["workshop_id"], env_extra=env).stdout)
    assert res["participants"] == 1 and res["votes"]["before"]["yes"] == 1
    assert set(res["ranges"]) == {"bad_profit_share"}
    assert set(res["ranges"]["bad_profit_share"]) == {"low", "likely", "high"}
    wrong = cli("workshop", "results", "nope", env_extra=env)
    assert wrong.returncode == 2 and "no workshop" in wrong.stderr


@pytest.mark.slow
def test_cli_workspace_export_import(tmp_path):
    env = {"ONEQ_LIBRARY": str(tmp_path / "lib.sqlite")}
    cli("workspace", "create", "Client ✓", env_extra=env)
    out = tmp_path / "ws.json"
    assert cli("workspace", "export", "Client ✓", str(out), env_extra=env).returncode == 0
    assert json.loads(out.read_text())["name"] == "Client ✓"
    again = cli("workspace", "import", str(out), env_extra=env)
    assert again.returncode == 2 and "already exists" in again.stderr
    ok = cli("workspace", "import", str(out), "--name", "Copy", env_extra=env)
    assert ok.returncode == 0 and json.loads(ok.stdout) == {"workspace": "Copy", "scenarios": 3}
    (tmp_path / "junk.json").write_text("{not json")
    junk = cli("workspace", "import", str(tmp_path / "junk.json"), env_extra=env)
    assert junk.returncode == 2 and "not valid JSON" in junk.stderr


def _examples() -> list[dict]:
    text = (ROOT / "docs" / "workspaces.md").read_text(encoding="utf-8")
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def test_the_documented_examples_run_as_written(tmp_path, capsys):
    """docs/workspaces.md: the answer, the room's view and the workspace file, each accepted by the
    command it is documented for."""
    import cli

    answer_file, view_file, workspace_file = _examples()
    files = {}
    for name, data in (("answer", answer_file), ("room", view_file), ("ws", workspace_file)):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(json.dumps(data))
    assert cli.main(["workspace", "import", str(files["ws"])]) == 0
    assert json.loads(capsys.readouterr().out) == {"workspace": "Acme GmbH (example)",
                                                   "scenarios": 1}
    assert cli.main(["workspace", "ranges", "Acme GmbH (example)"]) == 0
    assert json.loads(capsys.readouterr().out) == workspace_file["room_view"]
    assert cli.main(["workshop", "create", "Acme GmbH (example)"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert cli.main(["workshop", "fixes", made["workshop_id"], "Cautious"]) == 0
    assert json.loads(capsys.readouterr().out)["fixes"] == ["Billing errors"]
    assert cli.main(["workshop", "answer", made["workshop_id"], str(files["answer"])]) == 0
    capsys.readouterr()
    assert cli.main(["workshop", "fixes", made["workshop_id"], "No such scenario"]) == 2
    assert "No such scenario" in capsys.readouterr().err
    assert cli.main(["workshop", "fixes", made["workshop_id"]]) == 0  # none asked any more
    assert json.loads(capsys.readouterr().out)["fixes"] == []
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    assert cli.main(["analyze", str(scenario), "--draws", "100", "--ranges",
                     str(files["room"])]) == 0
    assert json.loads(capsys.readouterr().out)["monte_carlo"]["p_no_response"] == 0.25


def test_the_command_line_as_one_user_sees_only_that_users_workspaces(tmp_path, capsys):
    import cli

    alice, bob = ["--user", "alice@example.org"], ["--user", "bob@example.org"]
    assert cli.main(["workspace", "create", "Alpha", *alice]) == 0
    capsys.readouterr()
    assert cli.main(["workshop", "create", "Alpha", *alice]) == 0
    shop = json.loads(capsys.readouterr().out)["workshop_id"]
    assert cli.main(["workspace", "list", *bob]) == 0
    assert [w["workspace"] for w in json.loads(capsys.readouterr().out)] == ["My scenarios"]
    for argv in (["workspace", "export", "Alpha", str(tmp_path / "x.json")],
                 ["workspace", "ranges", "Alpha"], ["workspace", "share", "Alpha", "eve@x.org"],
                 ["workshop", "results", shop], ["workshop", "create", "Alpha"]):
        assert cli.main([*argv, *bob]) == 2, argv
        err = capsys.readouterr().err
        assert "no workspace named “Alpha”" in err or f"no workshop with id “{shop}”" in err
    assert not (tmp_path / "x.json").exists()
    assert cli.main(["workspace", "share", "Alpha", "bob@example.org", *alice]) == 0
    capsys.readouterr()
    assert cli.main(["workshop", "results", shop, *bob]) == 0
    # The owner removes Bob again: his commands find nothing; Bob cannot remove the owner.
    assert cli.main(["workspace", "unshare", "Alpha", "alice@example.org", *bob]) == 2
    assert "owns this workspace" in capsys.readouterr().err
    assert cli.main(["workspace", "unshare", "Alpha", "bob@example.org", *alice]) == 0
    assert json.loads(capsys.readouterr().out)["members"] == ["alice@example.org"]
    assert cli.main(["workshop", "results", shop, *bob]) == 2
    assert f"no workshop with id “{shop}”" in capsys.readouterr().err
