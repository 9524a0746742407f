"""Editions on a schedule: which are due, and rendering a series of them, oldest first.

A programme's `editions: {every, start}` schedule (`records.Schedule`) puts an edition at the
end of every calendar period. `render_due` renders every scheduled edition up to today that is
not in the reports folder yet (`tracker report --due`); `render_every` renders such a series
for any programme between two dates (`tracker report --every ... --from ...`, a backfill). Each
edition is made by `build()` as of its own date and compared with the edition scheduled before
it, one date after the other, so the incremental rules of `build()` apply to each.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Optional

from tracker.digest.overview import EditionSchedule, edition_schedule
from tracker.model.records import Programme, Schedule
from tracker.model.workspace import Workspace
from tracker.report.edition import Outcome, RenderOptions, edition_paths, other_language
from tracker.report.run.editions import edition_dates
from tracker.report.run.pipeline import build, select
from tracker.report.run.workers import Progress


@dataclass
class Series:
    """What a scheduled run did: the editions' files (as `build` reports them, oldest date
    first), and the programmes it left out because they have no schedule."""

    outcome: Outcome = field(default_factory=Outcome)
    unscheduled: list[str] = field(default_factory=list)
    editions: list[tuple[str, dt.date]] = field(default_factory=list)  # (programme, as-of) rendered or checked


def missing(programme: Programme, dates: Iterable[dt.date], formats: tuple[str, ...], out: Path,
            langs: tuple[str, ...] = ()) -> list[dt.date]:
    """The dates among `dates` whose edition lacks a file in one of `formats` in `out`, in one
    of the programme's languages (those of `langs` only, when given)."""
    wanted = [lang for lang in programme.published_in if not langs or lang in langs]
    return [day for day in dates
            if not all(path.is_file() for lang in wanted
                       for fmt, path in edition_paths(out, programme.id, day,
                                                      other_language(lang, programme.primary)).items()
                       if fmt in formats)]


def render_due(ws: Workspace, today: dt.date, formats: tuple[str, ...], out: Path,
               options: RenderOptions = RenderOptions(), *, programme_ids: tuple[str, ...] = (), jobs: int = 1,
               force: bool = False, progress: Optional[Progress] = None, langs: tuple[str, ...] = ()) -> Series:
    """`tracker report --due`: for each programme with a schedule, every scheduled edition up to
    `today` not rendered yet (editions already there are left alone)."""
    programmes = select(ws, ws.load_all(), programme_ids)
    series = Series(unscheduled=[p.id for p in programmes if p.editions is None])
    todo: list[tuple[Programme, dt.date, Optional[dt.date]]] = []
    for programme in programmes:
        if programme.editions is None:
            continue
        dates = programme.editions.dates(today)
        previous = dict(zip(dates[1:], dates))
        for day in missing(programme, dates, formats, out, langs):
            todo.append((programme, day, previous.get(day)))
    _render(ws, todo, formats, out, options, jobs, force, progress, series, langs)
    return series


def render_every(ws: Workspace, every: str, start: dt.date, to: dt.date, formats: tuple[str, ...], out: Path,
                 options: RenderOptions = RenderOptions(), *, programme_ids: tuple[str, ...] = (), jobs: int = 1,
                 force: bool = False, progress: Optional[Progress] = None, langs: tuple[str, ...] = ()) -> Series:
    """`tracker report --every PERIOD --from START --to TO`: the series of editions a schedule
    `{every, start}` would have made up to `to`, for the programmes named (all when none), with
    or without a schedule of their own. Editions up to date are left alone, as by `build`."""
    programmes = select(ws, ws.load_all(), programme_ids)
    dates = Schedule(every, start).dates(to)
    previous = dict(zip(dates[1:], dates))
    todo = [(programme, day, previous.get(day)) for programme in programmes for day in dates]
    series = Series()
    _render(ws, todo, formats, out, options, jobs, force, progress, series, langs)
    return series


def _render(ws: Workspace, todo: list[tuple[Programme, dt.date, Optional[dt.date]]], formats: tuple[str, ...],
            out: Path, options: RenderOptions, jobs: int, force: bool, progress: Optional[Progress],
            series: Series, langs: tuple[str, ...] = ()) -> None:
    """Build the editions of `todo` one date after the other, oldest first; those of one date
    compared with the same previous date are one `build`."""
    groups: dict[tuple[dt.date, Optional[dt.date]], list[Programme]] = {}
    for programme, day, previous in todo:
        groups.setdefault((day, previous), []).append(programme)
    total = len(todo)
    done = 0
    for (day, previous), programmes in sorted(groups.items(), key=lambda item: item[0][0]):
        offset = done

        def step(count: int, _: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + count, total)

        outcome = build(ws, day, formats, out, replace(options, previous=previous), programmes=programmes,
                        jobs=jobs, force=force, progress=step, langs=langs)
        series.outcome.written.extend(outcome.written)
        series.outcome.up_to_date.extend(outcome.up_to_date)
        series.outcome.paths.extend(outcome.paths)
        series.editions.extend((p.id, day) for p in programmes)
        done += len(programmes)


def schedules(ws: Workspace, programmes: list[Programme], as_of: dt.date,
              out: Optional[Path] = None) -> dict[str, Optional[EditionSchedule]]:
    """Each programme's next scheduled edition and the scheduled ones not rendered by `as_of`
    (`tracker status`); None for a programme without a schedule."""
    folder = out or ws.reports
    return {p.id: edition_schedule(p, as_of, edition_dates(folder / p.id, p.id)) for p in programmes}
