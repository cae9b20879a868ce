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
