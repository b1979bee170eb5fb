from tests.flows.harness import Sandbox


async def test_start_shows_consent(sandbox: Sandbox, platform: str) -> None:
    person = sandbox.person(platform)  # type: ignore[arg-type]
    replies = await person.send("/start")
    assert replies, "no reply to /start"
    print(person.screen())
