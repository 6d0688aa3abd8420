"""Two app replicas on one PostgreSQL: a participant answers through one, the facilitator sees it
through the other; phone width, hostile names, a wrong token."""

from __future__ import annotations

import re
import uuid

import pytest

from model.library import Library, join, open_store
from tests.support.server import screenshot, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser

HOSTILE = "![x](http://127.0.0.1:9/x.png)"


@pytest.fixture
def replicas(postgres_url):
    """Two ``streamlit run app.py`` processes on two ports sharing one database."""
    env = {"ONEQ_DATABASE_URL": postgres_url}
    first = start_server(env)
    try:
        second = start_server(env)
    except BaseException:
        stop_server(first[0])
        raise
    yield postgres_url, first[1], second[1]
    stop_server(first[0])
    stop_server(second[0])


def metric(pg, label: str) -> str:
    box = pg.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_participant_on_one_replica_facilitator_on_the_other(replicas, browser):
    url, replica_a, replica_b = replicas
    lib = Library(open_store(url))
    shop = lib.start_workshop("Offsite")
    fixes = [f"Broken journey {i + 1}" for i in range(11)] + [HOSTILE]
    lib.set_workshop_fixes(shop.id, fixes)  # what the facilitator's scenario asks the room
    requests: list[str] = []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pp = phone.new_page()
    pp.on("request", lambda r: requests.append(r.url))
    pp.goto(f"{replica_a}/?join={shop.join_token}")
    wait_for_app(pp)
    assert pp.locator('[data-testid="stSidebar"]').count() == 0  # nothing else of the app
    pp.get_by_label("Your name (optional)").fill(HOSTILE)
    pp.get_by_text("Not yet", exact=True).click()
    inputs = pp.locator('[data-testid="stNumberInput"] input')
    for i, v in enumerate(("10", "20", "40")):  # the first question: the effect of the fixes
        inputs.nth(i).fill(v)
        inputs.nth(i).press("Tab")
    pp.get_by_text("The scenario's fixes (12)").click()  # folded: twelve rows of three
    rows = pp.locator('[data-testid="stExpander"] [data-testid="stNumberInput"] input')
    rows.first.wait_for(state="visible", timeout=30_000)
    assert rows.count() == 36
    for i, v in enumerate(("2", "5", "9")):  # the last fix, named by hostile text
        rows.nth(33 + i).fill(v)
        rows.nth(33 + i).press("Tab")
    shown = pp.locator('[data-testid="stExpander"] [data-testid="stText"]')
    assert shown.nth(11).inner_text() == HOSTILE and shown.locator("a, img").count() == 0
    pp.get_by_role("button", name="Send my answer").click()
    pp.get_by_text("your answer is stored").wait_for(timeout=30_000)
    width = pp.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the participant page scrolls sideways at 390 px ({width} px)"
    screenshot(pp, "workshop_participant_390")

    big = browser.new_context(viewport={"width": 1600, "height": 1000})
    fp = big.new_page()
    fp.on("request", lambda r: requests.append(r.url))
    fp.goto(f"{replica_b}/?facilitator={shop.facilitator_token}")
    wait_for_app(fp)
    fp.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => "
        "m.innerText.includes('Participants') && m.innerText.includes('1'))", timeout=30_000)
    assert metric(fp, "Voted before") == "1"
    names = fp.locator('[data-testid="stText"]').filter(has_text="Named:")
    assert HOSTILE in names.inner_text()
    assert names.locator("a[href], img").count() == 0, names.inner_html()

    # A second participant through the other replica: the view refreshes by itself.
    join(lib.store, shop.join_token).submit({
        "participant": "second", "round": "before", "vote": "yes", "confidence": 0.9,
        "estimates": {"fix_churn_reduction_max": {"low": 0.2, "likely": 0.3, "high": 0.5}}})
    fp.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => "
        "m.innerText.includes('Participants') && m.innerText.includes('2'))", timeout=30_000)
    fp.wait_for_selector('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] '
                         'canvas', timeout=30_000)
    fp.wait_for_timeout(1500)
    screenshot(fp, "workshop_facilitator")
    stored = lib.results(shop.id)
    assert stored.participants == 2 and stored.votes["before"]["not_yet"] == 1
    fix = stored.pooled["fix:" + HOSTILE]  # one answer: its low and high are the room's
    assert (fix.low, fix.high) == (pytest.approx(0.02), pytest.approx(0.09))
    assert stored.pooled["fix_churn_reduction_max"].low == pytest.approx(0.1)

    wrong = big.new_page()
    wrong.goto(f"{replica_b}/?join={shop.id}.not-the-secret")
    wait_for_app(wrong)
    wrong.get_by_text("This link does not open a workshop").wait_for(timeout=30_000)
    screenshot(wrong, "workshop_wrong_token")
    assert wrong.get_by_text("This link does not open a workshop").count() == 1
    assert "Offsite" not in wrong.inner_text("body")
    assert not [r for r in requests if re.search(r"127\.0\.0\.1:9/", r)]
    phone.close()
    big.close()


def test_walk_through_the_five_demands(app_url, page):
    page.goto(f"{app_url}/walkthrough")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] '
                           'canvas', timeout=30_000)
    assert page.get_by_role("heading", name="1. Stop over-promising").count() == 1
    for k in range(2, 6):
        page.get_by_role("button", name="Next →").click()
        wait_for_app(page)
        page.get_by_role("heading", name=re.compile(f"^{k}\\. ")).wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    screenshot(page, "walkthrough_step5")
    assert "step=5" in page.url


def test_comparison_report_opens_and_prints(browser):
    from model.assumptions import defaults
    from ui.comparison_report import comparison_files

    files = comparison_files([(HOSTILE, "a note", defaults()),
                              ("Bold", "", {**defaults(), "honesty": 0.9})], "Acme", "2026-11-23")
    context = browser.new_context(viewport={"width": 1000, "height": 1200})
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.set_content(files["comparison.html"].decode(), wait_until="load")
    assert pg.locator("img").count() == 2 and all(
        src.startswith("data:image/png") for src in pg.eval_on_selector_all(
            "img", "els => els.map(e => e.getAttribute('src'))"))
    assert HOSTILE in pg.inner_text("table")
    screenshot(pg, "comparison_report")
    pdf = pg.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    assert not [r for r in requests if not r.startswith(("data:", "about:"))]
    context.close()


def _answer(pg, vote: str) -> None:
    pg.get_by_text(vote, exact=True).click()
    pg.get_by_role("button", name="Send my answer").click()
    pg.get_by_text("your answer is stored").wait_for(timeout=30_000)


def test_a_participant_stays_themselves_and_a_copied_address_is_someone_new(app_url, browser,
                                                                           server_library):
    lib = Library(open_store(f"sqlite:///{server_library}"))
    shop = lib.start_workshop("Identity")
    first = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pa = first.new_page()
    pa.goto(f"{app_url}/?join={shop.join_token}")
    wait_for_app(pa)
    _answer(pa, "Yes")
    copied = pa.url  # what a participant could pass on: the address bar
    assert "me=" not in copied and shop.join_token in copied
    assert any(c["name"] == f"oneq_p_{shop.id}" and c["sameSite"] == "Strict"
               for c in first.cookies())  # the identity lives in a cookie of this browser
    pa.reload()  # the same browser later: the same participant, their answer shown again
    wait_for_app(pa)
    pa.get_by_text("Send my answer").wait_for(timeout=30_000)
    assert pa.locator('[data-testid="stRadio"] input[type="radio"]:checked').count() == 1
    assert pa.get_by_role("radio", name="Yes").is_checked()

    second = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pb = second.new_page()
    pb.goto(copied)  # someone else opens the copied address
    wait_for_app(pb)
    pb.get_by_text("Send my answer").wait_for(timeout=30_000)
    assert pb.locator('[data-testid="stRadio"] input[type="radio"]:checked').count() == 0
    _answer(pb, "No")
    votes = sorted(a.vote for a in lib.answers(shop.id))
    assert votes == ["no", "yes"]  # two participants; the first one's answer untouched
    first.close()
    second.close()


STEADY_PROBE = """() => {
  const live = () => document.querySelector('.st-key-f_live');
  const stamp = () => live()?.querySelector('[data-testid="stCaptionContainer"]')?.innerText;
  const seen = window.__live = {animations: 0, opacity: 1, changes: 0, last: stamp()};
  const sample = () => {
    const box = live();
    if (box) {
      const ours = document.getAnimations().filter(a => a.effect && a.effect.target
        && box.contains(a.effect.target));
      seen.animations = Math.max(seen.animations, ours.length);
      for (const el of box.querySelectorAll('.stElementContainer'))
        seen.opacity = Math.min(seen.opacity, Number(getComputedStyle(el).opacity));
      const now = stamp();
      if (now && now !== seen.last) { seen.changes += 1; seen.last = now; }
    }
    requestAnimationFrame(sample);
  };
  sample();
}"""


def test_the_facilitators_projector_view_is_steady_and_keeps_its_confirmations(app_url, browser,
                                                                              server_library):
    lib = Library(open_store(f"sqlite:///{server_library}"))
    shop = lib.start_workshop("Projector")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    pg = context.new_page()
    pg.goto(f"{app_url}/?facilitator={shop.facilitator_token}")
    wait_for_app(pg)
    # the odds are those of the model's defaults until the facilitator picks a scenario
    assert pg.get_by_role("combobox", name="Scenario analysed").input_value() == \
        "The model's defaults"
    # before anyone votes, the vote chart counts whole votes (not 0.000000)
    votes = pg.locator('.st-key-f_live [data-testid="stVegaLiteChart"]').first
    votes.locator("svg").wait_for(timeout=30_000)
    labels = votes.locator("svg text").all_text_contents()
    assert "0.000000" not in labels and "1" in labels, labels
    screenshot(pg, "workshop_facilitator_empty_1920")

    room = join(lib.store, shop.join_token)
    for i in range(3):
        room.submit({"participant": f"proj-{i}", "round": "before", "vote": "yes",
                     "confidence": 0.6, "estimates": {"bad_profit_share": {
                         "low": 0.03, "likely": 0.05 + i / 100, "high": 0.2}}})
    pg.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some(m => "
        "m.innerText.includes('Participants') && m.innerText.includes('3'))", timeout=30_000)
    pg.get_by_role("button", name="Use these ranges").click()
    saved = pg.get_by_text(re.compile(r"Saved 1 ranges in workspace"))
    saved.wait_for(timeout=30_000)
    wait_for_app(pg)
    # two refreshes of the live part later: the confirmation is still there, nothing faded
    pg.evaluate(STEADY_PROBE)
    pg.wait_for_function("() => window.__live.changes >= 2", timeout=30_000)
    seen = pg.evaluate("() => window.__live")
    assert saved.is_visible()
    assert seen["animations"] == 0 and seen["opacity"] == 1, seen
    screenshot(pg, "workshop_facilitator_1920")
    context.close()


def test_the_phone_follows_the_round_with_empty_inputs_that_look_empty(app_url, browser,
                                                                       server_library):
    lib = Library(open_store(f"sqlite:///{server_library}"))
    shop = lib.start_workshop("Rounds")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pp = phone.new_page()
    pp.goto(f"{app_url}/?join={shop.join_token}")
    wait_for_app(pp)
    inputs = pp.locator('[data-testid="stNumberInput"] input')
    inputs.first.wait_for(timeout=30_000)
    assert {inputs.nth(i).input_value() for i in range(inputs.count())} == {""}
    assert {inputs.nth(i).get_attribute("placeholder") for i in range(inputs.count())} == {"—"}
    _answer(pp, "Yes")
    lib.set_workshop(shop.id, current_round="after")  # the facilitator opens the after round
    pp.get_by_text("The facilitator opened the vote after the analysis").wait_for(timeout=30_000)
    wait_for_app(pp)
    assert pp.locator('[data-testid="stRadio"] input[type="radio"]:checked').count() == 0
    send = pp.get_by_role("button", name="Send my answer")
    send.scroll_into_view_if_needed()
    assert pp.get_by_text("Your answer goes to the vote after the analysis").is_visible()
    screenshot(pp, "workshop_participant_after_round_390")
    _answer(pp, "No")
    assert {(a.round, a.vote) for a in lib.answers(shop.id)} == {("before", "yes"),
                                                                ("after", "no")}
    phone.close()


def test_create_and_import_select_the_new_workspace(app_url, page, server_library, tmp_path):
    name = f"Client Z (2027) {uuid.uuid4().hex[:6]}"
    page.goto(f"{app_url}/workshop")
    wait_for_app(page)
    page.get_by_label("New workspace").fill(name)
    page.get_by_role("button", name="Create workspace").click()
    page.get_by_text("it is now the current workspace").wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_role("combobox", name="Workspace").input_value() == name
    # the comparison report offers its scenarios by their names, as typed
    lib = Library(open_store(f"sqlite:///{server_library}"), name)
    lib.save("Cautious (client)", {"honesty": 0.3})
    lib.delete("Status quo")  # the report's first three: Cautious, Bold, Cautious (client)
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name=f"Workshops in “{name}”").wait_for(timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Export this workspace (JSON)").click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    page.locator('.st-key-ws_upload input[type="file"]').set_input_files(str(exported))
    page.get_by_role("button", name="Import it").wait_for(timeout=30_000)
    page.get_by_label("Import under another name (optional)").fill(name + " copy")
    page.get_by_role("button", name="Import it").click()
    page.get_by_text("it is now the current workspace").wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_role("combobox", name="Workspace").input_value() == name + " copy"
    page.get_by_role("heading", name=f"Workshops in “{name} copy”").wait_for(timeout=30_000)
    chips = page.locator('[data-testid="stMultiSelect"]').filter(
        has_text="Scenarios (1 to 5)").locator("[data-tag]").all_inner_texts()
    assert "Cautious (client)" in chips and not any("\\" in c for c in chips), chips
