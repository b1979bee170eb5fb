"""Job leads and the people interested in one."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from api.http import utc
from services.job_leads import LeadView
from services.job_leads.model import InterestedPerson


class JobLeadOut(BaseModel):
    id: int
    title: str = Field(examples=["خیاط ماهر"])
    employer: str = Field(examples=["تولیدی پوشاک نگین"])
    province: str = Field(examples=["تهران"])
    city: str | None = Field(examples=["شهریار"])
    fields: list[str] = Field(description="Fields of work (the catalog's)", examples=[["پوشاک"]])
    wage: str | None = Field(examples=["حقوق پایه وزارت کار به‌علاوه بیمه"])
    deadline: dt.date = Field(description="The last day to apply (Gregorian)")
    how_to_apply: str = Field(examples=["تماس با ۰۲۱۶۶۰۰۰۰۰۰ در ساعات اداری"])
    created_at: dt.datetime
    open: bool = Field(description="Not withdrawn and its deadline not passed")


class JobLeadList(BaseModel):
    items: list[JobLeadOut]
    next_cursor: str | None = Field(description="Absent on the last page")


class JobLeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120, examples=["خیاط ماهر"])
    employer: str = Field(min_length=1, max_length=120, examples=["تولیدی پوشاک نگین"])
    province: str = Field(min_length=1, max_length=64, examples=["تهران"])
    city: str | None = Field(default=None, max_length=80, examples=["شهریار"])
    fields: list[str] = Field(min_length=1, max_length=5,
                              description="Fields of work as the course catalog names them",
                              examples=[["پوشاک"]])
    wage: str | None = Field(default=None, max_length=120,
                             examples=["حقوق پایه وزارت کار به‌علاوه بیمه"])
    deadline: dt.date = Field(description="The last day to apply, today or later (Gregorian, "
                                          "ISO 8601)", examples=["2027-01-20"])
    how_to_apply: str = Field(min_length=1, max_length=1000,
                              examples=["تماس با ۰۲۱۶۶۰۰۰۰۰۰ در ساعات اداری"])


class PostedLeadOut(BaseModel):
    lead: JobLeadOut
    matched: int = Field(description="People whose province and field match: each is told in "
                                     "their next job-lead notice")


class InterestedOut(BaseModel):
    full_name: str | None = Field(examples=["زهرا احمدی"])
    phone: str | None = Field(default=None, description="Only with people:read",
                              examples=["09121234567"])
    province: str | None = Field(examples=["تهران"])
    city: str | None = Field(examples=["شهریار"])
    at: dt.datetime = Field(description="When they said they are interested")
    ticket_id: int | None = Field(description="The hand-off ticket the staff were told in")


class InterestedList(BaseModel):
    lead: JobLeadOut
    people: list[InterestedOut]


def lead_of(view: LeadView) -> JobLeadOut:
    return JobLeadOut(
        id=view.id, title=view.title, employer=view.employer, province=view.province,
        city=view.city, fields=list(view.fields), wage=view.wage_text, deadline=view.deadline,
        how_to_apply=view.how_to_apply, created_at=utc(view.created_at) or view.created_at,
        open=view.open,
    )


def interested_of(person: InterestedPerson, phones: bool) -> InterestedOut:
    return InterestedOut(
        full_name=person.full_name, phone=person.phone if phones else None,
        province=person.province, city=person.city, at=utc(person.at) or person.at,
        ticket_id=person.ticket_id,
    )
