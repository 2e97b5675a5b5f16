"""The wheel built from this checkout works on its own, installed in a fresh venv elsewhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
import requests

from tests.conftest import ENV, PROJECT_ROOT, assert_no_crash_logged, free_port


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with the locked dependencies and the built wheel."""
    where = tmp_path_factory.mktemp("installed")
    wheels = where / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(wheels),
            str(PROJECT_ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("ivr-*.whl")
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "-r",
            str(PROJECT_ROOT / "requirements.txt"),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    return where


def ivr(installed: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run the installed `ivr` from an empty directory: nothing of the checkout is near."""
    work = installed / "work"
    work.mkdir(exist_ok=True)
    env = {
        "PATH": f"{installed / 'venv' / 'bin'}:/usr/bin:/bin",
        "HOME": str(installed),
        **ENV,
        **kwargs.pop("env", {}),
    }
    return subprocess.run(
        [str(installed / "venv" / "bin" / "ivr"), *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@pytest.mark.slow
def test_the_installed_package_validates_simulates_migrates_and_serves(installed):
    validated = ivr(installed, "validate")
    assert validated.returncode == 0, validated.stderr
    assert "hotline.yaml: valid" in validated.stdout  # the menu shipped inside the package

    call = ivr(installed, "simulate", "--at", "2026-11-23T10:00:00+08:00", "--input", "1,1")
    assert call.returncode == 0, call.stdout + call.stderr
    assert "支付失败" in call.stdout

    migrated = ivr(installed, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr
    assert "schema at revision 0005" in migrated.stdout
    assert (
        installed / "work" / "instance" / "ivr.sqlite3"
    ).exists()  # ./instance, not site-packages

    port = free_port()
    log = open(installed / "serve.log", "wb")  # noqa: SIM115 - closed below, after the server
    env = {
        "PATH": f"{installed / 'venv' / 'bin'}:/usr/bin:/bin",
        **ENV,
        "PORT": str(port),
        "IVR_ENV": "production",
        "TWILIO_AUTH_TOKEN": "t" * 32,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [str(installed / "venv" / "bin" / "ivr"), "serve"],
        cwd=installed / "work",
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, (installed / "serve.log").read_text()
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["status"] == "ok"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
        assert_no_crash_logged(installed / "serve.log")


# Names that are the same thing under one convention, not two meanings: each module's
# logger, alembic's upgrade/downgrade (the migrations' and `ivr db upgrade`'s own), each
# web module's blueprint, the `ivr explore` command wrapping the explorer, and `UTC`
# (`datetime.UTC`, named in each module that stores times).
SAME_THING = {"log", "upgrade", "downgrade", "bp", "explore", "UTC"}


def test_no_two_public_names_of_the_package_mean_different_things():
    """#15.1: a class or function name defined at the top of two modules is one thing."""
    import ast

    where: dict[str, list[str]] = {}
    for path in sorted((PROJECT_ROOT / "ivr").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            for name in names:
                if not name.startswith("_"):
                    where.setdefault(name, []).append(str(path.relative_to(PROJECT_ROOT)))
    twice = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert set(twice) <= SAME_THING, {n: p for n, p in twice.items() if n not in SAME_THING}


def test_the_readme_map_names_every_module_and_only_modules_that_exist():
    """#15.6 (audit): the map in "How it fits together" had fallen behind the package (six
    modules of ivr/web unnamed, a module renamed)."""
    import re

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## How it fits together")
    block = readme[
        readme.index("```", start) : readme.index("```\n", readme.index("```", start) + 3)
    ]
    named: set[str] = set()
    part = ""
    for line in block.splitlines():
        folder = re.match(r"  (\w+)/ ", line)
        if folder:
            part = folder.group(1) + "/"
        elif re.match(r"  \w+\.py ", line):
            part = ""
        named |= {part + name for name in re.findall(r"\b(\w+\.py)\b", line)}
    modules = {
        str(path.relative_to(PROJECT_ROOT / "ivr"))
        for path in (PROJECT_ROOT / "ivr").rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and "migrations" not in path.parts
    }
    cli = {m for m in modules if m.startswith("cli/")}  # "every `ivr` command"
    assert named == modules - cli
