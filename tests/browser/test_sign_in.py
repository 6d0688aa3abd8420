"""Sign-in for real, in Chromium: a real OpenID Connect provider (oidc-provider-mock) started here,
the app configured for it by a secrets file, two users who each see only their own workspaces, and
a participant link that reaches its one workshop and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

import pytest

from model.library import Library, Workspaces, open_store
from tests.support.server import free_port, screenshot, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser

ALICE, BOB = "alice@example.org", "bob@example.org"


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on a free port (its sign-in page: a ``sub`` box and Authorize)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("the OpenID Connect provider did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory):
    """The app with sign-in configured (its own secrets file), on its own store."""
    folder = tmp_path_factory.mktemp("signed")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{"s3cret-" * 8}"\n'
        'client_id = "the-one-question"\n'
        'client_secret = "not-a-secret-in-a-test"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    library = folder / "library.sqlite"
    proc, url = start_server({"ONEQ_LIBRARY": str(library),
                              "STREAMLIT_SECRETS_FILES": str(secrets)}, port=port)
    yield url, open_store(f"sqlite:///{library}")
    stop_server(proc)


def sign_in(browser, url: str, who: str):
    """A fresh browser that signs in as ``who`` at the provider; returns (context, page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url)), timeout=30_000)
    wait_for_app(page)
    # (the address is shown as text: a word joiner after "@" keeps it from becoming a link)
    page.get_by_text(re.compile("Signed in as " + re.escape(who.split("@")[0]) + "@")).wait_for(
        timeout=30_000)
    return context, page


def workspace_options(page) -> list[str]:
    """The names the sidebar's workspace selector offers (its list opened, read, closed)."""
    page.get_by_role("combobox", name="Workspace").click()
    page.keyboard.press("ArrowDown")
    options = page.locator('[role="listbox"] [role="option"]')
    options.first.wait_for(timeout=10_000)
    names = [o.inner_text().strip() for o in options.all()]
    page.keyboard.press("Escape")
    return names


def test_two_users_each_see_only_their_own_workspaces(signed_app, browser):
    url, store = signed_app
    Workspaces(store, ALICE).create("Alpha client")
    Workspaces(store, BOB).create("Bravo client")
    alices = Library(store, "Alpha client", ALICE)
    alices.save("Alice's secret plan", {"honesty": 0.7})
    shop = alices.start_workshop("Alpha offsite")

    anonymous = browser.new_context()
    nobody = anonymous.new_page()
    for path in ("/", "/compare", "/workshop", f"/?facilitator={shop.facilitator_token}"):
        nobody.goto(url + path)
        wait_for_app(nobody)
        nobody.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        body = nobody.inner_text("body")
        assert "Alpha" not in body and "Alice" not in body, path
    screenshot(nobody, "sign_in_page")
    anonymous.close()

    a_ctx, alice = sign_in(browser, url, ALICE)
    b_ctx, bob = sign_in(browser, url, BOB)
    alice.goto(f"{url}/compare")
    wait_for_app(alice)
    assert workspace_options(alice) == ["Alpha client"]
    bob.goto(f"{url}/compare")
    wait_for_app(bob)
    assert workspace_options(bob) == ["Bravo client"]
    # Bob asks for Alice's workspace by name in the address: he gets his own first one.
    bob.goto(f"{url}/compare?ws=Alpha%20client")
    wait_for_app(bob)
    bob.get_by_role("heading", name="Library").wait_for(timeout=30_000)
    assert "Alice's secret plan" not in bob.inner_text("body")
    assert "Alpha" not in bob.inner_text("body")
    screenshot(bob, "sign_in_bob_compare")
    # Alice's facilitator link does not open for Bob; it does for Alice.
    bob.goto(f"{url}/?facilitator={shop.facilitator_token}")
    wait_for_app(bob)
    bob.get_by_text("This link does not open a workshop").wait_for(timeout=30_000)
    assert "Alpha offsite" not in bob.inner_text("body")
    alice.goto(f"{url}/?facilitator={shop.facilitator_token}")
    wait_for_app(alice)
    alice.get_by_role("heading", name="Alpha offsite").wait_for(timeout=30_000)
    # Bob's workshops page lists no workshop of Alice's, and no link to one.
    bob.goto(f"{url}/workshop")
    wait_for_app(bob)
    bob.get_by_role("heading", name="Workspaces", exact=True).wait_for(timeout=30_000)
    assert shop.join_token not in bob.content() and shop.facilitator_token not in bob.content()
    a_ctx.close()
    b_ctx.close()


def test_a_participant_link_reaches_its_workshop_and_nothing_else(signed_app, browser):
    url, store = signed_app
    lib = Library(store, None, ALICE)
    lib.save("Not for participants", {"honesty": 0.2})
    shop = lib.start_workshop("Room 2")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{url}/?join={shop.join_token}")  # no sign-in asked of a participant
    wait_for_app(page)
    page.get_by_role("button", name="Send my answer").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    assert page.get_by_role("button", name="Sign in").count() == 0
    for path in ("/compare", "/workshop", "/decision_analysis"):  # anything else: sign in first
        page.goto(f"{url}{path}?join={shop.join_token}")
        wait_for_app(page)
        assert "Not for participants" not in page.inner_text("body")
        assert page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() == 0
        page.goto(f"{url}{path}")
        wait_for_app(page)
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        assert "Not for participants" not in page.inner_text("body")
    context.close()


def test_the_owner_adds_and_removes_a_member_on_the_workshops_page(signed_app, browser):
    url, store = signed_app
    Workspaces(store, ALICE).create("Charlie client")
    a_ctx, alice = sign_in(browser, url, ALICE)
    b_ctx, bob = sign_in(browser, url, BOB)
    alice.goto(f"{url}/workshop?ws=Charlie%20client")
    wait_for_app(alice)
    alice.get_by_label("Add someone (the e-mail address they sign in with)").fill(BOB)
    alice.get_by_role("button", name="Add to this workspace").click()
    alice.get_by_text("can now see").wait_for(timeout=30_000)
    bob.goto(f"{url}/compare")
    wait_for_app(bob)
    assert "Charlie client" in workspace_options(bob)
    alice.get_by_text(re.compile(r"Seen by .*alice@.*, .*bob@")).wait_for(timeout=30_000)
    alice.get_by_role("combobox", name="Remove someone").click()
    alice.get_by_role("option", name=BOB).wait_for(timeout=10_000)
    alice.get_by_role("option", name=BOB).click()
    alice.get_by_role("button", name="Remove from this workspace").click()
    alice.get_by_text("no longer sees").wait_for(timeout=30_000)
    screenshot(alice, "sign_in_member_removed")
    assert Library(store, "Charlie client", ALICE).members() == [ALICE]
    bob.goto(f"{url}/compare")
    wait_for_app(bob)
    assert "Charlie client" not in workspace_options(bob)
    a_ctx.close()
    b_ctx.close()


def test_signing_in_comes_back_to_the_page_asked_for(signed_app, browser):
    """Streamlit's sign-in returns to the root; the app takes the person on to the page (and the
    workspace in its address) they opened, and a facilitator link opens its workshop."""
    url, store = signed_app
    Workspaces(store, ALICE).create("Zulu client")  # her first workspace: Delta is not the default
    Workspaces(store, ALICE).create("Delta client")
    shop = Library(store, "Delta client", ALICE).start_workshop("Delta offsite")
    for path, landmark in (("/compare?ws=Delta%20client", ("heading", "Library")),
                           (f"/?facilitator={shop.facilitator_token}",
                            ("heading", "Delta offsite"))):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(url + path)
        wait_for_app(page)
        page.get_by_role("button", name="Sign in").click()
        page.locator('input[name="sub"]').fill(ALICE)
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(re.escape(url + path.split("?")[0])), timeout=30_000)
        wait_for_app(page)
        page.get_by_role(landmark[0], name=landmark[1]).wait_for(timeout=30_000)
        if "ws=" in path:  # the workspace the address asked for, not her first one
            assert "ws=Delta" in page.url
            box = page.get_by_role("combobox", name="Workspace")
            box.wait_for(timeout=30_000)
            assert box.input_value() == "Delta client"
        # Forgotten once used: the root now stays the root.
        page.goto(url + "/")
        wait_for_app(page)
        page.get_by_text(re.compile("Signed in as alice@")).wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)
        assert page.url.rstrip("/") == url
        context.close()
    # A kept address met on another page is forgotten, and the session does not follow it later
    # (it keeps the cookies it was opened with): back to the dashboard stays on the dashboard.
    context, page = sign_in(browser, url, ALICE)
    context.add_cookies([{"name": "oneq_next", "value": "/method", "url": url}])
    page.goto(url + "/compare")
    wait_for_app(page)
    page.get_by_role("heading", name="Library").wait_for(timeout=30_000)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_text("Inside your tenure").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1_500)
    assert page.url.rstrip("/") == url
    context.close()
