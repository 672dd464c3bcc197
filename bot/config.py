"""Settings from the environment, checked at start with a clear message for each problem.

A real channel needs its LINE credentials and a data key. Only when asked (``BOT_LOCAL_MODE=1``,
which ``make run`` sets) does the bot run in *local mode*: the simulator stands in for LINE and a
Messaging API double inside the app receives what the SDK sends, so the same code path runs.
Local mode is served on loopback only (``bot.loopback``); without LINE credentials and without
``BOT_LOCAL_MODE=1`` the bot refuses to start, so a deployment that lost its variables never
falls back to local mode in front of a network.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
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
# Local mode: the double's access token of the running server (a fresh one every run).
LOCAL_TOKEN_FILE = "simulator-access-token"


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
    # The bot's own user ID: webhooks naming another destination are refused (unset: not checked).
    destination: str = ""
    # How long an abandoned dialog is kept before it expires.
    dialog_ttl_minutes: int = 30
    # How often the leading clock ticks (its lease lasts three beats of at most 10 s).
    clock_tick_seconds: float = 60.0
    # Where links in messages point (the admins' sign-in link): BOT_PUBLIC_URL.
    public_url: str = ""
    # One sender's messages and taps: at most this many (a burst) per this many seconds,
    # kept up; past it they are set aside (bot.flood). None: no limit.
    flood_limit: tuple[int, float] | None = (10, 30.0)

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


def write_private(path: Path, value: str, *, replace: bool = False) -> bool:
    """Write a secret to ``path``, readable by its owner only from the moment it exists.

    The text goes to a temporary file made with mode 0600, which is then linked into place (or,
    with ``replace``, renamed over the old one): no reader ever sees the file partly written or
    with a wider mode. Without ``replace`` an existing file is kept; return whether we wrote it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(value + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # fails if another process made it first: theirs is kept
        except FileExistsError:
            return False
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _local_secret(instance: Path, name: str, make) -> str:
    """A value kept under instance/ so local mode survives restarts (created on first use)."""
    path = instance / name
    if not path.exists():
        write_private(path, make())
    return path.read_text().strip()


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read and check every setting; raise ConfigError listing all problems at once."""
    env = dict(os.environ if env is None else env)
    problems: list[str] = []
    instance = Path(env.get("BOT_INSTANCE_PATH") or DEFAULT_INSTANCE)

    secret = env.get("LINE_CHANNEL_SECRET", "").strip()
    token = env.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
    local_text = env.get("BOT_LOCAL_MODE", "").strip()
    if local_text not in ("", "0", "1"):
        problems.append(f"BOT_LOCAL_MODE must be 1 (local mode) or 0, got {local_text!r}")
    local_mode = local_text == "1"
    if local_mode and (secret or token):
        problems.append(
            "BOT_LOCAL_MODE=1 runs the simulator instead of LINE: unset it for the real channel, "
            "or unset LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"
        )
    elif not local_mode:
        for name, value in (
            ("LINE_CHANNEL_SECRET", secret),
            ("LINE_CHANNEL_ACCESS_TOKEN", token),
        ):
            if not value:
                problems.append(
                    f"{name} is missing: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN "
                    "for the LINE channel, or BOT_LOCAL_MODE=1 to run locally with the "
                    "simulator (make run does)"
                )
    if secret and not re.fullmatch(r"[0-9a-fA-F]{32}", secret):
        problems.append("LINE_CHANNEL_SECRET must be the channel's 32 hex characters")

    destination = env.get("BOT_DESTINATION", "").strip()
    if destination and not re.fullmatch(r"U[0-9a-f]{32}", destination):
        problems.append(
            "BOT_DESTINATION must be the bot's user ID (U and 32 hex characters, shown in the "
            "LINE Developers console), or unset"
        )

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

    flood_text = env.get("BOT_FLOOD_LIMIT", "10/30s").strip().lower()
    flood_limit = None
    flood = re.fullmatch(r"(\d+)\s*/\s*(\d+)\s*(s|m|min)?", flood_text)
    if flood and int(flood[1]) > 0 and int(flood[2]) > 0:
        seconds = int(flood[2]) * (60 if flood[3] in ("m", "min") else 1)
        flood_limit = (int(flood[1]), float(seconds))
    elif flood_text != "none":
        problems.append(
            f"BOT_FLOOD_LIMIT must look like 10/30s (messages per time) or 'none', got "
            f"{flood_text!r}"
        )

    if problems:
        raise ConfigError("Configuration problems:\n" + "\n".join(f"  - {p}" for p in problems))

    if local_mode:
        secret = _local_secret(instance, "simulator-channel-secret", lambda: secrets.token_hex(16))
        # The running server's token (bot.simulator.begin_run writes a fresh one each run), so
        # local commands such as `richmenu deploy` reach its double; none running: one that
        # matches nothing.
        token_file = instance / LOCAL_TOKEN_FILE
        token = token_file.read_text().strip() if token_file.exists() else ""
        token = token or secrets.token_urlsafe(32)
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
        destination=destination,
        dialog_ttl_minutes=int(ttl_text),
        clock_tick_seconds=tick,
        public_url=public_url,
        flood_limit=flood_limit,
    )
