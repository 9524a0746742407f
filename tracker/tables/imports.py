"""`tracker import`: rows of CSV files and workbooks appended to the programmes they name.

All or nothing: every file is read and every row checked (`check`) before anything is written,
and any problem, anywhere, writes nothing. Then each programme receives its rows in one edit of
its file (`operations.add_batches`: the editing commands' lock, round trip and atomic write,
comments kept), every file or none, in one git commit with `commit`. Under each file's lock the
rows are checked again against the file as it is then, so an edit made meanwhile is never
duplicated or overwritten.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from tracker.edit import operations
from tracker.errors import InvalidData, Problem
from tracker.model.records import Programme
from tracker.model.workspace import Workspace
from tracker.tables.check import Planned, Row, Rules, check, is_blank, layout_of, rows_of
from tracker.tables.read import read



@dataclass(frozen=True)
class Options:
    today: dt.date
    by: str = ""  # author of new status entries without one, and named in the commit
    allow_future: bool = False
    commit: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class ProgrammeResult:
    programme: str
    file: str  # the programme file, as the workspace shows it
    added: int
    skipped: int
    entries: int  # of the added: status entries
    observations: int  # and observations
    drafts: bool = False  # the programme reviews its records: the added ones are drafts


@dataclass
class Imported:
    results: list[ProgrammeResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sheets not imported (other tables of an export)
    written: bool = False
    commit: Optional[str] = None

    def summary(self) -> list[str]:
        """One line per programme: how many rows were added and how many were already there."""
        lines = []
        for r in self.results:
            kinds = []
            if r.entries:
                kinds.append(f"{r.entries} status entr{'y' if r.entries == 1 else 'ies'}")
            if r.observations:
                kinds.append(f"{r.observations} observation{'' if r.observations == 1 else 's'}")
            if kinds and r.drafts:
                kinds.append("drafts waiting for review")
            detail = f" ({', '.join(kinds)})" if kinds else ""
            lines.append(f"{r.programme}: {r.added} added{detail}, {r.skipped} skipped ({r.file})")
        return lines


def import_files(ws: Workspace, files: list[tuple[Path, str]], options: Options,
                 confirm: Optional[Callable[[Imported], bool]] = None) -> Imported:
    """Import `files` ((path, name shown in messages), in order). Raises `InvalidData` with every
    problem of every file and row, having written nothing. `confirm`, when given, is asked
    (with the summary) before anything is written; False writes nothing."""
    rows, notes, problems = _read_all(files)
    programmes = {p.id: p for p in ws.load_all()}
    rules = Rules(today=options.today, allow_future=options.allow_future, by=options.by)
    planned, found = check(rows, programmes, rules)
    problems.extend(found)
    if problems:
        raise InvalidData(problems)
    outcome = Imported(notes=notes)
    for pid, plan in planned.items():
        outcome.results.append(_result(ws, programmes[pid], plan))
    todo = {pid: plan for pid, plan in planned.items() if plan.added}
    if not todo:
        return outcome
    sources = ", ".join(name for _, name in files)

    def batch_for(pid: str) -> Callable[[Programme], operations.Batch]:
        def make(programme: Programme) -> operations.Batch:
            # The file as it is under its lock: when its bytes changed since the check, checked
            # again, so that nothing recorded meanwhile is duplicated or changed.
            plan = planned[pid]
            if _bytes(programme) != _bytes(programmes[pid]):
                again, problems = check([r for r in rows if _programme_of(r) == pid], {pid: programme}, rules)
                if problems:
                    raise InvalidData(problems)
                plan = again.get(pid, Planned())
            return operations.Batch(tuple(plan.entries), tuple(plan.observations),
                                    summary=f"{pid}: {plan.added} added, {plan.skipped} skipped")
        return make

    edit_options = operations.Options(today=options.today, allow_future=options.allow_future,
                                      commit=options.commit, author=options.by)
    added = sum(p.added for p in todo.values())
    message = f"import: {added:,} record{'s' if added != 1 else ''} into {', '.join(sorted(todo))} from {sources}"
    batches = {pid: batch_for(pid) for pid in todo}

    def add(write: bool) -> list[operations.Outcome]:
        try:
            return operations.add_batches(ws, batches, edit_options, write=write, message=message)
        except InvalidData as invalid:
            raise InvalidData(_against_the_rows(invalid.problems, rows, {name for _, name in files},
                                                {ws.display(programmes[pid].path): pid for pid in todo})) from None

    if options.dry_run or confirm is not None:
        # Everything the real run does but the writing (a draft's author, the file as edited and
        # validated), so that a dry run or the question asked cannot promise what would fail.
        add(write=False)
        if options.dry_run or (confirm is not None and not confirm(outcome)):
            return outcome
    done = add(write=True)
    outcome.written = True
    outcome.commit = next((o.commit for o in done if o.commit), None)
    return outcome


def _against_the_rows(problems: list[Problem], rows: list[Row], imported: set[str],
                      files: dict[str, str]) -> list[Problem]:
    """Problems found in a programme file once edited (rows check what they can before: a limit
    of the whole file, such as its size, shows only then), reported at the first row naming that
    programme: the edited text is never written, so its lines would point nowhere."""
    out = []
    for problem in problems:
        pid = files.get(problem.path)
        first = next((row for row in rows if _programme_of(row) == pid), None) if problem.path not in imported else None
        if first is None:
            out.append(problem)
            continue
        said = problem.message if problem.field.startswith("(") else f"{problem.field}: {problem.message}"
        out.append(first.problem("programme", f"the rows for {pid} would make {problem.path} invalid: {said}"))
    return out


def _bytes(programme: Programme) -> Optional[bytes]:
    return programme.origin.raw if programme.origin is not None else None


def _programme_of(row: Row) -> str:
    value = row.cell("programme")
    return "" if value is None else str(value).strip()


def _result(ws: Workspace, programme: Programme, plan: Planned) -> ProgrammeResult:
    return ProgrammeResult(programme.id, ws.display(programme.path), plan.added, plan.skipped,
                           len(plan.entries), len(plan.observations), programme.reviewed)


def _read_all(files: list[tuple[Path, str]]) -> tuple[list[Row], list[str], list[Problem]]:
    rows: list[Row] = []
    notes: list[str] = []
    problems: list[Problem] = []
    for path, shown in files:
        found = read(path, shown)
        problems.extend(found.problems)
        for sheet in found.sheets:
            if sheet.name and not sheet.rows and all(is_blank(value) for value in sheet.header):
                continue  # an empty worksheet (a new workbook's "Sheet2")
            layout, other, header_problems = layout_of(sheet)
            problems.extend(header_problems)
            if other is not None:
                notes.append(f"{sheet.label}: the {other} table is not imported (only statuses and observations are)")
            if layout is not None:
                rows.extend(rows_of(sheet, layout))
    return rows, notes, problems


__all__ = ["Imported", "Options", "ProgrammeResult", "import_files"]
