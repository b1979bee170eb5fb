"""Loading the counseling data files: the shipped files load; every kind of mistake a counselor
can make is refused with a message naming the file and the place."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.counseling import CounselingDataError
from services.counseling.data import MAX_QUESTIONS, MIN_QUESTIONS
from services.provinces import PROVINCES
from tests.counseling.helpers import DataCopy, copy_shipped_data

Q = "questionnaire.json"
F = "fields.json"
D = "demand.json"
N = "province_neighbors.json"


@pytest.fixture
def data(tmp_path: Path) -> DataCopy:
    return copy_shipped_data(tmp_path / "data")


def test_shipped_files_load(data: DataCopy) -> None:
    loaded = data.load()
    assert MIN_QUESTIONS <= len(loaded.questions) <= MAX_QUESTIONS
    assert [f.id for f in loaded.fields][:2] == ["it", "office_sales"]
    assert set(loaded.neighbours) == set(PROVINCES)
    assert set(loaded.demand) == set(PROVINCES)
    assert str(loaded.demand_factor("تهران", "it")) == "1.2"
    assert str(loaded.demand_factor("تهران", "woodwork")) == "1.0"  # not listed: the default
    assert str(loaded.demand_factor(None, "it")) == "1.0"
    hours = loaded.question("hours")
    assert hours is not None and [o.id for o in hours.options] == ["few", "part", "full"]


def _question(content: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in content["questions"] if q["id"] == question_id)


def _option(content: dict[str, Any], question_id: str, option_id: str) -> dict[str, Any]:
    return next(o for o in _question(content, question_id)["options"] if o["id"] == option_id)


def _field(content: dict[str, Any], field_id: str) -> dict[str, Any]:
    return next(f for f in content["fields"] if f["id"] == field_id)


def _set(target: Callable[[Any], dict[str, Any]], key: str, value: Any) -> Callable[[Any], None]:
    def change(content: Any) -> None:
        target(content)[key] = value
    return change


def _delete(target: Callable[[Any], dict[str, Any]], key: str) -> Callable[[Any], None]:
    def change(content: Any) -> None:
        del target(content)[key]
    return change


def _hours_few(content: Any) -> dict[str, Any]:
    return _option(content, "hours", "few")


def _hands(content: Any) -> dict[str, Any]:
    return _option(content, "enjoy", "hands")


def _rename_question(old: str, new: str) -> Callable[[Any], None]:
    return _set(lambda c: _question(c, old), "id", new)


def _questions(count: int) -> Callable[[Any], None]:
    def change(content: Any) -> None:
        questions = content["questions"]
        while len(questions) < count:
            extra = json.loads(json.dumps(questions[0]))
            extra["id"] = f"extra{len(questions)}"
            questions.append(extra)
        del questions[count:]
    return change


def _drop_neighbour(province: str, neighbour: str) -> Callable[[Any], None]:
    def change(content: Any) -> None:
        content[province].remove(neighbour)
    return change


def _only_negative_for(field_id: str) -> Callable[[Any], None]:
    def change(content: Any) -> None:
        for question in content["questions"]:
            for option in question["options"]:
                if option["weights"].get(field_id, 0) > 0:
                    del option["weights"][field_id]
    return change


BROKEN: list[tuple[str, str, Callable[[Any], Any], str]] = [
    ("weight on an unknown field", Q,
     _set(_hours_few, "weights", {"welding": 2}),
     'questionnaire.json: question "hours", option "few": weight for unknown field "welding"'),
    ("missing translation", Q,
     _delete(lambda c: _hands(c)["text"], "en"),
     'questionnaire.json: question "enjoy", option "hands", text.en: missing'),
    ("empty translation", F,
     _set(lambda c: _field(c, "it")["name"], "fa", "  "),
     'fields.json: field "it", name.fa: empty text'),
    ("weight as text", Q,
     _set(lambda c: _hands(c)["weights"], "metal", "3"),
     'questionnaire.json: question "enjoy", option "hands", weight for field "metal": '
     "Input should be a valid integer"),
    ("weight as a fraction", Q,
     _set(lambda c: _hands(c)["weights"], "metal", 2.5),
     'question "enjoy", option "hands", weight for field "metal": Input should be a valid integer'),
    ("weight out of range", Q,
     _set(lambda c: _hands(c)["weights"], "metal", 50),
     'question "enjoy", option "hands", weight for field "metal": Input should be less than'),
    ("misspelt key", Q,
     lambda c: _hands(c).update(wieghts={}),
     'questionnaire.json: question "enjoy", option "hands", wieghts: unknown key'),
    ("duplicate question id", Q,
     _rename_question("day", "enjoy"),
     'questionnaire.json: question id "enjoy" is used twice'),
    ("duplicate option id", Q,
     _set(lambda c: _option(c, "hours", "part"), "id", "few"),
     'questionnaire.json: question "hours": option id "few" is used twice'),
    ("bad question id", Q,
     _rename_question("day", "Day One"),
     'questionnaire.json: question "Day One": bad id'),
    ("too few questions", Q, _questions(MIN_QUESTIONS - 1),
     f"questionnaire.json: has {MIN_QUESTIONS - 1} questions; between {MIN_QUESTIONS} and "
     f"{MAX_QUESTIONS} are allowed"),
    ("too many questions", Q, _questions(MAX_QUESTIONS + 1),
     f"questionnaire.json: has {MAX_QUESTIONS + 1} questions"),
    ("one option only", Q,
     lambda c: _question(c, "travel")["options"].pop() and None,
     'questionnaire.json: question "travel": has 1 options; between 2 and 8'),
    ("bad version", Q,
     _set(lambda c: c, "version", "new version!"),
     'questionnaire.json: version "new version!"'),
    ("version as a number", Q,
     _set(lambda c: c, "version", 3),
     "questionnaire.json: version: Input should be a valid string"),
    ("duplicate field id", F,
     _set(lambda c: _field(c, "office_sales"), "id", "it"),
     'fields.json: field id "it" is used twice'),
    ("why without {answers}", F,
     _set(lambda c: _field(c, "care")["why"], "en", "Caring suits you."),
     'fields.json: field "care", why.en: must contain {answers}'),
    ("why with an unknown placeholder", F,
     _set(lambda c: _field(c, "care")["why"], "fa", "چون گفتید: {answers} {name}"),
     'fields.json: field "care", why.fa: unknown placeholder {name}'),
    ("no clusters", F,
     _set(lambda c: _field(c, "care"), "clusters", []),
     'fields.json: field "care": clusters is empty'),
    ("field nobody can reach", Q, _only_negative_for("woodwork"),
     'fields.json: field "woodwork": no answer in questionnaire.json gives it a positive weight'),
    ("province not among the 31", D,
     lambda c: c["provinces"].update({"تهرون": {"it": 1.1}}),
     'demand.json: province "تهرون": not one of the 31 provinces'),
    ("province spelt with Arabic letters", D,
     lambda c: c["provinces"].update({"سيستان و بلوچستان": {"it": 1.1}}),
     'demand.json: province "سيستان و بلوچستان": not one of the 31 provinces '
     '(did you mean "سیستان و بلوچستان"?)'),
    ("demand for an unknown field", D,
     lambda c: c["provinces"]["تهران"].update(welding=1.1),
     'demand.json: province "تهران": factor for unknown field "welding"'),
    ("demand out of range", D,
     lambda c: c["provinces"]["تهران"].update(it=3),
     'demand.json: province "تهران", field "it": Input should be less than or equal to 2'),
    ("demand as text", D,
     _set(lambda c: c, "default", "1.0"),
     "demand.json: default: Input should be a valid number"),
    ("neighbours one way only", N, _drop_neighbour("قم", "تهران"),
     'province_neighbors.json: province "تهران": lists "قم", but "قم" does not list "تهران"'),
    ("neighbour not a province", N,
     lambda c: c["قم"].append("کرج"),
     'province_neighbors.json: province "قم": neighbour "کرج" is not one of the 31 provinces'),
    ("province missing from neighbours", N,
     lambda c: c.pop("یزد") and None,
     'province_neighbors.json: province "یزد" is missing'),
    ("neighbours not a list", N,
     _set(lambda c: c, "قم", "تهران"),
     'province_neighbors.json: province "قم": Input should be a valid list'),
]


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [(file, change, expected) for _, file, change, expected in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_file_is_refused_with_its_place(
    data: DataCopy, name: str, change: Callable[[Any], Any], expected: str
) -> None:
    data.edit(name, change)
    with pytest.raises(CounselingDataError) as caught:
        data.load()
    assert expected in str(caught.value), str(caught.value)


def test_json_syntax_error_names_line_and_column(data: DataCopy) -> None:
    path = data.path(F)
    path.write_text(path.read_text(encoding="utf-8").replace('"it",', '"it"', 1), encoding="utf-8")
    with pytest.raises(CounselingDataError) as caught:
        data.load()
    assert "fields.json: line 6, column " in str(caught.value), str(caught.value)
    assert "not valid JSON" in str(caught.value)


def test_key_written_twice_is_refused(data: DataCopy) -> None:
    path = data.path(D)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"default": 1.0,', '"default": 1.0, "default": 1.1,'),
                    encoding="utf-8")
    with pytest.raises(CounselingDataError) as caught:
        data.load()
    assert 'demand.json: key "default" appears twice' in str(caught.value)


def test_missing_and_non_utf8_files(data: DataCopy) -> None:
    data.path(D).unlink()
    data.path(F).write_bytes("{\"fields\": \"\xe9\"}".encode("latin-1"))
    with pytest.raises(CounselingDataError) as caught:
        data.load()
    message = str(caught.value)
    assert "demand.json: file not found" in message
    assert "fields.json: not UTF-8 text" in message


def test_every_problem_is_reported_at_once(data: DataCopy) -> None:
    data.edit(Q, _set(_hours_few, "weights", {"welding": 2}))
    data.edit(D, lambda c: c["provinces"].update({"تهرون": {}}))
    with pytest.raises(CounselingDataError) as caught:
        data.load()
    assert len(caught.value.problems) == 2, caught.value.problems
