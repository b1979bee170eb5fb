"""The order of the registration questions and the way back from the review (services only)."""

from services.registration import STEPS, ProfileDraft


def _complete(**changes: object) -> ProfileDraft:
    draft = ProfileDraft(
        consent=True, phone="09121234567", phone_verified=True, full_name="مریم احمدی",
        national_code="0012345679", birth_date="1999-07-03", gender="female", province="تهران",
        city="تهران", education="primary", relief_client=False, decile=None,
        decile_answered=True,
    )
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def test_questions_come_in_order_and_a_new_draft_starts_with_consent() -> None:
    draft = ProfileDraft()
    assert draft.next_step() == "consent"
    asked = []
    answers = {
        "consent": True, "phone": "09121234567", "full_name": "x", "national_code": "0012345679",
        "birth_date": "1999-07-03", "gender": "male", "province": "قم", "city": "قم",
        "education": "diploma", "relief_client": True, "relief_client_number": "1234",
        "decile": 3,
    }
    while (step := draft.next_step()) != "review":
        asked.append(step)
        setattr(draft, step, answers[step])
        if step == "decile":
            draft.decile_answered = True
    assert asked == [s for s in STEPS if s != "review"]
    assert draft.complete


def test_client_number_is_skipped_for_non_clients() -> None:
    draft = _complete()
    assert draft.complete
    assert draft.next_step() == "review"
    assert draft.answered("relief_client_number")


def test_dont_know_decile_counts_as_an_answer() -> None:
    assert _complete(decile=None, decile_answered=True).complete
    assert not _complete(decile=None, decile_answered=False).complete


def test_editing_returns_to_review_unless_a_new_question_opened() -> None:
    draft = _complete(editing=True, city="قم")
    assert draft.next_step() == "review"
    # "Yes, I am a client" from the review: the client number must be asked before going back.
    draft.relief_client = True
    assert draft.next_step() == "relief_client_number"
    draft.relief_client_number = "123456"
    assert draft.next_step() == "review"


def test_json_round_trip_ignores_unknown_keys() -> None:
    draft = _complete()
    data = draft.to_json() | {"from_an_older_release": 1}
    assert ProfileDraft.from_json(data) == draft
    assert ProfileDraft.from_json(None) == ProfileDraft()
