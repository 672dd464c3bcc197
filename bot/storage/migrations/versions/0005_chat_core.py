"""chat core: cases count their state changes (stale buttons are refused); the outbox forgets
which event caused a row (nothing read it)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("fk_outbox_source_event_id_inbox_events", type_="foreignkey")
        batch.drop_column("source_event_id")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("source_event_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_outbox_source_event_id_inbox_events",
            "inbox_events",
            ["source_event_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("version")
