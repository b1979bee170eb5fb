"""A broken counseling data file stops the start of the bot with the loader's message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.config import Settings
from services.counseling import CounselingDataError, loader
from tests.counseling.helpers import copy_shipped_data


async def test_broken_data_file_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_shipped_data(tmp_path / "data")

    def add_unknown_weight(content: dict[str, Any]) -> None:
        hours = next(q for q in content["questions"] if q["id"] == "hours")
        few = next(o for o in hours["options"] if o["id"] == "few")
        few["weights"]["welding"] = 2

    data.edit("questionnaire.json", add_unknown_weight)
    monkeypatch.setattr(loader, "DATA_ROOT", data.root)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'start.db'}"
    )
    with pytest.raises(CounselingDataError) as caught:
        await build_app(settings, platforms=[])
    assert (
        'questionnaire.json: question "hours", option "few": weight for unknown field "welding"'
        in str(caught.value)
    ), str(caught.value)


async def test_shipped_data_starts(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'start.db'}"
    )
    app = await build_app(settings, platforms=[])
    try:
        service = app.services.counseling_service
        assert service.data.version == loader.load_counseling_data().version
    finally:
        await app.close()
