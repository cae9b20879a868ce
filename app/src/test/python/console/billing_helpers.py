"""Seeding for the Usage, Invoices and Audit log journeys, through the REST API.

Each journey gets its own company (made with the operator token, on the "starter" plan so it has prices
and a monthly token quota), so finalizing an invoice or adding rows never changes what the other areas'
journeys see in "Acme" and "Globex".
"""

import json
import time
import uuid
import urllib.request
from datetime import datetime, timezone

from conftest import ADMIN_TOKEN, BASE, PASSWORD

_companies = {}


def api(method: str, path: str, token: str, body=None):
    """One REST call; the parsed JSON answer (HTTP errors raise, with their body)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(f"{BASE}{path}", data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read().decode("utf-8")
            return json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        raise AssertionError(f"{method} {path}: {e.code} {e.read().decode('utf-8', 'replace')}") from e


def company(name: str):
    """A company on the starter plan whose owner has the journeys' password: (owner email, API key).

    The email is new on every run, so a second run against the same server never has to choose a company.
    """
    if name not in _companies:
        email = f"owner-{uuid.uuid4().hex[:8]}@{name.lower()}.test"
        created = api("POST", "/v1/companies", ADMIN_TOKEN, {"name": name, "owner": {"email": email, "password": PASSWORD}})
        api("PATCH", f"/v1/companies/{created['company']['id']}", ADMIN_TOKEN, {"plan": "starter"})
        _companies[name] = (email, created["api_key"])
    return _companies[name]


def agent_with_a_turn(api_key: str, name: str) -> str:
    """An offline agent that has answered one chat turn, so there is usage today; the agent's id."""
    agent = api("POST", "/v1/agents", api_key, {"name": name, "config": {"provider": "offline",
                                                                         "system_prompt": "Answer briefly."}})
    turn = api("POST", f"/v1/agents/{agent['id']}/chat", api_key, {"message": "How many tokens is this?"})
    deadline = time.monotonic() + 60
    while turn["status"] not in ("completed", "failed") and time.monotonic() < deadline:
        time.sleep(0.5)
        turn = api("GET", f"/v1/turns/{turn['turn_id']}", api_key)
    assert turn["status"] == "completed", turn
    return agent["id"]


def this_month() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m")


def today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")
