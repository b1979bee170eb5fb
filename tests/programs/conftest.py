from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

PROGRAMS_DIR = Path(__file__).resolve().parents[2] / "data" / "programs"
_HAMNAVA = json.loads((PROGRAMS_DIR / "hamnava.json").read_text(encoding="utf-8"))


@pytest.fixture
def hamnava_data() -> dict[str, Any]:
    """A fresh, editable copy of the shipped Hamnava file."""
    return copy.deepcopy(_HAMNAVA)
