"""Invoices: compute this month's draft, read its lines and digest, finalize it after the confirm step."""

import re

from playwright.sync_api import Page, expect

from billing_helpers import agent_with_a_turn, company, this_month
from conftest import BASE, accessible, sign_in


def test_compute_a_draft_read_its_lines_and_digest_and_finalize_it(page: Page):
    owner, key = company("Umbrella")
    agent_with_a_turn(key, "Billing bot")

    sign_in(page, owner)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Invoices", exact=True).click()
    expect(page.get_by_role("heading", name="Invoices", exact=True)).to_be_visible()
    expect(page.get_by_text("No invoices yet.")).to_be_visible()
    accessible(page, "invoices-empty")

    expect(page.get_by_label("Month", exact=True)).to_have_value(this_month())
    page.get_by_role("button", name="Compute draft").click()
    expect(page).to_have_url(re.compile(re.escape(BASE) + r"/console/invoices/[^/?]+\?computed="))
    expect(page.get_by_role("status")).to_have_text("Draft computed.")
    expect(page.get_by_role("heading", name=f"Invoice {this_month()}")).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("draft")
    expect(page.locator("#invoice-digest")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    lines = page.get_by_role("table", name=re.compile("^Lines"))
    expect(lines.get_by_role("row").filter(has_text="Base fee, plan Starter")).to_have_count(1)
    expect(lines.get_by_role("row").filter(has_text="Input tokens")).to_have_count(1)
    accessible(page, "invoice-draft")

    page.get_by_role("button", name="Finalize").click()
    expect(page.get_by_text("Finalize this invoice?")).to_be_visible()
    expect(page.locator("#invoice-status")).to_have_text("draft")
    accessible(page, "invoice-finalize-confirm")
    page.get_by_role("button", name="Yes, finalize").click()

    expect(page.get_by_role("status")).to_have_text("Invoice finalized.")
    expect(page.locator("#invoice-status")).to_have_text("finalized")
    expect(page.get_by_role("button", name="Finalize")).to_have_count(0)
    accessible(page, "invoice-finalized")

    page.get_by_role("link", name="All invoices").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=this_month()))
    expect(row).to_contain_text("finalized")
    accessible(page, "invoices")
