"""Photos, documents and voice messages: uploads, reused file_ids, getFile, size limits."""

from __future__ import annotations

import mimetypes
import struct
from typing import Any

from bot.sandbox.formatting import render
from bot.sandbox.messages import begin_outgoing, finish_outgoing
from bot.sandbox.models import MB, ApiError, BotState, StoredFile, UploadedFile, bad_request
from bot.sandbox.params import Params, check_caption
from bot.sandbox.state import SandboxState

MAX_UPLOAD_BYTES = 50 * MB
MAX_DOWNLOAD_BYTES = 20 * MB
_THUMB_SIDE = 90

Files = dict[str, UploadedFile]


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height from PNG, GIF or JPEG headers; None when the bytes are not such an image."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return int(width), int(height)
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        width, height = struct.unpack("<HH", content[6:10])
        return int(width), int(height)
    if content[:2] == b"\xff\xd8":
        return _jpeg_size(content)
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return 512, 512  # the exact size needs a VP8 decoder; any size will do for the bot
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(content):
        if content[index] != 0xFF:
            return None
        marker = content[index + 1]
        length = struct.unpack(">H", content[index + 2 : index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", content[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + length
    return None


def photo_sizes(state: BotState, stored: StoredFile, size: tuple[int, int]) -> list[dict[str, Any]]:
    """Telegram's [thumbnail, full] pair; the thumbnail id is an alias of the same bytes."""
    width, height = size
    scale = min(1.0, _THUMB_SIDE / max(width, height, 1))
    thumb: dict[str, Any] = {
        "file_id": stored.file_id + "-t",
        "file_unique_id": stored.file_unique_id + "t",
        "file_size": min(len(stored.content), 2048),
        "width": max(1, round(width * scale)),
        "height": max(1, round(height * scale)),
    }
    state.files[thumb["file_id"]] = stored
    full = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "width": width,
        "height": height,
    }
    return [thumb, full]


def _input(state: BotState, p: Params, files: Files, field: str) -> UploadedFile | StoredFile:
    value = p.raw.get(field)
    upload: UploadedFile | None
    if isinstance(value, UploadedFile):
        upload = value
    elif isinstance(value, str) and value.startswith("attach://"):
        upload = files.get(value.removeprefix("attach://"))
        if upload is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
    elif value in (None, ""):
        upload = files.get(field)
        if upload is None:
            raise bad_request(f"there is no {field} in the request")
    else:
        text = str(value)
        if text.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        stored = state.files.get(text)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored
    if len(upload.content) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "Request Entity Too Large")
    return upload


def _caption(raw: dict[str, Any], p: Params) -> None:
    caption = p.get_str("caption")
    if caption:
        visible = render(caption, p.get_str("parse_mode"))
        check_caption(visible)
        raw["caption"] = visible


def send_photo(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    source = _input(state, p, files, "photo")
    chat, raw = begin_outgoing(api, state, p)
    if isinstance(source, UploadedFile):
        size = image_size(source.content)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        stored = api.store_file(state, "photo", source.content, "jpg", "image/jpeg")
    else:
        stored = source
        size = image_size(stored.content) or (1280, 960)
    raw["photo"] = photo_sizes(state, stored, size)
    _caption(raw, p)
    return finish_outgoing(api, state, chat, raw, p).public()


def send_document(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    source = _input(state, p, files, "document")
    chat, raw = begin_outgoing(api, state, p)
    raw["document"] = document_of(api, state, source)
    _caption(raw, p)
    return finish_outgoing(api, state, chat, raw, p).public()


def send_voice(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    source = _input(state, p, files, "voice")
    chat, raw = begin_outgoing(api, state, p)
    if isinstance(source, UploadedFile):
        stored = api.store_file(state, "voice", source.content, "oga", "audio/ogg")
    else:
        stored = source
    raw["voice"] = voice_of(stored, p.get_int("duration") or 1)
    _caption(raw, p)
    return finish_outgoing(api, state, chat, raw, p).public()


def voice_of(stored: StoredFile, duration: int) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "duration": duration,
        "mime_type": stored.mime_type or "audio/ogg",
        "file_size": len(stored.content),
    }


def document_of(
    api: SandboxState, state: BotState, source: UploadedFile | StoredFile
) -> dict[str, Any]:
    if isinstance(source, UploadedFile):
        mime = source.content_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(source.filename)[0] or "application/octet-stream"
        extension = source.filename.rsplit(".", 1)[-1] if "." in source.filename else "bin"
        stored = api.store_file(state, "document", source.content, extension, mime)
        file_name = source.filename
    else:
        stored = source
        file_name = stored.file_path.rsplit("/", 1)[-1]
    return {
        "file_name": file_name,
        "mime_type": stored.mime_type or "application/octet-stream",
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }


def get_file(api: SandboxState, state: BotState, p: Params, files: Files) -> dict[str, Any]:
    stored = state.files.get(p.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.content) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {
        "file_id": p.get_str("file_id"),
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }
