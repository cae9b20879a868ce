"""Usage: a chat turn's tokens show in the month's charts and tables, and in the quota bar."""

import re

from playwright.sync_api import Page, expect

from billing_helpers import agent_with_a_turn, company, this_month, today
from conftest import BASE, accessible, sign_in


def test_a_chat_turns_tokens_show_by_day_and_agent_and_in_the_quota_bar(page: Page):
    owner, key = company("Initech")
    agent_with_a_turn(key, "Usage bot")

    sign_in(page, owner)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Usage", exact=True).click()
    expect(page).to_have_url(f"{BASE}/console/usage")
    expect(page.get_by_label("Month", exact=True)).to_have_value(this_month())
    for chart in ("usage-by-day", "usage-by-agent", "usage-by-model"):
        expect(page.locator(f"#{chart} canvas").first).to_be_attached()

    by_day = page.get_by_role("table", name=re.compile("^Tokens and cost by day"))
    today_row = by_day.get_by_role("row").filter(has=page.get_by_role("rowheader", name=today(), exact=True))
    assert int(today_row.get_by_role("cell").nth(2).inner_text()) > 0, today_row.inner_text()
    by_agent = page.get_by_role("table", name=re.compile("^Tokens and cost by agent"))
    agent_row = by_agent.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Usage bot", exact=True))
    assert int(agent_row.get_by_role("cell").nth(2).inner_text()) > 0, agent_row.inner_text()

    quota = page.get_by_role("progressbar", name="Token quota used")
    expect(quota).to_have_attribute("aria-valuemax", "20000000")
    used = int(quota.get_attribute("aria-valuenow"))
    assert used > 0
    expect(page.locator("#usage-quota-text")).to_contain_text(f"{used} of 20000000 tokens")
    accessible(page, "usage")

    page.goto(f"{BASE}/console/usage?month=2026-13")
    expect(page.get_by_text("must be a month YYYY-MM from 2000-01 on")).to_be_visible()
    expect(page.get_by_label("Month", exact=True)).to_have_attribute("aria-invalid", "true")
    accessible(page, "usage-bad-month")
