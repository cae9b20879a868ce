"""An MCP server for SATURN's tests, written with the official MCP Python SDK (2.x).

    python tool_server.py --port PORT [--state-dir DIR] [--token TOKEN]

Streamable HTTP at http://127.0.0.1:PORT/mcp. Tools: echo, add, slow, fail, whoami, price (read-only
and idempotent by its annotations), count (tells how often it ran) and lookup/retired, which change
when the file DIR/evolve exists: lookup's schema gains a required argument, retired disappears.
With --token, a message without "Authorization: Bearer TOKEN" is answered 401.
Prints "ready PORT" once it listens.
"""

import argparse
import asyncio
import os
import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.context import Context
from mcp.types import ToolAnnotations

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--state-dir", default=None)
parser.add_argument("--token", default=None)
args = parser.parse_args()

state_dir = args.state_dir
calls = {"count": 0}


class EvolvingServer(MCPServer):
    """Switches to the second set of tools when the evolve file appears (checked at every listing)."""

    evolved = False

    async def list_tools(self):
        if not self.evolved and state_dir and os.path.exists(os.path.join(state_dir, "evolve")):
            self.evolved = True
            self.remove_tool("lookup")
            self.remove_tool("retired")
            self.add_tool(lookup_v2, name="lookup", description="Looks a word up in a dictionary.")
        return await super().list_tools()


server = EvolvingServer("saturn-test-tools", version="1.0")


@server.tool(description="Echoes the text back.")
def echo(text: str) -> str:
    return text


@server.tool(description="Adds two integers.")
def add(a: int, b: int) -> int:
    return a + b


@server.tool(description="Waits, then answers.")
async def slow(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return f"slept {seconds}"


@server.tool(description="Always fails with the given reason.")
def fail(reason: str) -> str:
    raise ToolError(reason)


@server.tool(description="Tells which Authorization header the call carried.")
def whoami(ctx: Context) -> str:
    headers = ctx.headers or {}
    return "authorization: " + headers.get("authorization", "none")


@server.tool(description="The price of an item.", annotations=ToolAnnotations(readOnlyHint=True, idempotentHint=True))
def price(item: str) -> str:
    return f"{item}: 3 EUR"


@server.tool(description="Counts its calls.")
def count() -> str:
    calls["count"] += 1
    return f"called {calls['count']} times"


@server.tool(description="Looks a word up.")
def lookup(word: str) -> str:
    return f"{word}: a word"


def lookup_v2(word: str, language: str) -> str:
    return f"{word} ({language}): a word"


@server.tool(description="Goes away when the server evolves.")
def retired() -> str:
    return "still here"


def main():
    import uvicorn
    from starlette.responses import JSONResponse

    app = server.streamable_http_app(host="127.0.0.1")
    if args.token:
        inner = app

        async def app(scope, receive, send):  # noqa: F811 (wraps the MCP app with a bearer check)
            if scope["type"] == "http":
                headers = dict(scope.get("headers") or [])
                if headers.get(b"authorization", b"").decode() != "Bearer " + args.token:
                    await JSONResponse({"error": "unauthorized"}, status_code=401)(scope, receive, send)
                    return
            await inner(scope, receive, send)

    config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level="warning")
    uv = uvicorn.Server(config)

    async def serve():
        task = asyncio.create_task(uv.serve())
        while not uv.started:
            await asyncio.sleep(0.05)
        print(f"ready {args.port}", flush=True)
        await task

    asyncio.run(serve())


if __name__ == "__main__":
    main()
