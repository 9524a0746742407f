"""The editing commands, which change programme files: update, record, milestone, source add.

In a terminal, a required option left out is asked for (a status is offered from the
programme's vocabulary). With --yes, or when standard input is not a terminal (scripts, CI),
it is a usage error instead (exit 2).

Today's date (the default --date, and the limit past which --allow-future is needed) comes
from `today()` in cli/common.py, the one place the clock is read; tests fix it by replacing
`tracker.cli.records.edit.today`, and replace `stdin_is_terminal` to play a person at a terminal.
"""
from __future__ import annotations

import datetime as dt
import sys
from typing import Any, Callable, Optional

import click

from tracker.cli.common import DATE, Checked, Context, NumberType, Reference, TextOption, echo, missing, pass_context, today
from tracker.edit import operations as edit
from tracker.model.fields import PartialDate, Slug, SourceRef, StatusId, Text, Url
from tracker.model.lookup import check_status, find_indicator, find_milestone, find_priority
from tracker.model.records import Programme
from tracker.model.spec import LINE, SOURCE_KINDS


def stdin_is_terminal() -> bool:
    """Whether a person can answer questions (tests replace this)."""
    return sys.stdin is not None and sys.stdin.isatty()


SOURCE_REF = Checked(SourceRef(), "URL_OR_ID")
NUMBER = NumberType()


def edit_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--commit", is_flag=True,
                        help="Commit the changed file to git (policies/ must be in a git repository).")(func)
    func = click.option("--allow-future", is_flag=True, help="Accept a date after today.")(func)
    func = click.option("--yes", "-y", is_flag=True,
                        help="Never ask: a missing required option is an error (as without a terminal).")(func)
    return func


class Asker:
    """Asks for what is missing when a person is at the terminal; otherwise reports it (exit 2)."""

    def __init__(self, ctx: click.Context, yes: bool) -> None:
        self.ctx = ctx
        self.interactive = not yes and stdin_is_terminal()

    def missing(self, name: str) -> click.MissingParameter:
        return missing(self.ctx, name)

    def ask(self, name: str, text: str, type: Any = None, default: Any = None) -> Any:
        if not self.interactive:
            raise self.missing(name)
        return click.prompt(text, type=type, default=default, show_default=default not in (None, ""), err=True)


def _load(obj: Context, programme_id: str) -> Programme:
    ws = obj.workspace
    return ws.load_file(ws.file_of(programme_id))


def _report(obj: Context, outcome: edit.Outcome) -> None:
    echo(f"{obj.workspace.display(outcome.path)}: {outcome.summary}")
    if outcome.commit:
        echo(f"committed {outcome.commit}")


def _options(allow_future: bool, commit: bool, author: str = "") -> edit.Options:
    return edit.Options(today=today(), allow_future=allow_future, commit=commit, author=author)


@click.command()
@click.argument("ref", type=Reference("PROGRAMME", "PRIORITY"), metavar="PROGRAMME/PRIORITY")
@click.option("--status", type=TextOption(), help="New status, from the programme's vocabulary (asked for in a terminal).")
@click.option("--note", type=TextOption(lines=True), help="What the evidence shows; required (and needed by at_risk and stalled).")
@click.option("--source", "sources", type=SOURCE_REF, multiple=True,
              help="Source id from the programme's registry, or a URL; repeat for several.")
@click.option("--date", "day", type=DATE, help="Date of the assessment (default: today).")
@click.option("--by", type=TextOption(), help="Who made the assessment (the draft's author when the programme reviews records).")
@click.option("--reason", type=Checked(StatusId("reason"), "REASON"),
              help="Why it stalled, is at risk or was abandoned (those statuses only): a reason id from the "
                   "programme's vocabulary (not_prioritised, reversed, lacks_funding...).")
@edit_options
@pass_context
def update(obj: Context, ref: tuple[str, str], status: Optional[str], note: Optional[str],
           sources: tuple[str, ...], day: Optional[dt.date], by: Optional[str], reason: Optional[str],
           yes: bool, allow_future: bool, commit: bool) -> None:
    """Append a dated status entry to a priority's history.

    The rules of `tracker validate` apply before anything is written: the status must be in the
    vocabulary, `achieved` and `partly_achieved` need a --source, `at_risk`, `stalled` and
    `unverifiable` a --note. When the programme sets `review: required`, the entry is a draft
    until someone else approves it (`tracker approve`).
    """
    asker = Asker(click.get_current_context(), yes)
    programme_id, priority_id = ref
    if status is None and not asker.interactive:
        raise asker.missing("status")
    if asker.interactive or note is None:  # the vocabulary is needed to ask, or to judge a missing note
        programme = _load(obj, programme_id)
        find_priority(programme, priority_id)
        if status is None:
            status = asker.ask("status", "Status", type=click.Choice([s.id for s in programme.statuses]))
        check_status(programme, status)
        definition = programme.status(status)
        if note is None or not note.strip():
            if asker.interactive:
                note = asker.ask("note", "Note (what the evidence shows)", type=Checked(Text(), "TEXT"))
            elif not definition.needs_note:
                raise asker.missing("note")
            # A status that needs a note: the validator's own rule reports it (bad data, exit 1).
        if definition.needs_source and not sources and asker.interactive:
            sources = (asker.ask("sources", f"Source for {status!r} (id or URL)", type=SOURCE_REF),)
    assert status is not None
    entry = edit.Entry(date=day or today(), status=status, note=note or "", sources=sources, by=by or "",
                       reason=reason or "")
    outcome = edit.add_entry(obj.workspace, programme_id, priority_id, entry,
                             _options(allow_future, commit, by or ""))
    _report(obj, outcome)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("ref", type=Reference("PROGRAMME", "PRIORITY", "INDICATOR"),
                metavar="PROGRAMME/PRIORITY/INDICATOR")
@click.argument("value", type=NUMBER, required=False, metavar="VALUE")
@click.option("--date", "day", type=DATE, help="Date the figure was published or observed (default: today).")
@click.option("--source", type=SOURCE_REF, help="Source id from the programme's registry, or a URL.")
@click.option("--note", type=TextOption(lines=True), help="Anything a reader needs to weigh the figure.")
@click.option("--by", type=TextOption(), help="Who recorded it (the draft's author when the programme reviews records).")
@edit_options
@pass_context
def record(obj: Context, ref: tuple[str, str, str], value: Optional[int | float], day: Optional[dt.date],
           source: Optional[str], note: Optional[str], by: Optional[str], yes: bool, allow_future: bool,
           commit: bool) -> None:
    """Append an observation (a dated value) to an indicator. Negative values: -- -3 or just -3."""
    asker = Asker(click.get_current_context(), yes)
    programme_id, priority_id, indicator_id = ref
    if value is None:
        if not asker.interactive:
            raise asker.missing("value")
        programme = _load(obj, programme_id)
        priority = find_priority(programme, priority_id)
        indicator = find_indicator(programme, priority, indicator_id)
        value = asker.ask("value", f"Value ({indicator.unit})", type=NUMBER)
    observation = edit.Observation(date=day or today(), value=value, source=source or "", note=note or "",
                                   by=by or "")
    outcome = edit.add_observation(obj.workspace, programme_id, priority_id, indicator_id, observation,
                                   _options(allow_future, commit))
    _report(obj, outcome)


@click.command()
@click.argument("ref", type=Reference("PROGRAMME", "PRIORITY", "MILESTONE"),
                metavar="PROGRAMME/PRIORITY/MILESTONE")
@click.option("--done", type=DATE, help="Date the milestone was reached (asked for in a terminal).")
@click.option("--source", "sources", type=SOURCE_REF, multiple=True,
              help="Source id or URL showing it; repeat for several.")
@click.option("--by", type=TextOption(), help="Who recorded it (the draft's author when the programme reviews records).")
@edit_options
@pass_context
def milestone(obj: Context, ref: tuple[str, str, str], done: Optional[dt.date], sources: tuple[str, ...],
              by: Optional[str], yes: bool, allow_future: bool, commit: bool) -> None:
    """Mark a milestone as done on a date."""
    asker = Asker(click.get_current_context(), yes)
    programme_id, priority_id, milestone_id = ref
    if done is None:
        if not asker.interactive:
            raise asker.missing("done")
        programme = _load(obj, programme_id)
        priority = find_priority(programme, priority_id)
        find_milestone(programme, priority, milestone_id)
        done = asker.ask("done", "Done on (YYYY-MM-DD)", type=DATE)
    outcome = edit.complete_milestone(obj.workspace, programme_id, priority_id, milestone_id, done,
                                      sources, _options(allow_future, commit), by=by or "")
    _report(obj, outcome)


@click.group()
def source() -> None:
    """The programme's source registry."""


@source.command("add")
@click.argument("ref", type=Reference("PROGRAMME"), metavar="PROGRAMME")
@click.option("--id", "source_id", type=Checked(Slug(), "ID"),
              help="Id that entries cite: lowercase letters, digits and hyphens.")
@click.option("--title", type=Checked(LINE, "TEXT"), help="Title of the document.")
@click.option("--url", type=Checked(Url(), "URL"), help="Where to read it.")
@click.option("--publisher", type=Checked(LINE, "TEXT"), help="Who published it.")
@click.option("--date", "day", type=Checked(PartialDate(), "DATE"), help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), help="official, press, reprint or other.")
@edit_options
@pass_context
def source_add(obj: Context, ref: tuple[str], source_id: Optional[str], title: Optional[str], url: Optional[str],
               publisher: Optional[str], day: Optional[str], kind: Optional[str],
               yes: bool, allow_future: bool, commit: bool) -> None:
    """Add a document to a programme's source registry."""
    asker = Asker(click.get_current_context(), yes)
    (programme_id,) = ref
    for name, value in (("source_id", source_id), ("title", title)):
        if value is None and not asker.interactive:
            raise asker.missing(name)
    if asker.interactive:
        _load(obj, programme_id)
        source_id = source_id or asker.ask("source_id", "Id", type=Checked(Slug(), "ID"))
        title = title or asker.ask("title", "Title", type=Checked(LINE, "TEXT"))
        if url is None:
            url = asker.ask("url", "URL (empty if none)", type=_Optional(Url()), default="")
        if publisher is None:
            publisher = asker.ask("publisher", "Publisher (empty if unknown)", type=_Optional(LINE), default="")
        if day is None:
            day = asker.ask("day", "Date (YYYY-MM-DD, YYYY-MM or YYYY; empty if unknown)",
                            type=_Optional(PartialDate()), default="")
        if kind is None:
            kind = asker.ask("kind", "Kind", type=click.Choice(SOURCE_KINDS), default="other")
    assert source_id is not None and title is not None
    new = edit.NewSource(id=source_id, title=title, publisher=publisher or "", date=day or "", url=url or "",
                         kind=kind or "")
    outcome = edit.add_source(obj.workspace, programme_id, new, _options(allow_future, commit))
    _report(obj, outcome)


class _Optional(Checked):
    """A checked value that may be left empty at a prompt."""

    def __init__(self, check: Any) -> None:
        super().__init__(check, "TEXT")

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        if value is None or str(value).strip() == "":
            return ""
        return super().convert(value, param, ctx)


COMMANDS = [update, record, milestone, source]
