from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Optional

import click

from tracker.cli.common import DATE, LANGUAGE, Context, pass_context, today
from tracker.report import FORMATS, PDF_VARIANTS, RenderOptions, build


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
@click.option("--pdf-variant", type=click.Choice(list(PDF_VARIANTS)), default=PDF_VARIANTS[0], show_default=True,
              help="pdf/a-3b: archival, with the programme file attached; pdf/ua-1: tagged and accessible.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="Render N programmes at a time, each in its own process; 0: one per core.")
@click.option("--lang", "langs", type=LANGUAGE, multiple=True, metavar="LANG",
              help="Render the editions in this language (BCP 47, e.g. zh-Hans); repeatable. "
                   "Default: every language of each programme (its `languages`).")
@click.option("--force", is_flag=True,
              help="Render every edition, even those whose inputs have not changed since they were written.")
@click.option("--drafts", is_flag=True,
              help="A preview with the drafts waiting for review, marked \"DRAFT \u2014 not for distribution\", "
                   "into <out>/<id>/drafts/ (never distributed or published).")
@pass_context
def report(obj: Context, programme_ids: tuple[str, ...], as_of: Optional[dt.date], fmt: str,
           out: Optional[Path], since: Optional[dt.date], template_dir: Optional[Path], pdf_variant: str,
           jobs: int, force: bool, langs: tuple[str, ...], drafts: bool) -> None:
    """Render dated HTML and PDF reports: reports/<id>/<id>-<as-of>.html and .pdf.

    A programme published in several languages (`languages: [en, zh-Hans]`) gets one edition
    per language: the first keeps these names, the others are <id>-<as-of>.<lang>.html and .pdf.

    Prints the path of each edition file, in programme order. An edition whose inputs
    (programme file, templates, options, as-of date, tracker version...) have not changed since
    it was written is not rendered again: its path is printed all the same, and on a terminal
    stderr says it was up to date. --force renders every edition. --drafts renders a preview
    with the drafts waiting for review into reports/<id>/drafts/.
    """
    as_of = as_of or today()
    if since is not None and since >= as_of:
        raise click.BadParameter(f"{since.isoformat()} is not before the as-of date {as_of.isoformat()}",
                                 param_hint="'--since'")
    ws = obj.workspace
    formats = FORMATS if fmt == "all" else (fmt,)
    folder = out or ws.reports
    options = RenderOptions(template_dir=template_dir.absolute() if template_dir else None,
                            pdf_variant=pdf_variant, since=since, editions=folder, drafts=drafts)
    terminal = sys.stderr.isatty()
    bar = _Bar() if terminal else None
    try:
        outcome = build(ws, as_of, formats, folder, options, programme_ids=programme_ids, jobs=jobs, force=force,
                        progress=bar, langs=langs)
    finally:
        if bar:
            bar.close()
    for path in outcome.paths:
        click.echo(path)
    if terminal and outcome.up_to_date:
        count = len(outcome.up_to_date)
        click.echo(f"{count} file{'s' if count > 1 else ''} up to date, not rendered again "
                   "(--force renders them)", err=True)


class _Bar:
    """A progress bar on stderr, shown once there are several editions to render."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < 2:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rendering", file=sys.stderr, show_pos=True)
            self.bar.render_progress()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()


COMMANDS = [report]
