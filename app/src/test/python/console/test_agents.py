"""Agents: sign in, create an agent, see it listed, sign out; another company never sees it."""

import re

from playwright.sync_api import Page, expect

from conftest import BASE, NAVIGATION, USER_A, USER_B, accessible, sign_in, sign_out


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

    sign_out(page)
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
    sign_out(page)

    sign_in(page, USER_B)
    expect(page.get_by_role("heading", name="Agents")).to_be_visible()
    expect(page.get_by_text("No agents yet.")).to_be_visible()
    expect(page.get_by_text("Refund helper")).to_have_count(0)


def test_edit_an_agent_into_version_2_compare_the_versions_and_disable_and_enable_it(page: Page):
    sign_in(page, USER_A)
    page.get_by_role("button", name="New agent").click()
    page.get_by_label("Name").fill("Triage bot")
    page.get_by_label("System prompt").fill("Sort tickets by urgency.")
    page.get_by_label("History window").fill("12")
    page.get_by_label("Knowledge base passages").fill("4")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_have_text("Agent created.")

    page.get_by_role("link", name="Triage bot").click()
    expect(page.get_by_role("heading", name="Triage bot")).to_be_visible()
    expect(page.locator("#agent-version")).to_have_text("1")
    settings = page.get_by_role("table", name="Configuration of version 1")
    expect(settings.get_by_role("row").filter(has_text="history_window")).to_contain_text("12")
    expect(settings.get_by_role("row").filter(has_text="kb.top_k")).to_contain_text("4")
    accessible(page, "agent")

    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("System prompt")).to_have_value("Sort tickets by urgency.")
    page.get_by_label("System prompt").fill("Sort tickets by urgency, then by age.")
    accessible(page, "agent-edit")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_have_text("Saved as version 2.")
    expect(page.locator("#agent-version")).to_have_text("2")
    page.get_by_role("link", name="Versions").click()
    diff = page.get_by_role("table", name=re.compile("^Version 1 and version 2 side by side"))
    changed = diff.get_by_role("row").filter(has_text="system_prompt")
    expect(changed.locator("del")).to_have_text("Sort tickets by urgency.")
    expect(changed.locator("ins")).to_have_text("Sort tickets by urgency, then by age.")
    expect(changed).to_contain_text("Changed")
    expect(diff.get_by_role("row").filter(has_text="history_window")).to_contain_text("same")
    accessible(page, "agent-versions")

    page.get_by_role("link", name="Back to Triage bot").click()
    page.get_by_role("button", name="Disable").click()
    expect(page.get_by_role("status")).to_have_text("Agent disabled: it takes no new turns.")
    expect(page.locator("#agent-status")).to_have_text("disabled")
    accessible(page, "agent-disabled")
    page.get_by_role("button", name="Enable").click()
    expect(page.get_by_role("status")).to_have_text("Agent enabled.")
    expect(page.locator("#agent-status")).to_have_text("enabled")
