"""The report's numbers on a known set of calls; the lists, masking and retention."""

from __future__ import annotations

import csv
import datetime
import io
import json
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ivr.cli import cli
from ivr.records import database, tables
from ivr.records.report import mask_number
from ivr.records.spool import Spool
from ivr.records.writes import (
    Recorder,
    Written,
    call_ended,
    call_seen,
    callback_requested,
    message_left,
    step_taken,
)
from tests.conftest import HOTLINE, SHIPPED
from tests.records.conftest import counts

SH = datetime.timezone(datetime.timedelta(hours=8))
CALLER = "+8613812341234"
OTHER = "+8613912345678"


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, second, tzinfo=SH)


def call(
    recorder: Recorder,
    sid: str,
    start: datetime.datetime,
    steps: list[tuple[int, int, str, str | None, str, str]],
    seconds: int = 60,
) -> None:
    """Record a call: steps are (second after start, step, path, node, next node, outcome)."""
    for offset, step, path, node, next_node, outcome in steps:
        when = start + datetime.timedelta(seconds=offset)
        assert (
            recorder.write(
                call_seen(sid, CALLER, "+8610555000100", when),
                step_taken(sid, step, path, node, next_node, "zh-CN", None, None, outcome, when),
            )
            is Written.COMMITTED
        )
    end = start + datetime.timedelta(seconds=seconds)
    assert (
        recorder.write(call_ended(sid, CALLER, "+8610555000100", "completed", seconds, end))
        is Written.COMMITTED
    )


def message(recorder: Recorder, sid: str, rec_sid: str, when: datetime.datetime) -> None:
    assert (
        recorder.write(
            message_left(
                sid,
                rec_sid,
                3,
                "voicemail",
                "voicemail",
                CALLER,
                f"https://api.twilio.com/{rec_sid}",
                12,
                None,
                None,
                when,
            )
        )
        is Written.COMMITTED
    )


@pytest.fixture
def known(db, tmp_path) -> Recorder:
    """Six calls: one before the reported days, two on the 23rd, three on the 24th."""
    r = Recorder(db, Spool(tmp_path / "spool"))
    call(
        r,
        "CA1",
        at(23, 10),
        [  # open hours; hangs up in the account menu
            (0, 0, "/voice", None, "main", "start"),
            (20, 1, "/voice/gather", "main", "account", "keys 1 -> 1"),
        ],
    )
    call(
        r,
        "CA2",
        at(23, 21),
        [  # after hours: leaves a voicemail
            (0, 0, "/voice", None, "main", "start"),
            (15, 1, "/voice/gather", "main", "after_hours", "keys 0 -> agent"),
            (30, 2, "/voice/gather", "after_hours", "voicemail", "keys 1 -> 1"),
            (60, 3, "/voice/record", "voicemail", "goodbye", "recorded"),
        ],
    )
    message(r, "CA2", "RE2", at(23, 21, 1))
    call(
        r,
        "CA3",
        at(24, 11),
        [  # reaches the agent line after 30 s
            (0, 0, "/voice", None, "main", "start"),
            (30, 1, "/voice/gather", "main", "agent_dial", "keys 0 -> agent"),
            (300, 2, "/voice/dial", "agent_dial", "goodbye", "dial completed"),
        ],
        seconds=310,
    )
    call(
        r,
        "CA4",
        at(24, 11, 30),
        [  # says "zero" after 50 s; nobody answers; voicemail
            (0, 0, "/voice", None, "main", "start"),
            (50, 1, "/voice/gather", "main", "agent_dial", "speech '零' -> agent"),
            (80, 2, "/voice/dial", "agent_dial", "voicemail", "dial no-answer"),
            (110, 3, "/voice/record", "voicemail", "goodbye", "recorded"),
        ],
    )
    message(r, "CA4", "RE4", at(24, 11, 31, 50))
    call(
        r,
        "CA5",
        at(24, 22),
        [  # after hours: books a callback
            (0, 0, "/voice", None, "main", "start"),
            (10, 1, "/voice/gather", "main", "after_hours", "keys 0 -> agent"),
            (20, 2, "/voice/gather", "after_hours", "callback", "keys 2 -> 2"),
            (40, 3, "/voice/callback", "callback", "goodbye", "callback saved"),
        ],
    )
    assert (
        r.write(callback_requested("CA5", 3, CALLER, OTHER, "18:00-20:00", at(24, 22, 0, 40)))
        is Written.COMMITTED
    )
    call(
        r,
        "CA6",
        at(20, 9),
        [  # a Friday morning, before the reported days
            (0, 0, "/voice", None, "main", "start"),
            (9, 1, "/voice/gather", "main", "main", "silence"),
            (18, 2, "/voice/gather", "main", "main", "keys 7 -> invalid"),
        ],
    )
    recordings = tables.recordings
    with db.connect() as session:
        handled = session.scalars(
            select(recordings.c.id).where(recordings.c.recording_sid == "RE4")
        )
        assert database.mark_handled(db, recordings, handled.one(), at(25, 9))
    return r


def report_json(ivr, *args: str) -> dict:
    return json.loads(ivr("report", "--format", "json", *args).stdout)


def test_the_report_counts_the_known_calls(known, ivr):
    data = report_json(ivr, "--since", "2026-11-23", "--until", "2026-11-24")
    assert data["since"] == "2026-11-23T00:00:00+08:00"
    assert data["until"] == "2026-11-25T00:00:00+08:00"  # --until includes its day
    assert data["timezone"] == "Asia/Shanghai"
    assert data["calls"] == {"total": 5, "after_hours": 2, "after_hours_share": 0.4}
    assert data["by_day"] == [{"day": "2026-11-23", "calls": 2}, {"day": "2026-11-24", "calls": 3}]
    assert {h["hour"]: h["calls"] for h in data["by_hour"] if h["calls"]} == {
        10: 1,
        11: 2,
        21: 1,
        22: 1,
    }
    assert len(data["by_hour"]) == 24
    assert data["options"] == [
        {"node": "after_hours", "choice": "1", "to": "voicemail", "count": 1},
        {"node": "after_hours", "choice": "2", "to": "callback", "count": 1},
        {"node": "main", "choice": "agent", "to": "agent", "count": 4},
        {"node": "main", "choice": "1", "to": "account", "count": 1},
    ]
    assert data["hangups"] == [{"node": "goodbye", "calls": 4}, {"node": "account", "calls": 1}]
    assert data["agent"] == {"calls": 2, "average_seconds": 40.0}
    (voicemail,) = data["open_voicemails"]
    assert (voicemail["caller"], voicemail["at"], voicemail["kind"]) == (
        "+86 138****1234",
        "2026-11-23T21:01:00+08:00",
        "voicemail",
    )
    (callback,) = data["open_callbacks"]
    assert (callback["caller"], callback["number"], callback["window"], callback["at"]) == (
        "+86 138****1234",
        "+86 139****5678",
        "18:00-20:00",
        "2026-11-24T22:00:40+08:00",
    )


def test_without_dates_the_report_counts_every_call(known, ivr):
    data = report_json(ivr)
    assert data["calls"] == {"total": 6, "after_hours": 2, "after_hours_share": 0.3333}
    assert {"node": "main", "choice": "invalid", "to": None, "count": 1} in data["options"]
    assert {"node": "main", "calls": 1} in data["hangups"]


def test_a_time_window_counts_only_the_calls_inside_it(known, ivr):
    data = report_json(ivr, "--since", "2026-11-24T11:15", "--until", "2026-11-24T23:00")
    assert data["calls"]["total"] == 2
    assert data["agent"] == {"calls": 1, "average_seconds": 50.0}


def test_csv_report_is_one_long_table(known, ivr):
    lines = ivr("report", "--format", "csv", "--since", "2026-11-23").stdout.splitlines()
    assert lines[0] == "section,key,label,value"
    for row in (
        "calls,total,,5",
        "calls,after_hours_share,,0.4",
        "by_day,2026-11-24,,3",
        "by_hour,11,,2",
        "option,main:agent,agent,4",
        "hangup,goodbye,,4",
        "agent,average_seconds,,40.0",
        # A cell starting with + could run as a spreadsheet formula: it is escaped.
        "callback,1,'+86 138****1234 2026-11-24T22:00:40+08:00,'+86 139****5678 18:00-20:00",
    ):
        assert row in lines


def test_table_report_and_svg_chart(known, ivr, tmp_path):
    chart = tmp_path / "calls.svg"
    out = ivr("report", "--since", "2026-11-23", "--chart", str(chart)).stdout
    for text in (
        "5 calls",
        "after hours 2 (40%)",
        "reached the agent line 2, after 40 s",
        "Where callers hang up",
        "+86 138****1234",
        "18:00-20:00",
    ):
        assert text in out
    assert CALLER not in out
    svg = ET.fromstring(chart.read_text())
    titles = [
        el.findtext("{http://www.w3.org/2000/svg}title")
        for el in svg.iter("{http://www.w3.org/2000/svg}rect")
    ]
    assert "11:00 2 calls" in titles and "goodbye 4 calls" in titles


def test_a_chart_that_cannot_be_written_is_one_error_line(known, ivr, tmp_path):
    """Review: a path in no directory printed the report, then a traceback."""
    missing = ivr("report", "--chart", str(tmp_path / "no" / "x.svg"), expect=2)
    assert "is not a directory" in missing.output and "calls" not in missing.output
    refused = ivr("report", "--chart", "/proc/ivr-chart.svg", expect=1)  # no files there
    assert "Error: cannot write /proc/ivr-chart.svg: " in refused.output


def test_reading_commands_refuse_a_records_file_that_is_not_there(tmp_path):
    """Review: a mistyped DATABASE_URL made an empty database and reported no calls."""
    missing = tmp_path / "typo" / "ivr.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{missing}", "IVR_MENUS": str(HOTLINE)}
    for command in (["report"], ["voicemails"], ["callbacks"], ["speech", "--misses"]):
        result = CliRunner().invoke(cli, command, env=env)
        assert result.exit_code == 1, (command, result.output)
        assert f"Error: no call records at {missing}: check DATABASE_URL" in result.output
    assert not missing.parent.exists()  # nothing made on the way


def test_an_empty_database_gives_an_empty_report(db, ivr):
    data = report_json(ivr)
    assert data["calls"] == {"total": 0, "after_hours": 0, "after_hours_share": None}
    assert data["agent"] == {"calls": 0, "average_seconds": None}
    assert "0 calls" in ivr("report").stdout


def test_a_bad_date_is_a_usage_error(db, ivr):
    assert "is not a date like 2026-11-23" in ivr("report", "--since", "yesterday", expect=2).output


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2026-12-05", "2026-12-01"),  # the reviewer's reversed range
        ("2026-12-01T10:00", "2026-12-01T09:00"),
        ("2026-12-01T10:00", "2026-12-01T10:00"),  # an empty range
        ("2026-12-02", "2026-12-01T23:00"),
    ],
)
def test_a_since_not_before_until_is_a_usage_error(db, ivr, since, until):
    """Not silent empty tables: nothing lies between them."""
    output = ivr("report", "--since", since, "--until", until, expect=2).output
    assert f"--since {since} is not before --until {until}" in output
    assert "calls" not in output.lower().split("error:")[0]  # no table was printed


def test_since_and_until_on_one_day_is_that_whole_day(db, ivr):
    data = report_json(ivr, "--since", "2026-12-01", "--until", "2026-12-01")
    assert (data["since"], data["until"]) == (
        "2026-12-01T00:00:00+08:00",
        "2026-12-02T00:00:00+08:00",
    )


# -- the lists ---------------------------------------------------------------------------------


def test_voicemails_lists_the_open_ones_masked_and_marks_them_handled(known, ivr):
    out = ivr("voicemails").stdout
    assert "+86 138****1234" in out and "2026-11-23 21:01" in out and CALLER not in out
    assert "1 voicemails" in out
    assert CALLER in ivr("voicemails", "--unmask").stdout
    everything = json.loads(ivr("voicemails", "--all", "--json").stdout)
    assert [(v["url"].rsplit("/", 1)[1], v["handled"]) for v in everything] == [
        ("RE2", False),
        ("RE4", True),
    ]

    open_id = everything[0]["id"]
    assert f"voicemail {open_id}: handled" in ivr("voicemails", "--handle", str(open_id)).stdout
    assert "no open voicemails" in ivr("voicemails").stdout
    assert "there is no voicemail 999" in ivr("voicemails", "--handle", "999", expect=1).output


def test_callbacks_lists_the_open_ones_and_marks_them_handled(known, ivr):
    out = ivr("callbacks").stdout
    assert "+86 139****5678" in out and "18:00-20:00" in out and OTHER not in out
    assert OTHER in ivr("callbacks", "--unmask").stdout
    (request,) = json.loads(ivr("callbacks", "--json").stdout)
    ivr("callbacks", "--handle", str(request["id"]))
    assert "no open callback requests" in ivr("callbacks").stdout
    (done,) = json.loads(ivr("callbacks", "--all", "--json").stdout)
    assert done["handled"] is True


# -- personal data -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+8613812341234", "+86 138****1234"),
        ("+86 138 1234 1234", "+86 138****1234"),
        ("+14155550123", "+1 415***0123"),
        ("+442071838750", "+44 207***8750"),
        ("+85291234567", "+852 ******67"),
        ("13812341234", "138****1234"),
        ("95588", "***88"),
        ("1234", "****"),
        ("anonymous", "anonymous"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_number(number, masked):
    assert mask_number(number) == masked


@pytest.mark.parametrize(
    ("age", "delta"),
    [
        ("90d", datetime.timedelta(days=90)),
        ("12h", datetime.timedelta(hours=12)),
        ("2w", datetime.timedelta(weeks=2)),
        (" 30D ", datetime.timedelta(days=30)),
    ],
)
def test_parse_age(age, delta):
    assert database.parse_age(age) == delta


@pytest.mark.parametrize("age", ["90", "d", "1.5d", "90 days", "-3d"])
def test_parse_age_refuses_what_it_cannot_read(age):
    with pytest.raises(ValueError, match="is not an age like 90d"):
        database.parse_age(age)


def test_purge_deletes_old_calls_with_everything_they_left(db, tmp_path, ivr):
    r = Recorder(db, Spool(tmp_path / "spool"))
    now = datetime.datetime.now(datetime.UTC)
    for sid, start in (
        ("CAold", now - datetime.timedelta(days=100)),
        ("CAnew", now - datetime.timedelta(days=1)),
    ):
        call(r, sid, start, [(0, 0, "/voice", None, "main", "start")])
        message(r, sid, f"RE{sid}", start)
        assert (
            r.write(callback_requested(sid, 4, CALLER, OTHER, "09:00-12:00", start))
            is Written.COMMITTED
        )
    out = ivr("db", "purge", "--older-than", "90d").stdout
    assert "1 events, 1 recordings, 1 callbacks, 1 calls" in out
    assert counts(db) == {"calls": 1, "events": 1, "recordings": 1, "callbacks": 1}
    refused = ivr("db", "purge", "--older-than", "soon", expect=2)
    assert "is not an age like 90d" in refused.output
    # Review: ages beyond the calendar were tracebacks (OverflowError).
    for age, says in (
        ("1000000d", "reaches back before the year 1"),
        ("99999999999d", "is longer than the calendar"),
    ):
        refused = ivr("db", "purge", "--older-than", age, expect=2)
        assert says in refused.output and "Traceback" not in refused.output
    assert counts(db)["calls"] == 1


def test_purge_by_default_keeps_what_callers_are_told(db, tmp_path, ivr, monkeypatch):
    """Without --older-than, the menu's retention_days (said before every recording)."""
    monkeypatch.setenv("IVR_MENUS", str(HOTLINE))
    r = Recorder(db, Spool(tmp_path / "spool"))
    now = datetime.datetime.now(datetime.UTC)
    for sid, days in (("CAold", 91), ("CAnew", 89)):
        call(r, sid, now - datetime.timedelta(days=days), [(0, 0, "/voice", None, "main", "x")])
    assert "1 calls" in ivr("db", "purge").stdout
    assert counts(db)["calls"] == 1
    monkeypatch.setenv("IVR_MENUS", str(SHIPPED))  # a menu that promises nothing
    assert "sets no retention_days" in ivr("db", "purge", expect=1).output


def _csv(hangup: str, transcription: str) -> str:
    """The CSV of a report with one hang-up node and one voicemail's transcription."""
    from ivr.records.report import TrafficReport, to_csv

    report = TrafficReport(
        since=None,
        until=None,
        timezone="UTC",
        calls=0,
        after_hours=None,
        by_day=[],
        by_hour=[0] * 24,
        options=[],
        hangups=[(hangup, 1)],
        agent_calls=0,
        agent_average_seconds=None,
        voicemails=[
            {"id": 1, "kind": "voicemail", "caller": "x", "at": "t", "transcription": transcription}
        ],
        callbacks=[],
    )
    return to_csv(report)


def test_csv_cells_cannot_run_as_formulas():
    text = _csv("=cmd|' /C calc'!A0", "@SUM(1+1)")
    assert "hangup,'=cmd" in text and ",'@SUM(1+1)" in text
    text = _csv("-2+3+cmd|' /C calc'!A0", "+SUM(1+1)")
    assert "hangup,'-2+3+cmd" in text and ",'+SUM(1+1)" in text


def test_json_output_escapes_what_a_terminal_would_obey_and_reads_back_unchanged():
    """Audit (#18): C1 controls (U+009B, a one-character CSI) and bidi overrides reached
    the terminal raw through `--json` and `--format json`."""
    from ivr.records.report import json_for_terminal

    said = "hi \u009b2J\u009b31m RED \u202eevil \x1b[31m \U000e0041 你好"
    text = json_for_terminal([{"transcription": said}])
    assert all(ord(ch) < 0x80 or not unicodedata.category(ch).startswith("C") for ch in text)
    assert "你好" in text  # other text stays readable
    assert json.loads(text) == [{"transcription": said}]


def test_csv_cells_keep_their_row_whatever_control_characters_they_hold():
    """Review: a lone CR in a transcription went out unquoted and split the row."""
    said = "hello RED \rOVERWRITE\x1b[31m\tline two\nline three\u202eevil"
    rows = list(csv.reader(io.StringIO(_csv("main", said), newline="")))
    (message,) = [row for row in rows if row[0] == "voicemail"]
    # (U+202E, a bidi override, would show the rest reversed: review)
    assert message[-1] == "hello RED OVERWRITE[31mline two\nline threeevil"
    assert all(len(row) == 4 for row in rows)


def test_stored_fields_reach_the_terminal_as_plain_text():
    """An escape sequence or a [tag] in a transcription is shown, not obeyed."""
    import io as _io

    from rich.console import Console

    from ivr.records.report import voicemail_table

    rows = [
        {
            "id": 1,
            "kind": "voicemail",
            "caller": "+86 138****1234",
            "at": "2026-11-23T10:00",
            "duration": 5,
            "transcription": "\x1b[2J\x1b[31mhi [bold]there[/bold]\x07\u202eevil\u2066",
            "language": "zh-CN",
            "topic": "[red]stolen",
            "urgent": True,
            "handled": False,
        }
    ]
    out = _io.StringIO()
    Console(file=out, force_terminal=True, color_system=None, width=200).print(
        voicemail_table(rows, "1 voicemail")
    )
    text = out.getvalue()
    assert "\x1b[2J" not in text and "\x07" not in text
    assert "\u202e" not in text and "\u2066" not in text and "evil" in text
    assert "[bold]there[/bold]" in text  # shown as written, not turned into style
    assert "URGENT [red]stolen" in text


# -- simulated calls ---------------------------------------------------------------------------


def test_simulated_calls_are_left_out_of_every_list_unless_asked(db, ivr, dial, clock):
    """A test voicemail and callback request are not open work: report, voicemails and
    callbacks leave the simulator's calls (CallSid CAsim...) out; --simulated shows them."""
    dial("0,1,rec:真的留言")  # a real caller's voicemail (after hours)
    dial("0,1,rec:测试留言", seed=2, simulated=True)
    dial("0,2,1,2", seed=3, simulated=True)  # a callback request, simulated
    real, everything = report_json(ivr), report_json(ivr, "--simulated")
    assert real["calls"]["total"] == 1 and everything["calls"]["total"] == 3
    assert len(real["open_voicemails"]) == 1 and len(everything["open_voicemails"]) == 2
    assert real["open_callbacks"] == [] and len(everything["open_callbacks"]) == 1
    voicemails = json.loads(ivr("voicemails", "--json").stdout)
    assert len(voicemails) == 1
    assert len(json.loads(ivr("voicemails", "--json", "--simulated").stdout)) == 2
    assert "no open callback requests" in ivr("callbacks").stdout
    assert len(json.loads(ivr("callbacks", "--json", "--simulated").stdout)) == 1


def test_urgent_messages_and_requests_are_listed_first_with_topic_language_and_day(
    db, ivr, tmp_path
):
    """Review 8 (F2): a stolen-account message left later still comes before a routine one;
    each list shows the topic, the language and (callbacks) the window's day."""
    from ivr.call.flow import Origin

    r = Recorder(db, Spool(tmp_path / "spool"))
    day = datetime.date(2026, 11, 25)
    for sid, when, origin in (
        ("CA1", at(24, 21), Origin("zh-CN", "funds_not_arrived")),
        ("CA2", at(24, 23), Origin("en-US", "stolen", urgent=True)),
    ):
        assert r.write(call_seen(sid, CALLER, None, when)) is Written.COMMITTED
        url = f"https://api.twilio.com/RE{sid}"
        left = message_left(sid, f"RE{sid}", 3, "voicemail", "voicemail", CALLER, url, 12,
                            None, None, when, origin)  # fmt: skip
        booked = callback_requested(sid, 4, CALLER, OTHER, "18:00-20:00", when, day, origin)
        assert r.write(left, booked) is Written.COMMITTED
    for command in ("voicemails", "callbacks"):
        rows = json.loads(ivr(command, "--json").stdout)
        assert [(v["topic"], v["language"], v["urgent"]) for v in rows] == [
            ("stolen", "en-US", True),
            ("funds_not_arrived", "zh-CN", False),
        ]
    assert {c["date"] for c in json.loads(ivr("callbacks", "--json").stdout)} == {"2026-11-25"}
    shown = ivr("callbacks").stdout
    assert "URGENT stolen" in shown and "2026-11-25" in shown and "en-US" in shown
    assert shown.index("URGENT stolen") < shown.index("funds_not_arrived")
    report = json.loads(ivr("report", "--since", "2026-11-23", "--format", "json").stdout)
    assert [v["topic"] for v in report["open_voicemails"]] == ["stolen", "funds_not_arrived"]
