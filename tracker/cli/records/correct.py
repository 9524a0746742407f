"""`tracker correct`: a dated, explained correction of an entry or an observation, never a silent edit.

The correction is appended to the priority's `corrections:`; the entry or observation keeps what
it said, and editions from the correction's date on show the corrected value, marked "corrected
on DATE", with the reason. In a terminal a missing --why is asked for; with --yes, or without a
terminal, it is a usage error (exit 2), as in the other editing commands.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import click

from tracker.cli.common import DATE, Checked, Context, Reference, TextOption, echo, missing, pass_context, today
from tracker.cli.records import edit as editing
from tracker.edit import operations as edit
from tracker.model.fields import DATED_REF_RE, StatusId, Text


class DatedRefType(click.ParamType):
    """DATE or DATE#N (the Nth record of that date, counting from 1)."""

    name = "DATE[#N]"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        text = str(value).strip()
        if DATED_REF_RE.fullmatch(text):
            try:
                dt.date.fromisoformat(text[:10])
                return text
            except ValueError:
                pass
        self.fail(f"expected a real date written YYYY-MM-DD, or YYYY-MM-DD#N for the Nth of that date, "
                  f"but got {value!r}", param, ctx)


DATED_REF = DatedRefType()

#: `--reason none`: the corrected entry gives no reason from then on.
NO_REASON = "none"


class ReasonNow(Checked):
    """What a corrected entry's reason is now: a reason id, or `none` to clear it."""

    def __init__(self) -> None:
        super().__init__(StatusId("reason"), "REASON|none")

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        if str(value).strip().lower() == NO_REASON:
            return NO_REASON
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as bad:
            self.fail(f"{bad.message}; --reason none clears the reason", param, ctx)


@click.command()
@click.argument("ref", type=Reference("PROGRAMME", "PRIORITY", "INDICATOR", least=2),
                metavar="PROGRAMME/PRIORITY[/INDICATOR]")
@click.option("--entry", "entry", type=DATED_REF,
              help="The history entry corrected: its date, or DATE#N for the Nth entry of that date.")
@click.option("--observation", type=DATED_REF,
              help="With PROGRAMME/PRIORITY/INDICATOR: the observation corrected (DATE or DATE#N).")
@click.option("--status", type=TextOption(), help="What the entry's status is now.")
@click.option("--note", type=Checked(Text(), "TEXT"), help="What the entry's (or observation's) note says now.")
@click.option("--source", "sources", type=editing.SOURCE_REF, multiple=True,
              help="The sources the entry cites now (they replace its list; repeat for several); "
                   "for an observation, its one source.")
@click.option("--reason", type=ReasonNow(),
              help="The entry's reason now, from the programme's reasons; none clears it (for a status that "
                   "takes no reason).")
@click.option("--value", type=editing.NUMBER, help="What the observation's value is now.")
@click.option("--why", type=TextOption(lines=True), help="Why the correction is made; readers see it beside the corrected value.")
@click.option("--by", type=TextOption(), help="Who makes the correction.")
@click.option("--date", "day", type=DATE, help="Date of the correction (default: today); editions from then on show it.")
@editing.edit_options
@pass_context
def correct(obj: Context, ref: tuple[str, ...], entry: Optional[str], observation: Optional[str],
            status: Optional[str], note: Optional[str], sources: tuple[str, ...], reason: Optional[str],
            value: Optional[int | float], why: Optional[str], by: Optional[str], day: Optional[dt.date],
            yes: bool, allow_future: bool, commit: bool) -> None:
    """Correct what an entry or an observation says, with the reason, in the open.

    PROGRAMME/PRIORITY --entry DATE corrects a status entry (--status, --note, --source, --reason);
    PROGRAMME/PRIORITY/INDICATOR --observation DATE corrects a figure (--value, --note, --source).
    """
    ctx = click.get_current_context()
    asker = editing.Asker(ctx, yes)
    changes: dict[str, Any] = {}
    if len(ref) == 2:
        programme_id, priority_id = ref
        indicator_id = ""
        if observation is not None or value is not None:
            raise click.UsageError("--observation and --value correct an indicator's figure: "
                                   "name it as PROGRAMME/PRIORITY/INDICATOR", ctx)
        if entry is None:
            raise missing(ctx, "entry", "Name the entry corrected by its date (DATE or DATE#N).")
        for name, given in (("status", status), ("note", note), ("reason", reason)):
            if given is not None:
                changes[name] = None if name == "reason" and given == NO_REASON else given
        if sources:
            changes["sources"] = list(dict.fromkeys(sources))
        wanted = "--status, --note, --source or --reason"
    else:
        programme_id, priority_id, indicator_id = ref
        if entry is not None or status is not None or reason is not None:
            raise click.UsageError("--entry, --status and --reason correct a status entry: "
                                   "name it as PROGRAMME/PRIORITY", ctx)
        if observation is None:
            raise missing(ctx, "observation", "Name the observation corrected by its date (DATE or DATE#N).")
        if len(sources) > 1:
            raise click.BadParameter("an observation has one source", param_hint="'--source'")
        if value is not None:
            changes["value"] = value
        if note is not None:
            changes["note"] = note
        if sources:
            changes["source"] = sources[0]
        wanted = "--value, --note or --source"
    if not changes:
        raise click.UsageError(f"say what changes: {wanted}", ctx)
    if why is None or not why.strip():
        why = asker.ask("why", "Why is this corrected", type=Checked(Text(), "TEXT"))
    assert why is not None
    new = edit.NewCorrection(date=day or today(), why=why, changes=changes, entry=entry or "",
                             indicator=indicator_id, observation=observation or "", by=by or "")
    outcome = edit.correct(obj.workspace, programme_id, priority_id, new,
                           edit.Options(today=today(), allow_future=allow_future, commit=commit, author=by or ""))
    echo(f"{obj.workspace.display(outcome.path)}: {outcome.summary}")
    if outcome.commit:
        echo(f"committed {outcome.commit}")


COMMANDS = [correct]
