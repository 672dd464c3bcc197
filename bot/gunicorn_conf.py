"""gunicorn settings for the Procfile's ``web:``: each worker also handles events and delivers.

Handling runs in every worker (events are claimed per user under a lock, so workers share the
work safely); the clock runs apart (Procfile ``clock:``). The settings are checked once, before
any worker starts: without LINE credentials (and without BOT_LOCAL_MODE=1) gunicorn stops with
the message naming what is missing, and local mode is refused on a bind that faces a network.

The Sudachi dictionary, and what is built from it once per process (the analyzers, the danger
check's word lists), is loaded in the master before the workers fork: the workers share those
pages instead of each touching its own copy (docs/benchmarks.md, memory). The app itself — its
database connections, its threads, its search index — is still made in each worker.
"""

import logging
import os
import sys

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The webhook mostly waits (for the group commit); more threads make bigger batches.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 30
accesslog = None  # request lines would name users; the app logs what it needs

log = logging.getLogger("bot.gunicorn_conf")


def post_worker_init(worker):
    tsunagu = worker.wsgi.extensions["tsunagu"]
    # The search index before the first request: building it reads most of the dictionary,
    # whose pages are then let go (bot.sudachi) — at its smallest, before the request threads
    # and the handling have grown the heap, so that the worker's peak memory stays low.
    try:
        tsunagu.runtime.services.kb.warm()
    except Exception:  # the database may not be up yet: the first question builds it
        log.warning("could not build the search index at start; the first question will")
    tsunagu.runtime.start()


def worker_exit(server, worker):
    app = getattr(worker, "wsgi", None)
    if app is not None:
        app.extensions["tsunagu"].runtime.stop()


def on_starting(server):
    from bot.config import ConfigError, load_settings
    from bot.loopback import nonlocal_binds

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"Tsunagu cannot start.\n{exc}", file=sys.stderr)  # names settings, never values
        sys.exit(1)
    exposed = nonlocal_binds(list(server.cfg.bind))
    if settings.local_mode and exposed:
        print(
            f"Tsunagu cannot start: local mode (BOT_LOCAL_MODE=1) is served on loopback only, "
            f"and gunicorn would bind {', '.join(exposed)}. Set the LINE credentials for the "
            "real channel, or use `make run` locally.",
            file=sys.stderr,
        )
        sys.exit(1)
    share_the_dictionary()


def share_the_dictionary() -> None:
    """Load what every worker reads and nobody writes, before the fork (see the docstring)."""
    from bot.knowledge.text import analyzer
    from bot.safety import assess

    sample = "子育て支援センターは土曜日も開いていますか"
    analyzer().analyze(sample)
    assess(sample)
