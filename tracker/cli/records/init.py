from __future__ import annotations

from pathlib import Path

import click

from tracker.cli.common import echo
from tracker.edit.scaffold import create_workspace


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a workspace in DIRECTORY: policies/ with the default programme, an empty reports/."""
    for path in create_workspace(directory):
        echo(path)


COMMANDS = [init]
