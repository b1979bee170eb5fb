"""HTTP details every resource shares: opaque cursors, ETag answers with 304, UTC times."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BaseModel

from api.problems import Problem

_CURSOR_PREFIX = "a:"
MAX_PAGE = 200

Cursor = Annotated[
    str | None,
    Query(max_length=100, description="`next_cursor` of the previous page; absent: first page"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page")]


def encode_cursor(after_id: int | None) -> str | None:
    if after_id is None:
        return None
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{after_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id a page continues after (0: the first page); 422 for a cursor we did not make."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text.removeprefix(_CURSOR_PREFIX)
    if not text.startswith(_CURSOR_PREFIX) or not number.isdigit() or len(number) > 18:
        raise Problem(422, "invalid-cursor", "The cursor is not one this API gave",
                      "Use `next_cursor` of the previous page as it is.")
    return int(number)


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
