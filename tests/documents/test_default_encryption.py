"""Encryption at rest is on without any setting: a key file is made once, beside the documents
and never among them; files stored in plaintext before are read, and sealed by a command."""

from __future__ import annotations

import base64
import logging
import os
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.__main__ import main
from bot.config import Settings
from storage.document_key import DocumentKeyFileError
from storage.documents import (
    MAGIC,
    DocumentDecryptError,
    LocalDocumentStore,
    build_document_store,
    document_key_of,
)
from tests.conftest import in_fresh_thread

PDF = b"%PDF-1.7\n" + "گواهی مهارت".encode() + os.urandom(2048)


def settings_for(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, document_dir=tmp_path / "documents", **values)  # type: ignore[call-arg]


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


async def test_no_key_configured_makes_a_key_file_and_encrypts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        store = build_document_store(settings_for(tmp_path))
    key_file = tmp_path / "document.key"
    assert store.encrypted
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_text().strip()
    assert len(base64.urlsafe_b64decode(secret)) == 32
    # Where the key is and that it needs its own backup, said once; the key itself never.
    [created] = [r for r in caplog.records if "document encryption key" in r.getMessage()]
    assert str(key_file) in created.getMessage()
    assert "Back it up" in created.getMessage()
    assert secret not in caplog.text

    key = await store.put(PDF)
    [stored] = files_under(tmp_path / "documents")
    assert stored.read_bytes().startswith(MAGIC)
    assert b"%PDF" not in stored.read_bytes()

    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = build_document_store(settings_for(tmp_path))  # the next start: same key
    assert "document encryption key" not in caplog.text
    assert key_file.read_text().strip() == secret
    assert await again.get(key) == PDF


async def test_document_key_wins_over_the_key_file(tmp_path: Path) -> None:
    build_document_store(settings_for(tmp_path))  # a key file exists
    secret = base64.urlsafe_b64encode(os.urandom(32)).decode()
    store = build_document_store(settings_for(tmp_path, document_key=SecretStr(secret)))
    key = await store.put(PDF)
    assert await LocalDocumentStore(tmp_path / "documents", key=secret).get(key) == PDF


def test_key_file_inside_the_document_folder_is_refused(tmp_path: Path) -> None:
    inside = tmp_path / "documents" / "document.key"
    with pytest.raises(DocumentKeyFileError, match="inside DOCUMENT_DIR"):
        build_document_store(settings_for(tmp_path, document_key_file=inside))
    assert not inside.exists()


def test_a_set_key_file_path_is_used(tmp_path: Path) -> None:
    elsewhere = tmp_path / "secrets" / "docs.key"
    build_document_store(settings_for(tmp_path, document_key_file=elsewhere))
    assert elsewhere.is_file()
    assert not (tmp_path / "document.key").exists()


async def test_plaintext_files_of_before_are_read_while_damaged_ones_are_not(
    tmp_path: Path,
) -> None:
    plain = LocalDocumentStore(tmp_path / "documents")
    key = await plain.put(PDF)
    store = build_document_store(settings_for(tmp_path))
    assert await store.get(key) == PDF
    path = tmp_path / "documents" / key[:2] / key
    path.write_bytes(PDF[:-1] + b"!")
    with pytest.raises(DocumentDecryptError, match="damaged"):
        await store.get(key)


async def test_encrypt_command_seals_plaintext_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = tmp_path / "documents"
    plain = LocalDocumentStore(documents)
    keys = [await plain.put(PDF + bytes([n])) for n in range(3)]
    (documents / "ab").mkdir(exist_ok=True)
    (documents / "ab" / ".abc.tmp").write_bytes(b"half written")  # not a document: left alone
    monkeypatch.chdir(tmp_path)  # no .env from the project
    monkeypatch.setenv("DOCUMENT_DIR", str(documents))
    monkeypatch.delenv("DOCUMENT_KEY", raising=False)

    assert in_fresh_thread(main, ["documents", "encrypt"]) == 0
    assert "encrypted 3 file(s); 0 were encrypted already; 1 left" in capsys.readouterr().err
    for key in keys:
        assert (documents / key[:2] / key).read_bytes().startswith(MAGIC)
    assert (documents / "ab" / ".abc.tmp").read_bytes() == b"half written"

    assert in_fresh_thread(main, ["documents", "encrypt"]) == 0
    assert "encrypted 0 file(s); 3 were encrypted already" in capsys.readouterr().err
    store = build_document_store(settings_for(tmp_path))
    for n, key in enumerate(keys):
        assert key == document_key_of(PDF + bytes([n]))
        assert await store.get(key) == PDF + bytes([n])
