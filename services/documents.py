"""What an uploaded file really is: by its first bytes (never its name or declared MIME type),
then opened by a real parser, so only files a caseworker can safely open are kept.

A messenger passes on whatever name and type the sender's phone claims, so an .exe renamed
"certificate.pdf" arrives as application/pdf. The magic bytes cannot be renamed, but they can be
faked: a truncated file, a PDF that is also a ZIP, a PNG claiming 200000×200000 pixels all start
right. So each accepted type is parsed (services.document_parsers) and photos are stored as
re-encoded pixels only, without the EXIF data (GPS position, phone model) the camera wrote.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from services.document_parsers import JPEG, PDF, PNG, UploadProblem, check_pdf, reencode_image

__all__ = [
    "JPEG", "PDF", "PNG", "CheckedUpload", "UploadProblem", "inspect_upload", "sniff_type"
]

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """A file fit to keep: `data` is what to store (a photo re-encoded), `mime` its type."""

    data: bytes
    mime: str


def sniff_type(data: bytes) -> str | None:
    """"application/pdf", "image/jpeg" or "image/png" by magic bytes; None for anything else."""
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    return None


def inspect_upload(
    data: bytes, *, accepted: Collection[str], max_bytes: int
) -> CheckedUpload | UploadProblem:
    """The file to keep as a document of an `accepted` type, or the first reason it cannot be.

    CPU-bound (parsing, re-encoding): call it in a worker thread from async code."""
    if not data:
        return UploadProblem.EMPTY
    if len(data) > max_bytes:
        return UploadProblem.TOO_BIG
    mime = sniff_type(data)
    if mime is None or mime not in accepted:
        return UploadProblem.WRONG_TYPE
    if mime == PDF:
        problem = check_pdf(data)
        return problem if problem is not None else CheckedUpload(data, mime)
    cleaned = reencode_image(data, mime)
    return cleaned if isinstance(cleaned, UploadProblem) else CheckedUpload(cleaned, mime)
