"""Rich menus: deployed through the SDK (menus, images, default), linked per user via the outbox."""

from click.testing import CliRunner

from bot.__main__ import cli
from bot.messaging.richmenu import MENUS, link_menu
from tests.transcript import simulator_session

SPECIALIST = "U" + "7" * 32
ADMIN = "U" + "a" * 32


def test_deploy_creates_every_menu_with_its_image_and_the_parents_default(bot, monkeypatch):
    settings = bot.tsunagu.settings
    for name in ("BOT_INSTANCE_PATH", "DATABASE_URL", "PORT"):
        monkeypatch.setenv(
            name,
            {
                "BOT_INSTANCE_PATH": str(settings.instance_path),
                "DATABASE_URL": settings.database_url,
                "PORT": str(settings.port),
            }[name],
        )
    result = CliRunner().invoke(cli, ["richmenu", "deploy"])
    assert result.exit_code == 0, result.output
    assert len(bot.double.rich_menus) == len(MENUS)
    assert len(bot.double.calls("richmenu_image")) == len(MENUS)
    parent_menu = bot.double.rich_menus[bot.double.default_rich_menu]
    assert parent_menu["name"] == "tsunagu-parent"

    # deploying again replaces ours instead of piling up
    assert CliRunner().invoke(cli, ["richmenu", "deploy"]).exit_code == 0
    assert len(bot.double.rich_menus) == len(MENUS)

    # the simulator shows the parents' menu with its labels
    simulator = simulator_session(bot.live.url)
    messages = bot.live.url + "/simulator/api/messages"
    page = simulator.get(messages, params={"user_id": "U" + "9" * 32}, timeout=5).json()
    assert page["richmenu"]["labels"] == ["さがす", "今週のサロン", "専門員に相談", "言語 Language"]

    # a specialist's menu is linked through the outbox, after their registration commits
    with bot.tsunagu.db.transaction() as session:
        link_menu(session, SPECIALIST, "specialist")
    bot.settle()
    linked = bot.double.user_rich_menus[SPECIALIST]
    assert bot.double.rich_menus[linked]["name"] == "tsunagu-specialist"
    page = simulator.get(messages, params={"user_id": SPECIALIST}, timeout=5).json()
    assert page["richmenu"]["labels"] == ["一覧", "今日のフォロー", "未担当"]

    # an admin's menu adds the way to the city's web page (its tap sends 「管理画面」)
    with bot.tsunagu.db.transaction() as session:
        link_menu(session, ADMIN, "admin")
    bot.settle()
    assert bot.double.rich_menus[bot.double.user_rich_menus[ADMIN]]["name"] == "tsunagu-admin"
    page = simulator.get(messages, params={"user_id": ADMIN}, timeout=5).json()
    assert page["richmenu"]["labels"] == ["一覧", "今日のフォロー", "未担当", "管理画面"]
    assert MENUS["admin"].actions[-1]["text"] == "管理画面"


def test_linking_before_deploying_is_dead_lettered_with_a_reason(bot):
    from sqlalchemy import select

    from bot.storage.models import OutboxMessage

    with bot.tsunagu.db.transaction() as session:
        link_menu(session, SPECIALIST, "specialist")
    bot.settle()
    with bot.tsunagu.db.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
    assert row.status == "dead" and "richmenu deploy" in row.last_error
