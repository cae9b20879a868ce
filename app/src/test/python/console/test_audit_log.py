"""Audit log: filter by action, page through with Next and Previous, refuse a bad date."""

from playwright.sync_api import Page, expect

from billing_helpers import api, company
from conftest import BASE, accessible, sign_in


def test_filter_the_audit_log_by_action_and_page_through_it(page: Page):
    owner, key = company("Hooli")
    for i in range(30):
        api("POST", "/v1/agents", key, {"name": f"Agent {i + 1:02d}", "config": {"provider": "offline"}})

    sign_in(page, owner)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Audit log", exact=True).click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(26)  # a header and the 25 newest rows
    expect(page.get_by_role("link", name="Next")).to_be_visible()
    accessible(page, "audit-log")

    page.get_by_label("Action").fill("company.plan_change")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("operator")
    expect(page.get_by_role("link", name="Next")).to_have_count(0)

    page.get_by_label("Action").fill("agent.create")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(26)
    expect(page.get_by_role("cell", name="company.plan_change", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Previous")).to_have_count(0)
    accessible(page, "audit-log-filtered")

    page.get_by_role("link", name="Next").click()
    expect(rows).to_have_count(6)
    expect(page.get_by_label("Action")).to_have_value("agent.create")
    expect(page.get_by_role("link", name="Next")).to_have_count(0)
    accessible(page, "audit-log-page-2")
    page.get_by_role("link", name="Previous").click()
    expect(rows).to_have_count(26)

    page.goto(f"{BASE}/console/audit-log?from=2026-05-02&to=2026-05-01")
    expect(page.get_by_text("must not be before 'from'")).to_be_visible()
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    accessible(page, "audit-log-bad-dates")
