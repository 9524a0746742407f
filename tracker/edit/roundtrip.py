"""Round-trip editing of a YAML file the user wrote: only the change is added, the rest is kept.

An edit is a function that changes the file's data through a `Builder`. It runs twice: on the
plain data of our own safe loader (what the file must mean afterwards), and on ruamel.yaml's
round-trip data, which keeps comments, key order, quoting and flow/block style. ruamel.yaml
still re-emits the whole file, and may normalise what it does not model (indentation of
block scalars, spacing inside flow collections, line breaks in long plain scalars). So its
output is compared line by line with the original, and every changed region (hunk) that
the edit does not need is reverted to the user's own text: a hunk is kept only if dropping
it changes what the file means, and a rewritten region next to the new lines keeps the
user's lines with only the new ones added when that means the same. The result means exactly what the edit asked for, checked
by parsing it with our own loader, and is otherwise the user's file byte for byte,
including a byte-order mark and CRLF line endings.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Optional

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from tracker.errors import EditError, InvalidData
from tracker.model import yamlsafe

BOM = "\ufeff"
#: (mapping, sequence, offset) indentations tried, the file's own style being the one that
#: reproduces it best; the first is the style of `tracker init`'s programme.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 2), (4, 4, 0), (3, 3, 0), (3, 5, 2))
#: Past this many changed regions, they are reverted in bulk before one by one.
_MAX_SINGLE_TRIES = 40


class PlainFloat(float):
    """A float written in plain decimals (0.00001, not 1e-05), which every YAML reader takes as a float."""

    def text(self) -> str:
        out = format(Decimal(repr(float(self))), "f")
        return out if "." in out else out + ".0"


class Builder:
    """Makes the values an edit inserts, in the style of the data it edits."""

    def date(self, day: dt.date) -> Any:
        raise NotImplementedError

    def text(self, value: str) -> Any:
        raise NotImplementedError

    def number(self, value: int | float) -> Any:
        raise NotImplementedError

    def mapping(self, pairs: Iterable[tuple[str, Any]], like: Any = None) -> Any:
        raise NotImplementedError

    def seq(self, items: Iterable[Any], like: Any = None, flow: bool = False) -> Any:
        raise NotImplementedError


class PlainBuilder(Builder):
    """Values as our safe loader reads them: dates stay strings."""

    def date(self, day: dt.date) -> Any:
        return day.isoformat()

    def text(self, value: str) -> Any:
        return value

    def number(self, value: int | float) -> Any:
        return value if isinstance(value, int) else float(value)

    def mapping(self, pairs: Iterable[tuple[str, Any]], like: Any = None) -> Any:
        return dict(pairs)

    def seq(self, items: Iterable[Any], like: Any = None, flow: bool = False) -> Any:
        return list(items)


_resolver = yaml.resolver.Resolver()


class RoundTripBuilder(Builder):
    """Values for ruamel.yaml, matching the flow or block style of a neighbour when there is one."""

    def date(self, day: dt.date) -> Any:
        return dt.date(day.year, day.month, day.day)

    def text(self, value: str) -> Any:
        if "\n" in value:
            return LiteralScalarString(value)
        # ruamel.yaml speaks YAML 1.2; our loader reads YAML 1.1, where yes/no/on/off, 0777 or
        # 1:30 are not strings. Quote anything that a YAML 1.1 reader would not take as text.
        if _resolver.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
            return SingleQuotedScalarString(value)
        return value

    def number(self, value: int | float) -> Any:
        return value if isinstance(value, int) else PlainFloat(value)

    def mapping(self, pairs: Iterable[tuple[str, Any]], like: Any = None) -> Any:
        out = CommentedMap(pairs)
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            out.fa.set_flow_style()
        else:
            out.fa.set_block_style()
        return out

    def seq(self, items: Iterable[Any], like: Any = None, flow: bool = False) -> Any:
        out = CommentedSeq(items)
        if isinstance(like, CommentedSeq):
            flow = bool(like.fa.flow_style())
        if flow:
            out.fa.set_flow_style()
        else:
            out.fa.set_block_style()
        return out


Edit = Callable[[Any, Builder], None]


def insert_key(mapping: dict, key: str, value: Any, order: list[str]) -> None:
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
    if isinstance(mapping, CommentedMap):
        mapping.insert(position, key, value)
        return
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


@dataclass(frozen=True)
class Layout:
    """What a file looks like below YAML: a byte-order mark, line endings, a final newline."""

    bom: bool
    newline: str
    final_newline: bool

    @classmethod
    def of(cls, text: str) -> "Layout":
        body = text[1:] if text.startswith(BOM) else text
        crlf = body.count("\r\n")
        return cls(bom=text.startswith(BOM), newline="\r\n" if crlf and crlf * 2 >= body.count("\n") else "\n",
                   final_newline=body.endswith("\n") or not body)


def _canon(value: Any) -> Any:
    """Data in a form where equality also means same types and same key order."""
    if isinstance(value, dict):
        return ("map", tuple((k, _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("seq", tuple(_canon(v) for v in value))
    return (type(value).__name__, value)


def _lines(text: str) -> list[str]:
    """Lines with their endings; only "\\n" ends a line (a CR before it stays part of the line)."""
    parts = text.split("\n")
    out = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _key(line: str) -> str:
    return line.rstrip("\n").rstrip("\r")


def _make_yaml(indent: tuple[int, int, int]) -> YAML:
    ryaml = YAML(typ="rt")
    ryaml.preserve_quotes = True
    ryaml.width = 4096  # never re-wrap a line
    mapping, sequence, offset = indent
    ryaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    ryaml.representer.add_representer(
        PlainFloat, lambda rep, value: rep.represent_scalar("tag:yaml.org,2002:float", value.text()))
    return ryaml


def _dump(ryaml: YAML, data: Any) -> str:
    out = io.StringIO()
    ryaml.dump(data, out)
    return out.getvalue()


@dataclass(frozen=True)
class Edited:
    text: str  # the new text, BOM included when the file had one
    document: yamlsafe.Document  # the new text as our loader reads it


def edit_text(text: str, edit: Edit, display: str,
              original: Optional[yamlsafe.Document] = None) -> Edited:
    """Apply `edit` to the YAML `text` (as decoded, BOM included); return the new text.

    `original` is `text` as already parsed by our loader, if the caller has it. Raises
    `InvalidData` when the text cannot be read, `EditError` when the edit cannot be written
    without changing anything else.
    """
    layout = Layout.of(text)
    body = text[1:] if layout.bom else text
    if original is None:
        original = yamlsafe.parse(body, display)
    wanted = copy.deepcopy(original.data)
    edit(wanted, PlainBuilder())
    expected = _canon(wanted)
    if expected == _canon(original.data):
        return Edited(text, original)

    normalised = body.replace("\r\n", "\n")
    if not layout.final_newline:
        normalised += "\n"
    indent, data = _best_indent(normalised, display)
    ryaml = _make_yaml(indent)
    try:
        if data is None:
            data = ryaml.load(normalised)
        edit(data, RoundTripBuilder())
        emitted = _dump(ryaml, data)
    except RuamelError as exc:
        raise EditError(f"{display}: cannot edit this file by round trip ({_one_line(exc)}); "
                        "nothing was written") from None

    parsed: dict[str, yamlsafe.Document] = {}

    def means_expected(candidate: str) -> bool:
        try:
            doc = yamlsafe.parse(candidate, display)
        except InvalidData:
            return False
        if _canon(doc.data) != expected:
            return False
        parsed[candidate] = doc
        return True

    result = _smallest_change(body, emitted, layout, means_expected)
    if result is None:
        raise EditError(f"{display}: the edit could not be written without changing other data; "
                        "nothing was written")
    return Edited((BOM if layout.bom else "") + result, parsed[result])


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _detect_indent(text: str) -> Optional[tuple[int, int, int]]:
    """The file's most common (mapping, sequence, offset) indentation, measured on its block nodes."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    lines = text.split("\n")
    mapping: Counter[int] = Counter()
    sequence: Counter[tuple[int, int]] = Counter()

    def walk(node: Any) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                column = key.start_mark.column
                if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                    if value.start_mark.line > key.start_mark.line:
                        mapping[value.value[0][0].start_mark.column - column] += 1
                elif isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
                    item = value.value[0]
                    line = lines[item.start_mark.line]
                    dash = line.rfind("-", 0, item.start_mark.column)
                    if dash >= 0 and item.start_mark.line > key.start_mark.line:
                        sequence[(item.start_mark.column - column, dash - column)] += 1
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(root)
    if not sequence:
        return None
    (seq, offset), _ = sequence.most_common(1)[0]
    mapping_indent = mapping.most_common(1)[0][0] if mapping else 2
    if mapping_indent < 1 or offset < 0 or seq < offset + 2:
        return None
    return (mapping_indent, seq, offset)


def _best_indent(text: str, display: str) -> tuple[tuple[int, int, int], Any]:
    """The indentation settings with which ruamel.yaml reproduces `text` most closely.

    Returns them with the data ruamel.yaml loaded when it reproduced `text` exactly (else None).
    """
    best: Optional[tuple[int, tuple[int, int, int]]] = None
    source = text.split("\n")
    tried: set[tuple[int, int, int]] = set()

    def candidates() -> Iterator[tuple[int, int, int]]:
        yield _INDENTS[0]
        detected = _detect_indent(text)
        if detected:
            yield detected
        yield from _INDENTS[1:]

    for indent in candidates():
        if indent in tried:
            continue
        tried.add(indent)
        ryaml = _make_yaml(indent)
        try:
            data = ryaml.load(text)
            out = _dump(ryaml, data)
        except RuamelError as exc:
            raise EditError(f"{display}: cannot edit this file by round trip ({_one_line(exc)}); "
                            "nothing was written") from None
        if out == text:
            return indent, data
        changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in _opcodes(source, out.split("\n"))
                      if tag != "equal")
        if best is None or changed < best[0]:
            best = (changed, indent)
    assert best is not None
    return best[1], None


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from `a` to `b`, computed on what lies between their common ends.

    An edit touches a few lines of a long file: leaving the identical head and tail out of
    the matcher keeps it fast on files of thousands of similar lines.
    """
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = difflib.SequenceMatcher(None, a[head:len(a) - tail], b[head:len(b) - tail], autojunk=False)
    out: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        out.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        out.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return out


Segment = tuple[str, list[str]]  # ("old" | "new", lines with endings)


def _loose(line: str) -> str:
    """A line compared without its ending and with runs of inner whitespace collapsed."""
    bare = _key(line)
    rest = bare.lstrip(" ")
    return bare[: len(bare) - len(rest)] + " ".join(rest.split())


def _smallest_change(body: str, emitted: str, layout: Layout,
                     ok: Callable[[str], bool]) -> Optional[str]:
    """The original text with only the hunks of `emitted` that the edit needs.

    Lines are matched first with inner whitespace ignored (ruamel.yaml re-spaces comments and
    values), so that lines that differ only in spacing keep the user's spacing; then exactly.
    """
    old = _lines(body)
    if old and not old[-1].endswith("\n"):
        old[-1] += layout.newline
    new = [_key(line) + layout.newline for line in _lines(emitted)]
    for key in (_loose, _key):
        result = _keep_needed(old, new, key, layout, ok)
        if result is not None:
            return result
    return None


#: A changed region longer than this is only ever kept or reverted whole.
_MAX_SPLIT_LINES = 30

Choice = tuple[str, int]  # ("new" | "old" | "old+tail" | "head+old", k)
NEW, OLD = ("new", 0), ("old", 0)


def _choices(tag: str, old_lines: int, new_lines: int) -> list[Choice]:
    """What to try for a changed region, most of the user's text first; NEW (keep it) is last.

    A replaced region may hold ruamel.yaml's rewrite of the user's lines (a joined multi-line
    scalar, a dropped anchor or document marker) next to lines the edit needs: keeping the
    user's lines with only the tail (or head) of the new ones separates the two.
    """
    if tag != "replace" or new_lines > _MAX_SPLIT_LINES:
        return [OLD, NEW]
    return ([OLD] + [("old+tail", k) for k in range(1, new_lines)]
            + [("head+old", k) for k in range(1, new_lines)]
            + [("old+tail", 0), ("head+old", new_lines), NEW])


def _keep_needed(old: list[str], new: list[str], key: Callable[[str], str], layout: Layout,
                 ok: Callable[[str], bool]) -> Optional[str]:
    opcodes = _opcodes([key(x) for x in old], [key(x) for x in new])
    hunks = [i for i, op in enumerate(opcodes) if op[0] != "equal"]
    chosen: dict[int, Choice] = {i: NEW for i in hunks}

    def build(chosen: dict[int, Choice]) -> list[Segment]:
        segments: list[Segment] = []
        for i, (tag, i1, i2, j1, j2) in enumerate(opcodes):
            how, k = chosen.get(i, OLD)  # an unchanged region is the old text
            pieces: list[Segment] = {
                "old": [("old", old[i1:i2])],
                "new": [("new", new[j1:j2])],
                "old+tail": [("old", old[i1:i2]), ("new", new[j1 + k:j2])],
                "head+old": [("new", new[j1:j1 + k]), ("old", old[i1:i2])],
            }[how]
            segments.extend(piece for piece in pieces if piece[1])
        return segments

    def render(segments: list[Segment]) -> str:
        out = "".join(line for _, lines in segments for line in lines)
        if not layout.final_newline and out.endswith(layout.newline):
            out = out[: -len(layout.newline)]
        return out

    if not ok(render(build(chosen))):
        return None
    if len(hunks) > _MAX_SINGLE_TRIES:
        bulk = {i: NEW if opcodes[i][0] == "insert" else OLD for i in hunks}
        if ok(render(build(bulk))):
            chosen = bulk
    for i in hunks:
        if chosen[i] != NEW or (len(hunks) == 1 and opcodes[i][0] == "insert"):
            continue  # already reverted; or a lone insertion, which is the edit itself
        tag, i1, i2, j1, j2 = opcodes[i]
        for choice in _choices(tag, i2 - i1, j2 - j1)[:-1]:
            chosen[i] = choice
            if ok(render(build(chosen))):
                break
        else:
            chosen[i] = NEW
    segments = build(chosen)
    moved = _lift_insertions(segments)
    if moved != segments and ok(render(moved)):
        segments = moved
    return render(segments)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _lift_insertions(segments: list[Segment]) -> list[Segment]:
    """Move each inserted block above the blank lines and outer comments that precede it.

    ruamel.yaml keeps the blank lines and comments that follow the last item of a list with
    that item, so an item appended to the list lands after them, away from its siblings and
    right before the next section's heading comment. Lines indented less than the new block
    belong to what follows, so the block moves above them.
    """
    out = [(kind, list(lines)) for kind, lines in segments]
    for index, (kind, lines) in enumerate(out):
        if kind != "new" or index == 0 or out[index - 1][0] != "old":
            continue
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            continue
        depth = _indent_of(first)
        before = out[index - 1][1]
        lifted: list[str] = []
        while before:
            stripped = before[-1].strip()
            if stripped and not (stripped.startswith("#") and _indent_of(before[-1]) < depth):
                break
            lifted.insert(0, before.pop())
        if lifted:
            lines.extend(lifted)
    return [(kind, lines) for kind, lines in out if lines]
