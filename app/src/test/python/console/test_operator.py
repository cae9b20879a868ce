"""The operator console: companies (create, change plan, suspend, reactivate) and plans (create, edit quota)."""

from playwright.sync_api import Page, expect

from conftest import ADMIN_TOKEN, BASE, PASSWORD, USER_A, accessible, sign_in

OWNER = "boss@initech.test"


def operator_sign_in(page: Page):
    page.goto(f"{BASE}/console/operator/login")
    expect(page.get_by_role("heading", name="Operator sign-in")).to_be_visible()
    page.get_by_label("Operator token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{BASE}/console/operator/companies")


def tries_to_sign_in(browser, email: str):
    """A fresh browser's sign-in attempt; the page it lands on."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{BASE}/console/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def test_operator_manages_companies(page: Page, browser):
    page.goto(f"{BASE}/console/operator/login")
    page.get_by_label("Operator token").fill("not the token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong operator token.")
    accessible(page, "operator-sign-in")

    operator_sign_in(page)
    navigation = page.get_by_role("navigation", name="Operator console")
    expect(navigation.get_by_role("link", name="Companies", exact=True)).to_have_attribute("aria-current", "page")
    expect(navigation.get_by_role("link", name="Plans", exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Agents", exact=True)).to_have_count(0)

    page.get_by_label("Name", exact=True).fill("Initech")
    page.get_by_label("Owner email").fill(OWNER)
    page.get_by_label("Owner password").fill(PASSWORD)
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("status").first).to_have_text(f"Company Initech created, with owner {OWNER}.")
    assert page.get_by_label("Owner's API key").input_value().startswith("sat_")
    accessible(page, "operator-company-created")

    page.get_by_role("link", name="Back to Companies").click()
    row = page.get_by_role("row").filter(has_text="Initech")
    row.get_by_label("Plan of Initech", exact=True).select_option("starter")
    row.get_by_role("button", name="Change plan of Initech").click()
    expect(page.get_by_role("status")).to_have_text("Initech is on plan starter.")
    expect(page.get_by_role("row").filter(has_text="Initech")).to_contain_text("starter")

    page.get_by_role("row").filter(has_text="Initech").get_by_role("button", name="Suspend Initech").click()
    expect(page.get_by_role("status")).to_have_text("Initech is suspended.")
    expect(page.get_by_role("row").filter(has_text="Initech")).to_contain_text("suspended")
    accessible(page, "operator-companies")

    context, owner = tries_to_sign_in(browser, OWNER)
    expect(owner.get_by_role("alert")).to_have_text("This company is suspended. Ask the platform operator.")
    context.close()

    page.get_by_role("row").filter(has_text="Initech").get_by_role("button", name="Reactivate Initech").click()
    expect(page.get_by_role("status")).to_have_text("Initech is active again.")
    context, owner = tries_to_sign_in(browser, OWNER)
    expect(owner).to_have_url(f"{BASE}/console/agents")
    context.close()


def test_operator_creates_a_plan_and_edits_its_quota(page: Page):
    operator_sign_in(page)
    page.get_by_role("navigation", name="Operator console").get_by_role("link", name="Plans", exact=True).click()
    expect(page).to_have_url(f"{BASE}/console/operator/plans")

    page.get_by_label("Id", exact=True).fill("team")
    page.get_by_label("Name", exact=True).fill("Team")
    page.get_by_label("Currency").fill("USD")
    page.get_by_label("Base fee").fill("2900")
    page.get_by_label("Included tokens").fill("500000")
    page.get_by_label("Monthly token quota").fill("1000000")
    page.get_by_label("Tool call price").fill("1")
    page.get_by_label("Model prices").fill("echo 1 2\ngpt-4o-mini 15 60")
    page.get_by_role("button", name="Create", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Plan team created.")
    row = page.get_by_role("row").filter(has_text="Team")
    expect(row).to_contain_text("1000000")
    expect(row).to_contain_text("gpt-4o-mini: 15 / 60")
    accessible(page, "operator-plans")

    row.get_by_role("link", name="Edit team").click()
    expect(page.get_by_role("heading", name="Plan team")).to_be_visible()
    page.get_by_label("Monthly token quota").fill("lots")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("must be a whole number")).to_be_visible()
    accessible(page, "operator-plan-edit")
    page.get_by_label("Monthly token quota").fill("3000000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Plan team saved.")
    expect(page.get_by_role("row").filter(has_text="Team")).to_contain_text("3000000")


def test_a_tenant_user_cannot_open_operator_pages(page: Page):
    sign_in(page, USER_A)
    for path in ("/console/operator/companies", "/console/operator/plans"):
        answer = page.goto(f"{BASE}{path}")
        assert answer.status == 403
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
