"""Upload checks by magic bytes: names and claimed MIME types are not trusted."""

from __future__ import annotations

import pytest

from services.documents import CheckedUpload, UploadProblem, inspect_upload, sniff_type
from tests.sample_files import pdf_file, png_file

ACCEPTED = ("application/pdf", "image/jpeg", "image/png")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.4\n...", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (PNG, "image/png"),
        (b"MZ\x90\x00\x03\x00\x00\x00", None),  # Windows .exe, whatever its name says
        (b"PK\x03\x04", None),  # zip / docx / xlsx
        (b"GIF89a", None),
        (b"%PDF", None),  # truncated signature
        (b"\x89PNG\r\n", None),
        (b" %PDF-1.4", None),  # the signature must be at the start
        (b"", None),
    ],
)
def test_sniff_type(data: bytes, expected: str | None) -> None:
    assert sniff_type(data) == expected


@pytest.mark.parametrize(
    ("data", "accepted", "max_bytes", "expected"),
    [
        (pdf_file(), ACCEPTED, 10_000, None),
        (png_file(), ("image/png",), 10_000, None),
        (b"", ACCEPTED, 100, UploadProblem.EMPTY),
        (pdf_file(), ACCEPTED, len(pdf_file()) - 1, UploadProblem.TOO_BIG),
        (pdf_file(), ACCEPTED, len(pdf_file()), None),  # exactly at the limit is fine
        (b"MZ\x90\x00 renamed.pdf", ACCEPTED, 100, UploadProblem.WRONG_TYPE),
        (png_file(), ("application/pdf",), 10_000, UploadProblem.WRONG_TYPE),
        (b"plain text", ACCEPTED, 100, UploadProblem.WRONG_TYPE),
    ],
)
def test_inspect_upload(
    data: bytes, accepted: tuple[str, ...], max_bytes: int, expected: UploadProblem | None
) -> None:
    result = inspect_upload(data, accepted=accepted, max_bytes=max_bytes)
    if expected is None:
        assert isinstance(result, CheckedUpload)
        assert result.mime == sniff_type(data)
    else:
        assert result == expected
