from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any, Optional

import click

from tracker.cli.common import DATE, LANGUAGE, Context, echo, pass_context, today
from tracker.model.records import PERIODS, Schedule
from tracker.report import FORMATS, PDF_VARIANTS, Outcome, RenderOptions, build, series


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
@click.option("--due", is_flag=True,
              help="Render every edition the programmes' `editions:` schedules put on or before today that "
                   "is not in the output folder yet, oldest first.")
@click.option("--every", type=click.Choice(list(PERIODS)),
              help="Render a series: an edition at the end of every such calendar period from --from to --to.")
@click.option("--from", "start", type=DATE, help="With --every: the series starts with the period holding this date.")
@click.option("--to", "until", type=DATE, help="With --every: the last edition is on or before this date (default: today).")
@pass_context
def report(obj: Context, programme_ids: tuple[str, ...], as_of: Optional[dt.date], fmt: str,
           out: Optional[Path], since: Optional[dt.date], template_dir: Optional[Path], pdf_variant: str,
           jobs: int, force: bool, langs: tuple[str, ...], drafts: bool, due: bool, every: Optional[str],
           start: Optional[dt.date], until: Optional[dt.date]) -> None:
    """Render dated HTML and PDF reports: reports/<id>/<id>-<as-of>.html and .pdf.

    A programme published in several languages (`languages: [en, zh-Hans]`) gets one edition
    per language: the first keeps these names, the others are <id>-<as-of>.<lang>.html and .pdf.

    Prints the path of each edition file, in programme order. An edition whose inputs
    (programme file, templates, options, as-of date, tracker version...) have not changed since
    it was written is not rendered again: its path is printed all the same, and on a terminal
    stderr says it was up to date. --force renders every edition. --drafts renders a preview
    with the drafts waiting for review into reports/<id>/drafts/.

    Editions on a schedule: --due renders, for each programme with `editions: {every, start}`,
    every scheduled edition up to today not rendered yet, each as of its date and compared with
    the scheduled edition before it (existing ones are left alone); a programme without a
    schedule gets nothing, and stderr says so. --every PERIOD --from DATE [--to DATE] renders
    such a series for any programme (a backfill).
    """
    _check_series_options(due, every, start, until, as_of, since, drafts)
    if every and start is not None:
        _check_series_dates(every, start, until)
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
        if due or every:
            made = (series.render_due(ws, today(), formats, folder, options, programme_ids=programme_ids, jobs=jobs,
                                      force=force, progress=bar, langs=langs) if due else
                    series.render_every(ws, every or "", start or as_of, until or today(), formats, folder, options,
                                        programme_ids=programme_ids, jobs=jobs, force=force, progress=bar,
                                        langs=langs))
            for pid in made.unscheduled:
                echo(f"{pid}: no edition schedule (editions: {{every: ..., start: ...}} in its programme "
                     "file); nothing rendered for it by --due", err=True)
            if due and not made.outcome.paths:
                echo("no scheduled edition is due", err=True)
            outcome: Outcome = made.outcome
        else:
            outcome = build(ws, as_of, formats, folder, options, programme_ids=programme_ids, jobs=jobs, force=force,
                            progress=bar, langs=langs)
    finally:
        if bar:
            bar.close()
    for path in outcome.paths:
        echo(path)
    if terminal and outcome.up_to_date:
        count = len(outcome.up_to_date)
        echo(f"{count} file{'s' if count > 1 else ''} up to date, not rendered again "
             "(--force renders them)", err=True)


def _check_series_options(due: bool, every: Optional[str], start: Optional[dt.date], until: Optional[dt.date],
                          as_of: Optional[dt.date], since: Optional[dt.date], drafts: bool) -> None:
    """--due and --every each make editions of several dates: options naming one date do not go
    with them (a usage error, exit 2)."""
    if due and every:
        raise click.UsageError("--due and --every cannot be used together: --due follows each programme's own "
                               "schedule, --every sets one")
    if every and start is None:
        raise click.UsageError("--every needs --from DATE: the series starts with the period holding it")
    if not every:
        for name, value in (("--from", start), ("--to", until)):
            if value is not None:
                raise click.UsageError(f"{name} goes with --every PERIOD")
    if due or every:
        for name, given in (("--as-of", as_of is not None), ("--since", since is not None), ("--drafts", drafts)):
            if given:
                raise click.UsageError(f"{name} cannot be used with {'--due' if due else '--every'}: each edition "
                                       "of a series is as of its own date and compared with the one before it")
    if every and start is not None and until is not None and until < start:
        raise click.BadParameter(f"{until.isoformat()} is before --from {start.isoformat()}", param_hint="'--to'")


def _check_series_dates(every: str, start: dt.date, until: Optional[dt.date]) -> None:
    """A series with no edition up to --to (today without it) would render nothing: a usage
    error (exit 2), as --to before --from is, never a silent success."""
    end = until or today()
    schedule = Schedule(every, start)
    if schedule.dates(end):
        return
    first = schedule.next_after(end)
    upto = f"--to {end.isoformat()}" if until is not None else f"today ({end.isoformat()}; --to defaults to it)"
    raise click.BadParameter(f"no {every} edition from --from {start.isoformat()} falls on or before {upto}: the "
                             f"first is {first.isoformat() if first else 'after the year 9999'}",
                             param_hint="'--to'" if until is not None else "'--from'")


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
