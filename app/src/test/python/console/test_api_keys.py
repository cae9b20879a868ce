"""API keys: create a key and see its secret once, with a copy button; it works against the API; revoke it."""

import re

from playwright.sync_api import Page, expect

from conftest import BASE, OWNER_A, accessible, sign_in


def test_create_a_key_see_the_secret_once_use_it_and_revoke_it(page: Page):
    sign_in(page, OWNER_A)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="API keys", exact=True).click()
    expect(page).to_have_url(f"{BASE}/console/api-keys")
    expect(page.get_by_role("heading", name="API keys", exact=True)).to_be_visible()
    accessible(page, "api-keys")

    page.get_by_label("Name", exact=True).fill("Journey key")
    page.get_by_label("chat", exact=True).check()
    page.get_by_label("agents:read", exact=True).check()
    page.get_by_role("button", name="Create", exact=True).click()

    expect(page.get_by_role("status").first).to_have_text("API key Journey key created.")
    secret_field = page.get_by_label("API key", exact=True)
    expect(secret_field).to_have_attribute("readonly", "")
    secret = secret_field.input_value()
    assert re.fullmatch(r"sat_[A-Za-z0-9]{12}_[A-Za-z0-9]{32}", secret), secret
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    accessible(page, "api-keys-created")

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret

    answer = page.request.get(f"{BASE}/v1/agents", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200, answer.text()

    # Never again: not on the list, not after going back to it.
    page.get_by_role("link", name="Back to API keys").click()
    row = page.get_by_role("row").filter(has_text="Journey key")
    expect(row).to_contain_text("agents:read, chat")
    expect(row).to_contain_text("active")
    assert secret not in page.content()
    assert secret.rsplit("_", 1)[1] not in page.content()

    row.get_by_role("link", name="Revoke Journey key").click()
    expect(page.get_by_role("heading", name="Revoke API key")).to_be_visible()
    accessible(page, "api-keys-revoke")
    page.get_by_role("button", name="Revoke", exact=True).click()

    expect(page).to_have_url(f"{BASE}/console/api-keys")
    expect(page.get_by_role("status")).to_contain_text("revoked")
    expect(page.get_by_role("row").filter(has_text="Journey key")).to_contain_text("revoked")
    accessible(page, "api-keys-revoked")
    assert page.request.get(f"{BASE}/v1/agents", headers={"Authorization": f"Bearer {secret}"}).status == 401
