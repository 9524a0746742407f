from __future__ import annotations

import datetime as dt
import os
from typing import Any, Optional

import click

from tracker.cli.common import DATE, Context, pass_context, today
from tracker.distribute import send as dist
from tracker.model import settings as dist_settings
from tracker.model.addresses import check_address
from tracker.model.fields import Bad


class AddressType(click.ParamType):
    """A plain email address, checked as strictly as the ones in distribution.yaml."""

    name = "ADDRESS"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        try:
            return check_address(value)
        except Bad as bad:
            self.fail(str(bad), param, ctx)


def _now() -> dt.datetime:
    """The Date header and delivery times: the only clock reading of `distribute`."""
    return dt.datetime.now(dt.timezone.utc)


@click.command()
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--as-of", type=DATE,
              help="The edition to send: progress up to this date (default: today; for a programme with an "
                   "edition schedule, its latest scheduled edition up to today).")
@click.option("--dry-run", is_flag=True,
              help="Write the exact messages to reports/outbox/*.eml; send nothing, record nothing.")
@click.option("--to", "to", type=AddressType(),
              help="Send a test copy to this address only, instead of the list (it need not be in the list); "
                   "logged as a test, it never counts as a list recipient's copy.")
@pass_context
@click.pass_context
def distribute(ctx: click.Context, obj: Context, programme_ids: tuple[str, ...], as_of: Optional[dt.date],
               dry_run: bool, to: Optional[str]) -> None:
    """Email each recipient the edition's PDF, with the status counts and what changed.

    Settings come from policies/distribution.yaml (smtp, sender, recipients keyed by programme
    id); the password only from the TRACKER_SMTP_PASSWORD environment variable. Without
    PROGRAMME_ID, every programme with recipients is sent. The edition is rendered first if it
    does not exist. Without --as-of, a programme with an `editions:` schedule sends its latest
    scheduled edition (once: run daily, each goes out on the first run after its date). Every outcome is appended to reports/<id>/deliveries.jsonl, and recipients
    who already received the edition are skipped: after a failure, run the same command again.
    Transient failures are retried with back-off. Exits 1 if any recipient was not reached.
    """
    ws = obj.workspace
    programmes, settings = dist_settings.load_workspace(ws, required=True)
    assert settings is not None
    chosen = dist.select(settings, programmes, programme_ids, to, ws.unknown_programme)
    outcome = dist.distribute(ws, settings, chosen, as_of or today(), scheduled=as_of is None, to=to, dry_run=dry_run,
                              password=dist_settings.password(os.environ), now=_now)
    for path in outcome.rendered:
        click.echo(f"rendered {ws.display(path)}", err=True)
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(outcome.table())
    if outcome.fatal:
        click.echo(f"error: {outcome.fatal}", err=True)
    if not outcome.ok:
        missed = len(outcome.missed)
        click.echo(f"error: {missed} of {len(outcome.rows)} recipient(s) not reached; "
                   "run the same command again to retry them", err=True)
        ctx.exit(1)


COMMANDS = [distribute]
