"""Shared fixtures: clean Streamlit caches, a private scenario library, the real server, Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots from browser tests (git-ignored)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


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


def open_app(page: str | None = None, timeout: float = 60):
    """An AppTest of app.py that has run, switched to ``page`` (e.g. "pages/compare.py")."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception
    return at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` on a free port and wait until it answers."""
    port = _free_port()
    env = {**os.environ, **(env_extra or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://localhost:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit server did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server_library(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "library.sqlite"


@pytest.fixture(scope="session")
def app_url(server_library):
    """Base URL of a real server running app.py (one per test session)."""
    proc, url = start_server({"ONEQ_LIBRARY": str(server_library)})
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def wait_for_app(pg, timeout: float = 30_000) -> None:
    """Wait until the script has run and nothing is rerunning."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    # The shell exists before the script's first message: wait for something it drew.
    pg.wait_for_selector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]',
                         timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    pg.wait_for_timeout(200)


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


# --- a throwaway PostgreSQL (the store's tests run on SQLite and on this) ----------------------

@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server of Debian's packages for the session (see tests/postgres.py).

    tests/run.sh installs ``postgresql`` when it is missing; without it these tests are skipped
    with a loud reason (never silently)."""
    from tests import postgres

    if postgres.initdb() is None:
        pytest.skip(postgres.MISSING)
    with postgres.server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """The URL of a new, empty database on the throwaway server (one per test)."""
    from model.store import forget_stores
    from tests import postgres

    yield postgres.new_database(postgres_server)
    forget_stores()  # close this test's connections: the server allows a limited number


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """The same store test on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("postgres_url")
