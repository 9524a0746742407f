from __future__ import annotations

import datetime as dt
import json
from typing import Optional

import click

from tracker.cli.common import DATE, Context, pass_context, today
from tracker.digest import overview


@click.command()
@click.option("--as-of", type=DATE, help="Show the status as recorded on this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def status(obj: Context, as_of: Optional[dt.date], as_json: bool) -> None:
    """Each priority's current status, last entry, next milestone and flags: stale, milestone
    overdue, and a status resting only on sources whose links `tracker sources check` found dead."""
    as_of = as_of or today()
    ws = obj.workspace
    programmes = ws.load_all()
    if as_json:
        click.echo(json.dumps(overview.as_json(programmes, as_of, ws.archive), indent=2, ensure_ascii=False))
        return
    click.echo("\n\n".join(overview.as_table(p, as_of, ws.archive) for p in programmes))


COMMANDS = [status]
