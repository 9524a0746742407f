from __future__ import annotations

import datetime as dt
import os
from typing import Any, Optional

import click

from tracker.cli.common import DATE, Context, echo, now, pass_context, today
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


@click.command()
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--as-of", type=DATE,
              help="The edition to send: progress up to this date (default: today; for a programme with an "
                   "edition schedule, its latest scheduled edition up to today).")
@click.option("--dry-run", is_flag=True,
              help="Write the exact messages to reports/outbox/*.eml; send nothing, record nothing.")
@click.option("--resend-unknown", is_flag=True,
              help="Send again to recipients whose earlier delivery is unknown (sent, but the server never "
                   "replied: it may have arrived, so this is never done without asking).")
@click.option("--due", is_flag=True,
              help="Send only what the `editions:` schedules make due: each scheduled programme its latest "
                   "scheduled edition; programmes without a schedule are left out, and without "
                   "policies/distribution.yaml there is nothing to send (exit 0). For a daily run.")
@click.option("--to", "to", type=AddressType(),
              help="Send a test copy to this address only, instead of the list (it need not be in the list); "
                   "logged as a test, it never counts as a list recipient's copy.")
@pass_context
@click.pass_context
def distribute(ctx: click.Context, obj: Context, programme_ids: tuple[str, ...], as_of: Optional[dt.date],
               dry_run: bool, resend_unknown: bool, due: bool, to: Optional[str]) -> None:
    """Email each recipient the edition's PDF, with the status counts and what changed.

    Settings come from policies/distribution.yaml (smtp, sender, recipients keyed by programme
    id); the password only from the TRACKER_SMTP_PASSWORD environment variable. Without
    PROGRAMME_ID, every programme with recipients is sent. The edition is rendered first if it
    does not exist. Without --as-of, a programme with an `editions:` schedule sends its latest
    scheduled edition (once: run daily, each goes out on the first run after its date). Every outcome is appended to reports/<id>/deliveries.jsonl, and recipients
    who already received the edition are skipped: after a failure, run the same command again.
    Transient failures are retried with back-off. A message sent without a reply is recorded as
    unknown and not sent again (--resend-unknown sends it). Exits 1 if any recipient was not reached.

    --due, for a daily run (`tracker report --due && tracker distribute --due && tracker
    publish`): only programmes with a schedule, each its latest scheduled edition; those without
    are left out (stderr says so), and a workspace without distribution settings has nothing to
    send (stderr says so; exit 0).
    """
    if due and as_of is not None:
        raise click.UsageError("--as-of cannot be used with --due: --due sends each programme's latest scheduled "
                               "edition up to today")
    ws = obj.workspace
    programmes, settings = dist_settings.load_workspace(ws, required=not due or to is not None)
    if settings is None:
        echo(f"{ws.display(ws.policies / dist_settings.SETTINGS_FILE)}: no distribution settings, so no "
             "recipients: nothing to send", err=True)
        return
    chosen = dist.select(settings, programmes, programme_ids, to, ws.unknown_programme)
    if due:
        chosen, unscheduled = dist.scheduled_only(chosen)
        for pid in unscheduled:
            echo(f"{pid}: no edition schedule (editions: {{every: ..., start: ...}} in its programme file); "
                 "nothing sent for it by --due", err=True)
        if not chosen:
            echo("no programme to send has an edition schedule: nothing to send", err=True)
            return
    outcome = dist.distribute(ws, settings, chosen, as_of or today(), scheduled=as_of is None, to=to, dry_run=dry_run,
                              resend_unknown=resend_unknown, password=dist_settings.password(os.environ), now=now)
    for path in outcome.rendered:
        echo(f"rendered {ws.display(path)}", err=True)
    for warning in outcome.warnings:
        echo(f"warning: {warning}", err=True)
    echo(outcome.table())
    if outcome.fatal:
        echo(f"error: {outcome.fatal}", err=True)
    if outcome.unknown:
        echo(f"error: {len(outcome.unknown)} message(s) sent without a reply from the server: they may have "
             "been delivered, so they are not sent again; check with the recipients or the server's log, "
             "and use --resend-unknown to send them again", err=True)
    if outcome.missed:
        echo(f"error: {len(outcome.missed)} of {len(outcome.rows)} recipient(s) not reached; "
             "run the same command again to retry them", err=True)
    if not outcome.ok:
        ctx.exit(1)


COMMANDS = [distribute]
