"""`tracker history`: a priority's dated log."""
from __future__ import annotations

import json

import click

from tracker.cli.common import Context, Reference, echo, pass_context
from tracker.digest import history
from tracker.model.lookup import find_priority


@click.command("history")
@click.argument("ref", type=Reference("PROGRAMME", "PRIORITY"), metavar="PROGRAMME/PRIORITY")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def history_command(obj: Context, ref: tuple[str, str], as_json: bool) -> None:
    """The dated log of a priority: status entries, observations and milestones done, oldest first."""
    programme_id, priority_id = ref
    ws = obj.workspace
    programme = ws.load_file(ws.file_of(programme_id))
    priority = find_priority(programme, priority_id)
    if as_json:
        echo(json.dumps(history.as_json(programme, priority), indent=2, ensure_ascii=False))
    else:
        echo(history.as_table(programme, priority))


COMMANDS = [history_command]
