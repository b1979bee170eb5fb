"""The key that signs dashboard links when DASHBOARD_SECRET is not set: a file of its own
(dashboard.key beside the documents' key), made on first start, so a fresh install never signs
with a known or empty key. Losing it only voids links not yet opened."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE_NAME = "dashboard.key"


def default_secret_file(document_dir: Path) -> Path:
    return Path(document_dir).resolve().parent / KEY_FILE_NAME


def load_or_create_secret(path: Path) -> bytes:
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(32) + "\n")
            # A hard link never replaces a file: two processes starting at once share one key.
            try:
                os.link(temp, path)
            except FileExistsError:
                pass
        finally:
            temp.unlink(missing_ok=True)
    return path.read_text(encoding="ascii").strip().encode()
