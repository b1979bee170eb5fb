"""Program files: the shipped ones load; each kind of broken file is refused with a message
that names the file and the place to fix."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from services.programs import (
    ProgramFileError,
    load_program_file,
    load_programs,
)
from services.programs.model import AnyOfRule, DecileRule, ReliefClientRule
from tests.programs.conftest import PROGRAMS_DIR


def write(tmp_path: Path, data: dict[str, Any], name: str = "hamnava.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_shipped_programs_load() -> None:
    registry = load_programs(PROGRAMS_DIR)
    assert [p.id for p in registry.all()] == ["hamnava", "karafan"]
    hamnava = registry.get("hamnava")
    assert hamnava is not None and hamnava.code_prefix == "HMN"
    either = hamnava.eligibility[0]
    assert isinstance(either, AnyOfRule)
    assert isinstance(either.rules[0], DecileRule) and either.rules[0].allowed == (1, 2, 3, 4)
    assert isinstance(either.rules[1], ReliefClientRule)
    letter = hamnava.document("relief_letter")
    assert letter is not None and letter.mandatory == "relief_clients_only"
    assert {d.kind for d in hamnava.documents} >= {
        "national_card", "birth_certificate", "education_certificate", "relief_letter", "photo"
    }
    assert registry.get("karafan") is not None and registry.get("nope") is None


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()

BROKEN = [
    pytest.param(
        _set("eligibility.1", {"rule": "income_above", "min": 3}),
        ["eligibility[1]", "unknown rule 'income_above'"],
        id="unknown-rule",
    ),
    pytest.param(
        _set("eligibility.0.rules.0", {"rule": "caste"}),
        ["eligibility[0].rules[0]", "unknown rule 'caste'"],
        id="unknown-rule-inside-any-of",
    ),
    pytest.param(
        _set("questions.1.type", "slider"),
        ["questions[1].type", "unknown question type 'slider'"],
        id="unknown-question-type",
    ),
    pytest.param(
        _set("questions.0.options", []),
        ["questions[0]", "choice question 'employment' needs at least two options"],
        id="choice-without-options",
    ),
    pytest.param(
        _set("documents.0.accepted", ["application/pdf", "image/gif"]),
        ["documents[0].accepted", "unsupported document type", "image/gif"],
        id="bad-document-type",
    ),
    pytest.param(
        _set("questions.2.text.en", _DELETE),
        ["questions[2].text.en", "is missing"],
        id="missing-translation",
    ),
    pytest.param(
        _set("name.fa", ""),
        ["name.fa"],
        id="empty-translation",
    ),
    pytest.param(
        _set("documents.1.mandtory", True),
        ["documents[1].mandtory", "not a known field"],
        id="misspelt-key",
    ),
    pytest.param(
        _set("eligibility.2.min", "phd"),
        ["eligibility[2].min", "unknown education level 'phd'"],
        id="unknown-education",
    ),
    pytest.param(
        _set("eligibility", [{"rule": "province", "allowed": ["Atlantis"]}]),
        ["eligibility[0].allowed", "Atlantis"],
        id="unknown-province",
    ),
    pytest.param(
        _set("questions.1.min", 30),
        ["questions[1]", "min is above max"],
        id="number-range-upside-down",
    ),
    pytest.param(
        _set("questions.2.options", [{"id": "a", "fa": "الف", "en": "A"}]),
        ["questions[2]", "only choice questions have options"],
        id="options-on-yes-no",
    ),
    pytest.param(
        _set("documents.4.kind", "national_card"),
        ["document kind 'national_card' appears twice"],
        id="duplicate-kind",
    ),
    pytest.param(
        _set("courses", [{"rule": "online_only"}]),
        ["courses[0]", "unknown rule 'online_only'"],
        id="unknown-course-rule",
    ),
    pytest.param(
        _set("documents.0.max_bytes", 500 * 1024 * 1024),
        ["documents[0].max_bytes"],
        id="document-too-big-for-bots",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BROKEN)
def test_broken_file_is_refused_with_a_clear_message(
    tmp_path: Path,
    hamnava_data: dict[str, Any],
    change: Callable[[dict[str, Any]], None],
    expected: list[str],
) -> None:
    change(hamnava_data)
    path = write(tmp_path, hamnava_data)
    with pytest.raises(ProgramFileError) as caught:
        load_program_file(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "hamnava.json"
    path.write_text('{"id": "hamnava",\n  "version": }', encoding="utf-8")
    with pytest.raises(ProgramFileError, match="not valid JSON at line 2"):
        load_program_file(path)


def test_id_must_match_file_name(tmp_path: Path, hamnava_data: dict[str, Any]) -> None:
    path = write(tmp_path, hamnava_data, "hamnava2.json")
    with pytest.raises(ProgramFileError, match="must match the file name"):
        load_program_file(path)


def test_a_broken_file_stops_loading_the_folder(
    tmp_path: Path, hamnava_data: dict[str, Any]
) -> None:
    shutil.copy(PROGRAMS_DIR / "karafan.json", tmp_path / "karafan.json")
    hamnava_data["questions"][0]["type"] = "dropdown"
    write(tmp_path, hamnava_data)
    with pytest.raises(ProgramFileError, match=r"hamnava\.json"):
        load_programs(tmp_path)


def test_two_programs_sharing_a_prefix(tmp_path: Path, hamnava_data: dict[str, Any]) -> None:
    write(tmp_path, hamnava_data)
    hamnava_data["id"] = "other"
    write(tmp_path, hamnava_data, "other.json")
    with pytest.raises(ProgramFileError, match="prefix"):
        load_programs(tmp_path)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ProgramFileError, match=r"no \*\.json"):
        load_programs(tmp_path)


def test_programs_check_command(
    tmp_path: Path, hamnava_data: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["programs", "check", str(PROGRAMS_DIR / "karafan.json")]) == 0
    assert "OK" in capsys.readouterr().out
    hamnava_data["eligibility"].append({"rule": "astrology"})
    path = write(tmp_path, hamnava_data)
    assert main(["programs", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "eligibility[3]" in err and "astrology" in err
