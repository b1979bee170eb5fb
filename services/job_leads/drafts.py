"""The rules of a job lead's values, shared by the chat form and the CSV/XLSX import: each
typed value -> its stored form, or a DraftError saying why not."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from services.jalali import (
    GREGORIAN_YEARS,
    PLAN_YEARS,
    InvalidJalaliDate,
    jalali_to_gregorian,
    split_date,
)
from services.job_leads.model import (
    CITY_MAX,
    EMPLOYER_MAX,
    HOW_TO_APPLY_MAX,
    MAX_FIELDS,
    TITLE_MAX,
    WAGE_MAX,
    DraftError,
    DraftProblem,
    LeadDraft,
)
from services.provinces import canonical_province
from services.text import normalize_text, search_key_compact

# Fields are listed with Persian or Latin commas, semicolons or on separate lines.
_FIELD_SEPARATORS = re.compile(r"[,،;؛\n|]+")
# The import's empty markers for an optional value.
_EMPTY = frozenset({"", "-", "—"})


def text_value(raw: str, limit: int, *, required: bool = True) -> str | None:
    value = normalize_text(raw).strip()
    if value in _EMPTY:
        if required:
            raise DraftError(DraftProblem.REQUIRED, raw)
        return None
    if len(value) > limit:
        raise DraftError(DraftProblem.TOO_LONG, raw)
    return value


def province_value(raw: str) -> str:
    if not raw.strip():
        raise DraftError(DraftProblem.REQUIRED, raw)
    province = canonical_province(raw)
    if province is None:
        raise DraftError(DraftProblem.UNKNOWN_PROVINCE, raw)
    return province


def fields_value(raw: str, catalog_fields: Iterable[str]) -> tuple[str, ...]:
    """Each listed field as the catalog spells it (folded match: ی/ي, spaces, ZWNJ)."""
    by_key = {search_key_compact(name): name for name in catalog_fields}
    found: list[str] = []
    for part in _FIELD_SEPARATORS.split(raw):
        if not part.strip():
            continue
        name = by_key.get(search_key_compact(part))
        if name is None:
            raise DraftError(DraftProblem.UNKNOWN_FIELD, part.strip())
        if name not in found:
            found.append(name)
    if not found:
        raise DraftError(DraftProblem.REQUIRED, raw)
    if len(found) > MAX_FIELDS:
        raise DraftError(DraftProblem.TOO_MANY_FIELDS, raw)
    return tuple(found)


def deadline_value(raw: str, today: dt.date) -> dt.date:
    """A Jalali date, today or later. A Gregorian one (a year 1900..2100) is refused with a
    hint, never read as Jalali nor silently converted: the administrator checks what they
    meant."""
    if not raw.strip():
        raise DraftError(DraftProblem.REQUIRED, raw)
    try:
        year, month, day = split_date(raw)
    except InvalidJalaliDate:
        raise DraftError(DraftProblem.DATE_FORMAT, raw) from None
    if year in GREGORIAN_YEARS:
        raise DraftError(DraftProblem.DATE_GREGORIAN, raw)
    if year not in PLAN_YEARS:
        raise DraftError(DraftProblem.DATE_OUT_OF_RANGE, raw)
    try:
        deadline = jalali_to_gregorian(year, month, day, text=raw)
    except InvalidJalaliDate:
        raise DraftError(DraftProblem.DATE_NOT_EXIST, raw) from None
    if deadline < today:
        raise DraftError(DraftProblem.DEADLINE_PASSED, raw)
    return deadline


def build_draft(
    values: dict[str, str], catalog_fields: Iterable[str], today: dt.date
) -> tuple[LeadDraft | None, list[tuple[str, DraftError]]]:
    """Every value checked (all problems at once, by column name), for the import."""
    problems: list[tuple[str, DraftError]] = []
    checked: dict[str, object] = {}
    checks = {
        "title": lambda raw: text_value(raw, TITLE_MAX),
        "employer": lambda raw: text_value(raw, EMPLOYER_MAX),
        "province": province_value,
        "city": lambda raw: text_value(raw, CITY_MAX, required=False),
        "fields": lambda raw: fields_value(raw, catalog_fields),
        "wage": lambda raw: text_value(raw, WAGE_MAX, required=False),
        "deadline": lambda raw: deadline_value(raw, today),
        "how_to_apply": lambda raw: text_value(raw, HOW_TO_APPLY_MAX),
    }
    for column, check in checks.items():
        try:
            checked[column] = check(values.get(column, ""))
        except DraftError as error:
            problems.append((column, error))
    if problems:
        return None, problems
    return LeadDraft(
        title=str(checked["title"]), employer=str(checked["employer"]),
        province=str(checked["province"]),
        city=checked["city"] if isinstance(checked["city"], str) else None,
        fields=checked["fields"],  # type: ignore[arg-type]
        wage_text=checked["wage"] if isinstance(checked["wage"], str) else None,
        deadline=checked["deadline"],  # type: ignore[arg-type]
        how_to_apply=str(checked["how_to_apply"]),
    ), []
