"""The operator CLI (click): ``python -m bot --help`` lists every command.

Every command gets what it needs from one ``AppContext`` (``context``): the same clear message
for a bad setting everywhere, and Tokyo time. The groups are composed here:

serve, worker      the web and event processing (``server``)
clock, reminders   the scheduled jobs (``clock``)
db, richmenu       the database and keys; LINE's rich menus (``server``)
invite, members    staff (``staff``)
kb                 the knowledge base (``kb``)
report             monthly figures (``report``)
audit              the audit trail (``audit``)
notice             notices to parents (``notice``)
"""

from __future__ import annotations

import logging

import click

from bot.cli.audit import audit
from bot.cli.clock import clock, reminders
from bot.cli.kb import kb
from bot.cli.notice import notice
from bot.cli.report import report
from bot.cli.server import db, richmenu, serve, worker
from bot.cli.staff import invite, members


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def cli(verbose: bool) -> None:
    """Tsunagu (つなぐ): the LINE bot for the city's 利用者支援事業."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Quiet the libraries: request lines name users, and the clock's ticks say nothing new.
    for name in ("alembic", "werkzeug", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


for command in (serve, worker, clock, db, richmenu, reminders, invite, members, kb):
    cli.add_command(command)
for command in (report, audit, notice):  # the city's figures, audit trail and notices
    cli.add_command(command)
