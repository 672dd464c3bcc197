"""``python -m bot invite …`` and ``python -m bot members …``: registering and removing staff."""

from __future__ import annotations

import click
from sqlalchemy import select

from bot.cases.invites import (
    DEFAULT_DAYS,
    MAX_DAYS,
    InviteError,
    create_invite,
    deactivate,
    revoke,
)
from bot.cases.models import Invite, Staff
from bot.cli.context import AppContext, pass_app
from bot.storage.models import LineUser
from bot.vocabulary import STAFF_ROLES, SpecialistType


@click.group()
def invite() -> None:
    """One-time codes that register members, specialists and admins."""


@invite.command("create")
@click.option("--role", type=click.Choice(sorted(r.value for r in STAFF_ROLES)), required=True)
@click.option(
    "--type", "kind", type=click.Choice([t.value for t in SpecialistType]), help="Specialists only."
)
@click.option("--org", default="", help="The organisation (members: receives referrals).")
@click.option("--area", default=None, help="An area id from the city file; none: every area.")
@click.option("--name", default="", help="How colleagues know them, e.g. 山田（保健師）.")
@click.option(
    "--days",
    type=click.IntRange(1, MAX_DAYS),
    default=DEFAULT_DAYS,
    show_default=True,
    help=f"Valid for (1 to {MAX_DAYS} days).",
)
@pass_app
def invite_create(
    app: AppContext,
    role: str,
    kind: str | None,
    org: str,
    area: str | None,
    name: str,
    days: int,
) -> None:
    """Make a code; it is printed alone on the last line (only its hash is stored)."""
    with app.database.transaction() as session:
        try:
            code = create_invite(
                session,
                role=role,
                specialist_type=kind,
                org=org,
                area=area,
                name=name,
                days=days,
                now=app.now(),
                city=app.city,
            )
        except InviteError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Invite for a {role}, valid {days} days. Send this code to the bot as a message:")
    click.echo(code)


@invite.command("list")
@pass_app
def invite_list(app: AppContext) -> None:
    """Invites not yet used and not expired (their codes cannot be shown again)."""
    with app.database.transaction() as session:
        rows = session.scalars(
            select(Invite)
            .where(Invite.used_at.is_(None), Invite.expires_at > app.now())
            .order_by(Invite.id)
        ).all()
        for row in rows:
            click.echo(
                f"{row.id}\t{row.role}\t{row.specialist_type or '-'}\t{row.org or '-'}\t"
                f"{row.area or '*'}\texpires {row.expires_at:%Y-%m-%d}"
            )
    if not rows:
        click.echo("no open invites")


@invite.command("revoke")
@click.argument("invite_id", type=int)
@pass_app
def invite_revoke(app: AppContext, invite_id: int) -> None:
    """Make an unused invite stop working at once (its id from: invite list)."""
    with app.database.transaction() as session:
        try:
            revoke(session, invite_id, app.now())
        except InviteError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"invite {invite_id} revoked: its code no longer works")


@invite.command("seed-simulator")
@pass_app
def invite_seed_simulator(app: AppContext) -> None:
    """Register the simulator's member and specialists (local mode only; safe to repeat)."""
    from bot.simulator.staff import seed_simulator_staff

    if not app.settings.local_mode:
        raise click.ClickException("seed-simulator is for local mode (BOT_LOCAL_MODE=1)")
    created = seed_simulator_staff(app.database, app.city)
    click.echo(f"simulator staff registered ({created} new)")


@click.group()
def members() -> None:
    """Registered members, specialists and admins."""


@members.command("list")
@click.option("--all", "everyone", is_flag=True, help="Include deactivated staff.")
@pass_app
def members_list(app: AppContext, everyone: bool) -> None:
    """Staff, one a line: id, role, type, organisation, area, state."""
    with app.database.transaction() as session:
        query = select(Staff, LineUser).join(LineUser, LineUser.id == Staff.user_id)
        if not everyone:
            query = query.where(Staff.active.is_(True))
        rows = session.execute(query.order_by(Staff.id)).all()
        for staff, user in rows:
            state = "active" if staff.active else "deactivated"
            click.echo(
                f"{staff.id}\t{staff.role}\t{staff.specialist_type or '-'}\t{staff.org or '-'}\t"
                f"{staff.area or '*'}\t{state}\tuser #{user.id}"
            )
    if not rows:
        click.echo("no staff registered")


@members.command("deactivate")
@click.argument("staff_id", type=int)
@pass_app
def members_deactivate(app: AppContext, staff_id: int) -> None:
    """Take a staff member's role away (they are a parent to the bot from now on)."""
    with app.database.transaction() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise click.ClickException(f"no staff member {staff_id} (see: members list)")
        deactivate(session, staff, app.now())
    click.echo(f"staff member {staff_id} deactivated")
