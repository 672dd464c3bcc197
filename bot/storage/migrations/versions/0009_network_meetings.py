"""network meetings: where and when an area's network meets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(40), nullable=False),
        sa.Column("starts_at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("called_by", sa.Integer(), nullable=True),
        sa.Column("created_at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["called_by"],
            ["line_users.id"],
            name=op.f("fk_network_meetings_called_by_line_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_meetings")),
    )
    op.create_index("ix_network_meetings_starts", "network_meetings", ["starts_at"])


def downgrade() -> None:
    op.drop_index("ix_network_meetings_starts", table_name="network_meetings")
    op.drop_table("network_meetings")
