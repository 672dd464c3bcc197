"""Local mode only when asked, only on loopback; the simulator's API and the double need this
run's tokens; the simulator posts to itself only; the double's memory is bounded."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bot.__main__ import cli
from bot.config import LOCAL_TOKEN_FILE, ConfigError, load_settings
from bot.simulator import double as double_module
from bot.simulator.double import double_app
from bot.storage.models import InboxEvent
from tests.conftest import free_port
from tests.transcript import simulator_session

ROOT = Path(__file__).resolve().parent.parent
PARENT = "U" + "1" * 32


def test_without_line_credentials_and_without_local_mode_the_bot_refuses_to_start(tmp_path):
    with pytest.raises(ConfigError) as refused:
        load_settings({"BOT_INSTANCE_PATH": str(tmp_path)})
    assert "LINE_CHANNEL_SECRET is missing" in str(refused.value)
    assert "BOT_LOCAL_MODE=1" in str(refused.value)
    assert not (tmp_path / "data.key").exists(), "no data key is invented"


def test_local_mode_and_line_credentials_together_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="BOT_LOCAL_MODE=1 runs the simulator"):
        load_settings(
            {
                "BOT_INSTANCE_PATH": str(tmp_path),
                "BOT_LOCAL_MODE": "1",
                "LINE_CHANNEL_SECRET": "0" * 32,
                "LINE_CHANNEL_ACCESS_TOKEN": "t",
                "BOT_DATA_KEY": Fernet.generate_key().decode(),
            }
        )
    with pytest.raises(ConfigError, match="BOT_LOCAL_MODE must be 1"):
        load_settings({"BOT_INSTANCE_PATH": str(tmp_path), "BOT_LOCAL_MODE": "yes"})


def _gunicorn(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "BOT_"))}
    port = free_port()
    try:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:bot.gunicorn_conf",
                "bot:create_app()",
            ],
            cwd=ROOT,
            env={**base, "PORT": str(port), "BOT_INSTANCE_PATH": str(tmp_path), **env},
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        # Still serving: it started. (It was killed by the timeout.)
        pytest.fail("gunicorn started and served instead of refusing")


def test_the_procfile_web_process_refuses_to_start_without_line_credentials(tmp_path):
    done = _gunicorn(tmp_path)
    assert done.returncode != 0
    assert "LINE_CHANNEL_SECRET is missing" in done.stderr
    assert "Booting worker" not in done.stderr


def test_the_procfile_web_process_refuses_local_mode_on_its_network_bind(tmp_path):
    done = _gunicorn(tmp_path, BOT_LOCAL_MODE="1")
    assert done.returncode != 0
    assert "local mode (BOT_LOCAL_MODE=1) is served on loopback only" in done.stderr
    assert "0.0.0.0" in done.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_serve_refuses_local_mode_on_a_non_loopback_host(tmp_path, monkeypatch, host):
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--port", str(free_port())])
    assert result.exit_code != 0
    assert "local mode is served on loopback only" in result.output


def test_requests_from_or_naming_another_host_are_refused(live):
    client = live.app.test_client()
    from_afar = client.get("/healthz", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert from_afar.status_code == 403
    rebound = requests.get(live.url + "/simulator", headers={"Host": "evil.example"}, timeout=5)
    assert rebound.status_code == 403 and "simulator-token" not in rebound.text
    assert requests.get(live.url + "/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/simulator/api/send", {"user_id": "U" + "4" * 32, "text": "一覧"}),
        ("get", "/simulator/api/messages?user_id=" + "U" + "4" * 32, None),
        ("get", "/simulator/api/personas", None),
    ],
)
def test_the_simulator_api_needs_the_token_only_the_page_has(bot, method, path, body):
    url = bot.live.url + path
    assert getattr(requests, method)(url, json=body, timeout=5).status_code == 403
    wrong = {"X-Simulator-Token": "guessed"}
    assert getattr(requests, method)(url, json=body, headers=wrong, timeout=5).status_code == 403
    with bot.tsunagu.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(InboxEvent)) == 0
    page = simulator_session(bot.live.url)
    assert getattr(page, method)(url, json=body, timeout=5).status_code == 200


def test_the_page_carrying_the_token_is_not_cached_or_framed(bot):
    resp = requests.get(bot.live.url + "/simulator", timeout=5)
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert 'name="simulator-token" content=""' not in resp.text


def test_the_double_takes_only_this_runs_random_token(bot):
    token = bot.tsunagu.settings.channel_access_token
    assert token != "simulator-access-token" and len(token) >= 32
    token_file = bot.tsunagu.settings.instance_path / LOCAL_TOKEN_FILE
    assert token_file.read_text().strip() == token
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    for guess in ("simulator-access-token", "", token[:-1]):
        resp = requests.get(
            bot.live.url + "/_line/v2/bot/message/quota",
            headers={"Authorization": f"Bearer {guess}"},
            timeout=5,
        )
        assert resp.status_code == 401
    link = requests.post(
        bot.live.url + f"/_line/v2/bot/user/{PARENT}/richmenu/richmenu-x",
        headers={"Authorization": "Bearer simulator-access-token"},
        timeout=5,
    )
    assert link.status_code == 401  # every endpoint, not only the message ones
    ok = requests.get(
        bot.live.url + "/_line/v2/bot/message/quota",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert ok.status_code == 200


def test_each_run_has_its_own_token(tmp_path):
    from bot import create_app

    settings = load_settings(
        {
            "BOT_INSTANCE_PATH": str(tmp_path),
            "BOT_LOCAL_MODE": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}",
        }
    )
    first = create_app(settings).extensions["tsunagu"]
    second = create_app(settings).extensions["tsunagu"]
    assert first.settings.channel_access_token != second.settings.channel_access_token
    first.db.dispose()
    second.db.dispose()


def test_the_simulator_posts_its_webhook_to_itself_whatever_the_host_header(bot):
    """A Host header naming another port used to make the server post the signed webhook there."""
    hits: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(3)

    def accept():
        try:
            conn, _ = listener.accept()
            hits.append(conn.recv(65536))
            conn.close()
        except OSError:
            pass

    catcher = threading.Thread(target=accept, daemon=True)
    catcher.start()
    page = simulator_session(bot.live.url)
    resp = page.post(
        bot.live.url + "/simulator/api/send",
        json={"user_id": PARENT, "text": "ヘルプ"},
        headers={"Host": f"127.0.0.1:{listener.getsockname()[1]}"},
        timeout=10,
    )
    listener.close()
    catcher.join(5)
    assert resp.status_code == 200, resp.text
    assert hits == []
    bot.settle()
    assert bot.double.messages_for(PARENT), "the bot got the webhook and answered"


def test_what_the_double_keeps_is_bounded(monkeypatch):
    monkeypatch.setattr(double_module, "KEEP", 20)
    monkeypatch.setattr(double_module, "KEEP_TOKENS", 20)
    app, state = double_app("per-run-token")
    client = app.test_client()
    auth = {"Authorization": "Bearer per-run-token"}
    for i in range(60):
        state.issue_reply_token(PARENT)
        resp = client.post(
            "/v2/bot/message/push",
            json={"to": f"U{i:032x}", "messages": [{"type": "text", "text": "x"}]},
            headers={**auth, "X-Line-Retry-Key": f"00000000-0000-0000-0000-{i:012x}"},
        )
        assert resp.status_code == 200
        client.post("/v2/bot/richmenu", json={"name": f"m{i}"}, headers=auth)
    assert len(state.requests) <= 20 and len(state.delivered) <= 20
    assert len(state.reply_tokens) <= 20 and len(state.retry_keys) <= 20
    assert len(state.rich_menus) <= double_module.KEEP_MENUS
    assert state.delivered[-1].user_id == f"U{59:032x}", "the newest are kept"


def test_a_local_secret_is_never_on_disk_with_a_wider_mode(tmp_path, monkeypatch):
    """The file used to be written first and chmod-ed after: a crash (or a reader) in between
    found the data key with the umask's mode, 0644 here."""
    from bot import config

    def crash(*_args, **_kwargs):
        raise OSError("killed between writing the file and setting its mode")

    monkeypatch.setattr(Path, "chmod", crash)
    monkeypatch.setattr(os, "chmod", crash)
    old_umask = os.umask(0o022)
    try:
        try:
            config._local_secret(tmp_path, "data.key", lambda: "the-secret")
        except OSError:
            pass
    finally:
        os.umask(old_umask)
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert (tmp_path / "data.key").read_text().strip() == "the-secret"


def test_racing_first_runs_agree_on_one_local_secret(tmp_path):
    from bot import config

    barrier = threading.Barrier(8)
    values: list[str] = []

    def first_run(n: int) -> None:
        barrier.wait()
        values.append(config._local_secret(tmp_path, "data.key", lambda: f"key-{n}"))

    threads = [threading.Thread(target=first_run, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(values)) == 1
    assert (tmp_path / "data.key").read_text().strip() == values[0]
    assert [p.name for p in tmp_path.iterdir()] == ["data.key"], "no temporary file left"
