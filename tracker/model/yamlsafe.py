"""Safe YAML loading that remembers where every value came from; the one YAML dialect of tracker.

The dialect is YAML 1.2 with its core schema, as the published JSON Schema and every editor
that speaks the YAML language server read a file: `2e1` is a number, `0o17` and `0x1F` are
integers, `yes`, `on` and `1:30` are text, `~`, `null` and nothing are null, and
`[https://example.org/n?id=1]` is a list holding one URL. Dates stay text (the validator
checks them as dates). Refused, each with the file, line and column: syntax errors, files
that are not UTF-8, characters YAML does not allow, files over `MAX_BYTES`, several
documents, duplicate keys, tags that would build other objects, nesting deeper than
`MAX_DEPTH` and alias expansion beyond `MAX_NODES` values.

How: libyaml (PyYAML's C binding) turns the text into events, and `_compose` below builds
the data, the positions and the YAML 1.2 values from them in one pass, with every limit
checked as it goes (nothing recursive, so no nesting reaches Python's stack). libyaml reads
plain scalars in flow collections by YAML 1.2's rules since 0.2.5, and tabs between tokens;
PyYAML's own Python scanner still ends such a scalar at `?` (YAML 1.1) and refuses such tabs,
so `_PythonParser` subclasses it with those two rules as libyaml has them. It is used when the
C binding is missing, and to word syntax errors (its messages say what was expected and
found; libyaml's are terser). It remains stricter than libyaml in corners (a tab inside a
plain scalar, `---x` as a scalar), never reading the same text otherwise. Measured on a
programme of 2,000 priorities (32,733 lines): 0.13 s of CPU, against 1.6 s with PyYAML's
Python loader and 3.0 s with ruamel.yaml's; the Python fallback takes 1.8 s.

Text written back into a file must read as the same value in this dialect (and in YAML 1.1,
for the other tools around a file): `plain_reads_as_text` says whether a string may be written
unquoted, `dump` writes plain data.
"""
from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, StreamEndEvent)

from tracker.errors import InvalidData, Problem, YamlStop

_CParser: Any
try:  # PyYAML's binding to libyaml, in every wheel PyYAML publishes
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    _CParser = None
#: Whether libyaml reads the files (else PyYAML's Python parser, about ten times slower).
LIBYAML = _CParser is not None

# A programme of 400 priorities, each with five years of monthly entries and observations, is
# about 8 MiB of YAML (bench/generate.py); the limit leaves room for twice that.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000

Path_ = tuple[str | int, ...]

_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
#: What YAML 1.2 allows in a stream (c-printable); anything else is refused before parsing.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


@dataclass
class Document:
    """A loaded YAML file: its data, the line/column (1-based) of every value and key, and the
    bytes that were parsed. Everything downstream (validation, edits, fingerprints, errors that
    need a position) uses this, never the file read or parsed again.

    `ends` holds where each value's text ends (just after its last character; for a block
    collection, the end of its last value), and `flow` the paths of the collections written in
    flow style (`[...]`, `{...}`): with `values`, what an edit needs to add text in place.
    """

    data: Any
    display: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: bytes = b""  # the file's bytes as read (a byte-order mark included); b"" for parsed text
    ends: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    flow: set[Path_] = field(default_factory=set)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def text(self) -> str:
        """The text parsed, byte-order mark included (`load` has checked that it is UTF-8)."""
        return self.raw.decode("utf-8")

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), else of its nearest parent."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def written(self, path: Path_) -> Optional[str]:
        """The text of the scalar at `path` as the file writes it, when it is on one line (None
        otherwise, or without positions)."""
        start, end = self.values.get(path), self.ends.get(path)
        if start is None or end is None or start[0] != end[0] or not self.raw:
            return None
        lines = self.text.lstrip("\ufeff").splitlines()
        return lines[start[0] - 1][start[1] - 1:end[1] - 1] if start[0] <= len(lines) else None

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.display, line, column, dotted(path) or "(file)", message)


def dotted(path: Path_) -> str:
    """('priorities', 1, 'history') -> 'priorities[1].history'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# --- the YAML 1.2 core schema -------------------------------------------------------------------

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
#: First characters of every plain scalar that is not a string in the core schema.
_NOT_TEXT_FIRST = frozenset("0123456789+-.~nNtTfF")
#: PyYAML's YAML 1.1 resolver, asked only whether a string written plain could read otherwise.
_RESOLVER_1_1 = yaml.resolver.Resolver()


class _Unresolved(Exception):
    """A scalar does not have the form its explicit tag asks for."""


def _integer(text: str) -> int:
    if _INT.match(text):
        return int(text, 10)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    raise _Unresolved


def _float(text: str) -> float:
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text[0] == "-" else float("inf")
    if _NAN.match(text):
        return float("nan")
    raise _Unresolved


def core_value(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar in the YAML 1.2 core schema."""
    if text and text[0] not in _NOT_TEXT_FIRST:
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    try:
        return _integer(text)
    except _Unresolved:
        pass
    try:
        return _float(text)
    except _Unresolved:
        return text


def _tagged_value(tag: str, text: str) -> Any:
    """The value of a scalar with an explicit core tag (`!!int 3`); `_Unresolved` if it has not that form."""
    kind = tag[len(_YAML_TAG):]
    if kind in ("str", "timestamp"):
        return text
    if kind == "null":
        if text in _NULLS:
            return None
    elif kind == "bool":
        if text in _BOOLS:
            return _BOOLS[text]
    elif kind == "int":
        return _integer(text)
    elif kind == "float":
        try:
            return float(_integer(text))
        except _Unresolved:
            return _float(text)
    raise _Unresolved


def plain_reads_as_text(text: str) -> bool:
    """Whether `text` written as a plain scalar reads back as this very string, in YAML 1.2
    (core schema) and in YAML 1.1 (`yes`, `1:30`, `2024-01-01` are not text there); the
    syntax (indicators, `: `, ` #`) is the writer's business."""
    if not isinstance(core_value(text), str):
        return False
    return _RESOLVER_1_1.resolve(yaml.ScalarNode, text, (True, False)) == _YAML_TAG + "str"


# --- parsing ------------------------------------------------------------------------------------


class _PythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """Events from PyYAML's Python reader, scanner and parser, the scanner reading as libyaml
    (0.2.5 and later) does where YAML 1.2 differs from 1.1: `?` is part of a plain scalar in a
    flow collection (`[https://example.org/n?id=1]`), and a tab separates tokens within a line
    (`title:<TAB>x`) though it never indents one."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def scan_to_next_token(self) -> None:
        """PyYAML 6.0's, skipping tabs where libyaml does: in a flow collection, and in a block
        where no simple key may begin (not at the start of a line, nor after `-`, `?`, `:`
        of a complex key)."""
        if self.index == 0 and self.peek() == "\uFEFF":
            self.forward()
        found = False
        while not found:
            while self.peek() == " " or (self.peek() == "\t" and (self.flow_level or not self.allow_simple_key)):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True

    def scan_plain(self) -> Any:
        """PyYAML 6.0's `Scanner.scan_plain`, with `?` taken out of the characters that end a
        plain scalar in a flow collection."""
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (ch in "\0 \t\r\n\x85\u2028\u2029"
                        or (ch == ":" and self.peek(length + 1) in "\0 \t\r\n\x85\u2028\u2029"
                            + (",[]{}" if self.flow_level else ""))
                        or (self.flow_level and ch in ",[]{}")):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark) or []
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return yaml.tokens.ScalarToken("".join(chunks), True, start_mark, end_mark)


def _parser(text: str, python: bool = False) -> Any:
    return _PythonParser(text) if python or _CParser is None else _CParser(text)


@dataclass
class _Anchor:
    """An anchored node: its value, and what expanding an alias to it costs."""

    value: Any
    mark: Any
    raw: Optional[str]  # a scalar's text (for an alias used as a key); None for a collection
    size: int = 1  # values in it, aliases expanded
    height: int = 1  # its levels (while it is being built: the deepest level reached in the document)
    done: bool = False
    parts: list[Any] = field(default_factory=list)  # marks, and _Anchor for nested anchors and aliases


def _nth(anchor: _Anchor, k: int) -> Any:
    """The mark of the k-th value (1-based, in document order) of an anchored node expanded."""
    while True:
        for part in anchor.parts:
            if isinstance(part, _Anchor):
                if k <= part.size:
                    anchor = part
                    break
                k -= part.size
            else:
                k -= 1
                if k == 0:
                    return part
        else:
            return anchor.mark


_MISSING = object()


class _Frame:
    """A collection being built."""

    __slots__ = ("value", "path", "mapping", "key", "key_mark", "anchor", "mark", "flow", "end")

    def __init__(self, value: Any, path: Path_, mapping: bool, anchor: Optional[_Anchor], mark: Any,
                 flow: bool) -> None:
        self.value = value
        self.path = path
        self.mapping = mapping
        self.key: Any = _MISSING
        self.key_mark: Any = None
        self.anchor = anchor
        self.mark = mark
        self.flow = flow
        self.end: Optional[tuple[int, int]] = None


class _Empty(Exception):
    """The stream holds no document (nothing, or only comments)."""


def _compose(parser: Any, doc: Document, positions: bool = True) -> None:
    """Build `doc.data` (and, with `positions`, where each value and key starts and ends) from the
    parser's events, checking every limit as it goes; raise `YamlStop`.

    One loop, no recursion: each event is a key, a value (a scalar, an alias, a collection's
    start) or a collection's end. It is the loader's hot path, hence the plain-scalar case first.
    """
    get = parser.get_event
    values, keys, ends, flows = doc.values, doc.keys, doc.ends, doc.flow
    anchors: dict[str, _Anchor] = {}
    open_anchors: list[_Anchor] = []  # anchored collections being built, innermost last
    stack: list[_Frame] = []
    frame: Optional[_Frame] = None  # stack[-1]
    count = 0  # values so far, aliases expanded
    path: Path_ = ()
    get()  # the stream's start
    if get().__class__ is StreamEndEvent:
        raise _Empty
    while True:
        event = get()
        cls = event.__class__
        depth = len(stack) + 1  # of the node this event starts
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            assert frame is not None
            value, path = frame.value, frame.path
            end = (event.end_mark.line + 1, event.end_mark.column + 1) if frame.flow or frame.end is None \
                else frame.end
            anchor = frame.anchor
            if anchor is not None:
                anchor.size = count - anchor.size + 1
                anchor.height = anchor.height - depth + 2  # from the deepest level reached in it
                anchor.done = True
                open_anchors.pop()
                if open_anchors:
                    open_anchors[-1].parts.append(anchor)
                    if anchor.height + depth - 2 > open_anchors[-1].height:
                        open_anchors[-1].height = anchor.height + depth - 2
            stack.pop()
            frame = stack[-1] if stack else None
        else:
            if depth > MAX_DEPTH:
                raise YamlStop(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
            if frame is not None and frame.mapping and frame.key is _MISSING:
                if cls is ScalarEvent and event.tag is None and event.anchor is None:
                    key = event.value
                else:
                    key = _key_of(event, anchors, frame.path)
                if key in frame.value:
                    raise YamlStop(event.start_mark, f"duplicate key {key!r}", dotted(frame.path + (key,)))
                frame.key, frame.key_mark = key, event.start_mark
                continue
            if frame is None:
                path = ()
            elif positions or cls is not ScalarEvent or event.tag is not None or event.anchor is not None:
                path = frame.path + ((frame.key if frame.mapping else len(frame.value)),)
            else:
                path = ()  # not needed: no position kept, and no error to name it in but a number's
            mark = event.start_mark
            if open_anchors and depth > open_anchors[-1].height:
                open_anchors[-1].height = depth
            if cls is ScalarEvent:
                count += 1
                if count > MAX_NODES:
                    raise YamlStop(mark, f"aliases expand to more than {MAX_NODES} values")
                tag, name = event.tag, event.anchor
                if tag is None and not event.style:
                    try:
                        value = core_value(event.value)
                    except ValueError:  # an integer of more digits than Python converts
                        path = frame.path + ((frame.key if frame.mapping else len(frame.value)),) if frame else ()
                        raise YamlStop(mark, "number has too many digits", dotted(path) or "(file)") from None
                else:
                    value = _scalar(event, tag, path)
                if name is not None:
                    anchor = anchors[name] = _Anchor(value, mark, event.value, done=True, parts=[mark])
                    if open_anchors:
                        open_anchors[-1].parts.append(anchor)
                elif open_anchors:
                    open_anchors[-1].parts.append(mark)
                if positions:
                    values[path] = (mark.line + 1, mark.column + 1)
                    end = (event.end_mark.line + 1, event.end_mark.column + 1)
            elif cls is AliasEvent:
                target = anchors.get(event.anchor)
                if target is None:
                    raise YamlStop(mark, f"YAML syntax error: found undefined alias {event.anchor!r}")
                if not target.done:
                    raise YamlStop(target.mark, f"nesting deeper than {MAX_DEPTH} levels")
                if depth + target.height - 1 > MAX_DEPTH:
                    raise YamlStop(mark, f"nesting deeper than {MAX_DEPTH} levels")
                if count + target.size > MAX_NODES:
                    raise YamlStop(_nth(target, MAX_NODES + 1 - count), f"aliases expand to more than {MAX_NODES} values")
                count += target.size
                if open_anchors:
                    open_anchors[-1].parts.append(target)
                    if depth + target.height - 1 > open_anchors[-1].height:
                        open_anchors[-1].height = depth + target.height - 1
                value = copy.deepcopy(target.value) if target.raw is None else target.value
                if positions:
                    values[path] = (mark.line + 1, mark.column + 1)
                    end = (event.end_mark.line + 1, event.end_mark.column + 1)
            else:  # a collection's start
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
                    raise YamlStop(mark, f"YAML tag {tag!r} is not allowed; use plain values", dotted(path) or "(file)")
                count += 1
                if count > MAX_NODES:
                    raise YamlStop(mark, f"aliases expand to more than {MAX_NODES} values")
                name = event.anchor
                anchor = None
                if name is not None:
                    anchor = anchors[name] = _Anchor(None, mark, None, size=count, height=depth, parts=[mark])
                    open_anchors.append(anchor)
                elif open_anchors:
                    open_anchors[-1].parts.append(mark)
                frame = _Frame({} if cls is MappingStartEvent else [], path, cls is MappingStartEvent, anchor,
                               mark, bool(event.flow_style))
                if anchor is not None:
                    anchor.value = frame.value
                if positions:
                    values[path] = (mark.line + 1, mark.column + 1)
                    if frame.flow:
                        flows.add(path)
                stack.append(frame)
                continue
        if positions:
            ends[path] = end
        if frame is None:
            doc.data = value
            break
        if frame.mapping:
            if positions:
                keys[path] = (frame.key_mark.line + 1, frame.key_mark.column + 1)
                frame.end = end
            frame.value[frame.key] = value
            frame.key = _MISSING
        else:
            if positions:
                frame.end = end
            frame.value.append(value)
    get()  # the document's end
    event = get()
    if event.__class__ is DocumentStartEvent:
        raise YamlStop(event.start_mark, "YAML syntax error: several YAML documents in one file; "
                                         "a programme file holds one")


def _key_of(event: Any, anchors: dict[str, _Anchor], path: Path_) -> str:
    """A mapping key: the text of a plain scalar (so `1:` and `true:` are the words "1" and "true")."""
    if event.__class__ is ScalarEvent:
        if event.tag is None or event.tag == "!" or event.tag in _PLAIN_TAGS:
            if event.anchor is not None:
                anchors[event.anchor] = _Anchor(_scalar(event, event.tag, path + (event.value,)), event.start_mark,
                                                event.value, done=True, parts=[event.start_mark])
            return str(event.value)
    elif event.__class__ is AliasEvent:
        target = anchors.get(event.anchor or "")
        if target is not None and target.raw is not None:
            return target.raw
    raise YamlStop(event.start_mark, "a key must be a plain word")


def _scalar(event: Any, tag: Optional[str], path: Path_) -> Any:
    text = event.value
    if tag is None:
        if event.style:  # quoted, literal or folded: text
            return text
        try:
            return core_value(text)
        except ValueError:  # an integer of more digits than Python converts
            raise YamlStop(event.start_mark, "number has too many digits", dotted(path) or "(file)") from None
    if tag == "!":
        return text
    if tag not in _PLAIN_TAGS:
        raise YamlStop(event.start_mark, f"YAML tag {tag!r} is not allowed; use plain values", dotted(path) or "(file)")
    try:
        return _tagged_value(tag, text)
    except _Unresolved:
        raise YamlStop(event.start_mark, f"{text!r} is not a value of YAML tag {tag!r}",
                       dotted(path) or "(file)") from None
    except ValueError:
        raise YamlStop(event.start_mark, "number has too many digits", dotted(path) or "(file)") from None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def load(path: Path, display: str) -> Document:
    """Load one YAML file, or raise `InvalidData` with a single located problem."""

    def fail(line: int, column: int, message: str, fld: str = "(file)") -> InvalidData:
        return InvalidData([Problem(display, line, column, fld, message)])

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise fail(1, 1, f"cannot read file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise fail(1, 1, f"file is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit for a programme")
    return parse_bytes(raw, display)


def parse_bytes(raw: bytes, display: str) -> Document:
    """Parse a file's bytes (a UTF-8 byte-order mark allowed); the `Document` keeps them."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = body[: exc.start]
        line = head.count(b"\n") + 1
        column = exc.start - (head.rfind(b"\n") + 1) + 1
        raise InvalidData([Problem(display, line, column, "(file)",
                                   f"file is not UTF-8 text (byte 0x{body[exc.start]:02x})")]) from None
    doc = parse(text, display)
    doc.raw = raw
    return doc


def parse(text: str, display: str, *, python: bool = False, positions: bool = True) -> Document:
    """Parse YAML text (already decoded) into a `Document`; `python` uses PyYAML's Python parser
    (with the YAML 1.2 scanner) rather than libyaml. Without `positions`, only the data (a
    third faster): for a text that is only compared, whose problems, if any, are located by
    parsing it again with them."""

    def fail(line: int, column: int, message: str, fld: str = "(file)") -> InvalidData:
        return InvalidData([Problem(display, line, column, fld, message)])

    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, column = _line_col(text, bad.start())
        raise fail(line, column, f"character U+{ord(bad.group()):04X} is not allowed in YAML")
    doc = Document(data=None, display=display)
    try:
        try:
            _compose(_parser(text, python), doc, positions)
        except yaml.MarkedYAMLError as exc:
            if python or _CParser is None:
                raise
            _explain(text, exc)
    except _Empty:
        raise fail(1, 1, "file is empty") from None
    except YamlStop as stop:
        raise fail(stop.mark.line + 1, stop.mark.column + 1, stop.message, stop.field) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(exc.problem or exc.context).split())
        line, column = _within(text, mark.line, mark.column) if mark else (1, 1)
        raise fail(line, column, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:  # not located (libyaml's reader); the characters were checked above
        raise fail(1, 1, f"YAML syntax error: {' '.join(str(exc).split())}") from None
    return doc


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """A 0-based mark as a 1-based position in `text`: libyaml puts the end of a text without a
    final line break on the line after it, which the reader's editor does not have."""
    last = text.count("\n")
    if line > last:
        return last + 1, len(text) - text.rfind("\n")
    return line + 1, column + 1


def _explain(text: str, found: yaml.MarkedYAMLError) -> None:
    """Raise libyaml's syntax error `found` as the user should see it: PyYAML's Python parser reads
    the text again, and its wording of the same error (it says what was expected and what was
    found) is raised when it stops at the same place; a limit of ours that it meets first
    (libyaml scans ahead of the events, so it can fail on nesting our limit stops sooner) is
    raised as such. Only a file with a syntax error pays for this second reading."""
    try:
        _compose(_PythonParser(text), Document(data=None, display=""))
    except yaml.MarkedYAMLError as worded:
        here, there = found.problem_mark, worded.problem_mark
        if here is not None and there is not None and \
                _within(text, here.line, here.column) == _within(text, there.line, there.column):
            raise worded from None
    except YamlStop as stop:
        here = found.problem_mark
        if here is None or (stop.mark.line, stop.mark.column) <= (here.line, here.column):
            raise
    except (_Empty, yaml.YAMLError):
        pass
    raise found


# --- writing ------------------------------------------------------------------------------------


class Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that YAML 1.2's core schema would read as
    something else (`0o17`, `2e1`, `.5`), as it already does for YAML 1.1 (`yes`, `1:30`)."""


for _tag, _pattern, _first in (
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                  r"|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])):
    Dumper.add_implicit_resolver(_YAML_TAG + _tag, re.compile(_pattern), list(_first))


def dump(data: Any) -> str:
    """Plain data as block-style YAML that reads back as the same data in YAML 1.2 and 1.1."""
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
