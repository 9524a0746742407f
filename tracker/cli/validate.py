from __future__ import annotations

import click

from .common import Context, pass_context


@click.command()
@pass_context
def validate(obj: Context) -> None:
    """Check every programme file; print every problem as PATH:LINE:COLUMN: FIELD: MESSAGE."""
    programmes = obj.workspace.load_all()
    count = sum(len(p.priorities) for p in programmes)
    click.echo(f"{len(programmes)} programme(s), {count} priorities: valid", err=True)


COMMANDS = [validate]
