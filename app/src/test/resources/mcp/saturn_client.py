"""Drives SATURN's MCP server (/mcp) with the official MCP Python SDK's client, as an outside MCP
client would, and prints what it saw as one JSON object on the last line of stdout.

    python saturn_client.py --url http://127.0.0.1:8080/mcp --key sat_... \
        --agent A --approval-agent B --foreign-agent C

The calling test (McpPythonClientIT) makes the company, its agents and the model's script, and
checks the report. Nothing here asserts: a step that raises is reported with its error.
"""

import argparse
import asyncio
import json
import sys
import traceback

import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client


def client(key):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))


def tool_result(result):
    return {
        "is_error": bool(result.is_error),
        "text": [c.text for c in result.content if getattr(c, "type", None) == "text"],
        "structured": result.structured_content,
    }


async def refused(url, key):
    """What an initialize without (or with a bad) credential gets, at the HTTP level and from the SDK."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                       "clientInfo": {"name": "saturn-it", "version": "1"}}}
    async with client(key) as http:
        response = await http.post(url, json=body, headers={"Accept": "application/json, text/event-stream"})
        status = response.status_code
    try:
        async with client(key) as http:
            async with streamable_http_client(url, http_client=http) as (read, write):
                async with ClientSession(read, write) as session:
                    await asyncio.wait_for(session.initialize(), 30)
        sdk = "initialized"
    except BaseException as error:  # the SDK raises from a task group: an ExceptionGroup
        sdk = repr(error)
    return {"status": status, "sdk": sdk}


async def session_steps(args, report):
    async with client(args.key) as http:
        async with streamable_http_client(args.url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                report["protocol_version"] = init.protocol_version
                report["server_name"] = init.server_info.name

                tools = await session.list_tools()
                report["tools"] = {t.name: {"output_schema": t.output_schema is not None,
                                            "input_required": (t.input_schema or {}).get("required", [])}
                                   for t in tools.tools}

                report["list_agents"] = tool_result(await session.call_tool("list_agents", {}))

                report["approval_chat"] = tool_result(await session.call_tool(
                    "chat_with_agent", {"agent_id": args.approval_agent, "message": "Refund order 9."}))

                first = await session.call_tool(
                    "chat_with_agent", {"agent_id": args.agent, "message": "My name is Ada."})
                report["first_chat"] = tool_result(first)
                second = await session.call_tool(
                    "chat_with_agent",
                    {"agent_id": args.agent, "message": "What is my name?",
                     "session_id": (first.structured_content or {}).get("session_id")})
                report["second_chat"] = tool_result(second)

                report["foreign_chat"] = tool_result(await session.call_tool(
                    "chat_with_agent", {"agent_id": args.foreign_agent, "message": "Hello?"}))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--agent", required=True)
    parser.add_argument("--approval-agent", required=True)
    parser.add_argument("--foreign-agent", required=True)
    args = parser.parse_args()

    report = {}
    report["no_key"] = await refused(args.url, None)
    report["bad_key"] = await refused(args.url, "sat_not-a-key")
    try:
        await session_steps(args, report)
    except BaseException:
        report["error"] = traceback.format_exc()
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
