"""Editing a YAML file the user wrote: the change is written in place, every other byte is kept.

An edit is a function that changes the file's data through a `Builder`; it runs once, on a copy
of the data our loader read. Comparing the copy with the original says what changed and where
(`_changes`): list items and keys added (status entries, observations, sources, a milestone's
`done`), items and keys removed (a rejected draft, an approved draft's `draft: true`), values
replaced (`history: []` by a list, a renumbered reference). Each change is written directly at
its place from the positions the loaded `yamlsafe.Document` holds (`_Writer`): indentation and
flow or block style are the neighbouring item's, quoting is decided by the YAML 1.2 rules the
loader reads with (`scalar_text`), so that the text reads back as the value intended; a
removed item or key takes its own lines (or its text and a comma in a flow collection) with
it, and nothing else. The new text is then parsed once, and must mean exactly the data the
edit asked for; otherwise nothing is written.

So an edit parses the file twice (the caller's load, and this check), whatever its size or
layout, and the comments, blank lines, quoting, key order, flow or block style, byte-order
mark and line endings of the file are the user's own. What cannot be written in place (keys
reordered, an insertion into a list written as an alias, which would change the list it
aliases too) is refused with `EditError`, and nothing is written.
"""
from __future__ import annotations

import bisect
import copy
import datetime as dt
import difflib
import itertools
import marshal
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

from tracker.errors import EditError, InvalidData
from tracker.model import yamlsafe

BOM = "\ufeff"
Path_ = yamlsafe.Path_


class PlainFloat(float):
    """A float written in plain decimals (0.00001, not 1e-05), which every YAML reader takes as a float."""

    def text(self) -> str:
        if math.isnan(self):
            return ".nan"
        if math.isinf(self):
            return ".inf" if self > 0 else "-.inf"
        out = format(Decimal(repr(float(self))), "f")
        return out if "." in out else out + ".0"


class Day(str):
    """A date (YYYY-MM-DD), written unquoted: the loader keeps dates as text, and editors show them as dates."""


class Seq(list[Any]):
    """A new list, with the style it takes when no neighbouring list shows the file's own."""

    def __init__(self, items: Iterable[Any] = (), flow: bool = False) -> None:
        super().__init__(items)
        self.flow = flow


class Builder:
    """Makes the values an edit inserts: plain data, as the loader reads it, with style hints."""

    def date(self, day: dt.date) -> Any:
        return Day(day.isoformat())

    def text(self, value: str) -> Any:
        return value

    def number(self, value: int | float) -> Any:
        return value if isinstance(value, int) else float(value)

    def mapping(self, pairs: Iterable[tuple[str, Any]], like: Any = None) -> Any:
        """A mapping; its style (flow or block) is its neighbour's in the file."""
        return dict(pairs)

    def seq(self, items: Iterable[Any], like: Any = None, flow: bool = False) -> Any:
        """A list; its style is that of the same list in the neighbouring item, else `flow`."""
        return Seq(items, flow)


Edit = Callable[[Any, Builder], None]


def insert_key(mapping: dict[str, Any], key: str, value: Any, order: list[str]) -> None:
    """Set `key` in `mapping`; a new key goes after the keys that come before it in `order`."""
    if key in mapping:
        mapping[key] = value
        return
    rank = order.index(key) if key in order else len(order)
    keys = list(mapping)
    position = 0
    for i, existing in enumerate(keys):
        if existing in order and order.index(existing) < rank:
            position = i + 1
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


@dataclass(frozen=True)
class Layout:
    """What a file looks like below YAML: a byte-order mark, and its line endings (which new
    lines take; a missing final line break stays missing, see `_Writer.insert_lines`)."""

    bom: bool
    newline: str

    @classmethod
    def of(cls, text: str) -> "Layout":
        body = text[1:] if text.startswith(BOM) else text
        crlf = body.count("\r\n")
        return cls(bom=text.startswith(BOM), newline="\r\n" if crlf and crlf * 2 >= body.count("\n") else "\n")


@dataclass(frozen=True)
class Edited:
    text: str  # the new text, BOM included when the file had one
    document: yamlsafe.Document  # the new text as our loader reads it


def edit_text(text: str, edit: Edit, display: str,
              original: Optional[yamlsafe.Document] = None, *, positions: bool = True) -> Edited:
    """Apply `edit` to the YAML `text` (as decoded, BOM included); return the new text.

    `original` is `text` as already parsed by our loader, if the caller has it. Without
    `positions`, the new document holds its data and bytes only (see `yamlsafe.parse`). Raises
    `InvalidData` when the text cannot be read, `EditError` when the edit cannot be written
    without changing anything else.
    """
    layout = Layout.of(text)
    body = text[1:] if layout.bom else text
    if original is None:
        original = yamlsafe.parse(body, display)
    wanted = _copy(original.data)
    edit(wanted, Builder())
    refused = EditError(f"{display}: the edit could not be written without changing other data; "
                        "nothing was written")
    try:
        changes = _changes(original.data, wanted)
        if not changes:
            return Edited(text, original)
        new_body = _Writer(body, original, layout.newline).apply(changes)
    except _CannotWrite:
        raise refused from None
    try:
        document = yamlsafe.parse(new_body, display, positions=positions)
    except InvalidData:
        raise refused from None
    if not _means(document.data, wanted, changes):
        raise refused
    new_text = (BOM if layout.bom else "") + new_body
    document.raw = new_text.encode("utf-8")
    return Edited(new_text, document)


def _means(data: Any, wanted: Any, changes: list[_Change]) -> bool:
    """Whether the data read back is exactly the data wanted: equal (which is fast, but takes 1
    for 1.0 or True, and ignores the order of keys), and, where the text changed, also of the
    same types and order (repr tells them apart)."""
    if data != wanted:
        return False
    for change in changes:
        here, there = data, wanted
        for part in change.there if change.there is not None else change.path:
            here, there = here[part], there[part]
        if repr(here) != repr(there):
            return False
    return True


def _copy(data: Any) -> Any:
    """A deep copy of loaded data (dicts, lists, text, numbers): marshal is C, and ten times faster
    than `copy.deepcopy` on a large programme."""
    try:
        return marshal.loads(marshal.dumps(data))
    except ValueError:
        return copy.deepcopy(data)


# --- what changed -------------------------------------------------------------------------------


class _CannotWrite(Exception):
    """The change is not an insertion that can be written in place."""


@dataclass
class _Change:
    """New list items, new keys, items or keys removed, or a value replaced."""

    kind: str  # "items" | "keys" | "drop" | "value"
    path: Path_  # the list, the mapping, or the value replaced
    index: int = 0  # items: where they go in the list
    values: list[Any] = field(default_factory=list)  # items: the new items; value: [the new value]
    pairs: list[tuple[str, Any]] = field(default_factory=list)  # keys: the new keys, in order
    after: Optional[str] = None  # keys: the existing key they follow (None: before the first)
    gone: list[Any] = field(default_factory=list)  # drop: the keys, or the indexes, removed
    there: Optional[Path_] = None  # where `path` is in the new data, when its indexes differ


def _changes(old: Any, new: Any) -> list[_Change]:
    out: list[_Change] = []
    _diff(old, new, (), out)
    return out


def _diff(old: Any, new: Any, path: Path_, out: list[_Change], there: Optional[Path_] = None) -> None:
    """The changes from `old` to `new`, found at `path` of the old data (`there` of the new)."""
    there = path if there is None else there
    if isinstance(old, dict) and isinstance(new, dict) and old and new:
        kept = [key for key in old if key in new]
        if [key for key in new if key in old] != kept:
            raise _CannotWrite  # the keys reordered
        if len(kept) < len(old):
            out.append(_Change("drop", path, gone=[key for key in old if key not in new], there=there))
        after: Optional[str] = None
        pending: Optional[_Change] = None
        for key, value in new.items():
            if key in old:
                after, pending = key, None
                if not _same(old[key], value):
                    _diff(old[key], value, path + (key,), out, there + (key,))
            else:
                if pending is None:
                    pending = _Change("keys", path, after=after, there=there)
                    out.append(pending)
                pending.pairs.append((key, value))
        return
    if isinstance(old, list) and isinstance(new, list) and old and new:
        n, m = len(old), len(new)
        head = 0
        while head < n and head < m and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < n - head and tail < m - head and old[n - 1 - tail] == new[m - 1 - tail]:
            tail += 1
        if head + tail == n and m > n:
            out.append(_Change("items", path, index=head, values=new[head:m - tail], there=there))
        elif head + tail == m and n > m:
            out.append(_Change("drop", path, gone=list(range(head, n - tail)), there=there))
        elif n == m:
            for i in range(head, n - tail):
                if old[i] != new[i]:
                    _diff(old[i], new[i], path + (i,), out, there + (i,))
        else:  # items removed and added in several places: matched by what they hold
            matcher = difflib.SequenceMatcher(None, [repr(v) for v in old[head:n - tail]],
                                              [repr(v) for v in new[head:m - tail]], autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "replace" and i2 - i1 != j2 - j1:
                    _align(old, new, path, there, (head + i1, head + i2, head + j1, head + j2), out)
                    continue
                if tag in ("delete", "replace") and i2 - i1 != j2 - j1:
                    out.append(_Change("drop", path, gone=list(range(head + i1, head + i2)), there=there))
                if tag in ("insert", "replace") and i2 - i1 != j2 - j1:
                    out.append(_Change("items", path, index=head + i2, values=new[head + j1:head + j2], there=there))
                if tag == "replace" and i2 - i1 == j2 - j1:
                    for k in range(i2 - i1):
                        _diff(old[head + i1 + k], new[head + j1 + k], path + (head + i1 + k,), out,
                              there + (head + j1 + k,))
        return
    if not _same(old, new):
        out.append(_Change("value", path, values=[new], there=there))


def _align(old: list[Any], new: list[Any], path: Path_, there: Path_, block: tuple[int, int, int, int],
           out: list[_Change]) -> None:
    """Items old[i1:i2] replaced by new[j1:j2], of another number: those that are one record
    changed (most of their keys equal: `_likeness`) are paired, in order, and changed in place;
    the others are removed or inserted. So removing a record and changing its neighbour (a
    rejected draft, and the correction after it) rewrites neither's neighbours."""
    i1, i2, j1, j2 = block
    a, b = i2 - i1, j2 - j1
    best = [[0.0] * (b + 1) for _ in range(a + 1)]  # best[i][j]: the most likeness pairing old[i:], new[j:]
    for i in range(a - 1, -1, -1):
        for j in range(b - 1, -1, -1):
            like = _likeness(old[i1 + i], new[j1 + j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + like if like else 0.0)
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < a and j < b:
        like = _likeness(old[i1 + i], new[j1 + j])
        if like and best[i][j] == best[i + 1][j + 1] + like:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    paired_old = {i for i, _ in pairs}
    gone = [i1 + i for i in range(a) if i not in paired_old]
    if gone:
        out.append(_Change("drop", path, gone=gone, there=there))
    ahead = [*pairs, (a, b)]  # where each new item goes: before the next paired old item
    start_new = 0
    for old_index, new_index in ahead:
        if new_index > start_new:
            out.append(_Change("items", path, index=i1 + old_index, values=new[j1 + start_new:j1 + new_index],
                               there=there))
        if old_index < a:
            _diff(old[i1 + old_index], new[j1 + new_index], path + (i1 + old_index,), out, there + (j1 + new_index,))
        start_new = new_index + 1


def _likeness(a: Any, b: Any) -> float:
    """How much two list items look like one record changed: the share of equal keys of two
    mappings, when at least half are (0 otherwise)."""
    if not (isinstance(a, dict) and isinstance(b, dict) and a and b):
        return 0.0
    equal = sum(1 for key, value in a.items() if key in b and _same(value, b[key]))
    share = equal / max(len(a), len(b))
    return share if share >= 0.5 else 0.0


def _kind(value: Any) -> type:
    for kind in (bool, int, float, str, dict, list):
        if isinstance(value, kind):
            return kind
    return type(value)


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same kind: 1 is not 1.0 nor True here, but a `Day` is text."""
    return bool(a == b) and _kind(a) is _kind(b)


# --- writing values -----------------------------------------------------------------------------

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: Characters a plain or single-quoted scalar cannot hold as they are: controls, line breaks of
#: YAML 1.1 (NEL, LS, PS), the byte-order mark, and what YAML does not allow at all.
_SPECIAL = re.compile("[^\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\U00010000-\U0010FFFF]")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
            "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N",
            "\u2028": "\\L", "\u2029": "\\P"}


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether `text` may be written unquoted and read back as this very text."""
    if not text or text[0] in _INDICATORS or text[0] in " \t" or text[-1] in " \t:":
        return False
    if ": " in text or " #" in text or "\t" in text or _SPECIAL.search(text):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    return yamlsafe.plain_reads_as_text(text)


def _double_quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _SPECIAL.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def scalar_text(value: Any, flow: bool) -> str:
    """One scalar on one line, as YAML 1.2 reads it back: plain when that means the same text
    (in YAML 1.1 too), else single-quoted, else double-quoted with escapes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return PlainFloat(value).text()
    if not isinstance(value, str):
        raise _CannotWrite
    if isinstance(value, Day) and _DAY.match(value):
        return str(value)
    if _plain_ok(value, flow):
        return value
    if not _SPECIAL.search(value):
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


def _literal(text: str) -> Optional[list[str]]:
    """A text of several lines as a literal block scalar: its header and its lines (unindented);
    None when it cannot be one (characters a block cannot hold, lines of only spaces)."""
    if "\n" not in text or _SPECIAL.search(text.replace("\n", "").replace("\t", "")) or "\r" in text:
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    lines = body.split("\n")
    # Not as a block: a first line that begins with a space (it would need an indentation
    # indicator), lines of only spaces, and final line breaks beyond one (kept, they would
    # take in the blank lines that follow in the file).
    if lines[0].startswith((" ", "\t")) or any(line.strip(" \t") == "" and line for line in lines) \
            or not body.strip() or trailing > 1:
        return None
    return ["|-" if trailing == 0 else "|"] + lines


# --- writing text in place ----------------------------------------------------------------------

_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # line breaks as the loader counts lines
_KEEP = re.compile(r"(?:[!&][^ \t\r\n]*[ \t]+)*[|>](?:[1-9]?\+|\+[1-9]?)")  # a block scalar keeping its final lines


class _Writer:
    """Writes changes into the text of a loaded document, from the positions it holds."""

    def __init__(self, body: str, doc: yamlsafe.Document, newline: str) -> None:
        self.body = body
        self.doc = doc
        self.nl = newline
        if "\r" in body or "\x85" in body or "\u2028" in body or "\u2029" in body:
            self.starts = [0] + [match.end() for match in _BREAK.finditer(body)]
        else:  # the usual file: only "\n" ends its lines, and this is ten times faster
            self.starts = [0, *itertools.accumulate(len(line) + 1 for line in body.split("\n"))][:-1]
        self.splices: list[tuple[int, int, str]] = []
        self._seq_style: dict[str, tuple[int, int]] = {}
        self._map_indent: Optional[int] = None

    # positions

    def offset(self, position: tuple[int, int]) -> int:
        line, column = position
        return self.starts[line - 1] + column - 1

    def line_index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def line(self, index: int) -> str:
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.body)
        return _BREAK.sub("", self.body[self.starts[index]:end])

    def next_line(self, offset: int) -> int:
        """The start of the line after the one holding `offset` (the end of the text if none)."""
        index = self.line_index(offset)
        return self.starts[index + 1] if index + 1 < len(self.starts) else len(self.body)

    def column(self, path: Path_, key: bool = False) -> int:
        return (self.doc.keys if key else self.doc.values)[path][1] - 1

    def data(self, path: Path_) -> Any:
        value = self.doc.data
        for part in path:
            value = value[part]
        return value

    def end_of(self, path: Path_) -> int:
        """Where a line may be inserted after the value at `path`: the start of the line after its
        last character (for a block scalar, after its last line of text, unless it keeps its
        final line breaks)."""
        leaf = path
        value = self.data(leaf)
        while isinstance(value, (dict, list)) and value and leaf not in self.doc.flow:
            last = len(value) - 1 if isinstance(value, list) else list(value)[-1]
            if leaf + (last,) not in self.doc.values:
                break  # an alias
            leaf, value = leaf + (last,), value[last]
        end = self.offset(self.doc.ends[path])
        index = self.line_index(end)
        if self.body[self.starts[index]:end].strip(" \t"):
            return self.next_line(end)  # it ends inside this line: insert after the line
        # A block scalar ends where the next line begins: back over the lines it does not keep.
        start = self.offset(self.doc.values[leaf])
        if _KEEP.match(self.body, start):
            return self.starts[index]
        while index > 0 and not self.line(index - 1).strip(" \t") and self.starts[index - 1] > start:
            index -= 1
        return self.starts[index]

    def after_trailing_comments(self, offset: int, indent: int) -> int:
        """Past the comments below the end of a collection that are indented as deep as its items
        (they go with the last item), before the blank lines and outer comments that follow."""
        best = offset
        if offset >= len(self.body):
            return offset
        index = self.line_index(offset)
        while index < len(self.starts) and self.starts[index] < len(self.body):
            text = self.line(index)
            stripped = text.strip(" \t")
            if stripped and not stripped.startswith("#"):
                break
            if stripped and len(text) - len(text.lstrip(" ")) >= indent:
                best = self.next_line(self.starts[index])
            index += 1
        return best

    def insert_lines(self, offset: int, lines: list[str]) -> None:
        """Whole lines at the start of a line (or at the end of a text without a final line break)."""
        text = self.nl.join(lines) + self.nl
        if offset == len(self.body) and self.body and not _BREAK.match(self.body[-1]):
            text = self.nl + text[: -len(self.nl)]
        self.splices.append((offset, offset, text))

    # styles of the file

    def seq_style_at(self, path: Optional[Path_]) -> Optional[tuple[int, int]]:
        """(dash column - key column, item column - dash column) of the block list at `path`."""
        if path is None or path not in self.doc.keys or path in self.doc.flow:
            return None
        first = self.doc.values.get(path + (0,))
        line, column = self.doc.keys[path]
        if first is None or first[0] <= line:
            return None
        dash = self.line(first[0] - 1).rfind("-", 0, first[1] - 1)
        style = (dash - (column - 1), first[1] - 1 - dash)
        return style if dash >= 0 and style[0] >= 0 and style[1] >= 1 else None

    def seq_style(self, key: str) -> tuple[int, int]:
        """(dash column - key column, item column - dash column) of the file's block lists that
        are a key's value: those under the same key name first; (2, 2) when there are none."""
        if key in self._seq_style:
            return self._seq_style[key]
        found: Optional[tuple[int, int]] = None
        values = self.doc.values
        for path in self.doc.keys:
            if path + (0,) not in values:
                continue
            style = self.seq_style_at(path)
            if style is None:
                continue
            if path[-1] == key:
                found = style
                break
            found = found or style
        self._seq_style[key] = found or (2, 2)
        return self._seq_style[key]

    def map_indent(self) -> int:
        """How much deeper the file indents a mapping under its key (2 when it has none)."""
        if self._map_indent is None:
            self._map_indent = 2
            keys = self.doc.keys
            for path, (line, column) in keys.items():
                parent = keys.get(path[:-1]) if len(path) > 1 else None
                if parent is not None and line > parent[0] and column > parent[1] and path[:-1] not in self.doc.flow:
                    self._map_indent = column - parent[1]
                    break
        return self._map_indent

    def is_flow(self, value: Any, like: Optional[Path_]) -> bool:
        """A new collection's style: that of the same collection in the neighbouring item, else its hint."""
        if like is not None and like in self.doc.values:
            if like in self.doc.flow:
                return True
            old = self.data(like)
            if isinstance(old, (dict, list)) and old and isinstance(old, dict) == isinstance(value, dict):
                return False
        return bool(getattr(value, "flow", False)) if isinstance(value, list) else False

    # text of values

    def flow_text(self, value: Any) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{scalar_text(k, True)}: {self.flow_text(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow_text(v) for v in value) + "]"
        return scalar_text(value, True)

    def pair_lines(self, key: str, value: Any, column: int, like: Optional[Path_]) -> list[str]:
        """`key: value` in block context, its key at `column`."""
        head = " " * column + scalar_text(key, False) + ":"
        if isinstance(value, (dict, list)) and value and not self.is_flow(value, like):
            if isinstance(value, dict):
                return [head] + self.mapping_lines(value, column + self.map_indent(), like)
            offset, step = self.seq_style_at(like) or self.seq_style(key)
            return [head] + self.item_lines(value, column + offset, column + offset + step,
                                            like + (0,) if like is not None and like + (0,) in self.doc.values else None)
        if isinstance(value, (dict, list)):
            return [head + " " + self.flow_text(value)]
        literal = _literal(value) if isinstance(value, str) else None
        if literal is not None:
            indent = " " * (column + self.map_indent())
            return [head + " " + literal[0]] + [indent + line if line else "" for line in literal[1:]]
        return [head + " " + scalar_text(value, False)]

    def mapping_lines(self, value: dict[str, Any], column: int, like: Optional[Path_]) -> list[str]:
        lines: list[str] = []
        for key, item in value.items():
            lines += self.pair_lines(key, item, column, like + (key,) if like is not None else None)
        return lines

    def item_lines(self, items: list[Any], dash: int, column: int, like: Optional[Path_]) -> list[str]:
        """Block list items: the dash at `dash`, their content at `column`; `like` is a
        neighbouring item, whose style they take."""
        lines: list[str] = []
        prefix = " " * dash + "-" + " " * (column - dash - 1)
        for item in items:
            if isinstance(item, dict) and item and not self.is_flow(item, like):
                block = self.mapping_lines(item, column, like)
            elif isinstance(item, list) and item and not self.is_flow(item, like):
                block = self.item_lines(item, column, column + 2, None)
            elif isinstance(item, (dict, list)):
                block = [" " * column + self.flow_text(item)]
            else:
                literal = _literal(item) if isinstance(item, str) else None
                if literal is not None:
                    block = [" " * column + literal[0]] + [" " * column + line if line else ""
                                                           for line in literal[1:]]
                else:
                    block = [" " * column + scalar_text(item, False)]
            lines.append(prefix + block[0][column:])
            lines += block[1:]
        return lines

    # the changes

    def apply(self, changes: list[_Change]) -> str:
        try:
            for change in changes:
                if change.kind == "items":
                    self.items(change)
                elif change.kind == "keys":
                    self.keys(change)
                elif change.kind == "drop":
                    self.drop(change)
                else:
                    self.value(change)
        except (KeyError, IndexError, TypeError):
            raise _CannotWrite from None  # a position the document does not hold (inside an alias)
        out, done = [], 0
        # By start, then end: text inserted where a removed span begins goes before it.
        for start, end, text in sorted(self.splices, key=lambda splice: (splice[0], splice[1])):
            if start < done:
                raise _CannotWrite
            out += [self.body[done:start], text]
            done = end
        out.append(self.body[done:])
        return "".join(out)

    def own_line(self, position: tuple[int, int]) -> Optional[str]:
        """The indentation before what starts at `position`, when nothing else precedes it on its line."""
        before = self.line(position[0] - 1)[:position[1] - 1]
        return None if before.strip(" \t") else before

    def flow_before(self, position: tuple[int, int], texts: list[str]) -> None:
        """New entries of a flow collection before the one at `position`: on lines of their own
        when it has its own line."""
        indent = self.own_line(position)
        separator = "," + self.nl + indent if indent is not None else ", "
        self.splices.append((self.offset(position),) * 2 + (separator.join(texts) + separator,))

    def flow_after(self, start: tuple[int, int], end: tuple[int, int], texts: list[str]) -> None:
        """New entries of a flow collection after the one from `start` to `end`."""
        indent = self.own_line(start)
        separator = "," + self.nl + indent if indent is not None else ", "
        self.splices.append((self.offset(end),) * 2 + ("".join(separator + text for text in texts),))

    def items(self, change: _Change) -> None:
        path, index, new = change.path, change.index, change.values
        count = len(self.data(path))
        neighbour = path + (index - 1 if index else 0,)
        if path in self.doc.flow:
            texts = [self.flow_text(item) for item in new]
            if index < count:
                self.flow_before(self.doc.values[path + (index,)], texts)
            else:
                self.flow_after(self.doc.values[neighbour], self.doc.ends[neighbour], texts)
            return
        line, column = self.doc.values[neighbour]
        text = self.line(line - 1)
        dash = text.rfind("-", 0, column - 1)
        if dash < 0 or text[dash + 1:column - 1].strip():
            raise _CannotWrite
        lines = self.item_lines(new, dash, column - 1, neighbour)
        if index == count:
            self.insert_lines(self.after_trailing_comments(self.end_of(neighbour), dash), lines)
        elif index:
            self.insert_lines(self.end_of(neighbour), lines)
        elif text[:dash].strip():
            raise _CannotWrite  # the first item shares its line (`- - x`)
        else:
            self.insert_lines(self.starts[line - 1], lines)

    def keys(self, change: _Change) -> None:
        path, pairs, after = change.path, change.pairs, change.after
        old = self.data(path)
        if path in self.doc.flow:
            texts = [f"{scalar_text(k, True)}: {self.flow_text(v)}" for k, v in pairs]
            if after is None:
                self.flow_before(self.doc.keys[path + (next(iter(old)),)], texts)
            else:
                self.flow_after(self.doc.keys[path + (after,)], self.doc.ends[path + (after,)], texts)
            return
        first = path + (next(iter(old)),)
        column = self.column(first, key=True)
        like = None
        lines: list[str] = []
        for key, value in pairs:
            lines += self.pair_lines(key, value, column, like)
        if after is None:  # before the first key, on its line (which may begin with a list's dash)
            text = self.nl.join(lines)[column:] + self.nl + " " * column
            self.splices.append((self.offset(self.doc.keys[first]),) * 2 + (text,))
        elif after == list(old)[-1]:
            self.insert_lines(self.after_trailing_comments(self.end_of(path + (after,)), column), lines)
        else:
            self.insert_lines(self.end_of(path + (after,)), lines)

    def colon(self, path: Path_) -> int:
        """The offset of the `:` after the key of `path`."""
        start = self.offset(self.doc.keys[path])
        if self.body[start] in "'\"":  # a quoted key: its closing quote first
            quote, at = self.body[start], start + 1
            while True:
                at = self.body.index(quote, at)
                if quote == "'" and self.body.startswith("''", at):
                    at += 2
                elif quote == '"' and self.body[at - 1] == "\\":
                    at += 1
                else:
                    break
            start = at
        return self.body.index(":", start)

    def block_value(self, path: Path_, value: Any) -> None:
        """A key's block collection replaced: its lines by the new value's (comments before its
        first line kept)."""
        if not isinstance(path[-1], str) or self.doc.values[path][0] <= self.doc.keys[path][0]:
            raise _CannotWrite
        column = self.column(path, key=True)
        lines = self.pair_lines(path[-1], value, column, None)
        colon = self.colon(path) + 1
        self.splices.append((colon, colon, lines[0][len(" " * column + scalar_text(path[-1], False) + ":"):]))
        first = self.starts[self.doc.values[path][0] - 1]
        self.splices.append((first, self.end_of(path), "".join(line + self.nl for line in lines[1:])))

    def drop(self, change: _Change) -> None:
        """Keys or items removed: their lines (block) or their text and a comma (flow)."""
        path = change.path
        old = self.data(path)
        mapping = isinstance(old, dict)
        members = [path + (member,) for member in (old if mapping else range(len(old)))]
        gone = set(path + (member,) for member in change.gone)
        flow = path in self.doc.flow
        where = self.doc.keys if mapping else self.doc.values
        index = 0
        while index < len(members):
            if members[index] not in gone:
                index += 1
                continue
            last = index
            while last + 1 < len(members) and members[last + 1] in gone:
                last += 1
            first = self.offset(where[members[index]])
            following = self.offset(where[members[last + 1]]) if last + 1 < len(members) else None
            if flow:
                if following is not None:
                    self.splices.append((first, following, ""))
                elif index > 0:
                    self.splices.append((self.offset(self.doc.ends[members[index - 1]]),
                                         self.offset(self.doc.ends[members[last]]), ""))
                else:
                    raise _CannotWrite
            else:
                line = self.line_index(first)
                before = self.body[self.starts[line]:first]
                if not before.strip(" \t") or (not mapping and before.rstrip(" \t") .endswith("-")
                                                and not before.rstrip(" \t")[:-1].strip(" \t")):
                    kept = "".join(self.comments_between_items(member) for member in members[index:last + 1]) \
                        if mapping else ""
                    self.splices.append((self.starts[line], self.end_of(members[last]), kept))
                elif mapping and following is not None:  # the first keys of a list item: `- key: ...`
                    self.splices.append((first, following, ""))
                else:
                    raise _CannotWrite
            index = last + 1

    def comments_between_items(self, path: Path_) -> str:
        """The comment lines of a key's block list that are no item's own (above an item, or
        between items): they stay when the key goes with its list, as they do when an item goes."""
        value = self.data(path)
        if not isinstance(value, list) or not value or path in self.doc.flow or path + (0,) not in self.doc.values:
            return ""
        own: set[int] = set()
        for i in range(len(value)):
            first = self.doc.values[path + (i,)][0] - 1
            own.update(range(first, self.line_index(self.end_of(path + (i,)))))
        start = self.doc.keys[path][0]  # the line after the key's (0-based)
        end = self.line_index(self.end_of(path))
        return "".join(self.body[self.starts[n]:self.next_line(self.starts[n])] for n in range(start, end)
                       if n not in own and self.line(n).lstrip(" \t").startswith("#"))

    def value(self, change: _Change) -> None:
        path, value = change.path, change.values[0]
        if not path:
            raise _CannotWrite
        old = self.data(path)
        if isinstance(old, (dict, list)) and old and path not in self.doc.flow:
            self.block_value(path, value)
            return
        start, end = self.offset(self.doc.values[path]), self.offset(self.doc.ends[path])
        if path[:-1] in self.doc.flow:
            self.splices.append((start, end, self.flow_text(value)))
            return
        if not isinstance(path[-1], str):  # an item of a block list, replaced in place
            if isinstance(value, (dict, list)) and value:
                raise _CannotWrite
            self.splices.append((start, end, self.flow_text(value)))
            return
        column = self.column(path, key=True)
        lines = self.pair_lines(path[-1], value, column, None)
        head = lines[0][len(" " * column + scalar_text(path[-1], False) + ":"):]
        while start > 0 and self.body[start - 1] in " \t":
            start -= 1  # the spaces between the colon and the old value go with it
        self.splices.append((start, end, head))
        if len(lines) > 1:
            self.insert_lines(self.next_line(end), lines[1:])
