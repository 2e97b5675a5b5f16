"""gunicorn.conf.py migrates the records database once, before any worker starts."""

from __future__ import annotations

import runpy
import sqlite3

import pytest

from ivr.records.database import newest_migration
from tests.conftest import PROJECT_ROOT

on_starting = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))["on_starting"]


def test_the_schema_is_brought_up_to_date_before_the_workers(tmp_path, monkeypatch):
    path = tmp_path / "ivr.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    on_starting(None)
    with sqlite3.connect(path) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == newest_migration()


def test_a_database_url_that_cannot_work_stops_gunicorn(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://ivr:secret@127.0.0.1/ivr")
    with pytest.raises(SystemExit, match="ivr db upgrade failed"):
        on_starting(None)


def test_a_database_that_is_down_does_not_stop_gunicorn(monkeypatch, capfd):
    monkeypatch.setenv("DATABASE_URL", "postgresql://ivr:secret@127.0.0.1:1/ivr")
    on_starting(None)  # the workers start, in spool mode
    assert "starting in spool mode" in capfd.readouterr().err


def test_nothing_is_migrated_when_records_are_off(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ivr.sqlite3'}")
    monkeypatch.setenv("IVR_RECORDS", "off")
    on_starting(None)
    assert not (tmp_path / "ivr.sqlite3").exists()


def test_the_checkout_file_gives_gunicorn_every_setting_of_the_package():
    """Review 9: gunicorn.conf.py listed eight settings by hand and left out the access-log
    logger and the control socket, so `gunicorn server:app` logged decoded paths."""
    from gunicorn.config import KNOWN_SETTINGS

    from ivr.web import gunicorn_conf

    known = {setting.name for setting in KNOWN_SETTINGS}
    package = {name for name in vars(gunicorn_conf) if name in known}
    checkout = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert {"logger_class", "control_socket", "on_starting"} <= package
    assert {name for name in checkout if name in known} == package
