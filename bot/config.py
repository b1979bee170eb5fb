"""Settings: read once from the environment (and `.env`), passed down from the composition root."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.exams.dates import parse_reminder_hours
from services.quiet_hours import QuietHours
from storage.db import DEFAULT_DATABASE_URL
from storage.documents import parse_document_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent

Platform = Literal["telegram", "bale"]
PLATFORMS: tuple[Platform, ...] = ("telegram", "bale")


class Settings(BaseSettings):
    # Errors must not echo the rejected value: it may be a (mistyped) token or key.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    telegram_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    bale_token: SecretStr | None = None
    bale_api_base: str = "https://tapi.bale.ai"

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    # Prefix of every Redis key, so several deployments (or test runs) can share one Redis.
    redis_prefix: str = "maharatyar"

    staff_chat_telegram: int | None = None
    staff_chat_bale: int | None = None
    # New-submission alerts per staff group and clock hour; past this many, the rest of the hour
    # comes as one digest at its end (services/staff_alerts.py). 0 = an alert for each, always.
    staff_alert_digest_after: int = Field(default=10, ge=0)
    # The hand-off to a caseworker: a ticket closed less than this many days ago is reopened by
    # the person's next message; the answer time the person is promised, in hours.
    ticket_reopen_days: int = Field(default=7, ge=0)
    ticket_answer_hours: int = Field(default=24, ge=1)
    # An open ticket whose person's message has no staff answer this long gets one reminder in
    # its staff chat; 0 = no reminders.
    ticket_reminder_minutes: int = Field(default=60, ge=0)
    # Exam reminders to the enrolled people: hours before the start, comma-separated; empty =
    # none. A reminder is void at send time if its session was moved or cancelled meanwhile.
    exam_reminder_hours: str = "24,2"
    # "telegram:123,bale:456": the first administrators; later ones are managed in the database.
    admins: str = ""

    # Uploaded documents: a local folder, files named by content hash, always encrypted at rest.
    # DOCUMENT_KEY (32 random bytes, URL-safe base64) is the key; unset = the key kept in
    # DOCUMENT_KEY_FILE (default: document.key beside DOCUMENT_DIR), made on first start.
    document_dir: Path = PROJECT_ROOT / "data" / "documents"
    document_key: SecretStr | None = None
    document_key_file: Path | None = None

    # Program definition files (Hamnava, Karafan ...), one JSON per program, checked at start.
    programs_dir: Path = PROJECT_ROOT / "data" / "programs"

    default_locale: Literal["fa", "en"] = "fa"
    timezone: str = "Asia/Tehran"

    # Webhook mode: off by default (long polling). WEBHOOK_BASE_URL is the public https origin.
    webhook_base_url: str | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    webhook_path_prefix: str = "/webhook"
    webhook_secret: SecretStr | None = None

    # The local sandbox (no tokens configured).
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8080
    sandbox_flavour: Literal["telegram", "bale"] = "telegram"
    # The Telegram sandbox's staff group has topics: one topic per handed-off conversation.
    sandbox_staff_forum: bool = False

    # Conversation state (the SQL storage's rows, or Redis keys' time to live) untouched for this
    # many days is dropped: an abandoned half-filled form is not kept for ever.
    fsm_idle_days: int = Field(default=90, ge=1)
    # Sent or given-up outbox rows are deleted this many days later (a broadcast's only once it
    # has ended: its counts stay on the broadcast).
    outbox_keep_days: int = Field(default=30, ge=1)

    # The outbox sender (bot/notifications/sender.py), one per bot token. Rates are messages per
    # second per bot: Telegram allows about 30, Bale publishes none.
    outbox_rate_telegram: float = Field(default=25.0, gt=0)
    outbox_rate_bale: float = Field(default=20.0, gt=0)
    outbox_chat_interval_seconds: float = Field(default=1.0, ge=0)
    # How often a sender looks for rows written by other processes (its own wake it at once).
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    # The first retry after a 5xx or network error; each next one waits twice as long.
    outbox_backoff_seconds: float = Field(default=5.0, ge=0)
    # Another worker takes over a dead sender's token this long after its last renewal.
    outbox_lease_seconds: float = Field(default=15.0, gt=0)
    # Sends a sender keeps waiting for an answer at once (the rate still paces their start).
    outbox_max_in_flight: int = Field(default=64, ge=1)
    # News that can wait is held during these hours (in TIMEZONE) until their end; staff alerts
    # are not. "HH:MM-HH:MM", may span midnight; empty: no quiet hours.
    quiet_hours: str = "22:00-07:00"

    # Matching notices (job leads, course waitlists): people who chose a daily digest get it at
    # this hour (0-23, in TIMEZONE); the sweep that turns due notices into outbox rows runs
    # every MATCH_SWEEP_SECONDS (one worker at a time, under a lease).
    match_digest_hour: int = Field(default=10, ge=0, le=23)
    match_sweep_seconds: float = Field(default=60.0, gt=0)
    # Waitlists («🔔 Tell me when one opens»): at most this many entries per person.
    waitlist_max_per_person: int = Field(default=10, ge=1, le=100)

    # Broadcasts: how often the administrator's progress message is updated (never more often
    # than OUTBOX_CHAT_INTERVAL_SECONDS, so it keeps that chat's pace too) and, where the
    # messenger does not show edits in place (Bale), every how many percent a new one is sent.
    broadcast_progress_seconds: float = Field(default=3.0, gt=0)
    broadcast_progress_step_percent: int = Field(default=10, ge=1, le=100)

    # The HTTP API (api/, FastAPI): `python -m bot api` serves it alone here; `run` and `sandbox`
    # serve it too beside the bots unless API_WITH_BOTS is false. Docs at /docs.
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=0, le=65535)
    api_with_bots: bool = True
    # The administrators' dashboard (/dashboard on the API's server): the origin its one-time
    # links use (unset: http://API_HOST:API_PORT); the key that signs them (unset: kept in
    # dashboard.key beside DOCUMENT_DIR, made on first start); how long a session lasts.
    dashboard_base_url: str | None = None
    dashboard_secret: SecretStr | None = None
    dashboard_session_hours: float = Field(default=8.0, gt=0, le=24 * 30)
    # The dashboard's figures are kept this many seconds per set of provinces (0 = always fresh).
    dashboard_fresh_seconds: float = Field(default=60.0, ge=0)
    # A course list page (a filter's page, a search's page) is kept this many seconds per
    # process. Courses change only by an import or the API (as for the field list, kept 30 s):
    # a course that filled up or changed may still be listed that long (its card and the
    # application read it afresh). 0 = read every page from the database.
    catalog_page_seconds: float = Field(default=30.0, ge=0, le=300)
    # Outgoing webhooks of the API's clients (`api-clients webhook add`): an attempt that gets
    # no 2xx within API_WEBHOOK_TIMEOUT_SECONDS is retried after API_WEBHOOK_BACKOFF_SECONDS,
    # doubling each time (at most an hour), and given up after API_WEBHOOK_MAX_ATTEMPTS.
    # Senders run in the API process and beside the bots, and look for new rows of other
    # processes every API_WEBHOOK_POLL_SECONDS.
    api_webhook_max_attempts: int = Field(default=10, ge=1)
    api_webhook_backoff_seconds: float = Field(default=10.0, ge=0)
    api_webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    api_webhook_poll_seconds: float = Field(default=2.0, gt=0)
    # Delivered or failed webhook deliveries are deleted this many days later.
    api_webhook_keep_days: int = Field(default=30, ge=1)
    # /metrics (Prometheus) on the API's address: open when unset (API_HOST is loopback by
    # default; bind it to an internal address), else `Authorization: Bearer <METRICS_TOKEN>`.
    metrics_token: SecretStr | None = None

    # Anti-flood: more than this many updates from one user per window gets one polite notice.
    throttle_rate: int = Field(default=5, ge=1)
    throttle_window_seconds: float = Field(default=1.0, gt=0)

    @field_validator("telegram_token", "bale_token", "webhook_secret", "document_key",
                     "dashboard_secret", "dashboard_base_url", "metrics_token",
                     mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("dashboard_secret")
    @classmethod
    def _dashboard_secret_length(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("DASHBOARD_SECRET must be at least 16 characters")
        return value

    @field_validator("document_key")
    @classmethod
    def _document_key_format(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            parse_document_key(value.get_secret_value())  # DocumentKeyError is a ValueError
        return value

    @field_validator("redis_url", "webhook_base_url", "staff_chat_telegram", "staff_chat_bale",
                     "document_key_file", mode="before")
    @classmethod
    def _empty_optional(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours_format(cls, value: str) -> str:
        QuietHours.parse(value, "UTC")  # a ValueError names the expected shape
        return value

    @field_validator("exam_reminder_hours")
    @classmethod
    def _exam_reminder_hours_format(cls, value: str) -> str:
        parse_reminder_hours(value)  # a ValueError names the bad part
        return value

    @property
    def quiet_period(self) -> QuietHours | None:
        return QuietHours.parse(self.quiet_hours, self.timezone)

    def token_for(self, platform: Platform) -> SecretStr | None:
        return self.telegram_token if platform == "telegram" else self.bale_token

    def api_base_for(self, platform: Platform) -> str:
        return self.telegram_api_base if platform == "telegram" else self.bale_api_base

    def staff_chat_for(self, platform: Platform) -> int | None:
        return self.staff_chat_telegram if platform == "telegram" else self.staff_chat_bale

    def staff_chats_by_platform(self) -> dict[str, int]:
        """The staff group of each messenger that has a bot: where staff alerts go."""
        chats = {p: self.staff_chat_for(p) for p in self.configured_platforms}
        return {p: chat for p, chat in chats.items() if chat is not None}

    @property
    def configured_platforms(self) -> list[Platform]:
        return [p for p in PLATFORMS if self.token_for(p) is not None]

    @cached_property
    def admin_accounts(self) -> frozenset[tuple[str, int]]:
        """Parse ADMINS into {(platform, user_id)}; a malformed entry is a start-up error."""
        result: set[tuple[str, int]] = set()
        for raw in self.admins.replace(";", ",").split(","):
            item = raw.strip()
            if not item:
                continue
            platform, sep, user_id = item.partition(":")
            if not sep or platform not in PLATFORMS or not user_id.strip().lstrip("-").isdigit():
                raise ValueError(f"ADMINS entry {item!r} is not platform:user_id")
            result.add((platform, int(user_id)))
        return frozenset(result)

    def dashboard_origin(self) -> str:
        """Where the dashboard's links point: DASHBOARD_BASE_URL, else the API's own address."""
        if self.dashboard_base_url:
            return self.dashboard_base_url.rstrip("/")
        host = self.api_host if self.api_host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.api_port}"
