"""Who may apply: a program's eligibility rules checked against a registered profile.

The result lists what is not met, as codes with parameters and a remedy; the UI writes the
sentence. Remedy: "update_profile" when the profile lacks the answer (the person can add it),
"caseworker" when the answer is there and does not fit (only a caseworker can help, e.g. a
decile assessment or a Relief Committee file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from services.education import EDUCATION_LEVELS
from services.programs.model import (
    AgeRule,
    AnyOfRule,
    DecileRule,
    EducationRule,
    EligibilityRule,
    Program,
    ProvinceRule,
    ReliefClientRule,
)
from services.validators import age_on

Remedy = Literal["update_profile", "caseworker"]


class ProfileLike(Protocol):
    """ProfileDraft or storage Person: birth_date may be an ISO string or a date."""

    @property
    def birth_date(self) -> dt.date | str | None: ...
    @property
    def education(self) -> str | None: ...
    @property
    def province(self) -> str | None: ...
    @property
    def relief_client(self) -> bool | None: ...
    @property
    def decile(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class UnmetRule:
    """code: "decile" | "relief_client" | "age" | "education" | "province" | "any_of".

    params (JSON-safe): decile {"allowed": [..], "actual": int|None}; relief_client {};
    age {"min", "max", "actual": int|None}; education {"min", "actual"}; province
    {"allowed": [..], "actual"}; any_of: nothing, the failed alternatives are in `alternatives`
    (meeting any ONE of them is enough)."""

    code: str
    params: dict[str, Any]
    remedy: Remedy
    alternatives: tuple[UnmetRule, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for dialog_data / FSM."""
        return {
            "code": self.code,
            "params": dict(self.params),
            "remedy": self.remedy,
            "alternatives": [a.to_dict() for a in self.alternatives],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> UnmetRule:
        """Tolerant of junk (old FSM data): an unknown remedy sends the person to a caseworker,
        an unknown code reads as "a condition is not met"."""
        data = data if isinstance(data, Mapping) else {}
        params = data.get("params")
        remedy = data.get("remedy")
        alternatives = data.get("alternatives")
        return cls(
            code=str(data.get("code")),
            params=dict(params) if isinstance(params, Mapping) else {},
            remedy="update_profile" if remedy == "update_profile" else "caseworker",
            alternatives=tuple(
                cls.from_dict(a) for a in alternatives if isinstance(a, Mapping)
            ) if isinstance(alternatives, list | tuple) else (),
        )


def check_eligibility(program: Program, profile: ProfileLike, today: dt.date) -> list[UnmetRule]:
    """Empty list = eligible."""
    unmet = []
    for rule in program.eligibility:
        problem = _check(rule, profile, today)
        if problem is not None:
            unmet.append(problem)
    return unmet


def _check(rule: EligibilityRule, profile: ProfileLike, today: dt.date) -> UnmetRule | None:
    if isinstance(rule, DecileRule):
        decile = profile.decile
        if decile in rule.allowed:
            return None
        params: dict[str, Any] = {"allowed": list(rule.allowed), "actual": decile}
        return UnmetRule("decile", params, "update_profile" if decile is None else "caseworker")
    if isinstance(rule, ReliefClientRule):
        if profile.relief_client is True:
            return None
        remedy: Remedy = "update_profile" if profile.relief_client is None else "caseworker"
        return UnmetRule("relief_client", {}, remedy)
    if isinstance(rule, AgeRule):
        birth = _as_date(profile.birth_date)
        age = age_on(birth, today) if birth is not None else None
        if age is not None and (rule.min is None or age >= rule.min) and (
            rule.max is None or age <= rule.max
        ):
            return None
        params = {"min": rule.min, "max": rule.max, "actual": age}
        return UnmetRule("age", params, "update_profile" if age is None else "caseworker")
    if isinstance(rule, EducationRule):
        level = profile.education
        if level in EDUCATION_LEVELS and education_rank(level) >= education_rank(rule.min):
            return None
        known = level in EDUCATION_LEVELS
        params = {"min": rule.min, "actual": level if known else None}
        return UnmetRule("education", params, "caseworker" if known else "update_profile")
    if isinstance(rule, ProvinceRule):
        if profile.province in rule.allowed:
            return None
        params = {"allowed": list(rule.allowed), "actual": profile.province}
        return UnmetRule(
            "province", params, "update_profile" if profile.province is None else "caseworker"
        )
    if isinstance(rule, AnyOfRule):
        failed = []
        for inner in rule.rules:
            problem = _check(inner, profile, today)
            if problem is None:
                return None
            failed.append(problem)
        # Adding a missing answer may be enough; otherwise a caseworker.
        remedy = (
            "update_profile" if any(f.remedy == "update_profile" for f in failed) else "caseworker"
        )
        return UnmetRule("any_of", {}, remedy, tuple(failed))
    raise TypeError(f"unhandled eligibility rule {rule!r}")  # pragma: no cover


def education_rank(level: str) -> int:
    return EDUCATION_LEVELS.index(level)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
