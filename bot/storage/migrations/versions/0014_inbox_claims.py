"""inbox: a claimed event's lease (handled outside the write lock, claimed first)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_events") as batch:
        lease = bot.storage.models.UTCDateTime(timezone=True)
        batch.add_column(sa.Column("lease_until", lease, nullable=True))


def downgrade() -> None:
    # A claim not yet handled is pending again.
    op.execute("UPDATE inbox_events SET status = 'pending' WHERE status = 'claimed'")
    with op.batch_alter_table("inbox_events") as batch:
        batch.drop_column("lease_until")
