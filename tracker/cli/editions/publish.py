"""`tracker publish`: the archive page and feed of every edition in reports/."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import click

from tracker.cli.common import Context, echo, pass_context, printable
from tracker.distribute import archive as pub
from tracker.errors import BadValue


class BaseUrlType(click.ParamType):
    """https://host[:port]/path/ and nothing else (archive.check_base_url)."""

    name = "URL"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        try:
            return pub.check_base_url(str(value))
        except BadValue as bad:
            self.fail(printable(str(bad)), param, ctx)


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The reports folder to publish (default: reports/); index.html and feed.xml go there.")
@click.option("--base-url", type=BaseUrlType(),
              help="Where the folder is served, e.g. https://example.org/reports/: makes the feed's links "
                   "absolute and names its ids. Keep it the same from one run to the next.")
@pass_context
def publish(obj: Context, out: Optional[Path], base_url: Optional[str]) -> None:
    """Write index.html (every edition, newest first) and feed.xml (Atom) from what is in reports/."""
    ws = obj.workspace
    for path in pub.publish(ws, out or ws.reports, base_url=base_url):
        echo(path)


COMMANDS = [publish]
