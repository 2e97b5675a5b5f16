"""The `ivr` command line: a thin layer over the library.

Each command lives in the module of its part and is imported only when it runs
(click's lazy subcommands), so `ivr validate` loads neither Flask nor
SQLAlchemy. Library errors become one clear `Error: ...` line and exit code 1;
usage errors exit 2 (click's convention).
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute"; `ivr --help` lists them without importing any.
COMMANDS = {
    "validate": "ivr.cli.menu:validate",
    "schema": "ivr.cli.menu:schema",
    "graph": "ivr.cli.menu:graph",
    "speech": "ivr.cli.menu:speech",
    "simulate": "ivr.cli.calls:simulate",
    "test": "ivr.cli.calls:test_command",
    "explore": "ivr.cli.calls:explore",
    "serve": "ivr.cli.serve:serve",
    "db": "ivr.cli.db:db_cli",
    "report": "ivr.cli.records:report_command",
    "voicemails": "ivr.cli.records:voicemails_command",
    "callbacks": "ivr.cli.records:callbacks_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when they are used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="ivr")
def cli() -> None:
    """A phone menu for Twilio, declared in menus.yaml."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    try:
        cli.main(args=argv, prog_name="ivr", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code  # 1, 2 for usage errors, 75 for a database that is down
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
