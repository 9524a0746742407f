"""`tracker sources check | archive | show | extract`: the evidence behind the editions.

The date of every check and capture is today (`today()` in cli/common.py, the one clock;
tests replace `tracker.cli.editions.sources.today`).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Optional

import click

from tracker.cli.common import DATE, Context, Reference, Seconds, echo, pass_context, today
from tracker.evidence import captures, checks
from tracker.evidence.fetch import DEFAULT_TIMEOUT, Limits
from tracker.evidence.pool import DEFAULT_JOBS

PROGRAMME_IDS = click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), default=DEFAULT_JOBS, show_default=True, metavar="N",
                    help="Fetch N sources at a time (at most 2 from one host).")
ALLOW_PRIVATE = click.option("--allow-private", is_flag=True,
                             help="Also fetch from loopback, private and link-local addresses (local test servers).")


@click.group("sources")
def sources() -> None:
    """Evidence that outlives its links: check source links and keep web-archive captures in archive/."""


@sources.command("check")
@PROGRAMME_IDS
@JOBS
@click.option("--timeout", type=Seconds(3600), default=DEFAULT_TIMEOUT,
              show_default=True, metavar="SECONDS", help="Give up on a source after this long, redirects included.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document for scripts.")
@ALLOW_PRIVATE
@pass_context
@click.pass_context
def check(ctx: click.Context, obj: Context, programme_ids: tuple[str, ...], jobs: int, timeout: float,
          as_json: bool, allow_private: bool) -> None:
    """Check every source link: ok, moved, gone, error or timeout (no url when none is recorded).

    Results are appended, dated today, to archive/<programme>/checks.jsonl. Exit 0 when every
    link is ok or moved, 1 otherwise.
    """
    date = today()
    outcomes = checks.check_sources(obj.workspace, programme_ids, date,
                                    Limits(timeout=timeout, allow_private=allow_private), jobs)
    if as_json:
        echo(json.dumps(checks.as_json(outcomes, date), indent=2, ensure_ascii=False))
    else:
        echo(checks.as_table(outcomes))
    ctx.exit(0 if all(o.passed for o in outcomes) else 1)


@sources.command("archive")
@PROGRAMME_IDS
@click.option("--source", "source_ids", multiple=True, metavar="ID",
              help="Capture only this source (repeatable); default: every source.")
@JOBS
@ALLOW_PRIVATE
@pass_context
@click.pass_context
def archive(ctx: click.Context, obj: Context, programme_ids: tuple[str, ...], source_ids: tuple[str, ...],
            jobs: int, allow_private: bool) -> None:
    """Capture each source as a WARC file: archive/<programme>/<source-id>/<YYYY-MM-DD>.warc.gz.

    A payload identical to the source's latest capture is not stored again (unchanged). Exit 1
    when a source could not be captured.
    """
    done = captures.archive_sources(obj.workspace, programme_ids, source_ids, today(),
                                    Limits(allow_private=allow_private), jobs)
    echo(captures.as_table(done))
    ctx.exit(0 if all(item.passed for item in done) else 1)


@sources.command("show")
@click.argument("ref", type=Reference("PROGRAMME", "SOURCE"), metavar="PROGRAMME/SOURCE")
@pass_context
def show(obj: Context, ref: tuple[str, str]) -> None:
    """The captures and checks of one source, oldest first."""
    echo(captures.history_text(captures.history(obj.workspace, *ref)))


@sources.command("extract")
@click.argument("ref", type=Reference("PROGRAMME", "SOURCE"), metavar="PROGRAMME/SOURCE")
@click.option("--date", type=DATE, help="The capture of this date, or the latest before it (default: the latest).")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write the page or PDF to, as it was captured.")
@pass_context
def extract(obj: Context, ref: tuple[str, str], date: Optional[dt.date], out: Path) -> None:
    """Write an archived payload back out: the page or PDF as it was captured."""
    capture = captures.extract(obj.workspace, *ref, date, out)
    echo(f"{out}: capture of {capture.date.isoformat()}, {capture.size} bytes, "
         f"SHA-256 {capture.payload_sha256}")


COMMANDS = [sources]
