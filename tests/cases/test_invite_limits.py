"""Invites: --days bounded (1..90) with a clear error; `invite revoke ID` stops an unused code."""

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.__main__ import cli
from bot.cases.invites import MAX_DAYS, InviteError, create_invite
from bot.cases.models import Invite
from bot.storage.models import LineUser
from tests.cases.conftest import PARENT, speaks_english


@pytest.fixture
def runner(bot, monkeypatch):
    """The CLI on the live bot's database, so codes can then be sent to the bot."""
    settings = bot.tsunagu.settings
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOT_INSTANCE_PATH", str(settings.instance_path))
    return CliRunner()


@pytest.mark.parametrize("days", ["0", "-3", "91", "100000", "1000000000"])
def test_invite_days_out_of_range_is_refused_clearly(runner, days):
    result = runner.invoke(cli, ["invite", "create", "--role", "admin", "--days", days])
    assert result.exit_code == 2
    assert "--days" in result.output and "1<=x<=90" in result.output


def test_the_longest_invite_is_90_days(bot, runner):
    result = runner.invoke(cli, ["invite", "create", "--role", "admin", "--days", str(MAX_DAYS)])
    assert result.exit_code == 0, result.output
    with bot.tsunagu.db.transaction() as session:
        invite = session.scalars(select(Invite)).one()
        assert (invite.expires_at - invite.created_at).days == MAX_DAYS
        with pytest.raises(InviteError, match="from 1 to 90"):
            create_invite(session, role="admin", now=datetime.now(UTC), city={}, days=MAX_DAYS + 1)


def _create(runner) -> tuple[str, str]:
    made = runner.invoke(cli, ["invite", "create", "--role", "admin"])
    assert made.exit_code == 0, made.output
    code = made.output.strip().splitlines()[-1]
    listed = runner.invoke(cli, ["invite", "list"]).output.strip().splitlines()
    return code, listed[-1].split("\t")[0]


def test_a_revoked_code_no_longer_registers_anyone(bot, runner):
    code, invite_id = _create(runner)
    revoked = runner.invoke(cli, ["invite", "revoke", invite_id])
    assert revoked.exit_code == 0, revoked.output
    assert f"invite {invite_id} revoked" in revoked.output
    assert runner.invoke(cli, ["invite", "list"]).output.strip() == "no open invites"

    speaks_english(bot, PARENT)
    parent = bot.person(PARENT)
    parent.says(code)
    assert parent.heard("that code is not valid")
    with bot.tsunagu.db.transaction() as session:
        user = session.scalar(select(LineUser).where(LineUser.line_user_id == PARENT))
        assert user.role == "parent"

    again = runner.invoke(cli, ["invite", "revoke", invite_id])
    assert again.exit_code == 1 and "already expired" in again.output


def test_a_used_or_unknown_invite_cannot_be_revoked(bot, runner):
    code, invite_id = _create(runner)
    speaks_english(bot, PARENT)
    bot.person(PARENT).says(code)
    used = runner.invoke(cli, ["invite", "revoke", invite_id])
    assert used.exit_code == 1
    assert "already used" in used.output and "members deactivate" in used.output
    unknown = runner.invoke(cli, ["invite", "revoke", "999"])
    assert unknown.exit_code == 1 and "no invite 999" in unknown.output


def test_a_code_revoked_while_it_is_being_redeemed_is_not_taken(bot):
    """Redeeming reads the invite, then claims it: a revoke between the two must win."""
    from sqlalchemy import update

    from bot.cases.invites import code_body, redeem
    from bot.storage.models import get_or_create_user

    now = datetime.now(UTC)
    with bot.tsunagu.db.transaction() as session:
        code = create_invite(session, role="admin", now=now, city={})
    with bot.tsunagu.db.transaction() as session:
        user = get_or_create_user(session, PARENT)
        read = session.scalars(select(Invite)).one()  # noqa: F841 (held: as redeem reads it)
        # ... and revoked by the operator before the claim (the row changes under us).
        session.execute(
            update(Invite).values(expires_at=now), execution_options={"synchronize_session": False}
        )
        assert redeem(session, user, code_body(code), now).outcome == "wrong"
    with bot.tsunagu.db.transaction() as session:
        assert session.scalars(select(Invite.used_at)).one() is None
