"""Bearer-key authentication, scopes and the per-client rate limit, as FastAPI dependencies.

    client: ClientIdentity = Depends(require_scope("applications:read"))

No key, a malformed, unknown, rotated-away or revoked key: 401. A valid key without the scope:
403. Over the client's rate: 429 with Retry-After (checked before the scope, so a flood of
forbidden calls is limited too)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.context import ApiContext, api_context
from api.problems import Problem
from services.api_clients import SCOPES, ClientIdentity

bearer = HTTPBearer(
    auto_error=False,
    description="`Authorization: Bearer mhy_…`, a key made by `python -m bot api-clients create`",
)


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401, "unauthorized", "A valid API key is required", detail,
        headers={"WWW-Authenticate": 'Bearer realm="maharatyar"'},
    )


async def current_client(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    context: Annotated[ApiContext, Depends(api_context)],
) -> ClientIdentity:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("Send the key as `Authorization: Bearer <key>`.")
    client = await context.services.api_client_service.authenticate(credentials.credentials)
    if client is None:
        raise _unauthorized("The key is unknown, revoked or replaced by a newer one.")
    wait = context.rate_limiter.take(client.id, client.rate_limit_per_minute)
    if wait > 0:
        raise Problem(
            429, "rate-limited", "Too many requests; retry after the Retry-After seconds",
            f"This client may make {client.rate_limit_per_minute} requests per minute.",
            headers={"Retry-After": context.rate_limiter.retry_after_header(wait)},
        )
    request.state.client = client  # for logs/metrics by client name
    return client


def require_scope(scope: str) -> Callable[..., Awaitable[ClientIdentity]]:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    async def dependency(
        client: Annotated[ClientIdentity, Depends(current_client)],
    ) -> ClientIdentity:
        if scope not in client.scopes:
            raise Problem(
                403, "forbidden", "The API key lacks the scope this needs",
                f"This needs the scope {scope}.", scope=scope,
            )
        return client

    return dependency
