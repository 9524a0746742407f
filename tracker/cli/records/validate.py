from __future__ import annotations

import click

from tracker.cli.common import Context, pass_context
from tracker.i18n.drawn import warnings
from tracker.model.settings import load_workspace


@click.command()
@pass_context
def validate(obj: Context) -> None:
    """Check every programme file and policies/distribution.yaml; print every problem as
    PATH:LINE:COLUMN: FIELD: MESSAGE.

    Warnings (exit 0) name text no installed font can draw, so the PDF would stop on it, and
    translations that are out of date."""
    programmes, settings = load_workspace(obj.workspace)
    found = warnings(obj.workspace, programmes)
    for line in found:
        click.echo(line, err=True)
    count = sum(len(p.priorities) for p in programmes)
    extra = ", distribution settings" if settings is not None else ""
    noted = f", {len(found)} warning{'s' if len(found) != 1 else ''}" if found else ""
    click.echo(f"{len(programmes)} programme(s), {count} priorities{extra}: valid{noted}", err=True)


COMMANDS = [validate]
