"""Messages and callback requests say where they come from; a callback says its day.

Each gets the caller's language, the topic before it and whether that topic is urgent;
a callback request gets the date of its window. Rows kept before have no topic or date
(nobody knew them) and are not urgent; their language is the call's.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("recordings", "callbacks")


def upgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column("language", sa.String(16)))
            batch.add_column(sa.Column("topic", sa.String(64)))
            batch.add_column(
                sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false())
            )
            if name == "callbacks":
                batch.add_column(sa.Column("window_date", sa.Date))
    # The call's language (that of its latest step) is the best guess for an older row.
    calls = sa.table("calls", sa.column("call_sid"), sa.column("language"))
    for name in _TABLES:
        table = sa.table(name, sa.column("call_sid"), sa.column("language"))
        language = (
            sa.select(calls.c.language)
            .where(calls.c.call_sid == table.c.call_sid)
            .scalar_subquery()
        )
        op.execute(table.update().values(language=language))


def downgrade() -> None:
    for name in _TABLES:
        with op.batch_alter_table(name) as batch:
            if name == "callbacks":
                batch.drop_column("window_date")
            batch.drop_column("urgent")
            batch.drop_column("topic")
            batch.drop_column("language")
