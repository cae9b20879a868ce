"""Users: invite a user and set their password through the reset link; change a role; deactivate."""

from playwright.sync_api import Page, expect

from conftest import BASE, OWNER_A, accessible, sign_in

INVITEE = "invitee@acme.test"
INVITEE_PASSWORD = "invitee password 1"


def test_invite_set_a_password_sign_in_change_the_role_and_deactivate(page: Page, browser):
    sign_in(page, OWNER_A)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Users", exact=True).click()
    expect(page).to_have_url(f"{BASE}/console/users")
    expect(page.get_by_role("row").filter(has_text=OWNER_A)).to_contain_text("owner")
    accessible(page, "users")

    page.get_by_label("Email", exact=True).fill(INVITEE)
    page.get_by_label("Role", exact=True).select_option("developer")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status").first).to_have_text(f"{INVITEE} is invited as developer.")
    link = page.get_by_label("Reset link", exact=True).input_value()
    assert link.startswith(f"{BASE}/console/reset-password?token=prt_"), link
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    accessible(page, "users-invited")

    # The invitee, in a browser of their own.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 800})
    invitee = context.new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Set your password")).to_be_visible()
    accessible(invitee, "reset-password")
    invitee.get_by_label("New password", exact=True).fill(INVITEE_PASSWORD)
    invitee.get_by_label("Confirm new password").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name="Set password").click()
    expect(invitee).to_have_url(f"{BASE}/console/login?passwordSet")
    expect(invitee.get_by_role("status")).to_have_text("Your password is set. Sign in with it.")
    sign_in(invitee, INVITEE, INVITEE_PASSWORD)
    expect(invitee.get_by_role("link", name="Users", exact=True)).to_be_visible()

    # The owner makes them a viewer, then deactivates them.
    page.get_by_role("link", name="Back to Users").click()
    row = page.get_by_role("row").filter(has_text=INVITEE)
    row.get_by_label(f"Role of {INVITEE}", exact=True).select_option("viewer")
    row.get_by_role("button", name=f"Change role of {INVITEE}").click()
    expect(page.get_by_role("status")).to_have_text(f"{INVITEE} is now viewer.")
    expect(page.get_by_role("row").filter(has_text=INVITEE)).to_contain_text("viewer")
    accessible(page, "users-role-changed")

    page.get_by_role("row").filter(has_text=INVITEE).get_by_role("button", name=f"Deactivate {INVITEE}").click()
    expect(page.get_by_role("status")).to_have_text(f"{INVITEE} is deactivated.")
    expect(page.get_by_role("row").filter(has_text=INVITEE)).to_contain_text("inactive")

    # Their open session ends at the next click, and they cannot sign in again.
    invitee.goto(f"{BASE}/console/agents")
    expect(invitee).to_have_url(f"{BASE}/console/login")
    invitee.get_by_label("Email").fill(INVITEE)
    invitee.get_by_label("Password").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name="Sign in").click()
    expect(invitee.get_by_role("alert")).to_have_text("Wrong email or password.")
    context.close()
