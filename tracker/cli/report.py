from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import click

from ..errors import NotFound
from ..report import FORMATS, write_reports
from .common import DATE, Context, pass_context, today


@click.command()
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--as-of", type=DATE, help="Report progress up to this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "all"]), default="all", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: reports/).")
@pass_context
def report(obj: Context, programme_ids: tuple[str, ...], as_of: Optional[dt.date], fmt: str,
           out: Optional[Path]) -> None:
    """Render dated HTML and PDF reports: reports/<id>/<id>-<as-of>.html and .pdf."""
    ws = obj.workspace
    programmes = ws.load_all()
    if programme_ids:
        by_id = {p.id: p for p in programmes}
        for pid in programme_ids:
            if pid not in by_id:
                raise NotFound(ws.unknown_programme(pid))
        programmes = [by_id[pid] for pid in dict.fromkeys(programme_ids)]
    formats = FORMATS if fmt == "all" else (fmt,)
    for path in write_reports(ws, programmes, as_of or today(), formats, out or ws.reports):
        click.echo(path)


COMMANDS = [report]
