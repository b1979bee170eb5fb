"""`make reset-sandbox`: the script run as make runs it, on a throwaway database and folder."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

from bot.sandbox.server import start_sandbox_server
from bot.serving.sandbox import build_sandbox_api

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_ROOT / "scripts" / "reset_sandbox.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _sandbox_data(folder: Path) -> tuple[list[Path], Path]:
    database = folder / "maharatyar.db"
    files = [database, folder / "maharatyar.db-wal", folder / "maharatyar.db-shm"]
    for path in files:
        path.write_bytes(b"x")
    documents = folder / "documents"
    (documents / "ab").mkdir(parents=True)
    (documents / "ab" / "abcdef").write_bytes(b"scan")
    return files, documents


async def _run(
    folder: Path, *args: str, answer: str = "", database_url: str = ""
) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SANDBOX_PORT"}}
    env["DATABASE_URL"] = database_url or f"sqlite+aiosqlite:///{folder / 'maharatyar.db'}"
    env["DOCUMENT_DIR"] = str(folder / "documents")
    env["SANDBOX_PORT"] = str(_free_port())  # nothing listens there
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(SCRIPT), *args, cwd=folder, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(answer.encode()), 60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_yes_deletes_the_database_and_documents_only(tmp_path: Path) -> None:
    files, documents = _sandbox_data(tmp_path)
    neighbour = tmp_path / "notes.txt"
    neighbour.write_text("keep me")

    status, output = await _run(tmp_path, "--yes", "--port", str(_free_port()))

    assert status == 0, output
    assert not any(path.exists() for path in files), output
    assert not documents.exists()
    assert neighbour.read_text() == "keep me"


async def test_without_yes_it_asks_and_no_keeps_everything(tmp_path: Path) -> None:
    files, documents = _sandbox_data(tmp_path)

    status, output = await _run(tmp_path, answer="n\n")

    assert status == 1
    assert "Delete them?" in output and str(documents) in output
    assert all(path.exists() for path in files) and documents.exists()

    status, output = await _run(tmp_path, answer="y\n")
    assert status == 0, output
    assert not documents.exists() and not files[0].exists()


async def test_refuses_while_a_sandbox_answers_on_the_port(tmp_path: Path) -> None:
    files, documents = _sandbox_data(tmp_path)
    api = build_sandbox_api()
    server = await start_sandbox_server(api, "127.0.0.1", 0)
    try:
        status, output = await _run(tmp_path, "--yes", "--port", str(server.port))
    finally:
        await server.close()
        await api.close()

    assert status == 1
    assert "stop it first" in output
    assert all(path.exists() for path in files) and documents.exists()


async def test_refuses_a_server_database(tmp_path: Path) -> None:
    _, documents = _sandbox_data(tmp_path)
    status, output = await _run(
        tmp_path, "--yes", database_url="postgresql+asyncpg://user@127.0.0.1:5432/maharatyar"
    )
    assert status == 1
    assert "only deletes a local SQLite file" in output
    assert documents.exists()
