"""People by national code."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from api.http import utc
from api.schemas.applications import ApplicantOut
from services.integration import PersonRecord


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    national_code: str = Field(
        min_length=1, max_length=20, description="Persian, Arabic or Latin digits",
        examples=["۰۰۱۲۳۴۵۶۷۹"],
    )


class PersonApplication(BaseModel):
    tracking_code: str | None = Field(examples=["HMN-1405-000123"])
    program: str = Field(examples=["hamnava"])
    status: str = Field(examples=["approved"])
    province: str | None = Field(examples=["تهران"])
    submitted_at: dt.datetime | None


class PersonOut(BaseModel):
    registered: bool
    profile: ApplicantOut
    applications: list[PersonApplication]


def person_of(record: PersonRecord) -> PersonOut:
    a = record.applicant
    return PersonOut(
        registered=record.registered,
        profile=ApplicantOut(
            full_name=a.full_name, national_code=a.national_code, phone=a.phone,
            relief_client_number=a.relief_client_number, birth_date=a.birth_date,
            gender=a.gender, province=a.province, city=a.city, education=a.education,
            relief_client=a.relief_client, decile=a.decile,
        ),
        applications=[
            PersonApplication(
                tracking_code=app.tracking_code, program=app.program, status=app.status,
                province=app.province, submitted_at=utc(app.submitted_at),
            )
            for app in record.applications
        ],
    )
