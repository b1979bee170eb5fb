"""The phone rules of the registration draft: a shared contact verifies only the sender's own
number; a typed number is never verified, and replacing a verified number unverifies it."""

from __future__ import annotations

import pytest

from services.registration import ProfileDraft
from services.validators import ValidationError


def test_own_contact_verifies_the_number() -> None:
    draft = ProfileDraft()
    draft.set_contact_phone("+98 912 123 4567", contact_user_id=42, sender_id=42)
    assert (draft.phone, draft.phone_verified) == ("09121234567", True)


@pytest.mark.parametrize("contact_user_id, sender_id", [(7, 42), (None, 42), (42, None)])
def test_someone_elses_contact_changes_nothing(
    contact_user_id: int | None, sender_id: int | None
) -> None:
    draft = ProfileDraft(phone="09350000000", phone_verified=True)
    with pytest.raises(ValidationError) as error:
        draft.set_contact_phone(
            "09121234567", contact_user_id=contact_user_id, sender_id=sender_id
        )
    assert error.value.code == "contact.not_yours"
    assert (draft.phone, draft.phone_verified) == ("09350000000", True)


def test_own_contact_with_a_foreign_number_is_refused() -> None:
    draft = ProfileDraft()
    with pytest.raises(ValidationError) as error:
        draft.set_contact_phone("+1 202 555 0100", contact_user_id=42, sender_id=42)
    assert error.value.code == "mobile.invalid"
    assert (draft.phone, draft.phone_verified) == (None, False)


def test_a_typed_number_is_kept_unverified() -> None:
    draft = ProfileDraft()
    draft.set_typed_phone("۰۹۱۲ ۱۲۳ ۴۵۶۷")
    assert (draft.phone, draft.phone_verified) == ("09121234567", False)


def test_typing_another_number_resets_verification() -> None:
    draft = ProfileDraft(phone="09121234567", phone_verified=True)
    draft.set_typed_phone("09350000000")
    assert (draft.phone, draft.phone_verified) == ("09350000000", False)


def test_retyping_the_verified_number_keeps_it_verified() -> None:
    draft = ProfileDraft(phone="09121234567", phone_verified=True)
    draft.set_typed_phone("0912-123-4567")
    assert (draft.phone, draft.phone_verified) == ("09121234567", True)


def test_a_bad_typed_number_changes_nothing() -> None:
    draft = ProfileDraft(phone="09121234567", phone_verified=True)
    with pytest.raises(ValidationError):
        draft.set_typed_phone("12345")
    assert (draft.phone, draft.phone_verified) == ("09121234567", True)
