"""A writable copy of the shipped counseling data files, and a way to break one of them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.counseling import CounselingData, load_counseling_data
from services.counseling.loader import DATA_ROOT, NEIGHBOURS


@dataclass(frozen=True)
class DataCopy:
    root: Path  # like the project's data/: counseling/ and province_neighbors.json inside

    @property
    def directory(self) -> Path:
        return self.root / "counseling"

    @property
    def neighbours(self) -> Path:
        return self.root / NEIGHBOURS

    def path(self, name: str) -> Path:
        return self.neighbours if name == NEIGHBOURS else self.directory / name

    def read(self, name: str) -> Any:
        return json.loads(self.path(name).read_text(encoding="utf-8"))

    def write(self, name: str, content: Any) -> None:
        self.path(name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")

    def edit(self, name: str, change: Callable[[Any], Any]) -> None:
        """`change` edits the parsed file in place (or returns a replacement)."""
        content = self.read(name)
        replaced = change(content)
        self.write(name, content if replaced is None else replaced)

    def load(self) -> CounselingData:
        return load_counseling_data(self.directory, self.neighbours)


def copy_shipped_data(target: Path) -> DataCopy:
    copy = DataCopy(target)
    shutil.copytree(DATA_ROOT / "counseling", copy.directory)
    shutil.copy(DATA_ROOT / NEIGHBOURS, copy.neighbours)
    return copy
