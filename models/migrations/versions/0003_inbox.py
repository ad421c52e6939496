"""robustness: ambiguous sends resent once (reminder_deliveries.resends)

Revision ID: 0003_inbox
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_inbox"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder_deliveries") as batch:
        batch.add_column(sa.Column("resends", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("reminder_deliveries") as batch:
        batch.drop_column("resends")
