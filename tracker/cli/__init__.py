"""The command line: parses options, calls the library, prints results. Nothing else.

Errors from the library arrive as `TrackerError`s and are printed here, in one place, as
one line each with exit code 1; usage errors exit 2 (Click's own convention).
"""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__
from ..errors import TrackerError
from .common import Context


class TrackerGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as error:
            for line in str(error).splitlines() or [type(error).__name__]:
                click.echo(f"error: {line}" if not _located(line) else line, err=True)
            ctx.exit(error.exit_code)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            ctx.exit(1)


def _located(line: str) -> bool:
    head = line.split(": ", 1)[0]
    return head.count(":") >= 2 and head.rsplit(":", 2)[-1].isdigit()


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
@click.option("--root", type=click.Path(file_okay=False, dir_okay=True, exists=True), envvar="TRACKER_ROOT",
              default=".", show_default=True, help="Workspace holding policies/ and reports/ (also TRACKER_ROOT).")
@click.pass_context
def cli(ctx: click.Context, root: str) -> None:
    """Track stated policy priorities and publish dated progress reports."""
    ctx.obj = Context(root)


def _register() -> None:
    from . import distribute, init, report, schema, status, update, validate

    for module in (validate, status, report, schema, init, distribute, update):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="tracker", windows_expand_args=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
