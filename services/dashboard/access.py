"""Who may open the dashboard: a one-time link asked of the bot, then a session cookie.

A link's token is `<random>.<signature>`: the signature (HMAC-SHA256 under the dashboard key)
turns a forged or mistyped token away without a database look-up; the database keeps only the
token's hash, its owner, its expiry and when it was used, so it opens one session, once.
A session is a random cookie whose hash is stored with its CSRF token and expiry. The staff
member's role and provinces are read afresh on every request: a caseworker removed or re-scoped
loses what they no longer may see at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.staff import StaffMember, StaffService
from storage.models import DashboardLink, DashboardSession, utcnow

LINK_MINUTES = 5


class NotStaff(Exception):
    """Only administrators and caseworkers get a link."""


class LinkRefusal(StrEnum):
    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"
    NOT_STAFF = "not_staff"


class LinkRefused(Exception):
    def __init__(self, reason: LinkRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class NewSession:
    cookie: str
    expires_at: dt.datetime
    member: StaffMember


@dataclass(frozen=True, slots=True)
class DashboardUser:
    member: StaffMember
    csrf_token: str
    session_id: int


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class DashboardAccess:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        staff: StaffService,
        key: bytes,
        *,
        session_hours: float = 8,
    ) -> None:
        if len(key) < 16:
            raise ValueError("the dashboard key must be at least 16 bytes")
        self._sessions = session_factory
        self._staff = staff
        self._key = key
        self.session_lifetime = dt.timedelta(hours=session_hours)
        self.link_lifetime = dt.timedelta(minutes=LINK_MINUTES)

    def _sign(self, nonce: str) -> str:
        digest = hmac.new(self._key, nonce.encode(), hashlib.sha256).digest()
        return digest[:18].hex()

    def _signed(self, token: str) -> bool:
        nonce, dot, signature = token.partition(".")
        if not dot or not nonce or len(token) > 200:
            return False
        return hmac.compare_digest(self._sign(nonce), signature)

    async def issue_link_token(
        self, platform: str, user_id: int, *, now: dt.datetime | None = None
    ) -> str:
        """A fresh token for a staff member's link; NotStaff for anyone else."""
        if await self._staff.member(platform, user_id) is None:
            raise NotStaff
        now = now or utcnow()
        nonce = secrets.token_urlsafe(32)
        token = f"{nonce}.{self._sign(nonce)}"
        async with self._sessions() as session:
            # Old links are worth nothing: they go as new ones are made.
            await session.execute(
                delete(DashboardLink).where(DashboardLink.expires_at < now - dt.timedelta(days=1))
            )
            session.add(DashboardLink(
                token_hash=_hash(token), platform=platform, user_id=user_id, created_at=now,
                expires_at=now + self.link_lifetime,
            ))
            await session.commit()
        return token

    async def redeem(self, token: str, *, now: dt.datetime | None = None) -> NewSession:
        """Open a session with a link's token, once; LinkRefused says why not."""
        if not self._signed(token):
            raise LinkRefused(LinkRefusal.FORGED)
        now = now or utcnow()
        token_hash = _hash(token)
        async with self._sessions() as session:
            # One statement claims the link: two tabs opening it at once get one session.
            claimed = await session.execute(
                update(DashboardLink)
                .where(
                    DashboardLink.token_hash == token_hash,
                    DashboardLink.used_at.is_(None),
                    DashboardLink.expires_at > now,
                )
                .values(used_at=now)
            )
            link = await session.scalar(
                select(DashboardLink).where(DashboardLink.token_hash == token_hash)
            )
            if claimed.rowcount != 1 or link is None:  # type: ignore[attr-defined]
                # Read before the rollback, which expires the row's attributes.
                reason = (
                    LinkRefusal.FORGED if link is None  # signed under this key, never issued
                    else LinkRefusal.USED if link.used_at is not None
                    else LinkRefusal.EXPIRED
                )
                await session.rollback()
                raise LinkRefused(reason)
            platform, user_id = link.platform, link.user_id
            member = await self._staff.member(platform, user_id)
            if member is None:
                await session.commit()  # the link is spent all the same
                raise LinkRefused(LinkRefusal.NOT_STAFF)
            cookie = secrets.token_urlsafe(32)
            expires_at = now + self.session_lifetime
            await session.execute(
                delete(DashboardSession).where(DashboardSession.expires_at < now)
            )
            session.add(DashboardSession(
                session_hash=_hash(cookie), platform=platform, user_id=user_id,
                csrf_token=secrets.token_urlsafe(32), created_at=now, expires_at=expires_at,
            ))
            await session.commit()
        return NewSession(cookie=cookie, expires_at=expires_at, member=member)

    async def user(
        self, cookie: str | None, *, now: dt.datetime | None = None
    ) -> DashboardUser | None:
        """The signed-in staff member of a session cookie; None when there is no live session or
        the account is staff no more."""
        if not cookie or len(cookie) > 200:
            return None
        now = now or utcnow()
        async with self._sessions() as session:
            row = await session.scalar(
                select(DashboardSession).where(DashboardSession.session_hash == _hash(cookie))
            )
        if row is None or _aware(row.expires_at) <= now:
            return None
        member = await self._staff.member(row.platform, row.user_id)
        if member is None:
            return None
        return DashboardUser(member=member, csrf_token=row.csrf_token, session_id=row.id)

    async def end(self, session_id: int) -> None:
        async with self._sessions() as session:
            await session.execute(delete(DashboardSession).where(DashboardSession.id == session_id))
            await session.commit()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive UTC datetimes."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
