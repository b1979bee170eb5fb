"""Reading program files: every problem is reported with the file and the place in it, so an
administrator replacing a file knows what to fix (`python -m bot programs check FILE`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from services.programs.model import Program


class ProgramFileError(ValueError):
    """A program file that cannot be used; the message names the file and each broken place."""

    def __init__(self, path: Path | str, problems: Iterable[str]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"program file {self.path} is not valid:\n{lines}")


class ProgramRegistry:
    """The programs loaded at start, by id, in file-name order."""

    def __init__(self, programs: Iterable[Program]) -> None:
        self._programs: dict[str, Program] = {}
        for program in programs:
            if program.id in self._programs:
                raise ValueError(f"two program files define the id {program.id!r}")
            self._programs[program.id] = program
        prefixes = [p.code_prefix for p in self._programs.values()]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError(f"two programs share a tracking-code prefix: {prefixes}")

    def all(self) -> list[Program]:
        return list(self._programs.values())

    def get(self, program_id: str) -> Program | None:
        return self._programs.get(program_id)

    def __iter__(self) -> Iterator[Program]:
        return iter(self._programs.values())

    def __len__(self) -> int:
        return len(self._programs)


def parse_program(data: Mapping[str, Any], source: Path | str = "<data>") -> Program:
    try:
        return Program.model_validate(data)
    except ValidationError as error:
        raise ProgramFileError(source, _problems(error)) from None


def load_program_file(path: Path | str) -> Program:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProgramFileError(path, [f"cannot read the file: {error.strerror or error}"]) from None
    except UnicodeDecodeError:
        raise ProgramFileError(path, ["the file is not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProgramFileError(
            path, [f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    if not isinstance(data, dict):
        raise ProgramFileError(path, ["the file must hold one JSON object {...}"])
    program = parse_program(data, path)
    if program.id != path.stem:
        raise ProgramFileError(
            path, [f"id {program.id!r} must match the file name ({path.stem!r})"]
        )
    return program


def load_programs(directory: Path | str) -> ProgramRegistry:
    """Every *.json in the folder; any broken file stops the start (ProgramFileError)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ProgramFileError(directory, ["the programs folder does not exist"])
    files = sorted(directory.glob("*.json"))
    if not files:
        raise ProgramFileError(directory, ["the programs folder has no *.json program file"])
    try:
        return ProgramRegistry(load_program_file(f) for f in files)
    except ProgramFileError:
        raise
    except ValueError as error:
        raise ProgramFileError(directory, [str(error)]) from None


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        place = _place(item["loc"])
        kind = item["type"]
        if kind == "union_tag_invalid":
            ctx = item.get("ctx", {})
            field = str(ctx.get("discriminator", "kind")).strip("'")
            message = f"unknown {field} {ctx.get('tag')!r}; known: {ctx.get('expected_tags')}"
        elif kind == "union_tag_not_found":
            field = str(item.get("ctx", {}).get("discriminator", "kind")).strip("'")
            message = f"needs a {field!r} key saying which kind it is"
        elif kind == "literal_error" and item["loc"] and item["loc"][-1] == "type":
            known = item.get("ctx", {}).get("expected")
            message = f"unknown question type {item.get('input')!r}; known: {known}"
        elif kind == "missing":
            message = "is missing"
        elif kind == "extra_forbidden":
            message = "is not a known field (misspelt?)"
        else:
            message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{place}: {message}" if place else message)
    return problems


def _place(loc: tuple[int | str, ...]) -> str:
    """("questions", 2, "options") -> "questions[2].options"; pydantic's union tags dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"decile", "relief_client", "age", "education", "province", "any_of",
                      "hamnava_coverage", "karafan_track", "delivery", "center_type"} and out:
            continue  # the discriminated-union branch name, not a key in the file
        else:
            out += f".{part}" if out else str(part)
    return out
