"""the HTTP API: clients (hashed keys, scopes, provinces, rate limit), audit, idempotency;
indexes for its pages of applications of one status or province.

Revision ID: 0013_api
Revises: 0010_identity_resolution
Create Date: 2026-12-03

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_api"
down_revision: str | Sequence[str] | None = "0010_identity_resolution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("provinces", sa.JSON(), nullable=True),
        sa.Column("rate_limit_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True),
                  server_default=sa.func.now(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("name", name=op.f("uq_api_clients_name")),
        sa.UniqueConstraint("key_prefix", name=op.f("uq_api_clients_key_prefix")),
    )
    op.create_table(
        "api_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("resource", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True),
                  server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["api_clients.id"],
                                name=op.f("fk_api_audit_client_id_api_clients"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_audit")),
    )
    op.create_index("ix_api_audit_at", "api_audit", ["at"], unique=False)
    op.create_index(op.f("ix_api_audit_client_id"), "api_audit", ["client_id"], unique=False)
    op.create_table(
        "api_idempotency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("method_path", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("content_type", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True),
                  server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["api_clients.id"],
                                name=op.f("fk_api_idempotency_client_id_api_clients"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency")),
        sa.UniqueConstraint("client_id", "key", name="uq_api_idempotency_client_key"),
    )
    op.create_index(op.f("ix_api_idempotency_created_at"), "api_idempotency", ["created_at"],
                    unique=False)
    # The API's pages of one status or province, in id order.
    op.create_index("ix_applications_status_id", "applications", ["status", "id"], unique=False)
    op.create_index("ix_applications_province_id", "applications", ["province", "id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("ix_applications_province_id", table_name="applications")
    op.drop_index("ix_applications_status_id", table_name="applications")
    op.drop_index(op.f("ix_api_idempotency_created_at"), table_name="api_idempotency")
    op.drop_table("api_idempotency")
    op.drop_index(op.f("ix_api_audit_client_id"), table_name="api_audit")
    op.drop_index("ix_api_audit_at", table_name="api_audit")
    op.drop_table("api_audit")
    op.drop_table("api_clients")
