"""case kinds: a parent's request (S) and a danger alert (A) are cases too, with the family's
own account for the relay; staff names; referrals made off the bot; private replies

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.crypto
import bot.storage.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("kind", sa.String(8), nullable=False, server_default="note"))
        batch.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
        batch.add_column(sa.Column("detail", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("relay_open", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.alter_column("note_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("stage", existing_type=sa.String(20), nullable=True)
        batch.alter_column("area", existing_type=sa.String(40), nullable=True)
        batch.create_foreign_key(
            "fk_cases_request_id_consultation_requests",
            "consultation_requests",
            ["request_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            "fk_cases_parent_id_line_users",
            "line_users",
            ["parent_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint("uq_cases_request_id", ["request_id"])
    for table in ("staff", "invites"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("name", sa.String(80), nullable=False, server_default=""))
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("channel", sa.String(8), nullable=False, server_default="line"))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("instead", bot.storage.crypto.EncryptedJSON(), nullable=True))
    op.create_table(
        "provider_availability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(200), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.Column("note", bot.storage.crypto.EncryptedText(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", bot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["line_users.id"],
            name=op.f("fk_provider_availability_answered_by_line_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_availability")),
    )
    op.create_index("ix_provider_availability_org", "provider_availability", ["org", "answered_at"])
    op.execute(sa.text("UPDATE cases SET detail = '{}' WHERE detail IS NULL"))
    _requests_become_cases()
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("detail", existing_type=sa.JSON(), nullable=False)


def _requests_become_cases() -> None:
    """Requests recorded before: each becomes an unclaimed case of its own kind (its old S-number
    is gone; the specialists see them in 未担当 and route them as they would a new one)."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT r.id, r.user_id, r.stage, r.area, r.topic, r.created_at, r.status, u.language"
            " FROM consultation_requests r JOIN line_users u ON u.id = r.user_id ORDER BY r.id"
        )
    ).all()
    cases = sa.table(
        "cases",
        *(
            sa.column(name)
            for name in (
                "kind",
                "request_id",
                "parent_id",
                "language",
                "stage",
                "area",
                "urgency",
                "lead_type",
                "status",
                "version",
                "created_at",
                "updated_at",
            )
        ),
        sa.column("detail", sa.JSON()),
    )
    for rid, user_id, stage, area, topic, created, status, language in rows:
        conn.execute(
            cases.insert().values(
                kind="consult",
                request_id=rid,
                parent_id=user_id,
                language=language,
                stage=stage,
                area=area,
                urgency="normal",
                lead_type="mch" if stage in ("pregnancy", "age0") else "basic",
                status="new" if status == "open" else "closed",
                version=1,
                detail={"topic": topic},
                created_at=created,
                updated_at=created,
            )
        )


def downgrade() -> None:
    op.drop_index("ix_provider_availability_org", table_name="provider_availability")
    op.drop_table("provider_availability")
    op.execute("DELETE FROM cases WHERE kind != 'note'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("instead")
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("channel")
    for table in ("staff", "invites"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("name")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint("uq_cases_request_id", type_="unique")
        batch.drop_constraint("fk_cases_parent_id_line_users", type_="foreignkey")
        batch.drop_constraint("fk_cases_request_id_consultation_requests", type_="foreignkey")
        batch.alter_column("area", existing_type=sa.String(40), nullable=False)
        batch.alter_column("stage", existing_type=sa.String(20), nullable=False)
        batch.alter_column("note_id", existing_type=sa.Integer(), nullable=False)
        for column in ("relay_open", "detail", "language", "parent_id", "request_id", "kind"):
            batch.drop_column(column)
