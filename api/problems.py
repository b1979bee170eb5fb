"""Errors as `application/problem+json` (RFC 9457). `code` is a stable, language-independent
name a client can branch on; `title` is English, `detail` may carry specifics (never personal
data)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:maharatyar:problem:"


class ProblemBody(BaseModel):
    """The body of every error answer."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="urn:maharatyar:problem:<code>")
    title: str
    status: int
    code: str = Field(description="Stable machine-readable error code")
    detail: str | None = None


class Problem(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.code, "title": self.title, "status": self.status,
            "code": self.code,
        }
        if self.detail is not None:
            body["detail"] = self.detail
        return {**body, **self.extra}

    def response(self) -> JSONResponse:
        return JSONResponse(
            self.body(), status_code=self.status, headers=self.headers,
            media_type=PROBLEM_MEDIA_TYPE,
        )


# The answers every route may give, with their English titles (used in OpenAPI too).
STANDARD: dict[int, tuple[str, str]] = {
    400: ("bad-request", "The request is malformed"),
    401: ("unauthorized", "A valid API key is required"),
    403: ("forbidden", "The API key lacks the scope this needs"),
    404: ("not-found", "No such resource (or not in the client's provinces)"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "The request conflicts with the resource's state"),
    413: ("too-large", "The request is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("invalid-request", "The request failed validation"),
    429: ("rate-limited", "Too many requests; retry after the Retry-After seconds"),
    500: ("internal-error", "Internal error"),
}


def problem(status: int, detail: str | None = None, **extra: Any) -> Problem:
    code, title = STANDARD.get(status, ("error", "Error"))
    return Problem(status, code, title, detail, **extra)


async def _problem_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return exc.response()


async def _http_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    found = problem(exc.status_code, str(exc.detail) if exc.detail else None)
    found.headers = dict(exc.headers or {})
    return found.response()


async def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only where and what kind: the rejected input itself is not echoed (it may be personal).
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", "")),
         "type": str(error.get("type", ""))}
        for error in exc.errors()
    ]
    return problem(422, "The request failed validation", errors=errors).response()


async def _crash_handler(_request: Request, _exc: Exception) -> JSONResponse:
    return problem(500).response()


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Problem, _problem_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(Exception, _crash_handler)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for these error statuses, each a problem+json with an example. A
    route with a body may also answer 400 (a body that is not JSON at all)."""
    result: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, 400} if 422 in statuses else set(statuses)):
        code, title = STANDARD[status]
        result[status] = {
            "description": title,
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/ProblemBody"},
                    "example": {
                        "type": PROBLEM_TYPE_BASE + code, "title": title, "status": status,
                        "code": code,
                    },
                }
            },
        }
    return result
