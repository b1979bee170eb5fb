"""Counts every API request by client, route template and status (services/metrics.API_*).

A plain ASGI middleware (no per-request task or body copy, unlike BaseHTTPMiddleware). The route
is the matched template (`/v1/applications/{tracking_code}`), never the raw path: paths hold
tracking codes, and raw paths would make a new series per application. Unmatched paths count
as `unmatched`; requests without a valid key as client `-`."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.metrics import API_REQUESTS, API_SECONDS

UNMATCHED = "unmatched"
NO_CLIENT = "-"


class RequestMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # auth puts the client here (request.state.client)
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = _template(scope)
            method = str(scope.get("method", ""))
            client = scope["state"].get("client")
            API_REQUESTS.labels(
                getattr(client, "name", NO_CLIENT), route, method, str(status)
            ).inc()
            API_SECONDS.labels(route, method).observe(time.perf_counter() - started)


def _template(scope: Scope) -> str:
    """The matched route's template with the prefix it was included under: FastAPI's route
    knows its own router's prefix only (`/applications/{tracking_code}`), and the static part in
    front of it (`/v1`) is the same number of leading segments of the request's path."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template:
        return UNMATCHED
    path = str(scope.get("path", ""))
    extra = path.count("/") - str(template).count("/")
    if extra <= 0:
        return str(template)
    prefix = "/".join(path.split("/")[: extra + 1])
    return f"{prefix}{template}"
