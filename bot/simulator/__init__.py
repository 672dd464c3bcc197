"""The local LINE stand-in: a chat page that sends signed webhooks, and a Messaging API double."""

from __future__ import annotations

import dataclasses
import secrets

from bot.config import LOCAL_TOKEN_FILE, Settings, write_private


def begin_run(settings: Settings) -> Settings:
    """Local mode: a fresh random access token for this run's double.

    Nothing but the running server and the operator's own local commands (which read it from
    the instance folder, mode 0600) knows it, so nobody else can post messages to the double.
    """
    token = secrets.token_urlsafe(32)
    write_private(settings.instance_path / LOCAL_TOKEN_FILE, token, replace=True)
    return dataclasses.replace(settings, channel_access_token=token)
