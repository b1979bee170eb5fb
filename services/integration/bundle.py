"""The connected systems' services, as one field of Services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications import ApplicationService
from services.catalog_import.importer import OpeningsRecorder
from services.exams import ExamService
from services.integration.applications import IntegrationApplications
from services.integration.courses import IntegrationCourses
from services.integration.exams import IntegrationExams
from services.integration.job_leads import IntegrationJobLeads
from services.integration.people import IntegrationPeople
from services.integration.tickets import IntegrationTickets
from services.job_leads import JobLeadService
from storage.documents import DocumentStore


@dataclass(frozen=True, slots=True)
class Integration:
    applications: IntegrationApplications
    courses: IntegrationCourses
    people: IntegrationPeople
    tickets: IntegrationTickets
    exams: IntegrationExams
    job_leads: IntegrationJobLeads


def build_integration(
    session_factory: async_sessionmaker[AsyncSession],
    applications: ApplicationService,
    document_store: DocumentStore,
    exams: ExamService,
    job_leads: JobLeadService,
    *,
    openings: OpeningsRecorder | None = None,
) -> Integration:
    return Integration(
        applications=IntegrationApplications(session_factory, applications, document_store),
        courses=IntegrationCourses(session_factory, openings),
        people=IntegrationPeople(session_factory),
        tickets=IntegrationTickets(session_factory),
        exams=IntegrationExams(session_factory, exams),
        job_leads=IntegrationJobLeads(session_factory, job_leads),
    )
