"""inbox: pending events in arrival order, for the handler's batched look for work

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbox_pending_order", "inbox_events", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_inbox_pending_order", table_name="inbox_events")
