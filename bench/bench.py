"""`make bench`: the service against a bare-Flask ceiling, measured in one run.

Over HTTP: gunicorn with the Procfile's worker setup (ivr.web.gunicorn_conf: 2 gthread
workers) on 127.0.0.1 for each app, the ceiling too, driven by wrk
at 16 connections, several rounds alternating the apps, medians reported.
In-process: the Flask test client, no network. Then the size, memory and
start-up targets. The last line holds the ratios service/ceiling.

    python bench/bench.py [--rounds 3] [--seconds 10] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlencode

import requests
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.genmenu import generate  # noqa: E402
from ivr.simulator.line import own_line  # noqa: E402
from ivr.web import gunicorn_conf  # noqa: E402

TOKEN = "bench-auth-token-0123456789abcdef"
NOW = "2026-11-23T10:00:00+08:00"
ENV = {"AGENT_NUMBER": "+8610555000111", "EMERGENCY_NUMBER": "+8610555000999"}
STEP_PATH = "/voice/gather?node=payments&lang=zh-CN&s=2&back=main"  # key 1: an answer
BIG_STEP_PATH = "/voice/gather?node=m0&lang=zh-CN&s=2&back=main"  # the same in the 2,000 nodes
IN_PROCESS_ROUNDS = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]  # an IPv4 address is (host, port)
        return port


def search(pattern: str, text: str) -> re.Match[str]:
    """The first match of `pattern` in a tool's output, which must have one."""
    match = re.search(pattern, text)
    if match is None:
        raise RuntimeError(f"no {pattern!r} in:\n{text}")
    return match


class Server:
    """A gunicorn on 127.0.0.1 with the Procfile's workers (ivr.web.gunicorn_conf)."""

    def __init__(
        self,
        name: str,
        target: str,
        env: dict[str, str],
        workers: int = 2,
        log: Path | None = None,
    ) -> None:
        """Start gunicorn; its output is appended to `log`, or dropped without one."""
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        # A test reads the log for crashes: a webhook that raised still answers 200.
        # (gunicorn keeps its own copy of the file once started.)
        with open(log or os.devnull, "ab") as output:
            self.process = subprocess.Popen(
                [
                    str(gunicorn),
                    target,
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(workers),
                    "--worker-class",
                    gunicorn_conf.worker_class,
                    "--threads",
                    str(gunicorn_conf.threads),
                    "--access-logfile",
                    "/dev/null",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                # The URL the bench signs is the server's own: it is its public URL.
                env={**os.environ, **ENV, "PUBLIC_BASE_URL": self.url, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        for _ in range(300):
            try:
                requests.get(self.url + "/", timeout=2)
                return
            except requests.RequestException:  # refused, or a worker still booting
                time.sleep(0.05)
        self.stop()
        raise SystemExit(f"{name} did not start")

    def workers_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=15)


def signed_requests(
    url: str, path: str, fields: dict[str, str], count: int, sign: bool
) -> list[tuple[str, str]]:
    """(body, signature) pairs, one CallSid each, so records are really written."""
    validator = RequestValidator(TOKEN)
    pairs = []
    for i in range(count):
        params = {
            "CallSid": f"CA{i:032x}",
            "AccountSid": "AC" + "0" * 32,
            "From": "+8613800138000",
            "To": "+8610555000100",
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **fields,
        }
        signature = validator.compute_signature(url + path, params) if sign else ""
        pairs.append((urlencode(params), signature))
    return pairs


def lua_script(path: str, pairs: list[tuple[str, str]], workdir: Path, name: str) -> Path:
    bodies = ",".join(json.dumps(b) for b, _ in pairs)
    sigs = ",".join(json.dumps(s) for _, s in pairs)
    script = workdir / f"{name}.lua"
    script.write_text(f"""
local bodies = {{{bodies}}}
local sigs = {{{sigs}}}
local i = math.random(#bodies)
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", {json.dumps(path)}, {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = sigs[i]}}, bodies[i])
end
""")
    return script


class WrkResult(TypedDict):
    """One wrk run: requests per second, latencies in ms, errors."""

    rps: float
    requests: int
    p50: float
    p99: float
    errors: int
    socket_errors: str


def wrk(url: str, script: Path, seconds: int, connections: int) -> WrkResult:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)

    def latency(pct: str) -> float:
        value, unit = search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": rps,
        "requests": total,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def many_call_states(server: Server, step_path: str, count: int) -> None:
    """Send steps of `count` different call states and calls.

    The rounds repeat one state; memory is measured again after this, as a busy line with
    many calls at many steps would leave it.
    """
    if "&s=2&" not in step_path:  # else every request would repeat one state, silently
        raise ValueError(f"{step_path} carries no step counter to vary")
    validator = RequestValidator(TOKEN)
    with requests.Session() as session:
        for step in range(count):
            path = step_path.replace("&s=2&", f"&s={step}&")
            fields = {"CallSid": f"CA{step:032x}", "Digits": "1"}
            signature = validator.compute_signature(server.url + path, fields)
            answer = session.post(
                server.url + path,
                data=fields,
                headers={"X-Twilio-Signature": signature},
                timeout=10,
            )
            answer.raise_for_status()


def cpu_inside_workers(
    specs: dict[str, tuple[str, dict[str, str]]], workdir: Path, seconds: int, connections: int
) -> dict[str, tuple[float, float]]:
    """CPU per request inside the app and outside it (us), for the step, app by app.

    Each app runs again wrapped by bench/timed.py; outside = the machine's CPU per
    request (cores / requests per second) minus the app's own.
    """
    found = {}
    for name in ("ceiling", "norecords", "service"):
        target, env = specs[name]
        stats = workdir / f"cpu-{name}"
        stats.mkdir()
        server = Server(
            f"{name} (timed)",
            "bench.timed:app",
            {**env, "IVR_BENCH_TARGET": target, "IVR_BENCH_STATS": str(stats)},
        )
        try:
            pairs = signed_requests(
                server.url, STEP_PATH, {"Digits": "1"}, 2000, sign=name != "ceiling"
            )
            rps = wrk(
                server.url,
                lua_script(STEP_PATH, pairs, workdir, f"cpu-{name}"),
                seconds,
                connections,
            )["rps"]
        finally:
            server.stop()
        counts = [line.split() for f in stats.iterdir() for line in f.read_text().splitlines()]
        app_us = sum(float(c) for _, c in counts) / sum(int(n) for n, _ in counts) * 1e6
        found[name] = (app_us, (os.cpu_count() or 1) / rps * 1e6 - app_us)
    return found


def in_process(app, path: str, fields: dict[str, str], count: int, headers=None) -> float:
    """Microseconds per request through the Flask test client."""
    client = app.test_client()
    for _ in range(50):
        client.post(path, data=fields, headers=headers or {})
    started = time.perf_counter()
    for _ in range(count):
        response = client.post(path, data=fields, headers=headers or {})
        assert response.status_code == 200, response.status_code
    return (time.perf_counter() - started) / count * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the service against a ceiling.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 3
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does this)")

    import logging

    logging.getLogger("ivr").setLevel(logging.WARNING)  # one line per request would swamp this
    from bench.ceiling import create_app as ceiling_app
    from ivr.settings import Settings, parse_now
    from ivr.web.app import create_app

    workdir = Path(tempfile.mkdtemp(prefix="ivr-bench-"))
    big_menu = workdir / "menus-2000.yaml"
    big_menu.write_text(generate(2000), encoding="utf-8")
    base_env = {"TWILIO_AUTH_TOKEN": TOKEN, "IVR_NOW": NOW, "IVR_ENV": "production"}

    def settings(menus: Path, db: str) -> Settings:
        env = {
            **ENV,
            "DATABASE_URL": f"sqlite:///{workdir / db}",
            "IVR_SPOOL_DIR": str(workdir / f"spool-{db}"),
            "IVR_INSTANCE_DIR": str(workdir / f"instance-{db}"),
        }
        return Settings.from_env(
            env,
            menus_path=menus,
            auth_token=TOKEN,
            production=True,
            public_base_url="http://localhost",  # the test client's URL, signed below
            fixed_now=parse_now(NOW),
            trace=False,
        )

    service = create_app(settings(ROOT / "menus.yaml", "inproc.sqlite3"))
    welcome = service.test_client().post(
        "/voice",
        headers={
            "X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(
                "http://localhost/voice", {}
            )
        },
    )
    assert welcome.status_code == 200, welcome.status_code
    welcome_bytes = len(welcome.get_data())
    print(f"welcome menu: {welcome_bytes} bytes of TwiML; work dir {workdir}")

    servers: dict[str, Server] = {}
    specs = {
        # IVR_RECORDS=off: gunicorn.conf.py migrates nothing before the ceiling starts
        "ceiling": (
            "bench.ceiling:app",
            {"CEILING_BYTES": str(welcome_bytes), "IVR_RECORDS": "off"},
        ),
        "service": (
            "server:app",
            {
                **base_env,
                "DATABASE_URL": f"sqlite:///{workdir / 'http.sqlite3'}",
                "IVR_SPOOL_DIR": str(workdir / "spool-http"),
                "IVR_INSTANCE_DIR": str(workdir / "instance-http"),
            },
        ),
        "norecords": (
            "server:app",
            {**base_env, "IVR_RECORDS": "off", "IVR_INSTANCE_DIR": str(workdir / "instance-off")},
        ),
        "big": (
            "server:app",
            {
                **base_env,
                "IVR_MENUS": str(big_menu),
                "DATABASE_URL": f"sqlite:///{workdir / 'big.sqlite3'}",
                "IVR_SPOOL_DIR": str(workdir / "spool-big"),
                "IVR_INSTANCE_DIR": str(workdir / "instance-big"),
            },
        ),
    }
    try:
        for name, (target, env) in specs.items():
            servers[name] = Server(name, target, env)
        scripts = {}
        for name, server in servers.items():
            for kind, path, fields in (
                ("welcome", "/voice", {}),
                ("step", STEP_PATH, {"Digits": "1"}),
            ):
                pairs = signed_requests(server.url, path, fields, 2000, sign=name != "ceiling")
                scripts[(name, kind)] = lua_script(path, pairs, workdir, f"{name}-{kind}")
        plan = [
            ("ceiling", "welcome"),
            ("service", "welcome"),
            ("ceiling", "step"),
            ("service", "step"),
            ("norecords", "step"),
        ]
        results: dict[tuple[str, str], list[WrkResult]] = {key: [] for key in plan}
        for round_no in range(1, args.rounds + 1):
            for key in plan:
                result = wrk(servers[key[0]].url, scripts[key], args.seconds, args.connections)
                results[key].append(result)
                print(
                    f"round {round_no} {key[0]:>9} {key[1]:<7} {result['rps']:9.0f} req/s "
                    f"p50 {result['p50']:6.2f} ms p99 {result['p99']:6.2f} ms "
                    f"errors {result['errors']} {result['socket_errors']}"
                )
        med = {
            key: {m: statistics.median(r[m] for r in rs) for m in ("rps", "p50", "p99")}
            for key, rs in results.items()
        }
        print("\nmedians over", args.rounds, "rounds:")
        for key, m in med.items():
            print(
                f"  {key[0]:>9} {key[1]:<7} {m['rps']:9.0f} req/s  p50 {m['p50']:6.2f} ms  "
                f"p99 {m['p99']:6.2f} ms"
            )
        rss = {name: servers[name].workers_rss_mb() for name in ("service", "big")}
        many_call_states(servers["service"], STEP_PATH, 3000)
        many_call_states(servers["big"], BIG_STEP_PATH, 3000)
        full = {name: servers[name].workers_rss_mb() for name in ("service", "big")}
    finally:
        for server in servers.values():
            server.stop()
    inside = cpu_inside_workers(specs, workdir, max(3, args.seconds // 2), args.connections)

    # In-process: no network, the same requests.
    ceiling = ceiling_app(welcome_bytes)
    count = 300 if args.quick else 1000
    validator = RequestValidator(TOKEN)

    def signed(app, path, fields):
        url = "http://localhost" + path
        return in_process(
            app,
            path,
            fields,
            count,
            {"X-Twilio-Signature": validator.compute_signature(url, fields)},
        )

    fields = {"CallSid": "CA" + "1" * 32, "Digits": "1"}
    big_app = create_app(settings(big_menu, "big-inproc.sqlite3"))
    timings: dict[str, list[float]] = {"ceiling": [], "welcome": [], "step": [], "big": []}
    # Rounds alternating the apps, the fastest of each kept: on a shared machine, anything
    # else running only ever adds time.
    for _ in range(IN_PROCESS_ROUNDS):
        timings["ceiling"].append(in_process(ceiling, "/voice/gather", fields, count))
        timings["welcome"].append(signed(service, "/voice", {"CallSid": "CA" + "2" * 32}))
        timings["step"].append(signed(service, STEP_PATH, fields))
        timings["big"].append(signed(big_app, BIG_STEP_PATH, fields))
    t_ceiling, t_welcome, t_step, t_big = (min(timings[k]) for k in timings)
    print(
        "\nCPU per step inside the workers / outside the app (TCP, gunicorn, wrk): "
        + ", ".join(
            f"{name} {app_us:.0f} / {rest:.0f} us" for name, (app_us, rest) in inside.items()
        )
    )
    print(
        f"in-process per request: ceiling {t_ceiling:.0f} us, welcome {t_welcome:.0f} us, "
        f"step {t_step:.0f} us (x{t_step / t_ceiling:.2f}), 2,000-node step {t_big:.0f} us "
        f"(x{t_big / t_step:.2f} of the shipped menu's)"
    )

    # Size: load + validate, explore speed.
    from ivr.menu.loading import load_menus
    from ivr.simulator import WsgiTransport
    from ivr.simulator.explorer import explore

    loads = []
    for _ in range(3):  # the fastest of three, as for the in-process times
        started = time.perf_counter()
        load_menus(big_menu, env=ENV)
        loads.append(time.perf_counter() - started)
    t_load = min(loads)
    from ivr.simulator.coverage import keys_for

    # As `ivr explore` runs it: in-process, probing calls not recorded.
    explore_app = create_app(replace(settings(big_menu, "unused.sqlite3"), records=False))
    found = explore(
        WsgiTransport(explore_app),
        line=own_line(explore_app.extensions["ivr"].settings, "zh-CN"),
        keys_for=keys_for(explore_app.extensions["ivr"].menus),
        max_waits=1500,
    )
    per_second = found.transitions / found.seconds
    print(
        f"2,000-node menu: load+validate {t_load:.2f} s; explore {found.transitions} "
        f"transitions in {found.seconds:.1f} s = {per_second:.0f}/s"
    )

    # Start-up: import server, minus the interpreter's own start.
    def timed(code: str) -> float:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                check=True,
                env={
                    **os.environ,
                    **ENV,
                    "DATABASE_URL": f"sqlite:///{workdir / 'import.sqlite3'}",
                    "IVR_SPOOL_DIR": str(workdir / "spool-import"),
                    "IVR_INSTANCE_DIR": str(workdir / "instance-import"),
                },
                stderr=subprocess.DEVNULL,
            )
            runs.append(time.perf_counter() - started)
        return min(runs)

    t_import = timed("import server") - timed("pass")
    print(
        f"import server: {t_import:.2f} s; worker RSS after the rounds: shipped "
        f"{max(rss['service']):.0f} MB, 2,000-node {max(rss['big']):.0f} MB; after 3,000 more "
        f"call states: {max(full['service']):.0f} MB, {max(full['big']):.0f} MB"
    )

    c_step, s_step = med[("ceiling", "step")], med[("service", "step")]
    n_step = med[("norecords", "step")]
    c_wel, s_wel = med[("ceiling", "welcome")], med[("service", "welcome")]
    print(
        f"ratios service/ceiling: step {s_step['rps'] / c_step['rps']:.2f} (target >= 0.70), "
        f"step without records {n_step['rps'] / c_step['rps']:.2f} (>= 0.80), "
        f"welcome {s_wel['rps'] / c_wel['rps']:.2f}, p99 step {s_step['p99'] / c_step['p99']:.2f}"
        f" (<= 1.5), in-process step {t_step / t_ceiling:.2f}, 2,000-node step "
        f"{t_big / t_step:.2f} (<= 1.1), load {t_load:.2f} s (< 1), explore "
        f"{per_second:.0f}/s (>= 2000), RSS {max(rss['service']):.0f}/{max(rss['big']):.0f} MB "
        f"(< 90 each; {max(full['service']):.0f}/{max(full['big']):.0f} after 3,000 call "
        f"states), "
        f"import {t_import:.2f} s (< 1)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
