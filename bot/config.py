"""Settings from the environment, checked at start with a clear message for each problem.

With no LINE credentials the bot runs in *local mode*: the simulator stands in for LINE and a
Messaging API double inside the app receives what the SDK sends, so the same code path runs.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from dataclasses import dataclass, fields
from datetime import time
from pathlib import Path

from bot.calendar import QuietHours
from bot.storage.crypto import KeyError_, new_key, parse_keys

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
SAMPLE_CITY = Path(__file__).resolve().parent / "sample_city" / "city.yaml"
SECRET_FIELDS = {"channel_secret", "channel_access_token", "data_key"}


class ConfigError(Exception):
    """One or more settings are missing or malformed; the message lists each one."""


@dataclass(frozen=True)
class Settings:
    channel_secret: str
    channel_access_token: str
    api_endpoint: str
    database_url: str
    port: int
    quiet_hours: QuietHours | None
    data_key: str
    city_file: Path
    instance_path: Path
    local_mode: bool
    # How long an abandoned dialog is kept before it expires.
    dialog_ttl_minutes: int = 30
    # How often the leading clock ticks (its lease lasts three beats of at most 10 s).
    clock_tick_seconds: float = 60.0
    # Where links in messages point (the admins' sign-in link): BOT_PUBLIC_URL.
    public_url: str = ""

    def __repr__(self) -> str:  # secrets never printed, not even by accident in a traceback
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            parts.append(f"{f.name}={'***' if f.name in SECRET_FIELDS and value else value!r}")
        return f"Settings({', '.join(parts)})"

    __str__ = __repr__


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_quiet_hours(value: str, problems: list[str]) -> QuietHours | None:
    if value.strip().lower() == "none":
        return None
    start, sep, end = value.partition("-")
    m1, m2 = _TIME.match(start.strip()), _TIME.match(end.strip())
    if not sep or not m1 or not m2:
        problems.append(f"BOT_QUIET_HOURS must look like 20:00-08:00 (or 'none'), got {value!r}")
        return None
    return QuietHours(time(int(m1[1]), int(m1[2])), time(int(m2[1]), int(m2[2])))


def _local_secret(instance: Path, name: str, make) -> str:
    """A value kept under instance/ so local mode survives restarts (created on first use)."""
    path = instance / name
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read and check every setting; raise ConfigError listing all problems at once."""
    env = dict(os.environ if env is None else env)
    problems: list[str] = []
    instance = Path(env.get("BOT_INSTANCE_PATH") or DEFAULT_INSTANCE)

    secret = env.get("LINE_CHANNEL_SECRET", "").strip()
    token = env.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
    local_mode = not secret and not token
    if bool(secret) != bool(token):
        missing = "LINE_CHANNEL_ACCESS_TOKEN" if secret else "LINE_CHANNEL_SECRET"
        problems.append(
            f"{missing} is missing: set both LINE credentials for a real channel, "
            "or neither for local mode with the simulator"
        )
    if secret and not re.fullmatch(r"[0-9a-fA-F]{32}", secret):
        problems.append("LINE_CHANNEL_SECRET must be the channel's 32 hex characters")

    port_text = env.get("PORT", "8000").strip()
    port = 8000
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        problems.append(f"PORT must be a number from 1 to 65535, got {port_text!r}")
    else:
        port = int(port_text)

    endpoint = env.get("LINE_API_ENDPOINT", "").strip().rstrip("/")
    if not endpoint:
        endpoint = f"http://127.0.0.1:{port}/_line" if local_mode else "https://api.line.me"
    elif not re.match(r"^https?://[^\s/]+", endpoint):
        problems.append(f"LINE_API_ENDPOINT must be an http(s) URL, got {endpoint!r}")

    database_url = env.get("DATABASE_URL", "").strip() or f"sqlite:///{instance / 'tsunagu.db'}"
    if not re.match(r"^(sqlite|postgres(ql)?)(\+\w+)?://", database_url):
        problems.append("DATABASE_URL must be an sqlite:/// or postgresql:// URL")

    quiet = _parse_quiet_hours(env.get("BOT_QUIET_HOURS", "20:00-08:00"), problems)

    data_key = env.get("BOT_DATA_KEY", "").strip()
    if data_key:
        try:
            parse_keys(data_key)
        except KeyError_ as exc:
            problems.append(str(exc))
    elif not local_mode:
        problems.append(
            "BOT_DATA_KEY is required with a real LINE channel (python -m bot db new-key)"
        )

    city = Path(env.get("BOT_CITY", "").strip() or SAMPLE_CITY)
    if not city.is_file():
        problems.append(f"BOT_CITY names no file: {city}")

    ttl_text = env.get("BOT_DIALOG_TTL_MINUTES", "30").strip()
    if not ttl_text.isdigit() or int(ttl_text) == 0:
        problems.append(f"BOT_DIALOG_TTL_MINUTES must be a positive number, got {ttl_text!r}")

    tick_text = env.get("BOT_CLOCK_TICK_SECONDS", "60").strip()
    try:
        tick = float(tick_text)
    except ValueError:
        tick = 0.0
    if not tick > 0:
        problems.append(f"BOT_CLOCK_TICK_SECONDS must be a positive number, got {tick_text!r}")

    public_url = env.get("BOT_PUBLIC_URL", "").strip().rstrip("/") or f"http://127.0.0.1:{port}"
    if not re.match(r"^https?://[^\s/]+", public_url):
        problems.append(f"BOT_PUBLIC_URL must be an http(s) URL, got {public_url!r}")

    if problems:
        raise ConfigError("Configuration problems:\n" + "\n".join(f"  - {p}" for p in problems))

    if local_mode:
        secret = _local_secret(instance, "simulator-channel-secret", lambda: secrets.token_hex(16))
        token = "simulator-access-token"
        if not data_key:
            log.warning(
                "BOT_DATA_KEY is not set: using a local key in %s (local mode only)", instance
            )
            data_key = _local_secret(instance, "data.key", new_key)

    return Settings(
        channel_secret=secret,
        channel_access_token=token,
        api_endpoint=endpoint,
        database_url=database_url,
        port=port,
        quiet_hours=quiet,
        data_key=data_key,
        city_file=city,
        instance_path=instance,
        local_mode=local_mode,
        dialog_ttl_minutes=int(ttl_text),
        clock_tick_seconds=tick,
        public_url=public_url,
    )
