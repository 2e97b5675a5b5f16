"""Keep Twilio's transcriptions of recordings; index events by time for the report.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recordings") as batch:
        batch.add_column(sa.Column("transcription", sa.Text))
        batch.add_column(sa.Column("transcription_status", sa.String(20)))
    op.create_index("ix_events_at", "events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_events_at", table_name="events")
    with op.batch_alter_table("recordings") as batch:
        batch.drop_column("transcription_status")
        batch.drop_column("transcription")
