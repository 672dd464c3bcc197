"""Local mode faces no network: it is served on a loopback address, to loopback clients only.

Local mode trusts whoever reaches it — the simulator acts as any user, the Messaging API double
takes the bot's messages — so ``serve`` and gunicorn refuse to bind it anywhere but loopback,
and the app itself answers 403 to a request from another address, or one naming a host that is
not loopback (a web page's DNS rebinding), whatever server runs it.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from flask import Flask, jsonify, request

log = logging.getLogger(__name__)


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or the name localhost."""
    host = (host or "").strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_host(bind: str) -> str | None:
    """The host of a gunicorn bind ("0.0.0.0:8000", "[::1]:8000", "unix:/run/x.sock" → None)."""
    if bind.startswith(("unix:", "fd://")):
        return None  # a local socket or an inherited one: no network address of its own
    return urlsplit("//" + bind).hostname or ""


def nonlocal_binds(binds: list[str]) -> list[str]:
    """The binds that would face a network."""
    return [b for b in binds if (host := bind_host(b)) is not None and not is_loopback(host)]


def guard(app: Flask) -> None:
    """Answer 403 to any request that does not come from, and name, a loopback address."""

    @app.before_request
    def _loopback_only():
        host = urlsplit("//" + request.host).hostname
        if is_loopback(request.remote_addr) and is_loopback(host):
            return None
        log.warning("local mode: refused a request from a non-loopback address or host")
        return jsonify({"message": "local mode answers on loopback only"}), 403
