"""The store's commands: ``cli.py workspace …`` and ``cli.py workshop …`` (one user's view)."""

from __future__ import annotations

import json
import os
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
    assert junk.returncode == 2 and "not JSON" in junk.stderr
