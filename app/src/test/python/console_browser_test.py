"""The web console in a real browser: Debian's Chromium driven by Playwright, axe-core on every page.

Run by ConsoleBrowserIT against the packaged jar. Environment:
  SATURN_BASE_URL         the jar's base URL
  SATURN_CHROMIUM         the Chromium executable (Playwright's own browser download is never used)
  SATURN_PASSWORD         the password of both users below
  SATURN_USER_A, SATURN_USER_B  a developer's email in company A, and in company B
  SATURN_SCREENSHOTS      where the page screenshots go (docs/console/)
"""

import os
import re
from importlib.resources import files
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

BASE = os.environ["SATURN_BASE_URL"]
PASSWORD = os.environ["SATURN_PASSWORD"]
USER_A = os.environ["SATURN_USER_A"]
USER_B = os.environ["SATURN_USER_B"]
SHOTS = Path(os.environ["SATURN_SCREENSHOTS"])
AXE_JS = files("axe_playwright_python").joinpath("axe.min.js")

NAVIGATION = ["Agents", "Chat", "Approvals", "Knowledge base", "Tools", "Usage", "Invoices", "API keys", "Users",
              "Audit log"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("SATURN_CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    # bypass_csp: only so axe can be injected; the console's own CSP allows no inline script.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 800})
    yield context.new_page()
    context.close()


def accessible(page: Page, name: str):
    """axe-core on the page as it is: no serious or critical violation; a screenshot for docs/console.md."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return {rules: result.passes.length + result.violations.length + result.incomplete.length,
                violations: result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                         nodes: v.nodes.map(n => n.target.join(' '))}))};
    }""")
    assert result["rules"] > 10, f"axe checked almost nothing on {name}: {result}"
    violations = result["violations"]
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], f"axe on {name} ({page.url}): {bad}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, email: str):
    page.goto(f"{BASE}/console/agents")
    expect(page).to_have_url(f"{BASE}/console/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{BASE}/console/agents")


def test_sign_in_create_an_agent_see_it_listed_and_sign_out(page: Page):
    page.goto(f"{BASE}/console/login")
    expect(page.get_by_role("heading", name="Sign in to SATURN")).to_be_visible()
    accessible(page, "sign-in")

    sign_in(page, USER_A)
    cookie = next(c for c in page.context.cookies() if c["name"] == "SATURN_CONSOLE")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/console"
    navigation = page.get_by_role("navigation", name="Console")
    for label in NAVIGATION:
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Agents", exact=True)).to_have_attribute("aria-current", "page")
    accessible(page, "agents-empty")

    page.get_by_role("button", name="New agent").click()
    page.get_by_label("Name").fill("Refund helper")
    page.get_by_label("System prompt").fill("You help customers with refunds. Be brief.")
    page.get_by_label("Provider").select_option("offline")
    page.get_by_label("Model").fill("echo")
    page.get_by_label("Temperature").fill("0.2")
    accessible(page, "agents-new")
    page.get_by_role("button", name="Create").click()

    expect(page).to_have_url(re.compile(re.escape(BASE) + r"/console/agents\?created=[0-9a-f-]+$"))
    expect(page.get_by_role("status")).to_have_text("Agent created.")
    row = page.get_by_role("row").filter(has_text="Refund helper")
    expect(row).to_contain_text("offline")
    expect(row).to_contain_text("echo")
    accessible(page, "agents")

    page.get_by_role("link", name="Chat", exact=True).click()
    expect(page.get_by_role("heading", name="Chat")).to_be_visible()
    accessible(page, "not-built")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{BASE}/console/login?signedOut")
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto(f"{BASE}/console/agents")
    expect(page).to_have_url(f"{BASE}/console/login")


def test_another_companys_user_never_sees_the_first_companys_agent(page: Page):
    sign_in(page, USER_A)
    if page.get_by_role("row").filter(has_text="Refund helper").count() == 0:
        page.get_by_role("button", name="New agent").click()
        page.get_by_label("Name").fill("Refund helper")
        page.get_by_role("button", name="Create").click()
        expect(page.get_by_role("row").filter(has_text="Refund helper")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, USER_B)
    expect(page.get_by_role("heading", name="Agents")).to_be_visible()
    expect(page.get_by_text("No agents yet.")).to_be_visible()
    expect(page.get_by_text("Refund helper")).to_have_count(0)
