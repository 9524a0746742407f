"""`tracker import`: status entries and observations from CSV files or workbooks.

Before writing, in a terminal and without --yes, the summary is shown and a confirmation asked;
without a terminal (scripts, CI) the import goes ahead. Today (the limit past which
--allow-future is needed) comes from `today()` in cli/common.py.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from tracker.cli.common import Checked, Context, echo, pass_context, today
from tracker.cli.records.edit import stdin_is_terminal
from tracker.model.fields import Text
from tracker.tables import imports


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...",
                type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True,
              help="Make every check of a real import (the rows, then each programme file as edited) and print "
                   "the summary; write nothing.")
@click.option("--by", type=Checked(Text(200, lines=False), "NAME"),
              help="Who made the status entries whose `by` cell is empty; named in the git commit.")
@click.option("--yes", "-y", is_flag=True, help="Never ask for confirmation before writing.")
@click.option("--allow-future", is_flag=True, help="Accept rows dated after today.")
@click.option("--commit", is_flag=True,
              help="Commit the changed programme files to git, together in one commit.")
@pass_context
def import_(obj: Context, files: tuple[str, ...], dry_run: bool, by: Optional[str], yes: bool,
            allow_future: bool, commit: bool) -> None:
    """Append the rows of CSV files or XLSX workbooks, in the statuses or observations layout of
    `tracker export`, to the programmes they name.

    A row equal to a record already there is skipped, so importing a file twice adds nothing; a
    row that would change a recorded entry or observation is an error. Every row is checked by
    the rules of `tracker update` and `tracker record`, and any problem, in any file, writes
    nothing: each is printed as FILE:ROW:COLUMN: FIELD: MESSAGE (in a workbook
    FILE:SHEET!A1: FIELD: MESSAGE). Prints, per programme, how many rows were added and skipped.
    """
    ask = not yes and not dry_run and stdin_is_terminal()

    def confirm(found: imports.Imported) -> bool:
        for line in found.summary():
            echo(line, err=True)
        return click.confirm("Write these changes?", default=False, err=True)

    options = imports.Options(today=today(), by=by or "", allow_future=allow_future, commit=commit,
                              dry_run=dry_run)
    result = imports.import_files(obj.workspace, [(Path(name), name) for name in files], options,
                                  confirm=confirm if ask else None)
    for note in result.notes:
        echo(note, err=True)
    for line in result.summary():
        echo(line)
    if not result.results and not result.notes:
        echo("no rows to import", err=True)
    if dry_run:
        echo("dry run: nothing written", err=True)
    elif not result.written and any(r.added for r in result.results):
        echo("nothing written", err=True)
    if result.commit:
        echo(f"committed {result.commit}")


COMMANDS = [import_]
