"""create_app: the FastAPI application over the product's services.

The caller (bot/cli/api.py for `python -m bot api`, bot/serving/api.py beside the bots, tests)
builds the Services and session factory and owns their lifetime; the API only uses them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.context import ApiContext
from api.dashboard import include_dashboard
from api.database_errors import install_database_error_handler
from api.errors import install_service_error_handlers
from api.metrics import RequestMetrics
from api.problems import ProblemBody, install_problem_handlers
from api.rate_limit import RateLimiter
from api.routes import include_routes
from services.api_clients import SCOPES
from services.container import Services

API_VERSION = "1.0.0"
DESCRIPTION = """\
The HTTP API of Maharatyar (مهارت‌یار) for the Hayat Foundation's «حیات» system and TVTO.

* Authentication: `Authorization: Bearer <key>`; keys are made with
  `python -m bot api-clients create NAME --scopes …`. A missing, unknown or revoked key gets 401,
  a key without the scope a route needs 403.
* A client limited to provinces sees only their data: lists are filtered, a single item from
  another province is 404.
* Errors are `application/problem+json` (RFC 9457) with a stable `code`.
* Lists are paged by an opaque `cursor` (`next_cursor` of the previous page).
* Reads carry an `ETag`; send it back as `If-None-Match` to get 304 when nothing changed.
* Every POST needs an `Idempotency-Key` header: a repeat with the same key returns the first
  answer; the same key with a different body is a 422 problem.
* Each client has a rate limit per minute: past it, 429 with `Retry-After`.
* National codes and phone numbers appear only for clients with the `people:read` scope.
* Webhooks: an administrator registers a client's URL for events (`application.submitted`,
  `application.status_changed`, `document.uploaded`, `ticket.opened`); each POST is signed
  (`X-Maharatyar-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`), retried
  with backoff and listed at `/v1/webhooks/deliveries` (README: "Webhooks of the HTTP API's
  clients").
* `/healthz`, `/readyz` and `/metrics` (Prometheus) need no API key.

Scopes:
""" + "\n".join(f"* `{name}`: {text}" for name, text in SCOPES.items())


def create_app(
    services: Services,
    session_factory: async_sessionmaker[AsyncSession],
    *,
    rate_limiter: RateLimiter | None = None,
    metrics_token: str | None = None,
    redis_url: str | None = None,
) -> FastAPI:
    app = FastAPI(
        title="Maharatyar API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.api = ApiContext(
        services=services,
        session_factory=session_factory,
        rate_limiter=rate_limiter or RateLimiter(),
        metrics_token=metrics_token,
        redis_url=redis_url,
    )
    install_problem_handlers(app)
    install_service_error_handlers(app)
    install_database_error_handler(app)
    include_routes(app)
    include_dashboard(app)
    app.add_middleware(RequestMetrics)
    _document_problems(app)
    return app


def _document_problems(app: FastAPI) -> None:
    """The problem body is referenced by every route's error answers: put it in components."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes, servers=app.servers, webhooks=app.webhooks.routes,
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["ProblemBody"] = ProblemBody.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
