"""LocalDocumentStore on a real folder: names, atomic idempotent writes, encryption at rest."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import Settings
from storage.documents import (
    DocumentDecryptError,
    DocumentKeyError,
    LocalDocumentStore,
    build_document_store,
)

PDF = b"%PDF-1.7\n" + "کارت ملی".encode() + os.urandom(4096)


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


async def test_plain_round_trip_names_file_by_content_hash(tmp_path: Path) -> None:
    store = LocalDocumentStore(tmp_path)
    key = await store.put(PDF)
    assert key == hashlib.sha256(PDF).hexdigest()
    assert await store.exists(key)
    assert await store.get(key) == PDF
    [path] = stored_files(tmp_path)
    assert path == tmp_path / key[:2] / key  # fanned out; no user file name anywhere
    assert path.read_bytes() == PDF


async def test_encrypted_at_rest_and_decrypted_on_get(tmp_path: Path) -> None:
    store = LocalDocumentStore(tmp_path, key=new_key())
    key = await store.put(PDF)
    assert key == hashlib.sha256(PDF).hexdigest()  # the key names the plaintext
    [path] = stored_files(tmp_path)
    on_disk = path.read_bytes()
    assert on_disk != PDF
    assert b"%PDF" not in on_disk
    assert "کارت ملی".encode() not in on_disk
    assert await store.get(key) == PDF


@pytest.mark.parametrize("encrypted", [False, True])
async def test_put_is_idempotent(tmp_path: Path, encrypted: bool) -> None:
    store = LocalDocumentStore(tmp_path, key=new_key() if encrypted else None)
    first = await store.put(PDF)
    [path] = stored_files(tmp_path)
    before = (path.stat().st_mtime_ns, path.read_bytes())
    second = await store.put(PDF)
    assert second == first
    assert stored_files(tmp_path) == [path]  # no second file, no temp file left behind
    # Not rewritten: an encrypted rewrite would have a new nonce, so the bytes would differ.
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert await store.get(first) == PDF


async def test_distinct_contents_distinct_files_and_delete(tmp_path: Path) -> None:
    store = LocalDocumentStore(tmp_path)
    a, b = await store.put(b"\xff\xd8\xff one"), await store.put(b"\xff\xd8\xff two")
    assert a != b
    assert len(stored_files(tmp_path)) == 2
    await store.delete(a)
    assert not await store.exists(a)
    assert await store.exists(b)
    await store.delete(a)  # deleting twice is fine
    with pytest.raises(KeyError):
        await store.get(a)


async def test_missing_and_malformed_keys(tmp_path: Path) -> None:
    store = LocalDocumentStore(tmp_path)
    with pytest.raises(KeyError):
        await store.get("0" * 64)
    assert not await store.exists("0" * 64)
    for bad in ("../../etc/passwd", "A" * 64, "ab"):
        with pytest.raises(ValueError):
            await store.get(bad)


async def test_wrong_key_is_a_clear_error_not_garbage(tmp_path: Path) -> None:
    key = await LocalDocumentStore(tmp_path, key=new_key()).put(PDF)
    with pytest.raises(DocumentDecryptError, match="DOCUMENT_KEY differs"):
        await LocalDocumentStore(tmp_path, key=new_key()).get(key)


async def test_encrypted_document_without_key_is_a_clear_error(tmp_path: Path) -> None:
    key = await LocalDocumentStore(tmp_path, key=new_key()).put(PDF)
    with pytest.raises(DocumentDecryptError, match="DOCUMENT_KEY is not set"):
        await LocalDocumentStore(tmp_path).get(key)


async def test_file_swapped_under_another_name_does_not_decrypt(tmp_path: Path) -> None:
    secret = new_key()
    store = LocalDocumentStore(tmp_path, key=secret)
    a, b = await store.put(b"%PDF-a"), await store.put(b"%PDF-b")
    (tmp_path / b[:2] / b).write_bytes((tmp_path / a[:2] / a).read_bytes())
    with pytest.raises(DocumentDecryptError):
        await store.get(b)


@pytest.mark.parametrize("bad", ["short", "!" * 44, base64.urlsafe_b64encode(b"x" * 16).decode()])
def test_malformed_document_key(bad: str, tmp_path: Path) -> None:
    with pytest.raises(DocumentKeyError, match="32 random bytes"):
        LocalDocumentStore(tmp_path, key=bad)
    with pytest.raises(ValueError, match="DOCUMENT_KEY must be") as caught:
        Settings(document_key=SecretStr(bad))
    assert bad not in str(caught.value)  # the rejected secret is not echoed


async def test_built_from_settings(tmp_path: Path) -> None:
    secret = new_key()
    store = build_document_store(Settings(document_dir=tmp_path, document_key=SecretStr(secret)))
    assert isinstance(store, LocalDocumentStore)
    assert store.encrypted
    key = await store.put(PDF)
    assert await LocalDocumentStore(tmp_path, key=secret).get(key) == PDF


def test_empty_document_key_in_environment_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUMENT_KEY", "")
    assert Settings().document_key is None
    monkeypatch.setenv("DOCUMENT_KEY", "not-a-key")
    with pytest.raises(ValueError, match="DOCUMENT_KEY must be"):
        Settings()
