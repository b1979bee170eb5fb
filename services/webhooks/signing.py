"""The signature of a delivery, as a receiver checks it (the README shows the same in a snippet):

    X-Maharatyar-Timestamp: 1764755000
    X-Maharatyar-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>

The timestamp is part of what is signed, so a receiver that rejects old timestamps (say, more
than five minutes away from its clock) is safe from a replayed delivery too."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_PREFIX = "sha256="
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The X-Maharatyar-Signature header's value."""
    signed = f"{timestamp}.".encode() + body
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret, timestamp, body), header)
