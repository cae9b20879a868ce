"""Knowledge base: upload through the file input and by drag and drop, watch a row's progress change in place
(no reload), reindex, delete; a wrong file type is refused next to the control; another company sees nothing."""

import json
import re
import urllib.request

from playwright.sync_api import Page, expect

from conftest import API_KEY_A, BASE, USER_A, USER_B, accessible, sign_in, sign_out

AGENT = "Docs helper"
# Long enough to be split into many chunks, so indexing takes a few polls.
LONG_TEXT = "# Refund policy\n\n" + "\n\n".join(
    f"Section {n}. Refunds for order type {n} take {n % 9 + 1} working days; keep the receipt and the box."
    for n in range(1, 2000))


def api(method: str, path: str, body=None):
    """The REST API as Acme's owner key (seeding only)."""
    request = urllib.request.Request(f"{BASE}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {API_KEY_A}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def agent_named(name: str) -> dict:
    found = [a for a in api("GET", "/v1/agents?limit=200")["items"] if a["name"] == name]
    return found[0] if found else api("POST", "/v1/agents", {"name": name, "config": {"provider": "offline"}})


def uploaded_row(page: Page):
    expect(page).to_have_url(re.compile(re.escape(BASE) + r"/console/knowledge-base\?done=uploaded#document-[0-9a-f-]+$"))
    expect(page.get_by_role("status")).to_have_text("Document uploaded; indexing has started.")
    return page.locator("#" + page.url.split("#")[1])


def expect_ready(row):
    expect(row.locator(".status")).to_have_text("ready", timeout=90_000)
    done, total = row.locator(".chunks").inner_text().split(" / ")
    assert done == total and int(total) > 0, f"chunks {done} / {total}"


def test_upload_watch_progress_in_place_reindex_and_delete(page: Page):
    agent_named(AGENT)
    sign_in(page, USER_A)
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Knowledge base").click()
    expect(page.get_by_role("heading", name="Knowledge base", exact=True)).to_be_visible()

    page.get_by_label("Agent", exact=True).select_option(label=AGENT)
    page.get_by_label("Document", exact=True).set_input_files(
        files=[{"name": "refund-policy.md", "mimeType": "text/markdown", "buffer": LONG_TEXT.encode()}])
    page.get_by_role("button", name="Upload").click()
    row = uploaded_row(page)

    # Every state the row shows from now on, recorded in the page; a reload would lose the marker.
    page.evaluate("""(id) => {
        window.kbSeen = [document.getElementById(id).innerText];
        new MutationObserver(() => {
            const row = document.getElementById(id);
            if (row && row.innerText !== window.kbSeen[window.kbSeen.length - 1]) window.kbSeen.push(row.innerText);
        }).observe(document.querySelector('tbody'), {childList: true, subtree: true, characterData: true});
    }""", row.get_attribute("id"))
    expect_ready(row)
    seen = page.evaluate("window.kbSeen")
    assert seen is not None, "the page was reloaded"
    assert len(seen) >= 2 and "ready" not in seen[0], f"the row never changed in place: {seen}"
    assert row.get_attribute("hx-trigger") is None, "a ready row must stop polling"
    accessible(page, "knowledge-base")

    page.get_by_role("button", name="Reindex refund-policy.md").click()
    expect(page.get_by_role("status")).to_have_text("Reindexing started.")
    expect_ready(page.locator("#" + row.get_attribute("id")))

    page.get_by_role("button", name="Delete refund-policy.md").click()
    expect(page.get_by_role("heading", name="Delete a document")).to_be_visible()
    accessible(page, "knowledge-base-delete")
    page.get_by_role("button", name="Delete document").click()
    expect(page.get_by_role("status")).to_have_text("The document is being deleted.")
    expect(page.get_by_text("refund-policy.md")).to_have_count(0, timeout=60_000)


def test_drag_and_drop_uploads_and_a_wrong_type_is_refused_next_to_the_control(page: Page):
    agent_named(AGENT)
    sign_in(page, USER_A)
    page.goto(f"{BASE}/console/knowledge-base")

    drop = page.evaluate_handle("""() => {
        const data = new DataTransfer();
        data.items.add(new File(['# Shipping\\n\\nParcels leave the warehouse within two days.'], 'shipping.md',
                                {type: 'text/markdown'}));
        return data;
    }""")
    page.locator("[data-drop-zone]").dispatch_event("drop", {"dataTransfer": drop})
    expect_ready(uploaded_row(page))
    expect(page.get_by_role("row").filter(has_text="shipping.md")).to_contain_text(AGENT)

    page.get_by_label("Document", exact=True).set_input_files(
        files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00\x03\x00"}])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#kb-file-error")).to_contain_text("Supported documents are .txt, .md, .html, .pdf and .docx")
    expect(page.get_by_label("Document", exact=True)).to_have_attribute("aria-invalid", "true")
    accessible(page, "knowledge-base-refused")
    expect(page.get_by_role("row").filter(has_text="setup.exe")).to_have_count(0)

    # Over the limit: the page's script says so before the bytes travel (the server would refuse it too).
    page.get_by_label("Document", exact=True).set_input_files(
        files=[{"name": "huge.txt", "mimeType": "text/plain", "buffer": b"a" * (20 * 1024 * 1024 + 1)}])
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#kb-file-error")).to_have_text("The file is too large: the limit is 20971520 bytes.")
    expect(page.get_by_role("row").filter(has_text="huge.txt")).to_have_count(0)


def test_another_company_never_sees_the_documents(page: Page):
    agent = agent_named(AGENT)
    docs = api("GET", f"/v1/agents/{agent['id']}/kb/documents")["items"]
    assert docs, "the journeys above left a document in Acme"
    sign_in(page, USER_B)
    page.goto(f"{BASE}/console/knowledge-base")
    expect(page.get_by_text("No documents yet.")).to_be_visible()
    response = page.request.get(f"{BASE}/console/knowledge-base/documents/{docs[0]['id']}/row")
    assert response.ok and response.text().strip() == ""
    sign_out(page)
