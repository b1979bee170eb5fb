"""/healthz (the process answers; no database), /readyz (the database and Redis answer) and
/metrics (Prometheus text; behind METRICS_TOKEN when set). No API key: these are for the
orchestrator and the monitoring, which should reach them on an internal address only."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import text

from api.context import ApiContext, api_context
from api.problems import Problem, problem_responses
from services.metrics import exposition, refresh_database_gauges

logger = logging.getLogger(__name__)
CHECK_SECONDS = 3.0
Context = Annotated[ApiContext, Depends(api_context)]
CheckState = Literal["ok", "unreachable", "not configured"]


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    checks: dict[str, CheckState] = Field(
        examples=[{"database": "ok", "redis": "not configured"}]
    )


def build_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", response_model=Health, summary="The process is alive",
                description="Answers without touching the database: for a liveness probe.")
    async def healthz() -> Health:
        return Health()

    @router.get(
        "/readyz", response_model=Readiness, summary="The database and Redis answer",
        description="200 when the database (and Redis, when REDIS_URL is set) answer within "
                    f"{CHECK_SECONDS:g} s; else 503 with the failing check in `checks`.",
        responses={503: {
            "description": "A dependency does not answer",
            "content": {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/ProblemBody"},
                "example": {
                    "type": "urn:maharatyar:problem:not-ready", "title": "Not ready",
                    "status": 503, "code": "not-ready",
                    "checks": {"database": "unreachable", "redis": "ok"},
                },
            }},
        }},
    )
    async def readyz(context: Context) -> Readiness:
        checks: dict[str, CheckState] = {
            "database": await _check(_database(context)),
            "redis": (await _check(_redis(context.redis_url))
                      if context.redis_url else "not configured"),
        }
        if "unreachable" in checks.values():
            raise Problem(503, "not-ready", "Not ready",
                          "A dependency does not answer.", checks=checks)
        return Readiness(checks=checks)

    @router.get(
        "/metrics", summary="Prometheus metrics",
        description="The text exposition format. Open unless METRICS_TOKEN is set; then send "
                    "`Authorization: Bearer <METRICS_TOKEN>`.",
        response_class=Response,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
                   **problem_responses(401)},
    )
    async def metrics(request: Request, context: Context) -> Response:
        if context.metrics_token is not None and not _token_matches(
            request.headers.get("authorization", ""), context.metrics_token
        ):
            raise Problem(401, "unauthorized", "A valid API key is required",
                          "Send `Authorization: Bearer <METRICS_TOKEN>`.",
                          headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        try:
            await asyncio.wait_for(
                refresh_database_gauges(context.session_factory), CHECK_SECONDS
            )
        except Exception as error:  # the counters are still worth showing
            logger.warning("metrics: database gauges not read: %s", type(error).__name__)
        body, content_type = exposition()
        return Response(body, media_type=content_type)

    return router


def _token_matches(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


async def _check(probe: Any) -> CheckState:
    try:
        await asyncio.wait_for(probe, CHECK_SECONDS)
    except Exception as error:
        logger.warning("readiness: %s", type(error).__name__)
        return "unreachable"
    return "ok"


async def _database(context: ApiContext) -> None:
    async with context.session_factory() as session:
        await session.execute(text("SELECT 1"))


async def _redis(url: str | None) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url or "", socket_connect_timeout=CHECK_SECONDS,
                            socket_timeout=CHECK_SECONDS)
    try:
        await client.ping()  # type: ignore[misc]  # redis types it sync|async
    finally:
        await client.aclose()
