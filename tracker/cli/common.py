"""What every command shares: the workspace in the context object, and option types."""
from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any, Optional

import click

from tracker.model.fields import (MAX_SLUG, SLUG_RE, Bad, LanguageTag, Number, bad_character, check_characters,
                                   parse_date)
from tracker.model.workspace import Workspace

# What a terminal would take for the start of an escape sequence or cannot print at all: C0
# controls but tab and line feed, DEL, C1 controls (U+009B is CSI, U+009D OSC on some
# terminals) and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with everything a terminal would act on written out as \\uXXXX (valid in JSON strings
    too), so that no data, file name or server reply can move the cursor, retitle the window or
    write the reader's clipboard (OSC 52)."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    """Print for a reader: every command prints through here, never with click.echo directly."""
    click.echo(printable(str(message)), err=err, nl=nl)


def check_arguments(args: list[str]) -> Optional[str]:
    """Why the command line is refused, or None: any argument, of any command, that holds a
    control character (tab and line breaks aside: each option says whether it takes lines), a
    lone surrogate (a byte that was not UTF-8, as a terminal in another encoding sends) or a
    non-character. Named as Click names a bad value: "Invalid value for '--note': ..."."""
    for index, arg in enumerate(args):
        problem = bad_character(arg, lines=True)
        if problem is None:
            continue
        name, value = "", arg
        if arg.startswith("--") and "=" in arg:
            name, _, value = arg.partition("=")
        elif index > 0 and args[index - 1].startswith("-") and args[index - 1] != "--":
            name = args[index - 1]
        if name and bad_character(name) is None:
            return f"Invalid value for '{name}': {problem}"
        return f"Invalid value for argument {printable(repr(value))}: {problem}"
    return None


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


def missing(ctx: click.Context, name: str, message: Optional[str] = None) -> click.MissingParameter:
    """The usage error (exit 2) of the command's option or argument `name` left out or empty:
    click names it by its kind and flag (`Missing option '--by'.`) when it is given the
    parameter itself, and prints "Missing None" when it is not."""
    for param in ctx.command.params:
        if param.name == name:
            return click.MissingParameter(message=message, ctx=ctx, param=param)
    return click.MissingParameter(message=message, ctx=ctx, param_hint=f"'--{name.replace('_', '-')}'",
                                  param_type="option")


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


#: Fixes what `today()` returns (YYYY-MM-DD), for tests and for rehearsing a scheduled run:
#: read here and nowhere else (README, "Schedules"; docs/automation.md).
TODAY_VARIABLE = "TRACKER_TODAY"


def today() -> dt.date:
    """The only place the clock is read (with `now()`, its time of day): the default as-of date of
    a command, and the day up to which scheduled editions are due. `TRACKER_TODAY=YYYY-MM-DD` in
    the environment fixes it."""
    fixed = os.environ.get(TODAY_VARIABLE)
    if fixed is None or fixed == "":
        return dt.date.today()
    try:
        return parse_date(fixed)
    except Bad as bad:
        raise click.UsageError(f"{TODAY_VARIABLE}={fixed!r} in the environment: {bad}") from None


def now() -> dt.datetime:
    """The time, in UTC, where a command records when it did something (`distribute`'s Date
    header and delivery log): the same clock as `today()`. With `TRACKER_TODAY` set, that day at
    the real time of day, so a rehearsed day is that day throughout and runs on it keep their order."""
    real = dt.datetime.now(dt.timezone.utc)
    fixed = os.environ.get(TODAY_VARIABLE)
    if fixed is None or fixed == "":
        return real
    return dt.datetime.combine(today(), real.timetz())


class Reference(click.ParamType):
    """PROGRAMME/PRIORITY[/ITEM]: ids separated by slashes, each a slug. With `least`, the first
    `least` parts are required and the others optional (PROGRAMME[/PRIORITY])."""

    def __init__(self, *parts: str, least: Optional[int] = None) -> None:
        self.parts = parts
        self.least = len(parts) if least is None else least
        self.name = "/".join(parts[: self.least]) + "".join(f"[/{p}]" for p in parts[self.least:])

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        pieces = str(value).split("/") if len(self.parts) > 1 else [str(value)]
        if not self.least <= len(pieces) <= len(self.parts):
            count = (f"{len(self.parts)}" if self.least == len(self.parts)
                     else f"{self.least} to {len(self.parts)}")
            self.fail(f"expected {self.name} ({count} ids separated by '/') but got {value!r}", param, ctx)
        for name, piece in zip(self.parts, pieces):
            if not SLUG_RE.fullmatch(piece) or len(piece) > MAX_SLUG:
                self.fail(f"{name} must be an id of lowercase letters, digits and single hyphens, "
                          f"but got {piece!r} in {value!r}", param, ctx)
        return tuple(pieces)


class NumberType(click.ParamType):
    """A number written in decimals: 36, -2.5, 1e6; whole numbers stay whole."""

    name = "NUMBER"
    _RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
    _INTEGER = re.compile(r"[+-]?[0-9]+")
    MAX_CHARACTERS = 100  # far more than any number within the limits needs; int() of more is slow

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> int | float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number: int | float = value
        else:
            text = str(value).strip()
            if len(text) > self.MAX_CHARACTERS or not self._RE.fullmatch(text):
                shown = printable(repr(text if len(text) <= 60 else text[:57] + "..."))
                self.fail(f"expected a number such as 36 or 2.5 but got {shown}", param, ctx)
            number = int(text) if self._INTEGER.fullmatch(text) else float(text)
        try:
            return Number().check(number)  # the same range as a number in a programme file
        except Bad as bad:
            self.fail(str(bad), param, ctx)


class TextOption(click.ParamType):
    """Free text given on the command line: taken as written, but refused (a usage error) when
    it holds what is not text, or a line break where one line is expected."""

    name = "TEXT"

    def __init__(self, lines: bool = False) -> None:
        self.lines = lines

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        text = str(value)
        try:
            check_characters(text.strip(), lines=self.lines)
        except Bad as bad:
            self.fail(str(bad), param, ctx)
        return text


class Seconds(NumberType):
    """A duration in seconds: a finite number above 0 and at most `maximum`, written in decimals
    (so `nan`, `inf` and `1e400` are refused like `0` and `-1`: a usage error)."""

    name = "SECONDS"

    def __init__(self, maximum: float) -> None:
        self.maximum = maximum

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> int | float:
        try:
            number = super().convert(value, param, ctx)
        except click.BadParameter:
            number = None
        if number is None or not 0 < number <= self.maximum:
            self.fail(f"expected a number of seconds above 0 and at most {self.maximum:g} but got {value!r}",
                      param, ctx)
        return number


class Checked(click.ParamType):
    """A value checked by one of the schema's field types (same rules and messages)."""

    def __init__(self, check: Any, name: str) -> None:
        self.check = check
        self.name = name

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        try:
            return str(self.check.check(value))
        except Bad as bad:
            self.fail(str(bad), param, ctx)


class LanguageType(click.ParamType):
    """A BCP 47 language tag (en, zh-Hans), checked as the programme file's `languages` are."""

    name = "LANG"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> str:
        try:
            return str(LanguageTag().check(value))
        except Bad as bad:
            self.fail(str(bad), param, ctx)


LANGUAGE = LanguageType()
