"""one delivery path: notices (completions, extensions, returns, …) through the ledger

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_deliveries") as batch:
        batch.add_column(sa.Column("body", sa.Text(), nullable=True))
        batch.add_column(sa.Column("markup", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder_deliveries") as batch:
        batch.drop_column("markup")
        batch.drop_column("body")
