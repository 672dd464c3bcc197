"""inbox: pending events in arrival order, for the handler's batched look for work

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbox_pending_order", "inbox_events", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_pending_order", table_name="inbox_events")
