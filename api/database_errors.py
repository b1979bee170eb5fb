"""Input the database refuses as text is the client's mistake, not a crash: PostgreSQL rejects a
NUL character (or bytes not in its encoding) anywhere in a parameter with SQLSTATE 22021/22P05,
wherever it came from (query, path or body). That is a 422 problem, as on SQLite (which stores
such text) the same request is answered normally. Any other database error stays a 500."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from api.problems import Problem, problem

# character_not_in_repertoire, untranslatable_character
_BAD_TEXT_STATES = frozenset({"22021", "22P05"})


def _sqlstate(error: DBAPIError) -> str | None:
    original = error.orig
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    cause = getattr(original, "__cause__", None)
    return str(state or getattr(cause, "sqlstate", "") or "") or None


async def _database_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if _sqlstate(exc) in _BAD_TEXT_STATES:
        return Problem(
            422, "invalid-text", "The request failed validation",
            "Text may not hold NUL characters or bytes that are not UTF-8.",
        ).response()
    return problem(500).response()


def install_database_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(DBAPIError, _database_error)
