"""One callback request per call and number: a time chosen later fills in the kept one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A call that booked the same number twice kept two rows: keep its latest (the one
    # whose time the caller chose last).
    callbacks = sa.table("callbacks", sa.column("id"), sa.column("call_sid"), sa.column("number"))
    latest = sa.select(sa.func.max(callbacks.c.id)).group_by(
        callbacks.c.call_sid, callbacks.c.number
    )
    op.execute(callbacks.delete().where(callbacks.c.id.not_in(latest.scalar_subquery())))
    with op.batch_alter_table("callbacks") as batch:
        batch.drop_constraint("uq_callbacks_call_sid_step", type_="unique")
        batch.create_unique_constraint("uq_callbacks_call_sid_number", ["call_sid", "number"])


def downgrade() -> None:
    with op.batch_alter_table("callbacks") as batch:
        batch.drop_constraint("uq_callbacks_call_sid_number", type_="unique")
        batch.create_unique_constraint("uq_callbacks_call_sid_step", ["call_sid", "step"])
