"""`python -m bot documents encrypt`: seal the documents stored in plaintext before encryption
was on by default. Safe to run again; prints what it did."""

from __future__ import annotations

import sys

from bot.config import Settings
from storage.documents import build_document_store


async def encrypt_documents_command(settings: Settings) -> int:
    # The same key the service uses (DOCUMENT_KEY, or the key file, made if missing).
    store = build_document_store(settings)
    report = await store.encrypt_stored_files()
    print(
        f"encrypted {report.encrypted} file(s); {report.already_encrypted} were encrypted "
        f"already; {report.skipped} left as they are (not a document file, or damaged)",
        file=sys.stderr,
    )
    return 0
