"""Passwords: change your password and sign in with the new one; a used reset token is refused."""

from playwright.sync_api import Page, expect

from conftest import API_KEY_A, BASE, PASSWORD, accessible, sign_in, sign_out

EMAIL = "passwords@acme.test"
NEW_PASSWORD = "a changed password 2"


def _user(page: Page) -> str:
    created = page.request.post(f"{BASE}/v1/users", headers={"Authorization": f"Bearer {API_KEY_A}"},
                                data={"email": EMAIL, "role": "viewer", "password": PASSWORD})
    assert created.status == 201, created.text()
    return created.json()["id"]


def test_change_the_password_and_sign_in_with_the_new_one_then_a_used_token_is_refused(page: Page):
    user_id = _user(page)
    sign_in(page, EMAIL)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    accessible(page, "password")

    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_have_text("Current password is not your current password.")
    accessible(page, "password-wrong")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_have_text("Your password is changed.")

    sign_out(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, EMAIL, NEW_PASSWORD)
    sign_out(page)

    # A reset token works once.
    issued = page.request.post(f"{BASE}/v1/users/{user_id}/password-reset", headers={"Authorization": f"Bearer {API_KEY_A}"})
    assert issued.status == 201, issued.text()
    link = f"{BASE}/console/reset-password?token={issued.json()['token']}"
    for attempt in range(2):
        page.goto(link)
        page.get_by_label("New password", exact=True).fill("a reset password 3")
        page.get_by_label("Confirm new password").fill("a reset password 3")
        page.get_by_role("button", name="Set password").click()
        if attempt == 0:
            expect(page).to_have_url(f"{BASE}/console/login?passwordSet")
    expect(page.get_by_role("alert")).to_have_text(
        "This reset link is invalid, already used or expired. Ask an owner or admin for a new one.")
    accessible(page, "reset-password-used")
    sign_in(page, EMAIL, "a reset password 3")
