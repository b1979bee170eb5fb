"""`/healthz`, served by the webhook server and the sandbox (the Docker health check asks it)."""

from aiohttp import web


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
