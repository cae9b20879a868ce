"""Chat and Approvals: a streamed answer, a tool call approved inline, one denied from the Approvals page,
and a viewer who sees the wait without the buttons.

Besides conftest's, ConsoleBrowserIT sets:
  SATURN_TOOL_URL, SATURN_TOOL_NAME   an HTTP target the openai stand-in asks to call (its host is allowed)
  SATURN_PAID_ANSWER                  what the stand-in answers once the call ran
  SATURN_NOT_PAID_ANSWER              what it answers once the call was denied
"""

import json
import os
import re
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from conftest import API_KEY_A, BASE, OWNER_A, PASSWORD, USER_A, accessible, sign_in, sign_out

TOOL_URL = os.environ["SATURN_TOOL_URL"]
TOOL = os.environ["SATURN_TOOL_NAME"]
PAID = os.environ["SATURN_PAID_ANSWER"]
NOT_PAID = os.environ["SATURN_NOT_PAID_ANSWER"]
SECRET = "hunter2-console"


def api(method: str, path: str, body=None):
    """The REST API as Acme's owner key: (status, JSON body)."""
    request = urllib.request.Request(f"{BASE}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {API_KEY_A}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def new_agent(name: str, **config) -> str:
    status, agent = api("POST", "/v1/agents", {"name": name, "config": config})
    assert status == 201, agent
    return agent["id"]


@pytest.fixture(scope="module")
def paying_agent() -> str:
    """An openai agent (the stand-in) with the tool that waits for a person's approval."""
    status, tool = api("POST", "/v1/tools", {
        "name": TOOL, "description": "pays a bill", "method": "POST", "url": TOOL_URL, "requires_approval": True,
        "parameters": {"type": "object", "properties": {"amount": {"type": "number"}, "password": {"type": "string"}}}})
    assert status == 201, tool
    agent_id = new_agent("Paying bot", provider="openai", model="stand-in")
    status, attached = api("POST", f"/v1/agents/{agent_id}/tools/{tool['id']}", {})
    assert status == 200, attached
    return agent_id


def waiting_turn(agent_id: str, message: str) -> dict:
    """A turn started over REST that waits for a decision on the tool call."""
    status, turn = api("POST", f"/v1/agents/{agent_id}/chat", {"message": message})
    assert status == 202 and turn["status"] == "awaiting_approval", turn
    return turn


def send(page: Page, message: str):
    # chat.js (a deferred script) turns the post into a streamed one: let it attach first.
    page.wait_for_load_state("load")
    page.get_by_label("Message", exact=True).fill(message)
    page.get_by_role("button", name="Send", exact=True).click()


def test_a_message_sent_streams_its_answer_into_the_page_and_the_session_is_listed(page: Page):
    agent_id = new_agent("Streaming bot", provider="offline")
    sign_in(page, OWNER_A)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Chat", exact=True).click()
    expect(page.get_by_role("heading", name="Chat", exact=True)).to_be_visible()
    page.wait_for_load_state("load")  # the select's change handler is in a deferred script
    page.get_by_label("Agent", exact=True).select_option(label="Streaming bot")
    expect(page).to_have_url(re.compile(r"agent=" + agent_id))
    expect(page.get_by_role("heading", name="New session")).to_be_visible()
    accessible(page, "chat-empty")

    send(page, "What does the console show?")

    answer = page.locator("[data-answer]")
    status = page.locator("[data-status]")
    partial = []
    deadline = time.monotonic() + 60
    while status.text_content() != "Done." and time.monotonic() < deadline:
        length = len(answer.text_content() or "")
        if length and (not partial or partial[-1] != length):
            partial.append(length)
        page.wait_for_timeout(20)
    expect(status).to_have_text("Done.")
    final = answer.text_content()
    assert "This is SATURN's offline provider" in final and "What does the console show?" in final
    growing = [length for length in partial if length < len(final)]
    assert len(set(growing)) >= 2, f"the answer should grow in the page, seen lengths {partial} of {len(final)}"
    sessions = page.get_by_role("navigation", name="Sessions")
    expect(sessions.get_by_role("link", name=re.compile(r"^Session of "))).to_have_count(1)
    accessible(page, "chat")

    sessions.get_by_role("link", name=re.compile(r"^Session of ")).click()
    expect(page.get_by_role("list", name="Messages")).to_contain_text("What does the console show?")
    expect(page.get_by_role("list", name="Messages")).to_contain_text("This is SATURN's offline provider")


def test_a_tool_call_that_needs_approval_shows_inline_and_the_turn_finishes_once_approved(page: Page, paying_agent):
    sign_in(page, OWNER_A)
    page.goto(f"{BASE}/console/chat?agent={paying_agent}")
    send(page, "Pay the electricity bill")

    approval = page.locator("#live .approval")
    expect(approval).to_contain_text(f"{TOOL} waits for approval.")
    expect(approval).to_contain_text("[REDACTED]")
    expect(approval).not_to_contain_text(SECRET)
    expect(page.locator("[data-status]")).to_have_text(f"{TOOL} waits for your approval.")
    accessible(page, "chat-approval")

    approval.get_by_role("button", name="Approve", exact=True).click()

    expect(page.locator("[data-answer]")).to_have_text(PAID, timeout=30_000)
    expect(page.locator("[data-status]")).to_have_text("Done.")
    expect(approval).to_contain_text("Approved")
    expect(approval.get_by_role("button")).to_have_count(0)


def test_the_approvals_page_lists_a_waiting_call_denies_it_and_says_so_when_it_was_decided_already(
        page: Page, paying_agent):
    turn = waiting_turn(paying_agent, "Pay the water bill")
    call_id = turn["pending_approvals"][0]["call_id"]
    sign_in(page, OWNER_A)
    stale = page.context.new_page()
    stale.goto(f"{BASE}/console/approvals")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Approvals", exact=True).click()
    row = page.locator(f"#approval-{call_id}")
    expect(row).to_contain_text("Paying bot")
    expect(row).to_contain_text(TOOL)
    expect(row).to_contain_text("[REDACTED]")
    expect(row).not_to_contain_text(SECRET)
    expect(row).to_contain_text(re.compile(r"\d+ (s|min)"))
    accessible(page, "approvals")

    row.get_by_role("button", name="Deny").click()

    expect(page.get_by_role("status")).to_contain_text("was denied.")
    expect(page.locator(f"#approval-{call_id}")).to_have_count(0)
    deadline = time.monotonic() + 30
    while True:
        status, view = api("GET", f"/v1/turns/{turn['turn_id']}")
        if view["status"] in ("completed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert view["status"] == "completed" and view["message"]["content"] == NOT_PAID, view
    stale.locator(f"#approval-{call_id}").get_by_role("button", name="Approve").click()
    expect(stale.get_by_role("status")).to_contain_text("already decided")
    expect(stale.get_by_role("heading", name="Approvals")).to_be_visible()
    stale.close()


def test_a_person_without_approvals_decide_sees_the_wait_without_buttons(page: Page, paying_agent):
    turn = waiting_turn(paying_agent, "Pay the phone bill")
    status, viewer = api("POST", "/v1/users", {"email": "viewer@acme.test", "role": "viewer", "password": PASSWORD})
    assert status == 201, viewer
    chat = f"{BASE}/console/chat?agent={paying_agent}&session={turn['session_id']}&turn={turn['turn_id']}"
    try:
        sign_in(page, "viewer@acme.test")
        page.goto(chat)
        approval = page.locator("#live .approval")
        expect(approval).to_contain_text(f"{TOOL} waits for approval.")
        expect(approval).to_contain_text("Someone allowed to decide approvals must approve or deny it.")
        expect(page.locator("[data-status]")).to_have_text(f"{TOOL} waits for approval.")
        expect(approval.get_by_role("button")).to_have_count(0)
        sign_out(page)

        # Developers hold APPROVALS_DECIDE (RolePermissions): the same page offers them the decision.
        sign_in(page, USER_A)
        page.goto(chat)
        expect(page.locator("#live .approval").get_by_role("button", name="Approve", exact=True)).to_be_visible()
    finally:
        status, body = api("POST", f"/v1/turns/{turn['turn_id']}/approvals/{turn['pending_approvals'][0]['call_id']}",
                           {"decision": "deny"})
        assert status == 200, body
