"""The document encryption key when DOCUMENT_KEY is not set: a file of its own, made on first
start, so documents are never stored in plaintext just because nobody configured a key.

The file sits beside the data but outside DOCUMENT_DIR: a copy of the documents folder alone
(a backup, a leaked volume) must not carry the key that opens it. Losing the file makes every
stored document unreadable, so the first start says where it is and that it needs a backup of
its own. The key itself is never logged.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

KEY_FILE_NAME = "document.key"


class DocumentKeyFileError(ValueError):
    """DOCUMENT_KEY_FILE cannot be used (inside DOCUMENT_DIR, unreadable, not a key)."""


def default_key_file(document_dir: Path) -> Path:
    """data/documents -> data/document.key: beside the documents, not among them."""
    return Path(document_dir).resolve().parent / KEY_FILE_NAME


def load_or_create_key_file(path: Path, document_dir: Path) -> str:
    """The key stored in `path` (URL-safe base64 text), made first if there is none."""
    path = Path(path).resolve()
    if path.is_relative_to(Path(document_dir).resolve()):
        raise DocumentKeyFileError(
            f"DOCUMENT_KEY_FILE {path} is inside DOCUMENT_DIR: keep the key apart from the "
            "documents it opens"
        )
    if not path.exists():
        _create(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning(
            "the document key file %s can be read by other users (mode %o); make it 0600",
            path, mode,
        )
    return path.read_text(encoding="ascii").strip()


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # A hard link never replaces an existing file: when two processes start at once, one
        # key wins and the other process reads it (both whole files, never half-written).
        try:
            os.link(temp, path)
        except FileExistsError:
            return
    finally:
        temp.unlink(missing_ok=True)
    logger.warning(
        "created a new document encryption key in %s. Back it up now, apart from the documents "
        "and the database backups: without it the stored documents cannot be read.",
        path,
    )
