"""Enrolled applications (moved through the API as a connected system would), exam sessions'
and job leads' bodies for the API tests."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.container import Services
from tests.api.conftest import Key
from tests.api.data import Made, submitted_in


async def post(
    http: httpx.AsyncClient, key: Key, path: str, body: dict[str, object] | None, idem: str
) -> httpx.Response:
    return await http.post(path, json=body, headers={**key.headers, "Idempotency-Key": idem})


async def enrolled_in(
    http: httpx.AsyncClient, key: Key, services: Services,
    sessions: async_sessionmaker[AsyncSession], province: str = "تهران", **person: object,
) -> Made:
    """A person of `province` enrolled in the province's test course (API<n>); `key` needs
    applications:write."""
    made = await submitted_in(services, sessions, province, **person)
    for target in ("under_review", "approved", "enrolled"):
        answer = await post(http, key, f"/v1/applications/{made.tracking_code}/transitions",
                            {"to": target}, f"enrol-{made.tracking_code}-{target}")
        assert answer.status_code == 200, answer.text
    return made


def ahead(**delta: float) -> str:
    """An RFC 3339 start in Tehran's offset, `delta` from now."""
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    moment = dt.datetime.now(tehran).replace(microsecond=0) + dt.timedelta(**delta)
    return moment.isoformat()


def session_body(course_code: str, starts_at: str, **extra: object) -> dict[str, object]:
    return {"course_code": course_code, "kind": "written", "starts_at": starts_at,
            "place": "مرکز آموزش فنی و حرفه‌ای شماره ۱، خیابان آزادی", "capacity": 30,
            **extra}


async def count(sessions: async_sessionmaker[AsyncSession], model: type, **where: object) -> int:
    async with sessions() as session:
        stmt = select(func.count()).select_from(model).filter_by(**where)
        return int(await session.scalar(stmt) or 0)


FIELD = "صنایع پوشاک"  # the test courses' cluster (tests/applications/helpers.add_course)


def lead_body(**extra: object) -> dict[str, object]:
    deadline = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    return {"title": "خیاط ماهر", "employer": "تولیدی پوشاک نگین", "province": "تهران",
            "city": "شهریار", "fields": [FIELD], "wage": "حقوق پایه و بیمه",
            "deadline": deadline, "how_to_apply": "تماس با دفتر تولیدی در ساعات اداری",
            **extra}
