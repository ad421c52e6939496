"""timings: recurring period, relative deadlines, hour; received day; unsure fields

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task_dues") as batch:
        batch.add_column(sa.Column("every", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("day", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("month", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("time", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("working", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(length=16), nullable=True))
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("unsure", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("dispatches") as batch:
        batch.add_column(sa.Column("received_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("recipients_unsure", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("dispatches") as batch:
        batch.drop_column("recipients_unsure")
        batch.drop_column("received_on")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("unsure")
    with op.batch_alter_table("task_dues") as batch:
        for name in ("origin", "working", "days", "time", "month", "day", "every"):
            batch.drop_column(name)
