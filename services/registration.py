"""Registration: the profile a beneficiary fills in, and how it joins (or refuses to join) a person.

A person may use Telegram and Bale. Registering on the second messenger links the new account to
the existing person only when the national code AND a verified phone both match; any other
collision on the national code is recorded for a caseworker (the staff groups are alerted in the
same transaction) and nothing is merged."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import validators
from services.staff_alerts import NO_STAFF_CHATS, StaffChats
from services.tickets.identity import open_conflict_ticket
from storage.db import read_sessions
from storage.models import Person, utcnow
from storage.repositories.persons import PersonRepository

GENDERS = ("female", "male")
DECILES = tuple(range(1, 11))

# The order of the questions; each name is also the draft field it fills.
STEPS = (
    "consent",
    "phone",
    "full_name",
    "national_code",
    "birth_date",
    "gender",
    "province",
    "city",
    "education",
    "relief_client",
    "relief_client_number",
    "decile",
    "review",
)


@dataclass
class ProfileDraft:
    """Answers collected so far. Kept as plain JSON in the conversation state between steps."""

    consent: bool = False
    phone: str | None = None
    phone_verified: bool = False
    full_name: str | None = None
    national_code: str | None = None
    birth_date: str | None = None  # ISO Gregorian date
    gender: str | None = None
    province: str | None = None
    city: str | None = None
    education: str | None = None
    relief_client: bool | None = None
    relief_client_number: str | None = None
    # A client who does not know their number: stored as client with no number.
    relief_client_number_unknown: bool = False
    decile: int | None = None
    decile_answered: bool = False
    step: str = "consent"
    # While editing from the review screen, every answer returns to the review.
    editing: bool = False
    # Filled from the profile stored through another messenger (RegistrationService.recognise).
    recognised: bool = False

    def to_json(self) -> dict[str, Any]:
        # Every field is a plain value: a shallow copy is what asdict's deep copy would give.
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ProfileDraft:
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_person(cls, person: Person) -> ProfileDraft:
        return cls(
            consent=person.consent_at is not None,
            phone=person.phone,
            phone_verified=person.phone_verified,
            full_name=person.full_name,
            national_code=person.national_code,
            birth_date=person.birth_date.isoformat() if person.birth_date else None,
            gender=person.gender,
            province=person.province,
            city=person.city,
            education=person.education,
            relief_client=person.relief_client,
            relief_client_number=person.relief_client_number,
            # A registered client without a number said «I don't know» (the form requires one
            # or the other), so the question stays answered when the profile is edited.
            relief_client_number_unknown=bool(
                person.is_registered and person.relief_client and not person.relief_client_number
            ),
            decile=person.decile,
            decile_answered=person.is_registered,
            step="review",
        )

    def set_typed_phone(self, text: str) -> None:
        """A typed number is kept but not verified: anyone can type any number. Retyping the
        number already verified keeps it verified. ValidationError if it is not a mobile."""
        phone = validators.validate_mobile(text)
        if phone != self.phone:
            self.phone_verified = False
        self.phone = phone

    def set_contact_phone(
        self, phone_number: str, *, contact_user_id: int | None, sender_id: int | None
    ) -> None:
        """A shared contact verifies the number, but only the sender's own contact: anyone can
        forward someone else's. ValidationError ("contact.not_yours", or the number's own
        error) and nothing changes otherwise."""
        if sender_id is None or contact_user_id != sender_id:
            raise validators.ValidationError("contact.not_yours")
        self.phone = validators.validate_mobile(phone_number)
        self.phone_verified = True

    def answered(self, step: str) -> bool:
        if step == "consent":
            return self.consent
        if step == "relief_client_number":
            return (
                self.relief_client is False
                or bool(self.relief_client_number)
                or self.relief_client_number_unknown
            )
        if step == "decile":
            return self.decile_answered
        if step == "review":
            return False
        return getattr(self, step) is not None

    def next_step(self) -> str:
        """The first unanswered question, or the review when everything is in.

        While editing from the review, an answer goes straight back to the review, unless it
        opened a new question (saying "yes, client" still needs the client number)."""
        if self.editing and self.complete:
            return "review"
        for step in STEPS:
            if not self.answered(step):
                return step
        return "review"

    @property
    def complete(self) -> bool:
        return all(self.answered(step) for step in STEPS if step != "review")


class Outcome(enum.Enum):
    SAVED = "saved"
    LINKED = "linked"  # joined an existing person registered on another messenger
    CONFLICT = "conflict"  # national code belongs to someone else: recorded, not merged


# The profile fields a person sees and may change; `changed` in a result names these.
PROFILE_FIELDS = tuple(step for step in STEPS if step not in ("consent", "review"))


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    outcome: Outcome
    person_id: int
    conflict_id: int | None = None
    # The person was registered before this save (a profile edit, a confirmed stored profile)
    # and these fields of it now hold new values: the person is told which.
    was_registered: bool = False
    changed: tuple[str, ...] = ()


class IncompleteProfileError(Exception):
    """The review was confirmed with a question unanswered (e.g. an old button)."""


class RegistrationService:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        staff_chats: StaffChats = NO_STAFF_CHATS,
    ) -> None:
        self.session_factory = session_factory
        self._reads = read_sessions(session_factory)
        # A recorded identity conflict is told to these staff groups (with its number only).
        self.staff_chats = staff_chats

    async def load_profile(self, person_id: int) -> ProfileDraft | None:
        async with self._reads() as session:
            person = await PersonRepository(session).get(person_id)
            if person is None or not person.is_registered:
                return None
            return ProfileDraft.from_person(person)

    async def recognise(self, *, person_id: int, draft: ProfileDraft) -> ProfileDraft | None:
        """The same human registered on another messenger: the national code of a registered
        person AND the same verified phone. Then this account joins that person at once and
        the stored profile comes back (marked `recognised`) for the person to confirm or
        change, instead of answering every question again. None otherwise (a conflict, if it
        is one, is recorded when the registration is saved)."""
        if not draft.national_code or not draft.phone_verified:
            return None
        async with self.session_factory() as session:
            persons = PersonRepository(session)
            me = await persons.get(person_id)
            owner = await persons.by_national_code(draft.national_code)
            if (
                me is None
                or me.is_registered  # never fold a registered person into another
                or owner is None
                or owner.id == me.id
                or not owner.is_registered
                or not _same_verified_phone(owner, draft)
            ):
                return None
            await persons.move_accounts(me.id, owner.id)
            await persons.delete(me)
            stored = ProfileDraft.from_person(owner)
            await session.commit()
        stored.recognised = True
        return stored

    async def complete(
        self, *, account_id: int, person_id: int, draft: ProfileDraft
    ) -> RegistrationResult:
        if not draft.complete:
            raise IncompleteProfileError
        async with self.session_factory() as session:
            persons = PersonRepository(session)
            me = await persons.get(person_id)
            if me is None:
                raise LookupError(f"person {person_id} vanished")
            owner = await persons.by_national_code(draft.national_code or "")
            if owner is not None and owner.id != me.id:
                if _same_verified_phone(owner, draft):
                    changed = _changes(owner, draft)
                    _apply(owner, draft)
                    await persons.move_accounts(me.id, owner.id)
                    await persons.delete(me)
                    await session.commit()
                    return RegistrationResult(
                        Outcome.LINKED, owner.id, was_registered=True, changed=changed
                    )
                conflict = await persons.add_conflict(
                    account_id=account_id,
                    existing_person_id=owner.id,
                    national_code=draft.national_code,
                    phone=draft.phone,
                    reason="national_code_taken",
                )
                # Same transaction: «a caseworker has been told» is true (the ticket's first line
                # in its staff chat is the alert), and the person can write to them there.
                await open_conflict_ticket(
                    session, self.staff_chats, person_id=me.id, account_id=account_id,
                    province=draft.province, conflict_id=conflict.id,
                )
                await session.commit()
                return RegistrationResult(Outcome.CONFLICT, me.id, conflict.id)
            was_registered = me.is_registered
            changed = _changes(me, draft) if was_registered else ()
            _apply(me, draft)
            await session.commit()
            return RegistrationResult(
                Outcome.SAVED, me.id, was_registered=was_registered, changed=changed
            )


def _changes(person: Person, draft: ProfileDraft) -> tuple[str, ...]:
    """The profile fields the draft would change on a registered person."""
    old = ProfileDraft.from_person(person).to_json()
    new = draft.to_json()
    if not draft.relief_client:  # _apply keeps no client number for a non-client
        new["relief_client_number"] = None
    return tuple(name for name in PROFILE_FIELDS if old[name] != new[name])


def _same_verified_phone(owner: Person, draft: ProfileDraft) -> bool:
    return bool(
        owner.phone_verified and draft.phone_verified and owner.phone and owner.phone == draft.phone
    )


def _apply(person: Person, draft: ProfileDraft) -> None:
    person.phone = draft.phone
    person.phone_verified = draft.phone_verified
    person.full_name = draft.full_name
    person.national_code = draft.national_code
    person.birth_date = dt.date.fromisoformat(draft.birth_date) if draft.birth_date else None
    person.gender = draft.gender
    person.province = draft.province
    person.city = draft.city
    person.education = draft.education
    person.relief_client = draft.relief_client
    person.relief_client_number = draft.relief_client_number if draft.relief_client else None
    person.decile = draft.decile
    now = utcnow()
    if person.consent_at is None:
        person.consent_at = now
    if person.registered_at is None:
        person.registered_at = now
