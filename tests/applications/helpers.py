"""Building blocks for application tests: people, courses, files, staff members."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.staff import StaffMember
from storage.models import Course, Person, utcnow
from tests.sample_files import jpeg_file, pdf_file, png_file

TODAY = dt.date(2026, 11, 26)  # 5 Azar 1405
PDF = pdf_file("helpers")
JPEG = jpeg_file("helpers")
PNG = png_file("helpers")

_codes = itertools.count(1_000_000_001)


def pdf(n: int) -> bytes:
    """A distinct small PDF with one page."""
    return pdf_file(f"helpers-{n}")


def jpeg(n: int) -> bytes:
    """A distinct small photo; stored as its re-encoded pixels (see stored_photo)."""
    return jpeg_file(f"helpers-{n}")


def stored_photo(data: bytes) -> bytes:
    """What the document checks keep of an uploaded photo: its pixels, re-encoded."""
    from services.documents import CheckedUpload, inspect_upload

    checked = inspect_upload(data, accepted=("image/jpeg", "image/png"), max_bytes=10**7)
    assert isinstance(checked, CheckedUpload), checked
    return checked.data


async def add_person(
    sessions: async_sessionmaker[AsyncSession], **overrides: Any
) -> int:
    values: dict[str, Any] = {
        "full_name": "زهرا احمدی",
        "national_code": str(next(_codes)),
        "phone": "09121234567",
        "phone_verified": True,
        "birth_date": dt.date(1995, 5, 1),
        "gender": "female",
        "province": "تهران",
        "city": "تهران",
        "education": "diploma",
        "relief_client": False,
        "decile": 3,
        "consent_at": utcnow(),
        "registered_at": utcnow(),
    }
    values.update(overrides)
    async with sessions() as session:
        person = Person(**values)
        session.add(person)
        await session.commit()
        return person.id


async def add_course(
    sessions: async_sessionmaker[AsyncSession], code: str, **overrides: Any
) -> None:
    values: dict[str, Any] = {
        "course_code": code,
        "standard_code": "7531-13-001-1",
        "title_fa": "خیاط لباس زنانه",
        "title_en": "Women's garment tailor",
        "cluster_fa": "صنایع پوشاک",
        "province": "تهران",
        "city": "تهران",
        "center_name": "مرکز شماره ۱",
        "center_type": "government",
        "start_date": TODAY + dt.timedelta(days=30),
        "capacity": 20,
        "seats_taken": 0,
        "fee_rial": 50_000_000,
        "hamnava_coverage_pct": 70,
        "karafan": False,
        "dormitory": False,
        "delivery": "in_person",
    }
    values.update(overrides)
    async with sessions() as session:
        session.add(Course(**values))
        await session.commit()


def caseworker(*provinces: str, user_id: int = 501) -> StaffMember:
    return StaffMember(
        platform="telegram", user_id=user_id, is_admin=False, is_caseworker=True,
        provinces=frozenset(provinces),
    )


def admin(user_id: int = 900) -> StaffMember:
    return StaffMember(
        platform="bale", user_id=user_id, is_admin=True, is_caseworker=False, provinces=None
    )
