"""A 429 or 5xx that outlives the retries: logged once (method and chat, never the text), no
exception escapes, and the form step is either applied whole or not at all."""

from __future__ import annotations

import logging

import pytest

from tests.flows.harness import Sandbox
from tests.flows.steps import draft_of, english, register


@pytest.mark.parametrize(("status", "retry_after"), [(502, None), (500, None), (429, 60)])
async def test_answer_that_cannot_be_sent_is_logged_once_and_the_step_is_whole(
    sandbox: Sandbox, platform: str, status: int, retry_after: int | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = english(sandbox, platform)
    await register(person, until="full_name")
    before = await draft_of(person)
    sandbox.api.fail_next(person.token, "sendMessage", status=status, retry_after=retry_after,
                          times=1)
    with caplog.at_level(logging.INFO):
        await person.send("Maryam Ahmadi")  # raised out of the dispatcher before
    lines = [r.getMessage() for r in caplog.records if "failed after retries" in r.getMessage()]
    assert len(lines) == 1, lines
    assert "sendMessage" in lines[0] and str(person.user.id) in lines[0]
    assert all("Maryam" not in r.getMessage() for r in caplog.records)

    after = await draft_of(person)
    applied = (after.full_name, after.step) == ("Maryam Ahmadi", "national_code")
    assert applied or after == before, after
    # The person goes on from where the form really is.
    if not applied:
        await person.send("Maryam Ahmadi")
    await person.send("0012345679")
    assert (await draft_of(person)).step == "birth_date", person.screen()


async def test_plain_answer_that_cannot_be_sent_is_logged_once(
    sandbox: Sandbox, platform: str, caplog: pytest.LogCaptureFixture
) -> None:
    person = english(sandbox, platform)
    await person.send("/help")
    sandbox.api.fail_next(person.token, "sendMessage", status=503)
    with caplog.at_level(logging.INFO):
        await person.send("/help")  # raised out of the dispatcher before
    lines = [r.getMessage() for r in caplog.records if "failed after retries" in r.getMessage()]
    assert len(lines) == 1 and "sendMessage" in lines[0] and str(person.user.id) in lines[0]
    replies = await person.send("/help")
    assert any("/profile" in (m.text or "") for m in replies), person.screen()
