from __future__ import annotations

import datetime as dt
import json
from typing import Optional

import click

from tracker.cli.common import DATE, Context, echo, pass_context, today
from tracker.digest import overview
from tracker.report import series


@click.command()
@click.option("--as-of", type=DATE, help="Show the status as recorded on this date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def status(obj: Context, as_of: Optional[dt.date], as_json: bool) -> None:
    """Each priority's current status, last entry, next milestone and flags: stale, milestone
    overdue, and a status resting only on sources whose links `tracker sources check` found dead;
    and each programme's next scheduled edition, and whether a scheduled edition is overdue (not
    in reports/ although its date has passed)."""
    as_of = as_of or today()
    ws = obj.workspace
    programmes = ws.load_all()
    schedules = series.schedules(ws, programmes, as_of)
    if as_json:
        echo(json.dumps(overview.as_json(programmes, as_of, ws.archive, schedules), indent=2,
                              ensure_ascii=False))
        return
    echo("\n\n".join(overview.as_table(p, as_of, ws.archive, schedules[p.id]) for p in programmes))


COMMANDS = [status]
