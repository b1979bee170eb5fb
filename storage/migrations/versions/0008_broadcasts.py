"""broadcasts, the outbox rows' outcome and broadcast, and the person's news switch.

Revision ID: 0008_broadcasts
Revises: 0007_outbox
Create Date: 2026-12-02

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_broadcasts"
down_revision: str | Sequence[str] | None = "0007_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=False),
        sa.Column("author_platform", sa.String(length=16), nullable=False),
        sa.Column("author_user_id", sa.BigInteger(), nullable=False),
        sa.Column("author_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column("media_name", sa.String(length=255), nullable=True),
        sa.Column("media_mime", sa.String(length=64), nullable=True),
        sa.Column("media_size", sa.Integer(), nullable=True),
        sa.Column("media", sa.LargeBinary(), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_broadcasts")),
        sa.UniqueConstraint("request_key", name=op.f("uq_broadcasts_request_key")),
    )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("broadcast_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_outbox_broadcast_id_broadcasts"), "broadcasts", ["broadcast_id"], ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_outbox_broadcast", ["broadcast_id", "outcome"], unique=False)
    with op.batch_alter_table("persons") as batch:
        batch.add_column(
            sa.Column("news_opt_out", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("news_opt_out")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_broadcast")
        batch.drop_constraint(batch.f("fk_outbox_broadcast_id_broadcasts"), type_="foreignkey")
        batch.drop_column("broadcast_id")
        batch.drop_column("outcome")
    op.drop_table("broadcasts")
