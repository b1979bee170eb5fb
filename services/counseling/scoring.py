"""Which fields of work fit a person's answers. Pure functions: no database, no messenger.

The rule, kept simple so a counselor can predict it from the data files:

1. raw(field) = the sum, over the answered questions, of the chosen option's weight for the field
   (a weight the option does not list counts 0). Constraints are weights too: "no physical work"
   gives physical fields large negative weights; -10 all but rules a field out.
2. score(field) = raw(field) x demand(province, field) when raw > 0, else raw unchanged.
   Demand (demand.json) raises or lowers how well a fitting field ranks in the person's
   province; it never turns a poor fit into a good one, nor deepens a penalty.
3. Fields are ranked by score, highest first; equal scores keep the order of fields.json.
   Decimal arithmetic, so 6 x 1.2 equals 7.2 x 1.0 exactly and ties are real ties.
4. The reasons for a field are the answers that gave it a positive weight, largest weight
   first (then question order), at most MAX_REASONS of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from services.counseling.data import CounselingData

TOP_COUNT = 3
MAX_REASONS = 2


@dataclass(frozen=True, slots=True)
class FieldScore:
    field_id: str
    raw: int
    score: Decimal
    # (question id, option id) of the answers that counted most for this field, best first.
    reasons: tuple[tuple[str, str], ...]


class UnknownAnswerError(ValueError):
    """An answer names a question or option the questionnaire does not have."""


def rank_fields(
    data: CounselingData, answers: Mapping[str, str], province: str | None
) -> list[FieldScore]:
    """Every field with its score, best first (see the module docstring for the rule)."""
    raw = {field.id: 0 for field in data.fields}
    contributions: dict[str, list[tuple[int, int, str, str]]] = {f.id: [] for f in data.fields}
    for position, question in enumerate(data.questions):
        option_id = answers.get(question.id)
        if option_id is None:
            continue
        option = question.option(option_id)
        if option is None:
            raise UnknownAnswerError(f"question {question.id!r} has no option {option_id!r}")
        for field_id, weight in option.weights.items():
            raw[field_id] += weight
            if weight > 0:
                contributions[field_id].append((-weight, position, question.id, option.id))
    unknown = set(answers) - {q.id for q in data.questions}
    if unknown:
        raise UnknownAnswerError(f"no such questions: {sorted(unknown)}")

    scored = []
    for order, field in enumerate(data.fields):
        value = Decimal(raw[field.id])
        if value > 0:
            value *= data.demand_factor(province, field.id)
        reasons = tuple((q, o) for _, _, q, o in sorted(contributions[field.id])[:MAX_REASONS])
        scored.append((-value, order, FieldScore(field.id, raw[field.id], value, reasons)))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in scored]


def top_fields(
    data: CounselingData,
    answers: Mapping[str, str],
    province: str | None,
    count: int = TOP_COUNT,
) -> list[FieldScore]:
    return rank_fields(data, answers, province)[:count]
