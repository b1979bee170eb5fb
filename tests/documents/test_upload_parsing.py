"""Uploads are opened with real parsers: hostile files that start with the right magic bytes
(truncated, polyglot, decompression bomb, scripted, encrypted) are refused, and photos are kept
as re-encoded pixels without their EXIF data."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from services.documents import CheckedUpload, UploadProblem, inspect_upload
from tests.sample_files import jpeg_file, pdf_file, png_file

ACCEPTED = ("application/pdf", "image/jpeg", "image/png")
LIMIT = 5_000_000


def inspect(data: bytes) -> CheckedUpload | UploadProblem:
    return inspect_upload(data, accepted=ACCEPTED, max_bytes=LIMIT)


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def pdf_with_javascript() -> bytes:
    writer = _one_page()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.alert('hello');"),
    })
    return _written(writer)


def pdf_with_hex_escaped_script_in_a_link() -> bytes:
    """/J#61vaScript is /JavaScript to a PDF reader: a byte search for the name misses it."""
    data = pdf_file("escaped")
    link = (b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
            b"/A << /S /J#61vaScript /J#53 (app.alert(1)) >> >>")
    writer = PdfWriter(clone_from=io.BytesIO(data))
    annotation = writer._add_object(DictionaryObject())
    writer.pages[0][NameObject("/Annots")] = ArrayObject([annotation])
    out = _written(writer)
    marker = b"<<\n>>"
    assert marker in out
    return out.replace(marker, link, 1)


def pdf_with_launch_open_action() -> bytes:
    writer = _one_page()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"),
        NameObject("/F"): TextStringObject("cmd.exe"),
    })
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = _one_page()
    writer.add_attachment("invoice.exe", b"MZ" + b"\0" * 100)
    return _written(writer)


def encrypted_pdf() -> bytes:
    writer = _one_page()
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    return _written(writer)


def pdf_without_pages() -> bytes:
    return _written(PdfWriter())


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.exe", b"MZ" + b"\0" * 200)
    return out.getvalue()


def windows_program() -> bytes:
    header = bytearray(b"MZ" + b"\0" * 0x7E)
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    return bytes(header) + b"PE\0\0" + b"\0" * 200


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG header (CRC and all) claiming a huge canvas, with a few bytes of data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: the camera was turned, the picture must be rotated
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (35.0, 41.0, 22.0)  # Tehran
    gps[3], gps[4] = "E", (51.0, 23.0, 19.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("7-byte truncated PDF", b"%PDF-1.", UploadProblem.DAMAGED),
        ("PDF cut in half", pdf_file("cut")[: len(pdf_file("cut")) // 2], UploadProblem.DAMAGED),
        ("PDF with no page", pdf_without_pages(), UploadProblem.DAMAGED),
        ("PDF + ZIP polyglot", pdf_file("zip") + zip_archive(), UploadProblem.UNSAFE),
        ("PDF with a Windows program inside", pdf_file("exe")[:-6] + windows_program()
         + b"\n%%EOF\n", UploadProblem.UNSAFE),
        ("PDF/EXE/ZIP polyglot", pdf_file("all") + windows_program() + zip_archive(),
         UploadProblem.UNSAFE),
        ("PDF with JavaScript", pdf_with_javascript(), UploadProblem.UNSAFE),
        ("PDF with a disguised script in a link", pdf_with_hex_escaped_script_in_a_link(),
         UploadProblem.UNSAFE),
        ("PDF that launches a program when opened", pdf_with_launch_open_action(),
         UploadProblem.UNSAFE),
        ("PDF with an attached file", pdf_with_attachment(), UploadProblem.UNSAFE),
        ("encrypted PDF", encrypted_pdf(), UploadProblem.PROTECTED),
        ("PNG declaring 200000x200000 px", png_declaring(200_000, 200_000),
         UploadProblem.IMAGE_TOO_LARGE),
        ("PNG declaring 8000x8000 px", png_declaring(8_000, 8_000),
         UploadProblem.IMAGE_TOO_LARGE),
        ("PNG whose pixels are missing", png_declaring(64, 64), UploadProblem.DAMAGED),
        ("truncated JPEG", jpeg_file("t", 200, 200)[:300], UploadProblem.DAMAGED),
        ("JPEG magic then garbage", b"\xff\xd8\xff\xe0" + b"j" * 300, UploadProblem.DAMAGED),
        ("PNG magic then garbage", b"\x89PNG\r\n\x1a\n" + b"p" * 200, UploadProblem.DAMAGED),
    ],
)
def test_hostile_files_are_refused(name: str, data: bytes, expected: UploadProblem) -> None:
    assert data[:3] in (b"%PD", b"\xff\xd8\xff", b"\x89PN")  # each passes the magic bytes
    assert inspect(data) == expected, name


@pytest.mark.parametrize(
    "data",
    [pdf_file("ok"), pdf_file("three", pages=3), jpeg_file("ok"), png_file("ok"),
     pdf_file("trailing") + b"\n" * 10],
)
def test_ordinary_files_pass(data: bytes) -> None:
    assert isinstance(inspect(data), CheckedUpload)


def test_a_pdf_is_kept_as_sent() -> None:
    checked = inspect(pdf_file("kept"))
    assert isinstance(checked, CheckedUpload)
    assert (checked.data, checked.mime) == (pdf_file("kept"), "application/pdf")


def test_photo_loses_its_exif_and_is_turned_upright() -> None:
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original and b"secret comment" in original
    checked = inspect(original)
    assert isinstance(checked, CheckedUpload)
    assert checked.mime == "image/jpeg"
    assert b"PhoneMaker" not in checked.data
    assert b"secret comment" not in checked.data
    assert b"Exif" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert stored.size == (60, 80)  # rotated as the camera meant, since the tag is gone
    assert inspect(original) == checked  # the same upload gives the same stored bytes


def test_png_text_and_appended_zip_are_dropped_but_alpha_kept() -> None:
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (32, 32), (10, 20, 30, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "35.69,51.39")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    data = out.getvalue() + zip_archive()
    checked = inspect(data)
    assert isinstance(checked, CheckedUpload)
    assert b"35.69" not in checked.data
    assert not zipfile.is_zipfile(io.BytesIO(checked.data))
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.getpixel((5, 5)) == (10, 20, 30, 0)  # still see-through
