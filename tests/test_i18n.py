"""Every user-facing string has a translation in every locale; dates follow the user's locale;
every label fits LINE's limits in every language."""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGE_NAMES, LANGUAGES, LOCALES_DIR, Translator

ROOT = Path(__file__).resolve().parent.parent
# LINE's limits (Messaging API reference): action labels 20 characters, a postback's
# displayText 300, a rich menu's chat bar 14, a buttons template's text 160 (60 with a title).
LABEL_MAX, DISPLAY_MAX, CHAT_BAR_MAX, TEMPLATE_TEXT_MAX = 20, 300, 14, 160
LABEL_BUILDERS = {"postback", "message_action", "uri_action", "date_picker"}


def source_messages() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords={"_": None, "gettext": None}
    )
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


def catalog(language: str):
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    translated = {m.id for m in catalog(language) if m.id and m.string and not m.fuzzy}
    assert sorted(source_messages() - translated) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_or_empty_entry_is_left_in_a_catalog(language):
    left = [m.id for m in catalog(language) if m.id and (m.fuzzy or not m.string)]
    assert left == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    import re

    wrong = [
        m.id
        for m in catalog(language)
        if m.id and set(re.findall(r"\{\w+\}", m.id)) != set(re.findall(r"\{\w+\}", m.string))
    ]
    assert wrong == []


def test_every_locale_on_disk_is_a_language_and_the_reverse():
    on_disk = {p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(LANGUAGES) == set(LANGUAGE_NAMES)


def test_a_missing_translation_is_found(tmp_path, monkeypatch):
    """The catalog check itself fails when a message has no translation."""
    po = (LOCALES_DIR / "vi" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    broken = po.replace('msgstr "Trợ giúp"', 'msgstr ""', 1)
    assert broken != po
    target = tmp_path / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_text(broken, encoding="utf-8")
    monkeypatch.setattr("tests.test_i18n.LOCALES_DIR", tmp_path)
    with pytest.raises(AssertionError):
        test_every_message_is_translated("vi")


def test_source_has_messages():
    assert "Which language shall I use?" in source_messages()


def test_dates_in_the_users_locale_and_tokyo_time():
    moment = datetime(2027, 1, 11, 15, 30, tzinfo=UTC)  # 00:30 on the 12th in Tokyo
    assert Translator("ja").date(moment) == "2027年1月12日火曜日"
    assert Translator("en").date(moment) == "Tuesday, January 12, 2027"
    assert Translator("pt_BR").date(moment) == "terça-feira, 12 de janeiro de 2027"
    assert Translator("vi").date(moment) == "Thứ Ba, 12 tháng 1, 2027"
    assert Translator("zh_Hans").date(moment) == "2027年1月12日星期二"
    assert "0:30" in Translator("ja").datetime(moment)


@pytest.mark.parametrize(
    ("language", "button", "babel"),
    [
        ("ja", "土", "土"),
        ("en", "Sat", "Sat"),
        ("pt_BR", "Sáb", "sáb."),
        ("vi", "T7", "Thứ 7"),
        ("zh_Hans", "周六", "周六"),
    ],
)
def test_weekdays_in_the_users_language(language, button, babel):
    assert Translator(language).gettext("Sat") == button
    assert Translator(language).day(date(2027, 1, 16), "EEE") == babel


def test_unknown_language_falls_back_to_japanese():
    assert Translator("xx").gettext("Help") == "ヘルプ"
    assert Translator("en").gettext("Help") == "Help"
    assert Translator("pt_BR").gettext("Help") == "Ajuda"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_button_label_fits_line_in_every_language(language):
    """LINE cuts a quick-reply label at 20 characters; ours must fit, translated."""
    from bot.app import chat_router

    t = Translator(language)
    too_long = []
    for dialog in chat_router().dialogs.values():
        for step in dialog.asks:
            if callable(step.choices):
                continue  # made from the city file (area names) at run time
            for choice in step.choices:
                label = t.gettext(choice.label)
                if len(label) > LABEL_MAX:
                    too_long.append((dialog.name, step.name, label))
    assert too_long == []


# ---------------------------------------------------------------- every label in the code


def _messages_in(node: ast.AST) -> set[str]:
    """Message ids inside an expression: _("…") and x.gettext("…") calls, and their constants."""
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            name = getattr(sub.func, "attr", None) or getattr(sub.func, "id", None)
            if name in {"_", "gettext"} and sub.args and isinstance(sub.args[0], ast.Constant):
                if isinstance(sub.args[0].value, str):
                    found.add(sub.args[0].value)
    return found


def _names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _assigned(scopes: list[ast.AST], names: set[str]) -> set[str]:
    """Message ids assigned to these names in the enclosing function or the module (tuple
    assignments matched by position; one level of names followed)."""
    found = set()
    for scope in scopes:
        for node in ast.walk(scope):
            if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in names:
                    found |= _messages_in(node.value)
                    if isinstance(node.value, ast.Name | ast.Subscript | ast.Attribute):
                        found |= _assigned(scopes[-1:], _names_in(node.value) - names)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for el, value in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(el, ast.Name) and el.id in names:
                            found |= _messages_in(value)
    return found


def label_messages(builders: frozenset[str] | set[str] = LABEL_BUILDERS) -> dict[str, set[str]]:
    """Message ids used as button or menu labels (or what ``builders`` take first) anywhere
    under bot/, by file."""
    used: dict[str, set[str]] = {}
    for path in (ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in builders or not node.args:
                continue
            scopes, up = [], node
            while up in parents:
                up = parents[up]
                if isinstance(up, ast.FunctionDef | ast.AsyncFunctionDef):
                    scopes.append(up)
            scopes.append(tree)
            arg = node.args[0]
            found = _messages_in(arg) | _assigned(scopes, _names_in(arg))
            if found:
                used.setdefault(str(path.relative_to(ROOT)), set()).update(found)
    return used


def test_the_label_finder_sees_the_labels_it_should():
    used = set().union(*label_messages().values())
    # a direct call, a module constant, a tuple assignment, a menu label
    assert {"Map", "Open", "Ask a specialist", "Search by stage", "Open the admin page"} <= used


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_label_in_the_code_fits_line_in_every_language(language):
    t = Translator(language)
    too_long = sorted(
        (where, t.gettext(message))
        for where, messages in label_messages().items()
        for message in messages
        if "{" not in message and len(t.gettext(message)) > LABEL_MAX
    )
    assert too_long == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_menus_and_language_buttons_fit_line(language):
    from bot.messaging.richmenu import MENUS

    for menu in MENUS.values():
        assert len(menu.chat_bar) <= CHAT_BAR_MAX, menu.role
        for action in menu.actions:
            assert len(action["label"]) <= LABEL_MAX and not action["label"].endswith("…")
            assert len(action.get("displayText", "")) <= DISPLAY_MAX
    assert all(len(name) <= LABEL_MAX for name in LANGUAGE_NAMES.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_message_is_longer_than_a_postback_display_text(language):
    """Any message may be echoed as a postback's displayText (300) somewhere."""
    t = Translator(language)
    labels = set().union(*label_messages().values())
    assert [m for m in labels if len(t.gettext(m)) > DISPLAY_MAX] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_buttons_template_text_fits_line_in_every_language(language):
    """A buttons template's text is cut at 160 characters: ours must fit, translated (with
    room left for what fills its placeholders)."""
    t = Translator(language)
    used = label_messages({"buttons"})
    assert sum(len(m) for m in used.values()) >= 5  # the finder sees the templates
    too_long = sorted(
        (where, message)
        for where, messages in used.items()
        for message in messages
        if len(t.gettext(message)) > TEMPLATE_TEXT_MAX - (40 if "{" in message else 0)
    )
    assert too_long == []
