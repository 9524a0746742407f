"""Safe YAML loading that remembers where every value came from.

Only plain data comes out: mappings with string keys, lists, strings, numbers, booleans and
nulls. Dates stay strings (the validator checks them as dates). Refused, each with the file,
line and column: syntax errors, files that are not UTF-8, files over `MAX_BYTES`, several
documents, duplicate keys, tags that would build other objects, nesting deeper than
`MAX_DEPTH` and alias expansion beyond `MAX_NODES` values.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.errors import InvalidData, Problem, YamlStop

# A programme of 400 priorities, each with five years of monthly entries and observations, is
# about 8 MiB of YAML (bench/generate.py); the limit leaves room for twice that.
MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


@dataclass
class Document:
    """A loaded YAML file: its data, the line/column (1-based) of every value and key, and the
    bytes that were parsed. Everything downstream (validation, edits, fingerprints, errors that
    need a position) uses this, never the file read or parsed again."""

    data: Any
    display: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: bytes = b""  # the file's bytes as read (a byte-order mark included); b"" for parsed text

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

    def problem(self, path: Path_, message: str, *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.display, line, column, dotted(path) or "(file)", message)


def dotted(path: Path_) -> str:
    """('priorities', 1, 'history') -> 'priorities[1].history'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Loader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses absurd nesting before Python's stack does."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlStop(self.peek_event().start_mark, f"nesting deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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


def parse(text: str, display: str) -> Document:
    """Parse YAML text (already decoded) into a `Document`."""

    def fail(line: int, column: int, message: str, fld: str = "(file)") -> InvalidData:
        return InvalidData([Problem(display, line, column, fld, message)])

    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except YamlStop as stop:
        raise fail(stop.mark.line + 1, stop.mark.column + 1, stop.message) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_col(text, exc.position)
        raise fail(line, column, f"character U+{exc.character:04X} is not allowed in YAML") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(exc.problem or exc.context).split())
        if "expected a single document" in str(exc.context or ""):
            message = "several YAML documents in one file; a programme file holds one"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise fail(line, column, f"YAML syntax error: {message}") from None
    except RecursionError:
        raise fail(1, 1, f"nesting deeper than {MAX_DEPTH} levels") from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise fail(1, 1, "file is empty")
    doc = Document(data=None, display=display)
    counter = [0]
    try:
        doc.data = _convert(node, (), doc, loader, counter, 0)
    except YamlStop as stop:
        raise fail(stop.mark.line + 1, stop.mark.column + 1, stop.message, stop.field) from None
    return doc


def _convert(node: Any, path: Path_, doc: Document, loader: _Loader, counter: list[int], depth: int) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlStop(node.start_mark, f"aliases expand to more than {MAX_NODES} values")
    if depth > MAX_DEPTH:
        raise YamlStop(node.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
    if node.tag not in _PLAIN_TAGS:
        raise YamlStop(node.start_mark, f"YAML tag {node.tag!r} is not allowed; use plain values", dotted(path) or "(file)")
    doc.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise YamlStop(key_node.start_mark, "a key must be a plain word")
            key = key_node.value
            if key in out:
                raise YamlStop(key_node.start_mark, f"duplicate key {key!r}", dotted(path + (key,)))
            doc.keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, path + (key,), doc, loader, counter, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (i,), doc, loader, counter, depth + 1)
            for i, item in enumerate(node.value)
        ]
    if node.tag.endswith(":timestamp"):
        return node.value
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value
