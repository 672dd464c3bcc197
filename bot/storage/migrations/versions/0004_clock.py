"""clock: the leader's lease, reminders decided once, and indexes for the jobs' queries

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The clock's set-based queries over many open cases (see bot/scheduler/due.py).
JOB_INDEXES = {
    "cases": {
        "ix_cases_status_follow_up": ["status", "follow_up_on"],
        "ix_cases_status_updated": ["status", "updated_at"],
        "ix_cases_status_created": ["status", "created_at"],
        "ix_cases_status_closed": ["status", "closed_at"],
    },
    "referrals": {"ix_referrals_status_created": ["status", "created_at"]},
}


def upgrade() -> None:
    op.create_table(
        "clock_leases",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("expires_at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_tick", bot.storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_clock_leases")),
    )
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders_sent")),
        sa.UniqueConstraint("kind", "subject_id", "due_on", name="uq_reminders_sent_key"),
    )
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.create_index("ix_reminders_sent_kind_at", ["kind", "at"], unique=False)
    for table, indexes in JOB_INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes.items():
                batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table, indexes in JOB_INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(name)
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.drop_index("ix_reminders_sent_kind_at")
    op.drop_table("reminders_sent")
    op.drop_table("clock_leases")
