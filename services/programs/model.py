"""The shape of a program definition file (data/programs/*.json), validated with pydantic.

Programs are data: an administrator replaces a file and restarts, no release. Everything a
program decides (who may apply, which courses count, what is asked, which papers are needed,
what is paid for) lives here; the code only knows the rule and question *kinds* below, so an
unknown kind in a file is an error at start, never a silent "always true".
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.education import EDUCATION_LEVELS

# The kinds of file the document store can sniff (services.documents.sniff_type).
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
QUESTION_TYPES = ("choice", "yes_no", "number", "text", "jalali_date")
_ID = r"^[a-z][a-z0-9_]{0,39}$"


class _Strict(BaseModel):
    # A misspelt key ("mandtory") must fail loudly, not fall back to a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """A text in Persian and English; both are required (the UI has both locales)."""

    fa: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def for_locale(self, locale: str | None) -> str:
        return self.en if locale == "en" else self.fa


# --- eligibility rules (about the person) -------------------------------------------------------


class DecileRule(_Strict):
    """The household income decile is one of `allowed` (a person who does not know fails)."""

    rule: Literal["decile"]
    allowed: tuple[int, ...] = Field(min_length=1)

    @field_validator("allowed")
    @classmethod
    def _deciles(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= d <= 10 for d in value):
            raise ValueError("deciles are 1..10")
        return value


class ReliefClientRule(_Strict):
    """The person is a client of the Imam Khomeini Relief Committee."""

    rule: Literal["relief_client"]


class AgeRule(_Strict):
    """Age in whole years on the day of the check, both ends included."""

    rule: Literal["age"]
    min: int | None = Field(default=None, ge=0, le=120)
    max: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _range(self) -> AgeRule:
        if self.min is None and self.max is None:
            raise ValueError("an age rule needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("age min is above max")
        return self


class EducationRule(_Strict):
    """At least this education level (services.education.EDUCATION_LEVELS order)."""

    rule: Literal["education"]
    min: str

    @field_validator("min")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in EDUCATION_LEVELS:
            raise ValueError(f"unknown education level {value!r}; known: {EDUCATION_LEVELS}")
        return value


class ProvinceRule(_Strict):
    """The person lives in one of these provinces (canonical names, services.provinces)."""

    rule: Literal["province"]
    allowed: tuple[str, ...] = Field(min_length=1)

    @field_validator("allowed")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from services.provinces import canonical_province

        unknown = [p for p in value if canonical_province(p) != p]
        if unknown:
            raise ValueError(f"unknown province name(s): {unknown}")
        return value


class AnyOfRule(_Strict):
    """Met when at least one of the inner rules is met ("deciles 1-4 OR a Relief client")."""

    rule: Literal["any_of"]
    rules: tuple[EligibilityRule, ...] = Field(min_length=2)


EligibilityRule = Annotated[
    DecileRule | ReliefClientRule | AgeRule | EducationRule | ProvinceRule | AnyOfRule,
    Field(discriminator="rule"),
]
AnyOfRule.model_rebuild()


# --- which courses qualify ------------------------------------------------------------------------


class HamnavaCoverageRule(_Strict):
    """The course's Hamnava fee coverage is at least `min_pct` percent."""

    rule: Literal["hamnava_coverage"]
    min_pct: int = Field(default=1, ge=1, le=100)


class KarafanTrackRule(_Strict):
    """The course is on the Karafan track (courses.karafan)."""

    rule: Literal["karafan_track"]


class DeliveryRule(_Strict):
    """The course is delivered in one of these ways ("in_person", "workplace", ...)."""

    rule: Literal["delivery"]
    allowed: tuple[str, ...] = Field(min_length=1)


class CenterTypeRule(_Strict):
    rule: Literal["center_type"]
    allowed: tuple[Literal["government", "private"], ...] = Field(min_length=1)


class CourseAnyOfRule(_Strict):
    rule: Literal["any_of"]
    rules: tuple[CourseRule, ...] = Field(min_length=2)


CourseRule = Annotated[
    HamnavaCoverageRule | KarafanTrackRule | DeliveryRule | CenterTypeRule | CourseAnyOfRule,
    Field(discriminator="rule"),
]
CourseAnyOfRule.model_rebuild()


# --- questions ------------------------------------------------------------------------------------


class ChoiceOption(_Strict):
    id: str = Field(pattern=_ID)
    fa: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Question(_Strict):
    """One question of the application form. The stored answer is typed by `type`:
    choice -> option id (str), yes_no -> bool, number -> int, text -> str,
    jalali_date -> ISO Gregorian date (str)."""

    id: str = Field(pattern=_ID)
    type: Literal["choice", "yes_no", "number", "text", "jalali_date"]
    text: Localized
    help: Localized | None = None
    required: bool = True
    options: tuple[ChoiceOption, ...] = ()  # choice only
    min: int | None = None  # number only
    max: int | None = None  # number only
    max_length: int | None = Field(default=None, ge=1, le=1000)  # text only (default 200)
    # jalali_date only: "past" = not after today, "future" = not before today.
    date_range: Literal["any", "past", "future"] = "any"

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        if self.type == "choice":
            if len(self.options) < 2:
                raise ValueError(f"choice question {self.id!r} needs at least two options")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError(f"choice question {self.id!r} repeats an option id")
        elif self.options:
            raise ValueError(f"only choice questions have options ({self.id!r} is {self.type})")
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError(f"only number questions have min/max ({self.id!r} is {self.type})")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"question {self.id!r}: min is above max")
        if self.type != "text" and self.max_length is not None:
            raise ValueError(f"only text questions have max_length ({self.id!r} is {self.type})")
        if self.type != "jalali_date" and self.date_range != "any":
            raise ValueError(f"only jalali_date questions have date_range ({self.id!r})")
        return self

    def option(self, option_id: str) -> ChoiceOption | None:
        return next((o for o in self.options if o.id == option_id), None)


# --- documents ------------------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # bots cannot download more than 20 MB


class DocumentRequirement(_Strict):
    kind: str = Field(pattern=_ID)
    name: Localized
    help: Localized | None = None
    # True: everyone; False: optional; "relief_clients_only": mandatory for Relief clients.
    mandatory: bool | Literal["relief_clients_only"] = True
    accepted: tuple[str, ...] = Field(default=DOCUMENT_TYPES, min_length=1)
    max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024, le=MAX_DOCUMENT_BYTES)
    max_count: int = Field(default=1, ge=1, le=10)

    @field_validator("accepted")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in value if t not in DOCUMENT_TYPES]
        if unknown:
            raise ValueError(f"unsupported document type(s) {unknown}; supported: {DOCUMENT_TYPES}")
        return value

    def is_mandatory_for(self, relief_client: bool | None) -> bool:
        if self.mandatory == "relief_clients_only":
            return relief_client is True
        return bool(self.mandatory)

    def applies_to(self, relief_client: bool | None) -> bool:
        """Whether to ask for it at all: a Relief-clients-only paper is not asked of others."""
        return self.mandatory != "relief_clients_only" or relief_client is True


# --- the program ----------------------------------------------------------------------------------


class Program(_Strict):
    id: str = Field(pattern=_ID)
    version: str = Field(min_length=1, max_length=32)
    code_prefix: str = Field(pattern=r"^[A-Z]{2,5}$")  # tracking codes: HMN-1405-000123
    name: Localized
    description: Localized
    pays_for: tuple[Localized, ...] = ()
    # All must hold; use an "any_of" rule for alternatives.
    eligibility: tuple[EligibilityRule, ...] = ()
    # All must hold (and the course must be open); empty = every open course.
    courses: tuple[CourseRule, ...] = ()
    questions: tuple[Question, ...] = ()
    documents: tuple[DocumentRequirement, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Program:
        for label, ids in (
            ("question id", [q.id for q in self.questions]),
            ("document kind", [d.kind for d in self.documents]),
        ):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    raise ValueError(f"{label} {item!r} appears twice")
                seen.add(item)
        return self

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def document(self, kind: str) -> DocumentRequirement | None:
        return next((d for d in self.documents if d.kind == kind), None)
