"""A broken menus.yaml never takes the line down: the last good menu is kept and served."""

from __future__ import annotations

import logging

import pytest

from ivr.menu.problems import MenuError
from tests.conftest import HOTLINE, env_for, twiml


@pytest.fixture
def menus_file(tmp_path):
    path = tmp_path / "menus.yaml"
    path.write_text(HOTLINE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _break(path):
    path.write_text(
        path.read_text(encoding="utf-8").replace("start: welcome", "start: nowhere"),
        encoding="utf-8",
    )


def test_a_start_on_a_broken_file_serves_the_last_good_menu_and_says_why(
    make_app, menus_file, tmp_path, caplog
):
    env = env_for(tmp_path)
    make_app(menus_file, env=env)  # a good start keeps the menu
    kept = tmp_path / "instance" / "last-good-menus.yaml"
    assert kept.read_text(encoding="utf-8") == menus_file.read_text(encoding="utf-8")
    _break(menus_file)
    with caplog.at_level(logging.ERROR):
        app = make_app(menus_file, env=env)  # a worker restarted after the bad save
    root = twiml(app.test_client().post("/voice", data={"CallSid": "CA1"}))
    assert "欢迎" in " ".join(s.text or "" for s in root.iter("Say"))
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("unknown node 'nowhere'" in e for e in errors)  # the validator's own words
    assert any("serving the last good menu" in e and str(kept) in e for e in errors)
    assert "nowhere" not in kept.read_text(encoding="utf-8")  # the copy stays good


def test_a_first_ever_start_on_a_broken_file_refuses(make_app, menus_file, tmp_path):
    _break(menus_file)
    with pytest.raises(MenuError, match="nowhere"):
        make_app(menus_file, env=env_for(tmp_path))


def test_a_reload_that_validates_is_kept(make_app, menus_file, tmp_path):
    env = {**env_for(tmp_path), "IVR_RELOAD_SECONDS": "0"}
    app = make_app(menus_file, env=env)
    text = menus_file.read_text(encoding="utf-8").replace("欢迎致电", "欢迎您致电")
    menus_file.write_text(text, encoding="utf-8")
    reloader = app.extensions["ivr.web.reloader"]
    reloader.requested = True  # as SIGHUP would
    assert reloader.check()
    kept = tmp_path / "instance" / "last-good-menus.yaml"
    assert "欢迎您致电" in kept.read_text(encoding="utf-8")


def test_a_first_start_with_a_broken_menu_is_refused_in_a_few_lines(tmp_path):
    """Review: it was refused through two gunicorn tracebacks ("Worker failed to boot")."""
    from click.testing import CliRunner

    from ivr.cli import cli

    broken = tmp_path / "menus.yaml"
    broken.write_text("version: 1\nnodes: [\n", encoding="utf-8")
    env = {"IVR_MENUS": str(broken), "IVR_INSTANCE_DIR": str(tmp_path / "instance")}
    result = CliRunner().invoke(cli, ["serve"], env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "no good menu was ever kept to serve instead; not starting" in result.output
    assert f"{broken}:3: error: YAML syntax error" in result.output


def test_a_first_start_of_the_wsgi_app_with_a_broken_menu_is_refused_in_a_few_lines(tmp_path):
    """Developer review: `make run` (flask run on server:app) printed a 50-line traceback
    where `ivr serve` prints the problems."""
    import os
    import subprocess
    import sys

    broken = tmp_path / "menus.yaml"
    broken.write_text("version: 1\nnodes: [\n", encoding="utf-8")
    env = {
        **os.environ,
        "IVR_MENUS": str(broken),
        "IVR_INSTANCE_DIR": str(tmp_path / "instance"),
        "IVR_ENV": "development",
    }
    env.pop("TWILIO_AUTH_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-c", "import ivr.web.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "no good menu was ever kept to serve instead; not starting" in done.stderr
    assert f"{broken}:3: error: YAML syntax error" in done.stderr
