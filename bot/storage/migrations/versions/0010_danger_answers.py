"""danger answers: how often the bot answered danger, by tier (no user, no words)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "danger_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tier", sa.String(12), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_danger_answers")),
    )
    op.create_index("ix_danger_answers_at", "danger_answers", ["at"])


def downgrade() -> None:
    op.drop_index("ix_danger_answers_at", table_name="danger_answers")
    op.drop_table("danger_answers")
