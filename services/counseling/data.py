"""The shapes of the counseling data files (data/counseling/*.json, data/province_neighbors.json).

Counselors edit these files by hand, so the models are strict: wrong types, unknown keys (a typo
like "wieghts") and empty texts are errors, never silently ignored. Rules that need more than one
file (a weight naming an unknown field, a province outside the 31) live in the loader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

MIN_QUESTIONS = 8
MAX_QUESTIONS = 12
MIN_OPTIONS = 2
MAX_OPTIONS = 8
MIN_WEIGHT = -10
MAX_WEIGHT = 10
MIN_DEMAND = 0.5
MAX_DEMAND = 2.0
# The three best fields are shown, so there must be at least three to choose from.
MIN_FIELDS = 3

# Ids travel in callback data (64 bytes in all), so they are short plain slugs.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
# The version is stored with every result (String(32)).
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Weight = Annotated[int, Field(ge=MIN_WEIGHT, le=MAX_WEIGHT)]
Factor = Annotated[float, Field(ge=MIN_DEMAND, le=MAX_DEMAND)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Localized(_Strict):
    fa: Text
    en: Text

    def in_locale(self, locale: str | None) -> str:
        return self.en if locale == "en" else self.fa


class OptionModel(_Strict):
    id: str
    text: Localized
    weights: dict[str, Weight]
    # Choosing it means "courses must be near home": only the home province and its
    # neighbours are offered (or the person is told plainly that none is near).
    near_home: bool = False


class QuestionModel(_Strict):
    id: str
    text: Localized
    options: list[OptionModel]
    # Registration already asks education: profile education level -> option id. A person
    # whose profile has one of these levels is not asked this question.
    from_education: dict[str, str] = {}

    def option(self, option_id: str) -> OptionModel | None:
        return next((o for o in self.options if o.id == option_id), None)


class QuestionnaireFile(_Strict):
    note: str = ""
    version: str
    questions: list[QuestionModel]


class FieldModel(_Strict):
    id: str
    name: Localized
    # Course.cluster_fa values of the catalog that teach this field.
    clusters: list[Text]
    # One plain sentence with an {answers} placeholder (the answers that counted most).
    why: Localized


class FieldsFile(_Strict):
    note: str = ""
    fields: list[FieldModel]


class DemandFile(_Strict):
    note: str = ""
    default: Factor
    provinces: dict[str, dict[str, Factor]]


class NeighboursFile(RootModel[dict[str, list[str]]]):
    model_config = ConfigDict(strict=True, frozen=True)


@dataclass(frozen=True, slots=True)
class CounselingData:
    """Everything the questionnaire, the scoring and the course suggestions need, validated."""

    version: str
    questions: tuple[QuestionModel, ...]
    fields: tuple[FieldModel, ...]
    # province -> field id -> factor; absent entries use default_demand.
    demand: dict[str, dict[str, Decimal]]
    default_demand: Decimal
    # province -> neighbouring provinces, nearest (or easiest to reach) first.
    neighbours: dict[str, tuple[str, ...]]

    def question(self, question_id: str) -> QuestionModel | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def wants_near_home(self, answers: dict[str, str]) -> bool:
        """One of the answers is an option marked near_home."""
        for question in self.questions:
            chosen = question.option(answers.get(question.id, ""))
            if chosen is not None and chosen.near_home:
                return True
        return False

    def field(self, field_id: str) -> FieldModel | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def demand_factor(self, province: str | None, field_id: str) -> Decimal:
        if province is None:
            return self.default_demand
        return self.demand.get(province, {}).get(field_id, self.default_demand)
