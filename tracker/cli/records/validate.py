from __future__ import annotations

import click

from tracker.cli.common import Context, echo, pass_context
from tracker.model.settings import load_workspace


@click.command()
@pass_context
def validate(obj: Context) -> None:
    """Check every programme file and policies/distribution.yaml; print every problem as
    PATH:LINE:COLUMN: FIELD: MESSAGE."""
    programmes, settings = load_workspace(obj.workspace)
    count = sum(len(p.priorities) for p in programmes)
    extra = ", distribution settings" if settings is not None else ""
    echo(f"{len(programmes)} programme(s), {count} priorities{extra}: valid", err=True)


COMMANDS = [validate]
