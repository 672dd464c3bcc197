"""LINE's loading animation ("…" in the chat) while the bot looks something up.

``POST /v2/bot/chat/loading/start`` shows it in a one-on-one chat for ``loadingSeconds`` (5–60,
a multiple of 5) or until the bot's next message arrives. It is not a message and uses no reply
token. The call is made from a small background sender, so the search it accompanies never
waits for LINE; at most ``QUEUE`` calls wait at once. While answers are waiting to be sent (a
flood: ``busy``), the animation is left out, so every call to LINE goes to an answer. A failure
is logged without the user's id and ignored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from linebot.v3.messaging import MessagingApi, ShowLoadingAnimationRequest
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError as TransportError

log = logging.getLogger(__name__)

SECONDS = 10  # long enough for a search under load; the answer ends it earlier
QUEUE = 8
TIMEOUT = (2.0, 3.0)  # connect, read (seconds)


class LoadingAnimation:
    def __init__(self, api: MessagingApi, seconds: int = SECONDS):
        if seconds % 5 or not 5 <= seconds <= 60:
            raise ValueError("loadingSeconds must be a multiple of 5 from 5 to 60")
        self.api = api
        self.seconds = seconds
        self._pool: ThreadPoolExecutor | None = None
        self._waiting = 0
        self._lock = threading.Lock()
        self.busy: Callable[[], bool] = lambda: False  # set by the runtime

    def show(self, chat_id: str) -> bool:
        """Start the animation for one user (1:1 chats only); False when it was skipped."""
        if not chat_id.startswith("U"):  # groups (C…) and rooms (R…) have no animation
            return False
        if self.busy():
            return False
        with self._lock:
            if self._waiting >= QUEUE:
                return False
            self._waiting += 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(2, thread_name_prefix="tsunagu-loading")
        self._pool.submit(self._call, chat_id)
        return True

    def _call(self, chat_id: str) -> None:
        try:
            request = ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=self.seconds)
            self.api.show_loading_animation(request, _request_timeout=TIMEOUT)
        except ApiException as exc:
            log.warning("loading animation refused: HTTP %s", exc.status)
        except (TransportError, OSError) as exc:
            log.warning("loading animation not shown: %s", type(exc).__name__)
        except Exception as exc:  # never let the animation break anything
            log.warning("loading animation failed: %s", type(exc).__name__)
        finally:
            with self._lock:
                self._waiting -= 1

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Tests: wait until every started call has finished."""
        import time

        deadline = time.monotonic() + timeout
        while self._waiting and time.monotonic() < deadline:
            time.sleep(0.01)
