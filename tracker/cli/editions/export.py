"""`tracker export`: the programmes' data as tidy tables (CSV, XLSX or JSON), as of a date."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import click

from tracker.cli.common import DATE, Context, echo, pass_context, today
from tracker.report.run.pipeline import select
from tracker.tables import write


@click.command()
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(list(write.FORMATS)), default="csv", show_default=True,
              help="csv: one file per table; xlsx: one workbook, a sheet per table; json: one document.")
@click.option("--as-of", type=DATE, help="The data as recorded on this date (default: today).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the files, holding every programme named (default: reports/<id>/data/ each).")
@pass_context
def export(obj: Context, programme_ids: tuple[str, ...], fmt: str, as_of: Optional[dt.date],
           out: Optional[Path]) -> None:
    """Write the tables statuses, observations, indicators, milestones and sources: one row per
    fact, the same columns in every format. Prints the path of each file written.

    Text cells that a spreadsheet would run as a formula (starting =, +, -, @, a tab or a
    carriage return) are written with a leading apostrophe; numbers stay numbers. The same data
    and as-of date give the same bytes.
    """
    ws = obj.workspace
    programmes = select(ws, ws.load_all(), programme_ids)
    for path in write.export(programmes, as_of or today(), fmt, out, ws.reports).paths:
        echo(path)


COMMANDS = [export]
