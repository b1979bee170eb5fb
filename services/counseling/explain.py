"""The one plain sentence that says why a field was suggested, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from services.counseling.data import CounselingData

_QUOTES = {"fa": ("«", "»"), "en": ("“", "”")}
_AND = {"fa": " و ", "en": " and "}
_COMMA = {"fa": "، ", "en": ", "}


def why_sentence(
    data: CounselingData,
    field_id: str,
    reasons: Sequence[Sequence[str]],
    locale: str | None,
) -> str | None:
    """The field's `why` template with the answers that counted most; None when none of those
    answers exists in this questionnaire (a field or an answer from an older version)."""
    field = data.field(field_id)
    if field is None:
        return None
    lang = "en" if locale == "en" else "fa"
    opening, closing = _QUOTES[lang]
    answers: list[str] = []
    for reason in reasons:
        if len(reason) != 2:
            continue
        question = data.question(reason[0])
        option = question.option(reason[1]) if question is not None else None
        if option is not None:
            answers.append(f"{opening}{option.text.in_locale(lang)}{closing}")
    if not answers:
        return None
    joined = answers[0] if len(answers) == 1 else (
        _COMMA[lang].join(answers[:-1]) + _AND[lang] + answers[-1]
    )
    return field.why.in_locale(lang).format(answers=joined)
