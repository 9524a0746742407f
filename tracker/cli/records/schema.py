from __future__ import annotations

import json

import click

from tracker.cli.common import echo
from tracker.model.spec import json_schema


@click.command()
def schema() -> None:
    """Print the JSON Schema of a programme file (for editors)."""
    echo(json.dumps(json_schema(), indent=2))


COMMANDS = [schema]
