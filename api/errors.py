"""The services' refusals as problems: not found (or another province's) 404, a state that
forbids the request 409 with its reason, a wrong request 422."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.problems import Problem
from services.integration import IntegrationConflict, IntegrationInvalid, IntegrationNotFound

SERVICE_ERRORS = (IntegrationNotFound, IntegrationConflict, IntegrationInvalid)


def as_problem(error: Exception) -> Problem:
    if isinstance(error, IntegrationConflict):
        return Problem(409, error.code, "The request conflicts with the resource's state",
                       error.reason, **error.details)
    if isinstance(error, IntegrationInvalid):
        return Problem(422, error.code, "The request failed validation", error.reason,
                       **error.details)
    return Problem(404, "not-found", "No such resource (or not in the client's provinces)")


async def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    return as_problem(exc).response()


def install_service_error_handlers(app: FastAPI) -> None:
    for error in SERVICE_ERRORS:
        app.add_exception_handler(error, _service_error)
