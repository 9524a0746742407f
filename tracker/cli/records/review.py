"""Review and sign-off: `tracker review` lists drafts, `approve` publishes them, `reject` removes them.

A programme that sets `review: required` gets drafts from every editing command; no edition,
email or archive shows a draft until someone other than its author approves it (or its author,
with `review: self-allowed`). The approver and rejecter are --by, else git's configured author.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Optional

import click

from tracker.cli.common import DATE, Context, Reference, TextOption, echo, missing, pass_context, today
from tracker.cli.records.correct import DATED_REF
from tracker.digest import review as review_digest
from tracker.edit import gitcommit
from tracker.edit import operations as edit
from tracker.errors import NotFound, WorkspaceError

SCOPE = Reference("PROGRAMME", "PRIORITY", least=1)


@click.command("review")
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_context
def review_command(obj: Context, programme_ids: tuple[str, ...], as_json: bool) -> None:
    """List drafts waiting for review, oldest first, with what each would change in the next
    edition (the priority's status before and after)."""
    ws = obj.workspace
    programmes = ws.load_all()
    if programme_ids:
        by_id = {p.id: p for p in programmes}
        for pid in programme_ids:
            if pid not in by_id:
                raise NotFound(ws.unknown_programme(pid))
        programmes = [by_id[pid] for pid in dict.fromkeys(programme_ids)]
    as_of = today()
    drafts = review_digest.pending([(p, ws.display(p.path)) for p in programmes], as_of)
    if as_json:
        echo(json.dumps(review_digest.as_json(drafts, as_of), indent=2, ensure_ascii=False))
    else:
        echo(review_digest.as_table(drafts))


def _who(obj: Context, by: Optional[str], programme_id: str, ctx: click.Context) -> str:
    """--by, else git's configured author; a usage error when neither names anyone."""
    if by and by.strip():
        return by.strip()
    ws = obj.workspace
    try:
        name = gitcommit.author(gitcommit.repository(ws.file_of(programme_id).resolve(), ""))
    except WorkspaceError:
        name = ""
    if not name:
        raise missing(ctx, "by", "Say who you are (no git author is configured).")
    return name


def _selection(ctx: click.Context, ref: tuple[str, ...], all_: bool, refs: tuple[str, ...]) -> edit.Selection:
    if all_ and refs:
        raise click.UsageError("--all and --entry exclude each other", ctx)
    if not all_ and not refs:
        raise click.UsageError("say which drafts: --all, or --entry DATE (repeat for several)", ctx)
    return edit.Selection(priority=ref[1] if len(ref) > 1 else "", all=all_, refs=refs)


def _report(obj: Context, outcome: edit.Outcome) -> None:
    echo(f"{obj.workspace.display(outcome.path)}: {outcome.summary}")
    if outcome.commit:
        echo(f"committed {outcome.commit}")


def _selection_options(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option("--commit", is_flag=True, help="Commit the changed file to git.")(func)
    func = click.option("--date", "day", type=DATE, help="Date of the decision (default: today).")(func)
    func = click.option("--entry", "refs", type=DATED_REF, multiple=True,
                        help="The drafts of this date (DATE#N: the Nth entry of that date); repeat for several.")(func)
    func = click.option("--all", "all_", is_flag=True, help="Every draft of the programme (or priority).")(func)
    return func


@click.command()
@click.argument("ref", type=SCOPE, metavar="PROGRAMME[/PRIORITY]")
@click.option("--by", type=TextOption(), help="Who approves (default: git's configured author); never the draft's author.")
@_selection_options
@pass_context
def approve(obj: Context, ref: tuple[str, ...], by: Optional[str], all_: bool, refs: tuple[str, ...],
            day: Optional[dt.date], commit: bool) -> None:
    """Approve drafts: editions from the approval's date on show them (approved_by, approved_on).

    Nobody approves their own draft (exit 1, naming it) unless the programme sets
    review: self-allowed."""
    ctx = click.get_current_context()
    selection = _selection(ctx, ref, all_, refs)
    approver = _who(obj, by, ref[0], ctx)
    outcome = edit.approve(obj.workspace, ref[0], selection, approver, day or today(),
                           edit.Options(today=today(), commit=commit, author=approver))
    _report(obj, outcome)


@click.command()
@click.argument("ref", type=SCOPE, metavar="PROGRAMME[/PRIORITY]")
@click.option("--why", type=TextOption(lines=True), help="Why the drafts are rejected (kept in the programme's review_log).")
@click.option("--by", type=TextOption(), help="Who rejects (default: git's configured author).")
@_selection_options
@pass_context
def reject(obj: Context, ref: tuple[str, ...], why: Optional[str], by: Optional[str], all_: bool,
           refs: tuple[str, ...], day: Optional[dt.date], commit: bool) -> None:
    """Reject drafts: they are removed, and a line for each (what, who, when, why) is kept in the
    programme's review_log."""
    ctx = click.get_current_context()
    selection = _selection(ctx, ref, all_, refs)
    if why is None or not why.strip():
        raise missing(ctx, "why", "Say why the drafts are rejected.")
    rejecter = _who(obj, by, ref[0], ctx)
    outcome = edit.reject(obj.workspace, ref[0], selection, rejecter, why, day or today(),
                          edit.Options(today=today(), commit=commit, author=rejecter))
    _report(obj, outcome)


COMMANDS = [review_command, approve, reject]
