"""What an uploaded file really is, by its first bytes; never by its name or declared MIME type.

A messenger passes on whatever name and type the sender's phone claims, so an .exe renamed
"certificate.pdf" arrives as application/pdf. The magic bytes cannot be renamed.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)


class UploadProblem(StrEnum):
    EMPTY = "empty"
    TOO_BIG = "too_big"
    WRONG_TYPE = "wrong_type"


def sniff_type(data: bytes) -> str | None:
    """"application/pdf", "image/jpeg" or "image/png" by magic bytes; None for anything else."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    return None


def check_upload(
    data: bytes, *, accepted: Collection[str], max_bytes: int
) -> UploadProblem | None:
    """The first reason `data` cannot be kept as a document of an `accepted` type, or None."""
    if not data:
        return UploadProblem.EMPTY
    if len(data) > max_bytes:
        return UploadProblem.TOO_BIG
    if sniff_type(data) not in accepted:
        return UploadProblem.WRONG_TYPE
    return None
