"""kb gaps: questions the knowledge base could not answer, for the city's editors (no user)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.crypto

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("question", bot.storage.crypto.EncryptedText(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("closest", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_gaps")),
    )
    op.create_index("ix_kb_gaps_asked_on", "kb_gaps", ["asked_on"])


def downgrade() -> None:
    op.drop_index("ix_kb_gaps_asked_on", table_name="kb_gaps")
    op.drop_table("kb_gaps")
