"""What every command shares: the workspace in the context object, and option types."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import click

from ..fields import Bad, parse_date
from ..workspace import Workspace


class Context:
    """Carried in `ctx.obj`: the workspace, opened when a command first needs it."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._workspace: Optional[Workspace] = None

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace.at(self.root)
        return self._workspace


pass_context = click.make_pass_decorator(Context)


class DateType(click.ParamType):
    """A real calendar date written YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except Bad as bad:
            self.fail(str(bad), param, ctx)


DATE = DateType()


def today() -> dt.date:
    """The only place the clock is read: the default as-of date of a command."""
    return dt.date.today()
