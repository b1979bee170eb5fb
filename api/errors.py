"""The services' refusals as problems: not found (or another province's) 404, a state that
forbids the request 409 with its reason, a wrong request 422."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.problems import Problem
from services.integration import IntegrationConflict, IntegrationInvalid, IntegrationNotFound


async def _not_found(_request: Request, _exc: Exception) -> JSONResponse:
    return Problem(
        404, "not-found", "No such resource (or not in the client's provinces)"
    ).response()


async def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntegrationConflict)
    return Problem(409, exc.code, "The request conflicts with the resource's state", exc.reason,
                   **exc.details).response()


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntegrationInvalid)
    return Problem(422, exc.code, "The request failed validation", exc.reason,
                   **exc.details).response()


def install_service_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IntegrationNotFound, _not_found)
    app.add_exception_handler(IntegrationConflict, _conflict)
    app.add_exception_handler(IntegrationInvalid, _invalid)
