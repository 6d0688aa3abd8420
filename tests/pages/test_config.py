"""The product's Streamlit settings and caches."""

from __future__ import annotations

import json
import tomllib

import pandas as pd

from model.assumptions import defaults
from model.scenario import MAX_SCENARIO_BYTES
from tests.support.app import ROOT
from ui import report

CORPUS = ROOT / "tests" / "corpus" / "scenarios"
EXPECTED: dict[str, str] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
TOO_BIG = b'{"honesty": 0.5, "pad": "' + b"x" * (MAX_SCENARIO_BYTES + 10) + b'"}'



def test_the_product_shows_no_error_details_and_no_developer_menu():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # "none", not false: Streamlit treats false as "stacktrace" (see streamlit/elements/exception.py)
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"


def test_every_product_setting_is_a_streamlit_option():
    """A misspelt key is ignored by Streamlit, silently: the load settings would just not apply."""
    from streamlit import config as st_config

    st_config.get_config_options()  # loads the option definitions
    known = set(st_config._config_options_template)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    used = {f"{section}.{key}" for section, options in config.items() for key in options}
    assert "runner.postScriptGC" in known  # the check itself sees real option names
    assert used <= known, used - known
    # Per slider move: no full garbage collection and no walk over every module's path.
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"


def test_the_report_cache_is_bounded_in_bytes(monkeypatch):
    monkeypatch.setattr(report._cache, "max_bytes", 2_500_000)  # a report is about 1.1 MB
    report._cache.clear()
    for i in range(3):
        report.cached_report_files({**defaults(), "honesty": i / 10}, f"s{i}",
                                   pd.Timestamp("2026-01-01").date())
        assert report.cache_size() <= 2_500_000
    assert len(report._cache) == 2
    report._cache.clear()


