"""Opening uploaded files with real parsers: Pillow for photos, pypdf for PDFs.

Rules, each refusing with an UploadProblem:
- A photo must decode completely (a truncated one does not) and hold at most MAX_IMAGE_PIXELS
  pixels, checked from the header before any pixel is decoded (a "decompression bomb" declares
  a huge canvas in a few bytes). It is stored re-encoded, turned upright first, from its pixels
  alone: EXIF (GPS position), comments, ICC profiles and anything appended after the image
  (a ZIP glued to a JPEG, say) never reach staff.
- A PDF must end with %%EOF in its last 1024 bytes (where PDF readers look; a truncated upload
  has none), open with pypdf, not be encrypted, have at least one page that parses, and carry no
  active content anywhere in its object graph: JavaScript, Launch/ImportData/GoToE/RichMedia
  actions (so also an OpenAction or additional action running one), attached files or XFA forms.
- A PDF is stored as sent, so it must not also be another format a program would open: refused
  when Python's zipfile would read it as a ZIP archive (an end-of-central-directory record at the
  end, the way every ZIP reader finds one), or when it contains an uncompressed Windows program
  (an "MZ" header whose e_lfanew points at a "PE\\0\\0" signature). Both are structural tests,
  not a search for two bytes, so ordinary compressed streams do not trip them by chance.
"""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"


class UploadProblem(StrEnum):
    EMPTY = "empty"
    TOO_BIG = "too_big"
    WRONG_TYPE = "wrong_type"
    DAMAGED = "damaged"  # does not open: truncated, broken, a PDF without pages
    IMAGE_TOO_LARGE = "image_too_large"  # more pixels than can be decoded safely
    PROTECTED = "protected"  # an encrypted / password-protected PDF
    UNSAFE = "unsafe"  # scripts, launch actions, attached files, or another format inside

# About 7000×7000: every phone camera's full-size photo; decoding it needs ~150 MB at most.
MAX_IMAGE_PIXELS = 50_000_000
JPEG_QUALITY = 90
# Enough for a few hundred scanned pages; past it the walk stops and the file is refused.
MAX_PDF_OBJECTS = 200_000

_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"})
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/GoToE", "/RichMediaExecute"}
)
_PDF_END_WINDOW = 1024
_MZ = re.compile(b"MZ")


def reencode_image(data: bytes, mime: str) -> bytes | UploadProblem:
    pillow_format = _PILLOW_FORMATS[mime]
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            width, height = image.size
            if width < 1 or height < 1:
                return UploadProblem.DAMAGED
            if width * height > MAX_IMAGE_PIXELS:
                return UploadProblem.IMAGE_TOO_LARGE
            image.load()  # decodes every pixel: a truncated file fails here
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError:
        return UploadProblem.IMAGE_TOO_LARGE
    except Exception:  # a hostile file may break the decoder anywhere; any failure refuses it
        return UploadProblem.DAMAGED
    transparency = upright.info.get("transparency") if pillow_format == "PNG" else None
    upright.info = {} if transparency is None else {"transparency": transparency}
    if pillow_format == "JPEG" and upright.mode not in ("L", "RGB", "CMYK"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    if pillow_format == "JPEG":
        upright.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        upright.save(out, "PNG")
    return out.getvalue()


def check_pdf(data: bytes) -> UploadProblem | None:
    if b"%%EOF" not in data[-_PDF_END_WINDOW:]:
        return UploadProblem.DAMAGED
    if _is_zip(data) or _holds_windows_program(data):
        return UploadProblem.UNSAFE
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return UploadProblem.PROTECTED
        pages = reader.pages
        if len(pages) < 1:
            return UploadProblem.DAMAGED
        for page in pages:
            _ = page.mediabox  # each page object must parse
        if _has_active_content(reader):
            return UploadProblem.UNSAFE
    except _TooComplex:
        return UploadProblem.UNSAFE
    except Exception:  # pypdf raises many kinds on hostile input; any failure refuses it
        return UploadProblem.DAMAGED
    return None


def _is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))


def _holds_windows_program(data: bytes) -> bool:
    for match in _MZ.finditer(data):
        start = match.start()
        header = data[start + 0x3C : start + 0x40]
        if len(header) < 4:
            return False
        offset = int.from_bytes(header, "little")
        if 0x40 <= offset < 0x10000 and data[start + offset : start + offset + 4] == b"PE\0\0":
            return True
    return False


class _TooComplex(Exception):
    pass


def _has_active_content(reader: PdfReader) -> bool:
    """Walks every object reachable from the trailer once (catalog, pages, annotations,
    outlines, name trees, forms), looking for the keys and action types that run code."""
    seen: set[tuple[int, int]] = set()
    stack: list[object] = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            reference = (item.idnum, item.generation)
            if reference in seen:
                continue
            seen.add(reference)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            visited += 1
            if visited > MAX_PDF_OBJECTS:
                raise _TooComplex
            for key, value in item.items():
                if key in _ACTIVE_KEYS:
                    return True
                if key == "/S" and value in _ACTIVE_ACTIONS:
                    return True
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False
