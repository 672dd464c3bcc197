"""outreach bookings; a consultation request may outlive its parent (anonymised on request)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

FK = "fk_consultation_requests_user_id_line_users"
BOOKED = sa.text("status = 'booked'")


def upgrade() -> None:
    op.create_table(
        "outreach_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(120), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.String(5), nullable=False),
        sa.Column("ends", sa.String(5), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("area", sa.String(40), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", bot.storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["line_users.id"],
            name=op.f("fk_outreach_bookings_user_id_line_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach_bookings")),
    )
    op.create_index(
        "uq_outreach_bookings_slot",
        "outreach_bookings",
        ["entry_key", "day", "starts"],
        unique=True,
        sqlite_where=BOOKED,
        postgresql_where=BOOKED,
    )
    op.create_index("ix_outreach_bookings_day", "outreach_bookings", ["day", "status"])
    op.create_index("ix_outreach_bookings_user", "outreach_bookings", ["user_id"])
    with op.batch_alter_table("consultation_requests") as batch:
        batch.drop_constraint(FK, type_="foreignkey")
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(FK, "line_users", ["user_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    op.execute("DELETE FROM consultation_requests WHERE user_id IS NULL")
    with op.batch_alter_table("consultation_requests") as batch:
        batch.drop_constraint(FK, type_="foreignkey")
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(FK, "line_users", ["user_id"], ["id"], ondelete="CASCADE")
    op.drop_index("ix_outreach_bookings_user", table_name="outreach_bookings")
    op.drop_index("ix_outreach_bookings_day", table_name="outreach_bookings")
    op.drop_index("uq_outreach_bookings_slot", table_name="outreach_bookings")
    op.drop_table("outreach_bookings")
