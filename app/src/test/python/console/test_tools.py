"""Tools: register an HTTP tool and see it listed; a loopback URL (tool or MCP server) gets the SSRF guard's
message on the form; test a call; attach the tool to an agent and see the agent's new version."""

import re

from playwright.sync_api import Page, expect

from conftest import BASE, OWNER_A, USER_B, accessible, sign_in, sign_out
from test_knowledge_base import agent_named

TOOL = "lookup_order"
SCHEMA = '{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}'


def register(page: Page, name: str, url: str):
    form = page.locator("#new-tool")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Description").fill("Looks up an order by its id")
    form.get_by_label("Method").select_option("GET")
    form.get_by_label("URL", exact=True).fill(url)
    form.get_by_label("Arguments schema (JSON)").fill(SCHEMA)
    form.get_by_label("Requires approval").check()
    form.get_by_role("button", name="Register tool").click()


def test_register_a_tool_refuse_loopback_test_a_call_and_attach_it_to_an_agent(page: Page):
    agent = agent_named("Order desk")
    sign_in(page, OWNER_A)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Tools").click()
    expect(page.get_by_role("heading", name="Tools", exact=True)).to_be_visible()
    accessible(page, "tools-empty")

    register(page, "local_orders", "http://127.0.0.1:9/orders/{id}")
    expect(page.locator("#tool-url-error")).to_contain_text("127.0.0.1 is a loopback address")
    expect(page.get_by_label("URL", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("row").filter(has_text="local_orders")).to_have_count(0)
    accessible(page, "tools-refused")
    guard_message = page.locator("#tool-url-error").inner_text()

    server = page.locator("#new-mcp-server")
    server.get_by_label("Server name").fill("local-docs")
    server.get_by_label("Server URL").fill("http://127.0.0.1:9/mcp")
    server.get_by_role("button", name="Register MCP server").click()
    expect(page.locator("#server-url-error")).to_contain_text("loopback")

    register(page, TOOL, "https://orders.example.com/orders/{id}")
    expect(page.get_by_role("status")).to_have_text(f"Tool {TOOL} registered.")
    row = page.get_by_role("row").filter(has_text=TOOL)
    expect(row).to_contain_text("http")
    expect(row).to_contain_text("yes")

    page.get_by_label(f"Agent for {TOOL}").select_option(label="Order desk")
    page.get_by_role("button", name=f"Attach {TOOL} to agent").click()
    expect(page.get_by_role("status")).to_have_text(f"Tool {TOOL} attached to Order desk: now version {agent['version'] + 1}.")
    accessible(page, "tools")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Agents").click()
    expect(page.locator(f"#agent-{agent['id']}")).to_contain_text(str(agent["version"] + 1))

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Tools").click()
    page.get_by_role("link", name=f"Test a call of {TOOL}").click()
    page.get_by_label("Arguments (JSON)").fill('{"id": 7}')
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".test-status")).to_have_text("invalid")
    page.get_by_label("Arguments (JSON)").fill('{"id": "A-1"}')
    page.get_by_role("button", name="Run").click()
    # The jar in the test reaches no outside host (and the guard allows no private one): the call must end
    # in a clear failure or refusal, never a 500 page.
    expect(page.locator(".test-status")).to_have_text(re.compile(r"^(failed|refused)$"), timeout=30_000)
    expect(page.locator(".test-failure")).to_have_text(re.compile(r"\S"))
    accessible(page, "tools-test")
    print(f"guard on registration: {guard_message}; test call: {page.locator('.test-failure').inner_text()}")


def test_another_company_never_sees_the_tools(page: Page):
    sign_in(page, USER_B)
    page.goto(f"{BASE}/console/tools")
    expect(page.get_by_text("No tools yet.")).to_be_visible()
    expect(page.get_by_text(TOOL)).to_have_count(0)
    sign_out(page)
