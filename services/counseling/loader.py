"""Reads and checks the counseling data files once at start.

Every problem is reported as `file: place: what is wrong`, e.g.
`questionnaire.json: question "hours", option "few": weight for unknown field "welding"`, so a
counselor can find it without reading code. All problems are collected before failing."""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.counseling.data import (
    ID_PATTERN,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    MIN_FIELDS,
    MIN_OPTIONS,
    MIN_QUESTIONS,
    VERSION_PATTERN,
    CounselingData,
    DemandFile,
    FieldsFile,
    NeighboursFile,
    QuestionnaireFile,
)
from services.data_files import UNREADABLE, read_json
from services.education import EDUCATION_LEVELS
from services.provinces import PROVINCES, canonical_province

DATA_ROOT = Path(__file__).resolve().parents[2] / "data"
QUESTIONNAIRE = "questionnaire.json"
FIELDS = "fields.json"
DEMAND = "demand.json"
NEIGHBOURS = "province_neighbors.json"
# The why template names the answers that counted most; no other placeholder is filled in.
ANSWERS_PLACEHOLDER = "answers"

M = TypeVar("M", bound=BaseModel)


class CounselingDataError(Exception):
    """The data files are broken; the message lists every problem, one per line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            "counseling data files are invalid:\n" + "\n".join(f"  {p}" for p in self.problems)
        )


def load_counseling_data(
    directory: Path | None = None, neighbours_path: Path | None = None
) -> CounselingData:
    """Load data/counseling/{questionnaire,fields,demand}.json and data/province_neighbors.json."""
    directory = directory if directory is not None else DATA_ROOT / "counseling"
    neighbours_path = neighbours_path if neighbours_path is not None else DATA_ROOT / NEIGHBOURS
    problems: list[str] = []
    questionnaire = _read(directory / QUESTIONNAIRE, QuestionnaireFile, problems)
    fields = _read(directory / FIELDS, FieldsFile, problems)
    demand = _read(directory / DEMAND, DemandFile, problems)
    neighbours = _read(neighbours_path, NeighboursFile, problems, root_keys="province")
    if fields is not None:
        problems += _check_fields(fields)
    if questionnaire is not None:
        problems += _check_questionnaire(questionnaire, fields)
    if questionnaire is not None and fields is not None:
        problems += _check_reachable(questionnaire, fields)
    if demand is not None:
        problems += _check_demand(demand, fields)
    if neighbours is not None:
        problems += _check_neighbours(neighbours.root, neighbours_path.name)
    if problems:
        raise CounselingDataError(problems)
    assert questionnaire and fields and demand and neighbours  # no problems: all were read
    return CounselingData(
        version=questionnaire.version,
        questions=tuple(questionnaire.questions),
        fields=tuple(fields.fields),
        demand={
            province: {field: _decimal(value) for field, value in factors.items()}
            for province, factors in demand.provinces.items()
        },
        default_demand=_decimal(demand.default),
        neighbours={p: tuple(n) for p, n in neighbours.root.items()},
    )


def _decimal(value: float) -> Decimal:
    # Through str: 1.2 stays exactly 1.2, so equal scores tie exactly instead of by rounding.
    return Decimal(str(value))


def _read(
    path: Path, model: type[M], problems: list[str], *, root_keys: str | None = None
) -> M | None:
    name = path.name
    reported = len(problems)
    raw = read_json(path, problems)
    if raw is UNREADABLE:
        return None
    repeated_keys = len(problems) > reported
    try:
        parsed = model.model_validate(raw)
    except ValidationError as error:
        for item in error.errors():
            problems.append(f"{name}: {_place(raw, item['loc'], root_keys)}: {_problem(item)}")
        return None
    return None if repeated_keys else parsed


# Lists whose items are named by their "id" in messages.
_ITEM_NAMES = {"questions": "question", "options": "option", "fields": "field"}
# Mappings whose keys are named in messages.
_KEY_NAMES = {"provinces": "province", "weights": "weight for field"}


def _place(raw: Any, loc: Sequence[int | str], root_keys: str | None) -> str:
    """Where a pydantic error is, in a counselor's words:
    `('questions', 2, 'options', 0, 'text', 'en')` -> `question "hours", option "few", text.en`"""
    parts: list[str] = []
    dotted: list[str] = []
    node = raw
    index = 0
    if root_keys is not None and loc:
        # A file that is one plain mapping (the neighbours): its keys are named.
        parts.append(f'{root_keys} "{loc[0]}"')
        node = _child(raw, loc[0])
        index = 1
    while index < len(loc):
        key = loc[index]
        following = loc[index + 1] if index + 1 < len(loc) else None
        child = _child(node, key)
        if isinstance(key, str) and key in _ITEM_NAMES and isinstance(following, int):
            item = _child(child, following)
            item_id = item.get("id") if isinstance(item, dict) else None
            label = f'"{item_id}"' if isinstance(item_id, str) else f"#{following + 1}"
            parts.append(f"{_ITEM_NAMES[key]} {label}")
            node = item
            index += 2
            continue
        if isinstance(key, str) and key in _KEY_NAMES and following is not None:
            parts.append(f'{_KEY_NAMES[key]} "{following}"')
            node = _child(child, following)
            index += 2
            if key == "provinces" and index < len(loc):
                # demand.json: a province's keys are field ids.
                parts.append(f'field "{loc[index]}"')
                node = _child(node, loc[index])
                index += 1
            continue
        dotted.append(f"#{key + 1}" if isinstance(key, int) else str(key))
        node = child
        index += 1
    if dotted:
        parts.append(".".join(dotted))
    return ", ".join(parts) or "top level"


def _child(node: Any, key: int | str) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def _problem(item: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        return "unknown key (a typo?)"
    if kind == "string_too_short":
        return "empty text (a translation is missing)"
    return f"{item['msg']} (found {json.dumps(item.get('input'), ensure_ascii=False)[:60]})"


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def _bad_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is None


_ID_RULE = "ids are 1-16 small Latin letters, digits or _, starting with a letter"


def _check_fields(data: FieldsFile) -> list[str]:
    problems: list[str] = []
    if len(data.fields) < MIN_FIELDS:
        problems.append(f"{FIELDS}: has {len(data.fields)} fields; at least {MIN_FIELDS} needed")
    for field in data.fields:
        where = f'{FIELDS}: field "{field.id}"'
        if _bad_id(field.id):
            problems.append(f"{where}: bad id ({_ID_RULE})")
        if not field.clusters:
            problems.append(f"{where}: clusters is empty; name at least one catalog cluster")
        for repeated in _duplicates(field.clusters):
            problems.append(f'{where}: cluster "{repeated}" is listed twice')
        for locale in ("fa", "en"):
            template = getattr(field.why, locale)
            problems += [f"{where}, why.{locale}: {p}" for p in _template_problems(template)]
    for repeated in _duplicates(f.id for f in data.fields):
        problems.append(f'{FIELDS}: field id "{repeated}" is used twice')
    return problems


def _template_problems(template: str) -> list[str]:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        return [f"broken braces ({error}); write {{{ANSWERS_PLACEHOLDER}}} exactly"]
    problems = [
        f"unknown placeholder {{{name}}}; only {{{ANSWERS_PLACEHOLDER}}} is filled in"
        for name in names
        if name != ANSWERS_PLACEHOLDER
    ]
    if ANSWERS_PLACEHOLDER not in names:
        problems.append(f"must contain {{{ANSWERS_PLACEHOLDER}}} (where the answers are named)")
    return problems


def _check_questionnaire(data: QuestionnaireFile, fields: FieldsFile | None) -> list[str]:
    problems: list[str] = []
    if VERSION_PATTERN.fullmatch(data.version) is None:
        problems.append(f'{QUESTIONNAIRE}: version "{data.version}": use 1-32 Latin letters, '
                        "digits, '.', '-' or '_' (e.g. 2026.11-1)")
    count = len(data.questions)
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        problems.append(f"{QUESTIONNAIRE}: has {count} questions; "
                        f"between {MIN_QUESTIONS} and {MAX_QUESTIONS} are allowed")
    for repeated in _duplicates(q.id for q in data.questions):
        problems.append(f'{QUESTIONNAIRE}: question id "{repeated}" is used twice')
    known = {f.id for f in fields.fields} if fields is not None else None
    for question in data.questions:
        where = f'{QUESTIONNAIRE}: question "{question.id}"'
        if _bad_id(question.id):
            problems.append(f"{where}: bad id ({_ID_RULE})")
        if not MIN_OPTIONS <= len(question.options) <= MAX_OPTIONS:
            problems.append(f"{where}: has {len(question.options)} options; "
                            f"between {MIN_OPTIONS} and {MAX_OPTIONS} are allowed")
        for repeated in _duplicates(o.id for o in question.options):
            problems.append(f'{where}: option id "{repeated}" is used twice')
        for level, option_id in question.from_education.items():
            if level not in EDUCATION_LEVELS:
                problems.append(f'{where}: from_education: "{level}" is not one of '
                                f"{', '.join(EDUCATION_LEVELS)}")
            if question.option(option_id) is None:
                problems.append(f'{where}: from_education "{level}": no option "{option_id}"')
        for option in question.options:
            if _bad_id(option.id):
                problems.append(f'{where}, option "{option.id}": bad id ({_ID_RULE})')
            if known is None:
                continue
            for field_id in option.weights:
                if field_id not in known:
                    problems.append(
                        f'{where}, option "{option.id}": weight for unknown field "{field_id}"'
                    )
    return problems


def _check_reachable(questionnaire: QuestionnaireFile, fields: FieldsFile) -> list[str]:
    # A field no answer speaks for can never be suggested: almost surely a forgotten weight.
    favoured = {
        field_id
        for question in questionnaire.questions
        for option in question.options
        for field_id, weight in option.weights.items()
        if weight > 0
    }
    return [
        f'{FIELDS}: field "{field.id}": no answer in {QUESTIONNAIRE} gives it a positive weight, '
        "so it can never be suggested"
        for field in fields.fields
        if field.id not in favoured
    ]


def _check_demand(data: DemandFile, fields: FieldsFile | None) -> list[str]:
    problems: list[str] = []
    known = {f.id for f in fields.fields} if fields is not None else None
    for province, factors in data.provinces.items():
        where = f'{DEMAND}: province "{province}"'
        if province not in PROVINCES:
            problems.append(f"{where}: not one of the 31 provinces{_did_you_mean(province)}")
        if known is None:
            continue
        for field_id in factors:
            if field_id not in known:
                problems.append(f'{where}: factor for unknown field "{field_id}"')
    return problems


def _check_neighbours(data: dict[str, list[str]], name: str) -> list[str]:
    problems: list[str] = []
    for province, neighbours in data.items():
        where = f'{name}: province "{province}"'
        if province not in PROVINCES:
            problems.append(f"{where}: not one of the 31 provinces{_did_you_mean(province)}")
        for neighbour in neighbours:
            if neighbour not in PROVINCES:
                problems.append(f'{where}: neighbour "{neighbour}" is not one of the 31 provinces'
                                f"{_did_you_mean(neighbour)}")
            elif neighbour == province:
                problems.append(f"{where}: lists itself as a neighbour")
            elif province in PROVINCES and province not in data.get(neighbour, [province]):
                problems.append(f'{where}: lists "{neighbour}", but "{neighbour}" does not list '
                                f'"{province}" (neighbours go both ways)')
        for repeated in _duplicates(neighbours):
            problems.append(f'{where}: neighbour "{repeated}" is listed twice')
    for province in PROVINCES:
        if province not in data:
            problems.append(f'{name}: province "{province}" is missing (all 31 are needed)')
    return problems


def _did_you_mean(name: str) -> str:
    canonical = canonical_province(name)
    return f' (did you mean "{canonical}"?)' if canonical and canonical != name else ""
