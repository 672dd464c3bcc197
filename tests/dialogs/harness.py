"""A fast harness for dialogs: a dialog's steps driven as the pure functions they are — no
server, no database, no LINE — by doing what the router does with a Place between answers.

    chat = Talk(guide).start()
    chat.tap("age0").tap("kita").tap("any")
    assert chat.intent == ShowResults(Stage.AGE0, "kita", None)

The transcript tests (tests/test_*.py) still drive the same dialogs through the real webhook.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.city import load_city
from bot.config import SAMPLE_CITY
from bot.dialogs import engine
from bot.dialogs.engine import Answer, Dialog
from bot.i18n import Translator
from bot.messaging.postback import DialogTap, unpack

CITY = load_city(SAMPLE_CITY)
NOW = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)  # 10:00 on a Tuesday in Tokyo


class Talk:
    def __init__(
        self,
        dialog: Dialog,
        *,
        profile: dict | None = None,
        data: dict | None = None,
        now: datetime = NOW,
        language: str = "en",
    ):
        self.dialog = dialog
        self.profile = {"language": language, **(profile or {})}
        self.data = dict(data or {})
        self.now = now
        self.place: engine.Place | None = None
        self.said: list[dict] = []
        self.intent = None
        self.left = False  # the dialog let go of typed text that fit nowhere

    def _ctx(self, data: dict) -> engine.Context:
        t = Translator(self.profile.get("language"))
        return engine.Context(t, self.now, data, self.profile, CITY)

    def _apply(self, result: engine.Result) -> Talk:
        self.said = result.say
        self.place = result.place
        self.intent = result.intent
        self.left = not result.handled
        return self

    def start(self) -> Talk:
        return self._apply(engine.start(self.dialog, self._ctx(self.data)))

    def _answer(self, given: Answer) -> Talk:
        assert self.place is not None, "the dialog has finished"
        ctx = self._ctx(dict(self.place.data))
        return self._apply(engine.answer(self.dialog, self.place, ctx, given))

    def tap(self, value: str, params: dict | None = None) -> Talk:
        """Tap a value as a button would send it (offered or not: the engine decides)."""
        return self._answer(Answer(value=value, params=dict(params or {})))

    def tap_label(self, label: str) -> Talk:
        """Tap the button the person sees with this label."""
        for action in self.actions():
            if action["label"] == label:
                tapped = unpack(action["data"])
                assert isinstance(tapped, DialogTap), action
                return self.tap(tapped.value)
        raise AssertionError(f"no button {label!r}; offered {self.buttons}")

    def type(self, typed: str) -> Talk:
        return self._answer(Answer(text=typed))

    # ------------------------------------------------------------ what the person sees

    def actions(self) -> list[dict]:
        last = self.said[-1] if self.said else {}
        return [item["action"] for item in last.get("quickReply", {}).get("items", [])]

    @property
    def buttons(self) -> list[str]:
        return [a["label"] for a in self.actions()]

    @property
    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.said]

    def heard(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts)

    @property
    def asked(self) -> str | None:
        """The step waiting for an answer; None when the dialog is over."""
        return self.place.step if self.place else None
