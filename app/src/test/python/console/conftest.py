"""The web console in a real browser: Debian's Chromium driven by Playwright, axe-core on every page.

Run by ConsoleBrowserIT against the packaged jar; one test file per console area, sharing what is here.
Environment (set by ConsoleBrowserIT):
  SATURN_BASE_URL          the jar's base URL
  SATURN_CHROMIUM          the Chromium executable (Playwright's own browser download is never used)
  SATURN_PASSWORD          the password of every user below
  SATURN_OWNER_A           the owner's email in company "Acme"
  SATURN_USER_A            a developer's email in "Acme"
  SATURN_USER_B            a developer's email in company "Globex"
  SATURN_API_KEY_A         an owner API key of "Acme", for seeding through the REST API where a journey needs it
  SATURN_ADMIN_TOKEN       the operator token
  SATURN_SCREENSHOTS       where the page screenshots go (under target/, or docs/console/ when refreshing them)
"""

import os
from importlib.resources import files
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

BASE = os.environ["SATURN_BASE_URL"]
PASSWORD = os.environ["SATURN_PASSWORD"]
OWNER_A = os.environ["SATURN_OWNER_A"]
USER_A = os.environ["SATURN_USER_A"]
USER_B = os.environ["SATURN_USER_B"]
API_KEY_A = os.environ["SATURN_API_KEY_A"]
ADMIN_TOKEN = os.environ["SATURN_ADMIN_TOKEN"]
SHOTS = Path(os.environ["SATURN_SCREENSHOTS"])
AXE_JS = files("axe_playwright_python").joinpath("axe.min.js")

NAVIGATION = ["Agents", "Chat", "Approvals", "Knowledge base", "Tools", "Usage", "Invoices", "API keys", "Users",
              "Audit log"]


@pytest.fixture(scope="session")
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
    context.set_default_timeout(20_000)
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


def sign_in(page: Page, email: str, password: str = PASSWORD):
    """Signs in through the form and lands on the Agents page."""
    page.goto(f"{BASE}/console/agents")
    expect(page).to_have_url(f"{BASE}/console/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{BASE}/console/agents")
    page.wait_for_load_state("load")  # htmx and the page scripts are deferred: let them attach


def sign_out(page: Page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{BASE}/console/login?signedOut")
