"""People by national code, for clients with the people:read scope: the profile and the
applications they sent (of the client's provinces). Every lookup is audited by person id (the
audit never holds the national code)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api_clients import ClientIdentity, write_audit
from services.applications import Applicant
from services.applications.views import applicant_of
from services.integration.errors import IntegrationInvalid, IntegrationNotFound
from services.validators import ValidationError, validate_national_code
from storage.models import Application
from storage.repositories.api_reads import ApiReadRepository
from storage.repositories.persons import PersonRepository


@dataclass(frozen=True, slots=True)
class PersonRecord:
    applicant: Applicant
    registered: bool
    applications: tuple[Application, ...]


class IntegrationPeople:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = session_factory

    async def lookup(self, client: ClientIdentity, national_code: str) -> PersonRecord:
        try:
            code = validate_national_code(national_code)
        except ValidationError as error:
            raise IntegrationInvalid(
                "invalid-national-code", "not a valid national code", reason_code=error.code
            ) from None
        async with self._sessions() as session:
            person = await PersonRepository(session).by_national_code(code)
            if person is None or not client.can_see_province(person.province):
                raise IntegrationNotFound("person")
            applications = [
                app for app in await ApiReadRepository(session).applications_of(person.id)
                if client.can_see_province(app.province)
            ]
            await write_audit(session, client, "person.lookup", f"person:{person.id}")
            await session.commit()
            return PersonRecord(
                applicant_of(person), person.registered_at is not None, tuple(applications)
            )
