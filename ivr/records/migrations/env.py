"""Alembic's entry point: run the migrations on the connection ivr.records.database hands over.

Run them with `ivr db upgrade` (or let the server do it at start-up); the
connection arrives inside a transaction that holds the migration lock.
"""

from alembic import context

from ivr.records.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `ivr db upgrade`, not the alembic command")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
