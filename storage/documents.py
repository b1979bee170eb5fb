"""Uploaded documents on local disk, named by the SHA-256 of their content, optionally encrypted.

The user's file name never reaches the disk: a name is attacker-chosen text (path tricks, personal
data). A file's key is the hex SHA-256 of its plaintext, so storing the same bytes twice is one
file, and the folder fans out by the key's first two characters (`ab/abcdef...`) so no directory
grows past a few thousand entries.

Every file is AES-256-GCM encrypted: MAGIC + 12-byte nonce + ciphertext (with its 16-byte tag),
with DOCUMENT_KEY or, when that is unset, the key in DOCUMENT_KEY_FILE (made on first start, see
storage.document_key). The document key is bound as associated data, so a file copied under
another name fails to decrypt instead of serving the wrong person's papers. Files stored in
plaintext by older versions are still read (their name, the SHA-256 of their content, is checked
instead) until `python -m bot documents encrypt` has sealed them.

Neither keys nor contents are logged: a content hash confirms whether someone holds a document.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.document_key import default_key_file, load_or_create_key_file

MAGIC = b"MYDOC1\n"  # marks an encrypted file; plaintext PDFs/images never start with it
_NONCE_BYTES = 12
_KEY_BYTES = 32
_DOCUMENT_KEY = re.compile(r"[0-9a-f]{64}")


class DocumentKeyError(ValueError):
    """DOCUMENT_KEY is not 32 bytes in URL-safe base64."""


class DocumentDecryptError(Exception):
    """A stored file cannot be turned back into its plaintext with the configured key."""


class DocumentStore(Protocol):
    async def put(self, data: bytes) -> str: ...
    async def get(self, key: str) -> bytes: ...
    async def exists(self, key: str) -> bool: ...
    async def delete(self, key: str) -> None: ...


def parse_document_key(text: str) -> bytes:
    """The raw 32 bytes of DOCUMENT_KEY (URL-safe base64, as Fernet.generate_key() prints)."""
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as exc:
        raise DocumentKeyError(_KEY_HELP) from exc
    if len(raw) != _KEY_BYTES:
        raise DocumentKeyError(_KEY_HELP)
    return raw


_KEY_HELP = (
    "DOCUMENT_KEY must be 32 random bytes in URL-safe base64 (44 characters); generate one with: "
    'python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'
)


def document_key_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class EncryptionReport:
    """What `encrypt_stored_files` did: files sealed now, files sealed before, files left as
    they are (a name that is no document key, or plaintext whose hash is not its name)."""

    encrypted: int
    already_encrypted: int
    skipped: int


class LocalDocumentStore:
    """DocumentStore on a local folder. Writes are atomic (temp file + os.replace)."""

    def __init__(self, root: Path, key: str | None = None) -> None:
        self.root = Path(root)
        self._aead = AESGCM(parse_document_key(key)) if key else None

    @property
    def encrypted(self) -> bool:
        return self._aead is not None

    async def put(self, data: bytes) -> str:
        key = document_key_of(data)
        await asyncio.to_thread(self._put_sync, key, data)
        return key

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._get_sync, key)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def encrypt_stored_files(self) -> EncryptionReport:
        """Seal every file stored in plaintext before encryption was on; safe to run again.
        Each file is replaced atomically by its sealed form, so readers never see half a file;
        a file removed while this runs may come back (sealed, unused): run it with the service
        stopped."""
        if self._aead is None:
            raise DocumentKeyError("no key to encrypt with")
        return await asyncio.to_thread(self._encrypt_all_sync)

    def _path(self, key: str) -> Path:
        # Keys come back from the database, but a malformed one must never become a path.
        if not _DOCUMENT_KEY.fullmatch(key):
            raise ValueError("not a document key (64 lowercase hex characters)")
        return self.root / key[:2] / key

    def _put_sync(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.is_file():
            return  # same content, same key: already stored (idempotent, no second write)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_atomically(path, key, self._seal(key, data))

    @staticmethod
    def _write_atomically(path: Path, key: str, payload: bytes) -> None:
        temp = path.with_name(f".{key}.{secrets.token_hex(6)}.tmp")
        try:
            with open(temp, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            # Atomic: a reader sees the whole file or none; two writers of the same content
            # both succeed and leave one identical-plaintext file.
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)

    def _stored_files(self) -> Iterator[tuple[str, Path]]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                yield path.name, path

    def _encrypt_all_sync(self) -> EncryptionReport:
        encrypted = already = skipped = 0
        for key, path in self._stored_files():
            if not _DOCUMENT_KEY.fullmatch(key) or path.parent.name != key[:2]:
                skipped += 1  # a temp file or a stranger: not ours to touch
                continue
            stored = path.read_bytes()
            if stored.startswith(MAGIC):
                already += 1
            elif document_key_of(stored) != key:
                skipped += 1  # damaged: sealing it would make the damage look authentic
            else:
                self._write_atomically(path, key, self._seal(key, stored))
                encrypted += 1
        return EncryptionReport(encrypted, already, skipped)

    def _get_sync(self, key: str) -> bytes:
        path = self._path(key)
        try:
            stored = path.read_bytes()
        except FileNotFoundError:
            raise KeyError("document not found") from None
        return self._open(key, stored)

    def _seal(self, key: str, data: bytes) -> bytes:
        if self._aead is None:
            return data
        nonce = os.urandom(_NONCE_BYTES)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, key.encode())

    def _open(self, key: str, stored: bytes) -> bytes:
        is_sealed = stored.startswith(MAGIC)
        if self._aead is None:
            if is_sealed:
                raise DocumentDecryptError(
                    "the document is encrypted but DOCUMENT_KEY is not set"
                )
            return stored
        if not is_sealed:
            # Written before encryption was on: readable until `documents encrypt` seals it,
            # but only while it is still the content its name promises.
            if document_key_of(stored) != key:
                raise DocumentDecryptError(
                    "the document was stored unencrypted and its content no longer matches "
                    "its name: the file is damaged"
                )
            return stored
        body = stored[len(MAGIC) :]
        nonce, ciphertext = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, ciphertext, key.encode())
        except InvalidTag:
            raise DocumentDecryptError(
                "the document cannot be decrypted: DOCUMENT_KEY differs from the key it was "
                "stored with, or the file is damaged"
            ) from None


class _SecretText(Protocol):
    def get_secret_value(self) -> str: ...


class DocumentSettings(Protocol):
    """The part of bot.config.Settings the store needs (storage does not import bot)."""

    @property
    def document_dir(self) -> Path: ...
    @property
    def document_key(self) -> _SecretText | None: ...
    @property
    def document_key_file(self) -> Path | None: ...


def build_document_store(settings: DocumentSettings) -> LocalDocumentStore:
    """The store the settings describe, always encrypting: DOCUMENT_KEY when set, otherwise the
    key in DOCUMENT_KEY_FILE (default: document.key beside DOCUMENT_DIR), made if missing."""
    document_dir = Path(settings.document_dir)
    secret = settings.document_key
    if secret is not None:
        return LocalDocumentStore(document_dir, key=secret.get_secret_value())
    key_file = settings.document_key_file or default_key_file(document_dir)
    return LocalDocumentStore(document_dir, key=load_or_create_key_file(key_file, document_dir))
