"""Keep how well each spoken turn matched its node, for `ivr speech --misses`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("score", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("score")
