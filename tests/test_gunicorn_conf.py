"""The Procfile's web workers (``bot/gunicorn_conf.py``): what a worker does before it serves."""

from __future__ import annotations

from types import SimpleNamespace

from bot import gunicorn_conf


def _worker(warm):
    done = []
    kb = SimpleNamespace(warm=lambda: warm(done))
    runtime = SimpleNamespace(services=SimpleNamespace(kb=kb), start=lambda: done.append("start"))
    tsunagu = SimpleNamespace(runtime=runtime)
    return SimpleNamespace(wsgi=SimpleNamespace(extensions={"tsunagu": tsunagu})), done


def test_a_worker_builds_its_search_index_before_it_handles_anything():
    """Built while the worker's heap is small, its dictionary pages let go (docs/benchmarks.md)."""
    worker, done = _worker(lambda done: done.append("index"))
    gunicorn_conf.post_worker_init(worker)
    assert done == ["index", "start"]


def test_a_worker_whose_database_is_not_up_yet_still_starts(caplog):
    def fail(done):
        raise OSError("connection refused")

    worker, done = _worker(fail)
    gunicorn_conf.post_worker_init(worker)
    assert done == ["start"]
    assert "first question will" in caplog.text
