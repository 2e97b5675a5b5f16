"""The call records tables (SQLAlchemy), and what reads or tidies them: `ivr db`, retention.

The schema belongs to these models and the Alembic migrations built from them;
the webhooks write the same tables through ivr.store without loading this module.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import ClassVar

import click
from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    and_,
    delete,
    false,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ivr import database
from ivr.records import Recorder
from ivr.spool import Spool
from ivr.store import RecordsError, Store

UTC = datetime.UTC
_AGE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


# -- the tables --------------------------------------------------------------------------------

class UTCDateTime(TypeDecorator[datetime.datetime]):
    """An aware datetime stored in UTC (naive text on SQLite, timestamptz on PostgreSQL)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime.datetime | None,
                           dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value} stored as a call record; give an offset")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime.datetime | None,
                             dialect: Dialect) -> datetime.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })
    type_annotation_map: ClassVar = {datetime.datetime: UTCDateTime()}


def _call_sid() -> Mapped[str]:
    return mapped_column(String(64), ForeignKey("calls.call_sid", ondelete="CASCADE"))


class Call(Base):
    """One phone call, from its first webhook to its final status."""

    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str | None] = mapped_column(String(64))
    to_number: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime.datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime.datetime | None]
    status: Mapped[str | None] = mapped_column(String(20))
    duration: Mapped[int | None] = mapped_column(Integer)  # seconds, from Twilio's status
    language: Mapped[str | None] = mapped_column(String(16))  # of the call's latest step


class Event(Base):
    """One answered webhook: where the caller was, what they did, where it took them."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("call_sid", "step", "path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = _call_sid()
    step: Mapped[int] = mapped_column(Integer)  # the `s` in the URL: a retry repeats it
    path: Mapped[str] = mapped_column(String(32))
    node: Mapped[str | None] = mapped_column(String(64))  # None for the call's first request
    next_node: Mapped[str | None] = mapped_column(String(64))
    lang: Mapped[str | None] = mapped_column(String(16))
    input: Mapped[str | None] = mapped_column(String(300))  # keys, say:words, a dial status
    confidence: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime.datetime] = mapped_column(index=True)


class Recording(Base):
    """A voicemail or feedback message, with Twilio's transcription when it comes."""

    __tablename__ = "recordings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_sid: Mapped[str] = _call_sid()
    step: Mapped[int] = mapped_column(Integer)
    node: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # voicemail or feedback
    caller: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(1000))
    duration: Mapped[int | None] = mapped_column(Integer)
    transcription: Mapped[str | None] = mapped_column(Text)
    transcription_status: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime.datetime]
    handled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    handled_at: Mapped[datetime.datetime | None]


class CallbackRequest(Base):
    """A caller's confirmed request to be called back, and when."""

    __tablename__ = "callbacks"
    __table_args__ = (UniqueConstraint("call_sid", "step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_sid: Mapped[str] = _call_sid()
    step: Mapped[int] = mapped_column(Integer)
    caller: Mapped[str | None] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64))
    window: Mapped[str] = mapped_column(String(200))
    requested_at: Mapped[datetime.datetime]
    handled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    handled_at: Mapped[datetime.datetime | None]


# -- handling and retention -------------------------------------------------------------------

def mark_handled(engine: Engine, model: type[Recording] | type[CallbackRequest], ident: int,
                 now: datetime.datetime) -> bool:
    """Mark a voicemail or callback request handled; False when there is no such id."""
    with engine.begin() as connection:  # the write first: it waits for the lock if need be
        connection.execute(update(model).where(and_(model.id == ident, ~model.handled))
                           .values(handled=True, handled_at=now))
        found = connection.execute(select(model.id).where(model.id == ident)).first()
    return found is not None


def parse_age(value: str) -> datetime.timedelta:
    """Parse an age such as 90d, 12h or 2w."""
    match = _AGE.match(value.strip().lower())
    if not match:
        raise ValueError(f"'{value}' is not an age like 90d, 12h or 2w")
    return datetime.timedelta(**{_UNITS[match[2]]: int(match[1])})


def purge(engine: Engine, before: datetime.datetime) -> dict[str, int]:
    """Delete the calls started before a moment, with their events, messages and callbacks."""
    old = select(Call.call_sid).where(Call.started_at < before)
    counts = {}
    with engine.begin() as connection:
        # Children first, so it works whether or not the database enforces the cascade.
        for model in (Event, Recording, CallbackRequest, Call):
            result = connection.execute(delete(model).where(model.call_sid.in_(old)))
            counts[model.__tablename__] = result.rowcount
    return counts


# -- `ivr db` ---------------------------------------------------------------------------------

def cli_engine() -> Engine:
    """Open and migrate the database for a command, or fail with one clear error."""
    try:
        return database.connect(os.environ)
    except RecordsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("db")
def db_cli() -> None:
    """Manage the call records database (DATABASE_URL; default instance/ivr.sqlite3)."""


@db_cli.command("upgrade")
def upgrade_command() -> None:
    """Create the schema, or migrate it to the newest version."""
    engine = cli_engine()
    try:
        revision = database.current_revision(engine)
    finally:
        engine.dispose()
    click.echo(f"{database.show(engine.url)}: schema at revision {revision}")


@db_cli.command("purge")
@click.option("--older-than", "age", required=True, metavar="AGE",
              help="Delete calls that started longer ago than this: 90d, 12h, 2w.")
def purge_command(age: str) -> None:
    """Delete old calls with their events, voicemails and callback requests."""
    try:
        cutoff = datetime.datetime.now(UTC) - parse_age(age)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from None
    engine = cli_engine()
    try:
        counts = purge(engine, cutoff)
    finally:
        engine.dispose()
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    click.echo(f"deleted what started before {cutoff:%Y-%m-%d %H:%M} UTC: {summary}")


@db_cli.command("flush")
def flush_command() -> None:
    """Write the records spooled while the database was unavailable."""
    engine = cli_engine()  # migrated, so the replay writes into the newest schema
    engine.dispose()
    store = Store(engine.url.render_as_string(hide_password=False))
    recorder = Recorder(store, Spool(database.spool_dir(os.environ)))
    try:
        replayed = recorder.flush()
    except Exception as exc:  # the driver's own error: the database is gone again
        raise click.ClickException(f"the database is still unavailable; the spool is kept: "
                                   f"{exc}") from None
    finally:
        store.close()
    left = " (another process is replaying the rest)" if recorder.spool.pending() else ""
    click.echo(f"replayed {replayed} spooled write(s) from {recorder.spool.directory}{left}")


@db_cli.command("revision", hidden=True)
@click.argument("message")
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the schema."""
    database.new_revision(message)
