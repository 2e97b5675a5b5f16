"""Calls, their events, recordings and callback requests.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def _call_sid(table: str) -> sa.Column:
    return sa.Column(
        "call_sid",
        sa.String(64),
        sa.ForeignKey("calls.call_sid", ondelete="CASCADE", name=f"fk_{table}_call_sid_calls"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("call_sid", sa.String(64), nullable=False),
        sa.Column("from_number", sa.String(64)),
        sa.Column("to_number", sa.String(64)),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME),
        sa.Column("status", sa.String(20)),
        sa.Column("duration", sa.Integer),
        sa.Column("language", sa.String(16)),
        sa.PrimaryKeyConstraint("id", name="pk_calls"),
        sa.UniqueConstraint("call_sid", name="uq_calls_call_sid"),
    )
    op.create_index("ix_calls_started_at", "calls", ["started_at"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, nullable=False),
        _call_sid("events"),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("path", sa.String(32), nullable=False),
        sa.Column("node", sa.String(64)),
        sa.Column("next_node", sa.String(64)),
        sa.Column("lang", sa.String(16)),
        sa.Column("input", sa.String(300)),
        sa.Column("confidence", sa.Float),
        sa.Column("outcome", sa.String(300), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("call_sid", "step", "path", name="uq_events_call_sid_step_path"),
    )
    op.create_table(
        "recordings",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("recording_sid", sa.String(64), nullable=False),
        _call_sid("recordings"),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("node", sa.String(64)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("caller", sa.String(64)),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("duration", sa.Integer),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("handled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("handled_at", UTC_TIME),
        sa.PrimaryKeyConstraint("id", name="pk_recordings"),
        sa.UniqueConstraint("recording_sid", name="uq_recordings_recording_sid"),
    )
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer, nullable=False),
        _call_sid("callbacks"),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("caller", sa.String(64)),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("window", sa.String(200), nullable=False),
        sa.Column("requested_at", UTC_TIME, nullable=False),
        sa.Column("handled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("handled_at", UTC_TIME),
        sa.PrimaryKeyConstraint("id", name="pk_callbacks"),
        sa.UniqueConstraint("call_sid", "step", name="uq_callbacks_call_sid_step"),
    )


def downgrade() -> None:
    for table in ("callbacks", "recordings", "events"):
        op.drop_table(table)
    op.drop_index("ix_calls_started_at", table_name="calls")
    op.drop_table("calls")
