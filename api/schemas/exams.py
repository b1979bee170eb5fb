"""Exam sessions, a session's roll, attendance, results and certificates."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from api.http import utc
from services.exams import CertificateView, RollLine, SessionView

KindName = Literal["written", "practical"]
StateName = Literal["scheduled", "cancelled"]
TRACKING = Field(min_length=1, max_length=40, examples=["HMN-1405-000123"])


class ExamSessionOut(BaseModel):
    id: int
    course_code: str = Field(examples=["TVT-1021"])
    course_title: str = Field(examples=["خیاطی زنانه"])
    province: str | None = Field(examples=["تهران"])
    kind: KindName
    starts_at: dt.datetime = Field(description="UTC")
    place: str = Field(examples=["مرکز آموزش فنی و حرفه‌ای شماره ۱ تهران، خیابان آزادی"])
    latitude: float | None
    longitude: float | None
    capacity: int = Field(examples=[30])
    state: StateName
    version: int = Field(description="Grows with every move or cancellation")


class ExamSessionList(BaseModel):
    items: list[ExamSessionOut]
    next_cursor: str | None = Field(description="Absent on the last page")


class ExamSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course_code: str = Field(min_length=1, max_length=32, examples=["TVT-1021"])
    kind: KindName = Field(examples=["written"])
    starts_at: AwareDatetime = Field(
        description="RFC 3339 with its offset (a time without one is refused: Tehran or UTC "
                    "cannot be guessed); must lie ahead", examples=["2027-01-10T09:30:00+03:30"],
    )
    place: str = Field(min_length=1, max_length=500,
                       examples=["مرکز آموزش فنی و حرفه‌ای شماره ۱ تهران، خیابان آزادی"])
    capacity: int = Field(gt=0, le=100_000, examples=[30])
    latitude: float | None = Field(default=None, ge=-90, le=90, examples=[35.6997])
    longitude: float | None = Field(default=None, ge=-180, le=180, examples=[51.338])


class ExamMoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime = Field(description="The new start (RFC 3339 with offset)",
                                     examples=["2027-01-12T10:00:00+03:30"])
    place: str | None = Field(default=None, min_length=1, max_length=500,
                              description="A new place; absent: the same",
                              examples=["مرکز شماره ۲ تهران"])


class SessionChangeOut(BaseModel):
    session: ExamSessionOut
    told: int = Field(description="Enrolled people told through their messengers")


class RollLineOut(BaseModel):
    tracking_code: str | None = Field(examples=["HMN-1405-000123"])
    full_name: str = Field(examples=["زهرا احمدی"])
    answer: Literal["attend", "absent"] | None = Field(
        description="The person's own answer to the notice")
    attended: bool | None = Field(description="Marked by staff or a connected system")
    passed: bool | None
    score: int | None


class RollOut(BaseModel):
    session: ExamSessionOut
    people: list[RollLineOut]


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tracking_code: str = TRACKING
    attended: bool


class AttendanceOut(BaseModel):
    session_id: int
    tracking_code: str = Field(examples=["HMN-1405-000123"])
    attended: bool


class ResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tracking_code: str = TRACKING
    passed: bool
    score: int | None = Field(default=None, ge=0, le=100, examples=[85])


class ResultOut(BaseModel):
    session_id: int
    tracking_code: str = Field(examples=["HMN-1405-000123"])
    kind: KindName
    passed: bool
    score: int | None
    next_step: Literal["practical", "retake_written", "certificate", "retake_practical"] = (
        Field(description="What the person was told comes next"))


class CertificateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tracking_code: str = TRACKING
    number: str = Field(min_length=1, max_length=40, examples=["TV-1405-0001"])
    issued_on: dt.date | None = Field(default=None,
                                      description="Absent: today in the service's time zone")


class CertificateOut(BaseModel):
    id: int
    number: str = Field(examples=["TV-1405-0001"])
    issued_on: dt.date
    tracking_code: str | None = Field(examples=["HMN-1405-000123"])
    course_code: str = Field(examples=["TVT-1021"])
    standard_code: str = Field(examples=["7531-23-001-1"])
    title: str = Field(examples=["خیاطی زنانه"])


class CertificateList(BaseModel):
    items: list[CertificateOut]


def session_of(view: SessionView) -> ExamSessionOut:
    return ExamSessionOut(
        id=view.id, course_code=view.course_code, course_title=view.course_title,
        province=view.province, kind=view.kind,  # type: ignore[arg-type]
        starts_at=utc(view.starts_at) or view.starts_at, place=view.place,
        latitude=view.latitude, longitude=view.longitude, capacity=view.capacity,
        state=view.state, version=view.version,  # type: ignore[arg-type]
    )


def roll_line_of(line: RollLine) -> RollLineOut:
    return RollLineOut(
        tracking_code=line.tracking_code, full_name=line.name,
        answer=line.answer,  # type: ignore[arg-type]
        attended=line.attended, passed=line.passed, score=line.score,
    )


def certificate_of(view: CertificateView, tracking_code: str | None) -> CertificateOut:
    return CertificateOut(
        id=view.id, number=view.number, issued_on=view.issued_on, tracking_code=tracking_code,
        course_code=view.course_code, standard_code=view.standard_code, title=view.title,
    )
