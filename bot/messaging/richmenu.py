"""Rich menus by role, defined in code and deployed with ``python -m bot richmenu deploy``.

Parents get the default menu. Members and specialists get theirs linked when they register:
``link_menu`` writes the link to the outbox (like a message), so it happens once, after the
registration is committed, and is retried like any delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
)
from sqlalchemy.orm import Session

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, _
from bot.messaging.builders import message_action, postback
from bot.messaging.postback import Command, DialogEntry, MenuTap
from bot.storage.models import OutboxMessage

ASSETS = Path(__file__).resolve().parent / "assets"
WIDTH, HEIGHT = 2500, 843
PREFIX = "tsunagu-"  # menus we made carry this name, so a redeploy replaces only ours


@dataclass(frozen=True)
class Menu:
    role: str
    chat_bar: str
    actions: tuple[dict, ...]

    @property
    def name(self) -> str:
        return PREFIX + self.role

    def request(self) -> dict:
        width = WIDTH // len(self.actions)
        areas = [
            {"bounds": {"x": i * width, "y": 0, "width": width, "height": HEIGHT}, "action": a}
            for i, a in enumerate(self.actions)
        ]
        return {
            "size": {"width": WIDTH, "height": HEIGHT},
            "selected": True,
            "name": self.name,
            "chatBarText": self.chat_bar,
            "areas": areas,
        }

    @property
    def image(self) -> Path:
        return ASSETS / f"richmenu_{self.role.replace('-', '_')}.png"


# The parents' menu, in each language: its labels are catalog messages.
PARENT_LABELS = (
    _("Search"),
    _("This week's salons"),
    _("Ask a specialist"),
    _("Language"),
)
CHAT_BAR = _("Menu")


def parent_menu(language: str) -> Menu:
    t = Translator(language)
    search, week, ask, lang = (t.gettext(label) for label in PARENT_LABELS)
    # The language button names the language in Japanese too: a parent who cannot read the
    # menu's language can still find the way back.
    lang_label = "言語 Language" if language in ("ja", "en") else f"{lang} 言語"
    role = "parent" if language == DEFAULT_LANGUAGE else f"parent-{language}"
    return Menu(
        role,
        t.gettext(CHAT_BAR),
        (
            postback(search, DialogEntry("guide").pack(), search),
            postback(week, MenuTap(Command.SALONS_WEEK).pack(), week),
            postback(ask, DialogEntry("consult").pack(), ask),
            postback(lang_label, DialogEntry("language").pack(), lang),
        ),
    )


MENUS = {
    **{m.role: m for m in (parent_menu(language) for language in LANGUAGES)},
    "member": Menu(
        "member",
        "メニュー",
        (
            message_action("気になる家庭を知らせる", "気になる"),
            postback("わたしの報告", MenuTap(Command.MY_NOTES).pack(), "わたしの報告"),
            message_action("ヘルプ"),
        ),
    ),
    "specialist": Menu(
        "specialist",
        "専門員メニュー",
        (
            message_action("一覧"),
            postback("今日のフォロー", MenuTap(Command.TODAY).pack(), "今日のフォロー"),
            postback("未担当", MenuTap(Command.UNCLAIMED).pack(), "未担当"),
        ),
    ),
}
# Admins work cases as specialists do, and reach the city's web page from their menu.
MENUS["admin"] = Menu(
    "admin",
    "管理者メニュー",
    (*MENUS["specialist"].actions, message_action("管理画面")),
)
MENU_OF_ROLE = {
    "parent": "parent",
    "member": "member",
    "specialist": "specialist",
    "admin": "admin",
}


def menu_of(role: str, language: str | None = None) -> str:
    """The menu a person gets: staff by role (in Japanese); parents in their language."""
    key = MENU_OF_ROLE.get(role, "parent")
    if key == "parent" and language and language != DEFAULT_LANGUAGE:
        key = f"parent-{language}" if f"parent-{language}" in MENUS else key
    return key


def link_menu(session: Session, line_user_id: str, role: str, language: str | None = None) -> None:
    """Queue linking the person's menu (after their registration or choice commits)."""
    session.add(
        OutboxMessage(
            to=line_user_id, kind="richmenu", messages=[{"menu": menu_of(role, language)}]
        )
    )


def data_endpoint(endpoint: str) -> str:
    """Images go to LINE's data host; the local double takes them at the same address."""
    return endpoint.replace("://api.line.me", "://api-data.line.me")


def deploy(endpoint: str, access_token: str) -> dict[str, str]:
    """Create every menu (replacing ours), upload its image, make the parents' the default."""
    api = MessagingApi(ApiClient(Configuration(host=endpoint, access_token=access_token)))
    blob = MessagingApiBlob(
        ApiClient(Configuration(host=data_endpoint(endpoint), access_token=access_token))
    )
    for old in api.get_rich_menu_list().richmenus or []:
        if old.name.startswith(PREFIX):
            api.delete_rich_menu(old.rich_menu_id)
    ids = {}
    for role, menu in MENUS.items():
        created = api.create_rich_menu(RichMenuRequest.from_dict(menu.request()))
        blob.set_rich_menu_image(
            created.rich_menu_id,
            body=menu.image.read_bytes(),
            _headers={"Content-Type": "image/png"},
        )
        ids[role] = created.rich_menu_id
    api.set_default_rich_menu(ids["parent"])
    return ids


def menu_id_by_name(api: MessagingApi, key: str) -> str | None:
    """The deployed menu for a key of ``MENUS`` (older outbox rows name a role)."""
    name = (MENUS.get(key) or MENUS[MENU_OF_ROLE.get(key, "parent")]).name
    for menu in api.get_rich_menu_list().richmenus or []:
        if menu.name == name:
            return menu.rich_menu_id
    return None
