"""gunicorn settings for the Procfile's ``web:``: each worker also handles events and delivers.

Handling runs in every worker (events are claimed per user under a lock, so workers share the
work safely); the clock runs apart (Procfile ``clock:``).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# The webhook mostly waits (for the group commit); more threads make bigger batches.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 30
accesslog = None  # request lines would name users; the app logs what it needs


def post_worker_init(worker):
    worker.wsgi.extensions["tsunagu"].runtime.start()


def worker_exit(server, worker):
    app = getattr(worker, "wsgi", None)
    if app is not None:
        app.extensions["tsunagu"].runtime.stop()
