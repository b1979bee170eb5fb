"""Real, small files for upload tests: the document checks open every file with Pillow or
pypdf, so a few magic bytes are no longer enough. Each tag gives distinct content."""

from __future__ import annotations

import functools
import hashlib
import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject


def _colour(tag: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(tag.encode()).digest()
    return digest[0], digest[1], digest[2]


@functools.cache
def pdf_file(tag: str = "a", pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({NameObject("/Title"): TextStringObject(f"scan {tag}")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image(tag: str, width: int, height: int, fmt: str, **save: object) -> bytes:
    image = Image.new("RGB", (width, height), _colour(tag))
    # A second colour in one corner, so a re-encoded copy still differs from another tag's.
    image.paste(_colour(tag + "!"), (0, 0, max(1, width // 4), max(1, height // 4)))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


@functools.cache
def jpeg_file(tag: str = "a", width: int = 64, height: int = 48) -> bytes:
    return _image(tag, width, height, "JPEG", quality=90)


@functools.cache
def png_file(tag: str = "a", width: int = 64, height: int = 48) -> bytes:
    return _image(tag, width, height, "PNG")
