"""HTTP details every resource shares: opaque cursors, ETag answers with 304, UTC times."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel

from api.problems import Problem

_CURSOR_PREFIX = "c"
_CURSOR_PATTERN = r"^c[0-9]{1,18}$"
MAX_PAGE = 200

Cursor = Annotated[
    str | None,
    Query(
        pattern=_CURSOR_PATTERN,
        description="`next_cursor` of the previous page, as it is; absent: the first page",
    ),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page")]
# A string parsed here, not a pydantic datetime: that would take "0.5" as a Unix time.
UpdatedSince = Annotated[
    str | None,
    Query(
        max_length=40, json_schema_extra={"format": "date-time"},
        description="Only what changed at or after this time (RFC 3339; no zone: UTC)",
        examples=["2026-11-22T00:00:00+03:30"],
    ),
]


def encode_cursor(after_id: int | None) -> str | None:
    """Pages go by id (keyset): the cursor names the last id shown. Clients pass it back as it
    is; its shape is a pattern in the schema, so a malformed one is a validation error."""
    if after_id is None:
        return None
    return f"{_CURSOR_PREFIX}{after_id}"


def decode_cursor(cursor: str | None) -> int:
    """The id a page continues after (0: the first page)."""
    if not cursor:
        return 0
    number = cursor.removeprefix(_CURSOR_PREFIX)
    if not number.isascii() or not number.isdigit():  # the Query pattern lets none through
        raise Problem(422, "invalid-cursor", "The cursor is not one this API gave",
                      "Use `next_cursor` of the previous page as it is.")
    # Ids are 32-bit: a cursor past the last one is simply past the end.
    return min(int(number), 2**31 - 1)


def since_utc(text: str | None, name: str = "updated_since") -> dt.datetime | None:
    """An `updated_since` (or another query time, `name`) in UTC (a time without a zone is
    taken as UTC); one so far out that it cannot be moved into UTC becomes the first or last
    moment there is."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise Problem(
            422, "invalid-request", "The request failed validation",
            f"{name} is not an RFC 3339 time like 2026-11-22T00:00:00Z",
            errors=[{"loc": ["query", name], "msg": "not a date-time",
                     "type": "datetime_parsing"}],
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        edge = dt.datetime.min if moment.year < 2000 else dt.datetime.max
        return edge.replace(tzinfo=dt.UTC)


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives stored (UTC) times back naive; every time the API shows is aware UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def json_with_etag(request: Request, model: BaseModel) -> Response:
    """200 with the body and its ETag, or 304 without a body when If-None-Match names it."""
    body = model.model_dump_json().encode()
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


# The OpenAPI lines of a read that answers 304.
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the `If-None-Match` ETag is current"}
}
ETAG_HEADER: dict[str, Any] = {
    "ETag": {"description": "Send it back as `If-None-Match`", "schema": {"type": "string"}}
}
