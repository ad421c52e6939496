"""periodic obligations: periods, the rule on assignments, period of an extension request

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "periods",
        sa.Column("id", ID, nullable=False),
        sa.Column("assignment_id", ID, nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("original_due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by_id", ID, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_periods_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["people.id"],
            name=op.f("fk_periods_done_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periods")),
        sa.UniqueConstraint("assignment_id", "key", name=op.f("uq_periods_assignment_id_key")),
    )
    op.create_index("ix_periods_status_due_on", "periods", ["status", "due_on"])
    op.create_index("ix_periods_due_on", "periods", ["due_on"])
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("period_rule", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("opened_through", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("stop_reason", sa.Text(), nullable=True))
        batch.create_index(
            "ix_assignments_period_rule_opened_through", ["period_rule", "opened_through"]
        )
    with op.batch_alter_table("extension_requests") as batch:
        batch.add_column(sa.Column("period_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_extension_requests_period_id_periods"),
            "periods",
            ["period_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("extension_requests") as batch:
        batch.drop_constraint(op.f("fk_extension_requests_period_id_periods"), type_="foreignkey")
        batch.drop_column("period_id")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_index("ix_assignments_period_rule_opened_through")
        for name in ("stop_reason", "stopped_at", "ends_on", "opened_through", "period_rule"):
            batch.drop_column(name)
    op.drop_index("ix_periods_due_on", table_name="periods")
    op.drop_index("ix_periods_status_due_on", table_name="periods")
    op.drop_table("periods")
