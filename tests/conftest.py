"""Shared fixtures: a private store per test, clean Streamlit caches, derandomised hypothesis, the
markers by folder (browser/ → ``browser``, pages/ → ``slow``) and by fixture (a PostgreSQL fixture
→ ``postgres``), and a throwaway PostgreSQL for the store tests. Helpers: tests/support/."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis: the suite (and CI) runs the "ci" profile, derandomised: the same examples every run,
# so a failure reproduces by running the test again; `--hypothesis-profile=explore` looks further.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

POSTGRES_FIXTURES = {"postgres_server", "postgres_url"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.replace("\\", "/")
        if path.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
        if path.startswith("tests/pages/"):  # AppTest runs the whole app script: about 1 s each
            item.add_marker(pytest.mark.slow)
        if POSTGRES_FIXTURES & set(item.fixturenames):
            params = getattr(item, "callspec", None)
            # store_url runs each test on both backends: only the PostgreSQL one needs the server
            if params is None or params.params.get("store_url", "postgresql") == "postgresql":
                item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path, monkeypatch):
    """Every test gets its own scenario library and empty Streamlit caches."""
    monkeypatch.setenv("ONEQ_LIBRARY", str(tmp_path / "library.sqlite"))
    try:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    except Exception:  # streamlit not importable: model-only tests still run
        pass
    yield


# --- a throwaway PostgreSQL (the store's tests run on SQLite and on this) ----------------------

@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of Debian's packages for the session (see tests/support/postgres.py).

    tests/run.sh installs ``postgresql`` when it is missing; without it these tests are skipped
    with a loud reason (never silently)."""
    from tests.support import postgres

    if postgres.initdb() is None:
        pytest.skip(postgres.MISSING)
    with postgres.server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database on the throwaway server (one per test)."""
    from model.store import forget_stores
    from tests.support import postgres

    yield postgres.new_database(postgres_server)
    forget_stores()  # close this test's connections: the server allows a limited number


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The same store test on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")
