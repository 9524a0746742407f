from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import click

from ..errors import NotFound
from ..report import FORMATS, RenderOptions, write_reports
from ..report.pdf import VARIANTS
from .common import DATE, Context, pass_context, today


@click.command()
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--as-of", type=DATE, help="Report progress up to this date (default: today).")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "all"]), default="all", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: reports/).")
@click.option("--since", type=DATE,
              help="Report what changed since this date (default: the latest earlier edition in the output folder).")
@click.option("--template-dir", type=click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path),
              help="Folder of templates and report.css tried before the defaults "
                   "(which stay reachable as default:NAME for extends and include).")
@click.option("--pdf-variant", type=click.Choice(list(VARIANTS)), default=VARIANTS[0], show_default=True,
              help="pdf/a-3b: archival, with the programme file attached; pdf/ua-1: tagged and accessible.")
@pass_context
def report(obj: Context, programme_ids: tuple[str, ...], as_of: Optional[dt.date], fmt: str,
           out: Optional[Path], since: Optional[dt.date], template_dir: Optional[Path], pdf_variant: str) -> None:
    """Render dated HTML and PDF reports: reports/<id>/<id>-<as-of>.html and .pdf."""
    as_of = as_of or today()
    if since is not None and since >= as_of:
        raise click.BadParameter(f"{since.isoformat()} is not before the as-of date {as_of.isoformat()}",
                                 param_hint="'--since'")
    ws = obj.workspace
    programmes = ws.load_all()
    if programme_ids:
        by_id = {p.id: p for p in programmes}
        for pid in programme_ids:
            if pid not in by_id:
                raise NotFound(ws.unknown_programme(pid))
        programmes = [by_id[pid] for pid in dict.fromkeys(programme_ids)]
    formats = FORMATS if fmt == "all" else (fmt,)
    folder = out or ws.reports
    options = RenderOptions(template_dir=template_dir.absolute() if template_dir else None,
                            pdf_variant=pdf_variant, since=since, editions=folder)
    for path in write_reports(ws, programmes, as_of, formats, folder, options):
        click.echo(path)


COMMANDS = [report]
