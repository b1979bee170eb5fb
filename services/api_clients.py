"""Clients of the HTTP API: their keys, scopes, provinces and rate limits, and the audit of what
they touched. No web framework here: the CLI creates and revokes clients, `api/` authenticates.

A key reads `mhy_<prefix>_<secret>`: the prefix (10 hex digits) finds the client's row, the
secret is 256 random bits. Only sha256 of the whole key is stored (a secret that random needs no
slow hash), compared in constant time. The key is shown once, when created or rotated."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.jalali import to_jalali_text
from services.provinces import canonical_province
from storage.models import ApiClient, utcnow
from storage.repositories.api_clients import ApiClientRepository

# Scope -> what it allows (the README and the OpenAPI description list these).
SCOPES: dict[str, str] = {
    "applications:read": "list applications and read one (profile without national code/phone, "
                         "answers, documents' metadata, status timeline)",
    "applications:write": "change an application's status (the staff screens' state machine)",
    "documents:read": "download an application's document (decrypted; every read audited)",
    "courses:write": "create, update and close courses (the catalog import's row checks)",
    "people:read": "look a person up by national code, and see national codes and phones "
                   "wherever a response holds a person",
    "tickets:read": "list hand-off tickets and read one with its messages",
    "exams:read": "list exam sessions and read one, a session's roll (answers, attendance, "
                  "results) and a person's certificates",
    "exams:write": "create, move and cancel exam sessions, mark attendance, record results and "
                   "issue certificates (certificates need no scope of their own: issuing one is "
                   "the last step of the exam process)",
    "job_leads:read": "list job leads, read one and the people interested in it (their phones "
                      "only with people:read)",
    "job_leads:write": "post job leads (the chat form's and the import's rules)",
    "webhooks:read": "list the client's own webhook endpoints and their deliveries (endpoints "
                     "are added with `python -m bot api-clients webhook add`)",
}
ALL_SCOPES = "all"
DEFAULT_RATE_LIMIT = 600  # requests per minute
KEY_PATTERN = re.compile(r"^mhy_([0-9a-f]{10})_([A-Za-z0-9_-]{20,100})$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ApiClientError(ValueError):
    """A bad name, scope, province or rate limit; or no such client. Safe to print."""


@dataclass(frozen=True, slots=True)
class ClientIdentity:
    """Who is calling: what authentication hands the API's routes."""

    id: int
    name: str
    scopes: frozenset[str]
    provinces: frozenset[str] | None  # None = every province
    rate_limit_per_minute: int

    def can_see_province(self, province: str | None) -> bool:
        """A province-limited client sees only its provinces (a case with none is not its)."""
        return self.provinces is None or (province is not None and province in self.provinces)


@dataclass(frozen=True, slots=True)
class ClientSummary:
    name: str
    scopes: tuple[str, ...]
    provinces: tuple[str, ...]
    rate_limit_per_minute: int
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    rotated_at: dt.datetime | None


def parse_scopes(text: str) -> tuple[str, ...]:
    """"a,b" or "all" -> sorted known scopes; ApiClientError names an unknown one."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if names == [ALL_SCOPES]:
        return tuple(sorted(SCOPES))
    unknown = [name for name in names if name not in SCOPES]
    if unknown or not names:
        raise ApiClientError(
            f"unknown scope(s) {', '.join(unknown) or '(none given)'}; known: "
            f"{', '.join(sorted(SCOPES))} or {ALL_SCOPES}"
        )
    return tuple(sorted(set(names)))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(5)
    return prefix, f"mhy_{prefix}_{secrets.token_urlsafe(32)}"


def identity_of(client: ApiClient) -> ClientIdentity:
    provinces = frozenset(str(p) for p in client.provinces or ())
    return ClientIdentity(
        id=client.id,
        name=client.name,
        scopes=frozenset(str(s) for s in client.scopes or ()),
        provinces=provinces or None,
        rate_limit_per_minute=client.rate_limit_per_minute,
    )


def _summary(client: ApiClient) -> ClientSummary:
    return ClientSummary(
        name=client.name, scopes=tuple(client.scopes or ()),
        provinces=tuple(client.provinces or ()),
        rate_limit_per_minute=client.rate_limit_per_minute, created_at=client.created_at,
        revoked_at=client.revoked_at, rotated_at=client.rotated_at,
    )


class ApiClientService:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    @staticmethod
    def _check_provinces(provinces: Sequence[str]) -> tuple[str, ...]:
        """Official spellings (any usual way of typing one is accepted)."""
        names = [p.strip() for p in provinces if p.strip()]
        unknown = [p for p in names if canonical_province(p) is None]
        if unknown:
            raise ApiClientError(f"unknown province(s): {', '.join(unknown)}")
        return tuple(sorted({canonical_province(p) or p for p in names}))

    async def create(
        self,
        name: str,
        scopes: Sequence[str],
        provinces: Sequence[str] = (),
        rate_limit_per_minute: int = DEFAULT_RATE_LIMIT,
    ) -> tuple[ClientSummary, str]:
        """The new client and its key (shown once; only its hash is kept)."""
        if not _NAME.match(name):
            raise ApiClientError(
                "a client name is 1-64 Latin letters, digits, '.', '_' or '-'"
            )
        unknown = [s for s in scopes if s not in SCOPES]
        if unknown or not scopes:
            raise ApiClientError(f"unknown scope(s): {', '.join(unknown) or '(none)'}")
        if rate_limit_per_minute < 1:
            raise ApiClientError("the rate limit is at least 1 request per minute")
        clean_provinces = self._check_provinces(provinces)
        prefix, key = _new_key()
        async with self._sessions() as session:
            repo = ApiClientRepository(session)
            if await repo.by_name(name) is not None:
                raise ApiClientError(f"a client named {name!r} exists already")
            client = ApiClient(
                name=name, key_prefix=prefix, key_hash=hash_key(key),
                scopes=sorted(set(scopes)), provinces=list(clean_provinces),
                rate_limit_per_minute=rate_limit_per_minute, created_at=utcnow(),
            )
            repo.add(client)
            await session.commit()
            return _summary(client), key

    async def all(self) -> list[ClientSummary]:
        async with self._sessions() as session:
            return [_summary(c) for c in await ApiClientRepository(session).all()]

    async def revoke(self, name: str) -> ClientSummary:
        async with self._sessions() as session:
            client = await self._named(session, name)
            if client.revoked_at is None:
                client.revoked_at = utcnow()
            await session.commit()
            return _summary(client)

    async def rotate(self, name: str) -> tuple[ClientSummary, str]:
        """A new key for the client; the old one stops working at once. A revoked client
        stays revoked (create a new one)."""
        async with self._sessions() as session:
            client = await self._named(session, name)
            if client.revoked_at is not None:
                raise ApiClientError(f"client {name!r} is revoked; create a new one")
            prefix, key = _new_key()
            client.key_prefix, client.key_hash, client.rotated_at = prefix, hash_key(key), utcnow()
            await session.commit()
            return _summary(client), key

    async def _named(self, session: AsyncSession, name: str) -> ApiClient:
        client = await ApiClientRepository(session).by_name(name)
        if client is None:
            raise ApiClientError(f"no client named {name!r}")
        return client

    async def authenticate(self, key: str) -> ClientIdentity | None:
        """The client of a key; None for a malformed, unknown, rotated-away or revoked key."""
        match = KEY_PATTERN.match(key)
        if match is None:
            return None
        async with self._sessions() as session:
            client = await ApiClientRepository(session).by_prefix(match.group(1))
        if client is None or client.revoked_at is not None:
            return None
        if not hmac.compare_digest(client.key_hash, hash_key(key)):
            return None
        return identity_of(client)

    async def audit_table(
        self, since: dt.datetime | None, timezone: dt.tzinfo
    ) -> tuple[tuple[str, ...], list[list[str]]]:
        """Every audit row at or after `since`: client, action, resource, UTC and Jalali time."""
        async with self._sessions() as session:
            rows = await ApiClientRepository(session).audit_rows(
                since.astimezone(dt.UTC) if since else None
            )
        table: list[list[str]] = []
        for name, action, resource, at in rows:
            at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # SQLite: naive, stored UTC
            local = at.astimezone(timezone)
            table.append([
                name, action, resource, at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                f"{to_jalali_text(local.date())} {local:%H:%M:%S}",
            ])
        columns = ("client", "action", "resource", "at_utc", "at_jalali")
        return columns, table


async def write_audit(
    session: AsyncSession, client: ClientIdentity, action: str, resource: str
) -> None:
    """One audit row in the caller's transaction (the caller commits)."""
    ApiClientRepository(session).audit(client.id, action, resource)
