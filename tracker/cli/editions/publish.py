"""`tracker publish`: the archive page and feed of every edition in reports/."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import click

from tracker.cli.common import Context, pass_context
from tracker.distribute import archive as pub
from tracker.model.fields import URL_RE


class UrlType(click.ParamType):
    name = "URL"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        if not isinstance(value, str) or not URL_RE.match(value) or any(ch in value for ch in "<>\"'"):
            self.fail(f"expected an http:// or https:// URL but got {value!r}", param, ctx)
        return value if value.endswith("/") else value + "/"


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The reports folder to publish (default: reports/); index.html and feed.xml go there.")
@click.option("--base-url", type=UrlType(),
              help="Where the folder is served, e.g. https://example.org/reports/: makes the feed's links "
                   "absolute and names its ids. Keep it the same from one run to the next.")
@pass_context
def publish(obj: Context, out: Optional[Path], base_url: Optional[str]) -> None:
    """Write index.html (every edition, newest first) and feed.xml (Atom) from what is in reports/."""
    ws = obj.workspace
    for path in pub.publish(ws, out or ws.reports, base_url=base_url):
        click.echo(path)


COMMANDS = [publish]
