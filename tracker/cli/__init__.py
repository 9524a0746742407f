"""The command line: parses options, calls the library, prints results. Nothing else.

Errors from the library arrive as `TrackerError`s and are printed here, in one place, as
one line each with exit code 1; usage errors exit 2 (Click's own convention).
"""
from __future__ import annotations

import importlib
from typing import Any, Optional

import click

from tracker import __version__
from tracker.cli.common import Context
from tracker.errors import TrackerError

#: Command name -> the module of tracker.cli defining it (`records.*`: commands on the programme
#: records; `editions.*`: commands that make and send editions). Modules are imported when their
#: command runs, so `tracker report` never pays for the email or editing code.
COMMAND_MODULES = {
    "validate": "records.validate", "schema": "records.schema", "init": "records.init",
    "status": "records.status", "history": "records.history",
    "update": "records.edit", "record": "records.edit", "milestone": "records.edit", "source": "records.edit",
    "import": "records.imports",
    "correct": "records.correct", "review": "records.review", "approve": "records.review", "reject": "records.review",
    "report": "editions.report", "distribute": "editions.distribute", "publish": "editions.publish",
    "translate": "editions.translate", "sources": "editions.sources", "export": "editions.export",
}


class TrackerGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> Optional[click.Command]:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.commands.setdefault(command.name, command)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TrackerError as error:
            for line in error.lines():
                click.echo(line, err=True)
            ctx.exit(error.exit_code)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"error: {where}{error.strerror or error}", err=True)
            ctx.exit(1)


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
@click.option("--root", type=click.Path(file_okay=False, dir_okay=True, exists=True), envvar="TRACKER_ROOT",
              default=".", show_default=True, help="Workspace holding policies/ and reports/ (also TRACKER_ROOT).")
@click.pass_context
def cli(ctx: click.Context, root: str) -> None:
    """Track stated policy priorities and publish dated progress reports."""
    ctx.obj = Context(root)


def main() -> None:
    cli(prog_name="tracker", windows_expand_args=False)


if __name__ == "__main__":  # pragma: no cover
    main()
