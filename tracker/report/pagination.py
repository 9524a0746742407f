"""WeasyPrint's per-page steps made independent of the pages before them.

WeasyPrint 70 does a few things for every page whose cost grows with the number of pages laid
out before it, so in a long report each page takes longer than the one before
(bench/README.md, "400 priorities"):

- `set_page_type_computed_styles` finds a page's margin-box styles by scanning every entry of
  the cascade, and once the elements' entries are dropped those are the entries of every page
  so far; here the page's own entries are looked up by the margin-box names of the `@page` rules;
- `make_page` gathers the anchors and lookups of all previous pages into lists, to look things
  up in them; here they are sets carried from one page to the next (rebuilt whenever the page
  made before was not the one before this);
- `layout_document` asks every page for the fixed boxes of all the other pages; here it first
  looks, once per document, whether any page has one (tracker's reports have none);
- `LayoutContext.get_string_or_element_for` looks for a named string (the running header's
  title) set on an earlier page by trying every page number back to the first; here the
  numbers of the pages that set one are kept sorted and bisected;
- pydyf's `PDF.page_references` builds the tuple of every page's reference each time a link
  asks for one page's; here the tuple is kept until a page is added.

Each change is a few lines replaced in the library's own source, which is compiled again in its
module; lines before and after keep their numbers. A function is changed only when its source
is the very code these lines were written against (fingerprinted), so any other version runs as
it is. Wherever WeasyPrint's modules imported the function by name, that name is changed too.
Tests render the same bytes with and without.
"""
from __future__ import annotations

import bisect
import hashlib
import inspect
import operator
import sys
import textwrap
from dataclasses import dataclass
from itertools import chain
from typing import Any, Callable, Iterable


@dataclass(frozen=True)
class Patch:
    module: str  # where the function lives
    function: str  # its name in the module: "name", or "Class.name" for a method or property
    fingerprint: str  # SHA-256 of its source, as read in WeasyPrint 70.0
    old: str  # lines of that source
    new: str  # their replacement, as many lines


PATCHES = (
    Patch("weasyprint.layout.page", "set_page_type_computed_styles",
          "4e68b396b35c4a0640453f413be69acdc81a82b37e0f806fd00999c937a126bb",
          "    for element, pseudo_type in style_for.get_cascaded_styles():\n",
          "    for element, pseudo_type in _tracker_page_entries(style_for, page_type):\n"),
    Patch("weasyprint.layout.page", "make_page",
          "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
          "    cached_anchors = []\n"
          "    cached_lookups = []\n"
          "    for (_, _, _, _, x_remake_state) in page_maker[:page_number - 1]:\n"
          "        cached_anchors.extend(x_remake_state.get('anchors', []))\n"
          "        cached_lookups.extend(x_remake_state.get('content_lookups', []))\n",
          "    # tracker: the anchors and lookups of the previous pages, carried from the call for\n"
          "    # the page before when there was one; sets, as the code below only looks up and adds\n"
          "    cached_anchors, cached_lookups = _tracker_previous_pages(\n"
          "        context, page_maker, page_number)\n"
          "    # (end of tracker's lines)\n"),
    Patch("weasyprint.layout", "layout_document",
          "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
          "        root_children.extend(layout_fixed_boxes(context, pages[:i], page))\n"
          "        root_children.extend(root.children)\n"
          "        root_children.extend(layout_fixed_boxes(context, pages[i + 1:], page))\n",
          "        if _tracker_any_fixed_boxes(context, pages): "
          "root_children.extend(layout_fixed_boxes(context, pages[:i], page))\n"
          "        root_children.extend(root.children)\n"
          "        if _tracker_any_fixed_boxes(context, pages): "
          "root_children.extend(layout_fixed_boxes(context, pages[i + 1:], page))\n"),
    Patch("weasyprint.layout", "LayoutContext.get_string_or_element_for",
          "f40ec28ae3470c6ecefa152a099c7fcf42039d1acfe33d498fc0b2cf41fade0b",
          "            for previous_page in range(self.current_page - 1, 0, -1):\n"
          "                if previous_page in store[name]:\n"
          "                    return (store[name][previous_page][-1],)\n",
          "            previous_page = _tracker_last_page_before(self, store[name], self.current_page)\n"
          "            if previous_page is not None:\n"
          "                return (store[name][previous_page][-1],)\n"),
    Patch("pydyf", "PDF.page_references",
          "060bf90aad55931bc24c3575a52af9478a89916aa307e5323142663841cb7798",
          "        return tuple(\n"
          "            f'{object_number} 0 R'.encode('ascii')\n"
          "            for object_number in self.pages['Kids'][::3])\n",
          "        return _tracker_page_references(self, lambda: tuple(\n"
          "            f'{object_number} 0 R'.encode('ascii')\n"
          "            for object_number in self.pages['Kids'][::3]))\n"),
)

# function -> the (holder, attribute, library's own value) pairs install() changed
_originals: dict[str, list[tuple[Any, str, Any]]] = {}
_tried: list[bool] = []  # install() looks once per process


def fingerprint(function: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()


def install() -> list[str]:
    """Change each function whose source is the known code; return the names changed."""
    if _tried:
        return sorted(_originals)
    _tried.append(True)
    for patch in PATCHES:
        try:
            holder, name, value, function = _find(patch)
            known = fingerprint(function) == patch.fingerprint
        except (ImportError, AttributeError, KeyError, OSError, TypeError):  # not there, no source
            known = False
        if known:
            replacement = _recompiled(value, function, patch)
            changed = [(holder, name, value)]
            setattr(holder, name, replacement)
            if holder is sys.modules[patch.module]:  # also where it was imported by name
                changed += _rebind(patch.module.partition(".")[0], value, replacement)
            _originals[patch.function] = changed
    return sorted(_originals)


def uninstall() -> None:
    """Put the libraries' own functions back (tests compare the bytes with and without)."""
    for name, changed in list(_originals.items()):
        for holder, attribute, value in changed:
            setattr(holder, attribute, value)
        del _originals[name]
    _tried.clear()


def _find(patch: Patch) -> tuple[Any, str, Any, Callable[..., Any]]:
    """Where `patch.function` is (module or class), its name there, its value, its function."""
    import importlib

    holder: Any = importlib.import_module(patch.module)
    *owners, name = patch.function.split(".")
    for owner in owners:
        holder = getattr(holder, owner)
    value = vars(holder)[name]
    function = value.fget if isinstance(value, property) else value
    return holder, name, value, function


def _rebind(package: str, old: Any, new: Any) -> list[tuple[Any, str, Any]]:
    """Replace `old` by `new` wherever a module of `package` holds it under a name."""
    changed = []
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == package or module_name.startswith(package + ".")):
            continue
        for attribute, value in list(vars(module).items()):
            if value is old:
                setattr(module, attribute, new)
                changed.append((module, attribute, old))
    return changed


def _recompiled(value: Any, function: Callable[..., Any], patch: Patch) -> Any:
    """`value` compiled again from its own source with `patch.old` replaced by `patch.new`."""
    source = inspect.getsource(function)
    assert source.count(patch.old) == 1 and patch.old.count("\n") == patch.new.count("\n"), patch.function
    module_globals = function.__globals__
    module_globals.update(HELPERS)
    # Dedented (a method's source is indented), placed on the lines where it stands in its file.
    padded = "\n" * (function.__code__.co_firstlineno - 1) + textwrap.dedent(source.replace(patch.old, patch.new))
    code = compile(padded, inspect.getsourcefile(function) or patch.module, "exec")
    namespace: dict[str, Any] = {}
    exec(code, module_globals, namespace)  # noqa: S102 - the library's own code, fingerprinted
    replacement = namespace[function.__name__]  # a property when the source is decorated with one
    new_function = replacement.fget if isinstance(replacement, property) else replacement
    new_function.__doc__ = function.__doc__
    new_function.__qualname__ = function.__qualname__
    if isinstance(value, property) and not isinstance(replacement, property):
        replacement = property(replacement, value.fset, value.fdel, value.__doc__)
    return replacement


def _page_entries(style_for: Any, page_type: Any) -> list[tuple[Any, str]]:
    """The cascade's `(page_type, margin box)` entries, in the order the `@page` rules name them."""
    cascaded = style_for.get_cascaded_styles()
    names = dict.fromkeys(selector[1] for sheet, _, _ in style_for._sheets
                          for _, selectors, _ in sheet.page_rules for selector in selectors)
    return [(page_type, name) for name in names if name and (page_type, name) in cascaded]


class _Seen:
    """What `make_page` needs of its lists of earlier anchors and lookups: `in` and `append`."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = set(items)

    def __contains__(self, item: object) -> bool:
        return item in self.items

    def append(self, item: Any) -> None:
        self.items.add(item)


_state = operator.itemgetter(4)


def _previous_pages(context: Any, page_maker: list[Any], page_number: int) -> tuple[_Seen, _Seen]:
    """The anchors and the lookups recorded by the pages before `page_number`.

    After the call for page n - 1, its sets hold the pages before it plus what that call added,
    which is what page n - 1 recorded: exactly the pages before page n. Any other sequence
    (a page made again, pages skipped as up to date, a new `page_maker` list) rebuilds them.
    """
    carried = getattr(context, "_tracker_previous_pages", None)
    if carried is not None and carried[0] == page_number - 1 and carried[1] is page_maker:
        anchors, lookups = carried[2], carried[3]
    else:
        states = list(map(_state, page_maker[:page_number - 1]))
        anchors = _Seen(chain.from_iterable(state.get("anchors", ()) for state in states))
        lookups = _Seen(chain.from_iterable(state.get("content_lookups", ()) for state in states))
    context._tracker_previous_pages = (page_number, page_maker, anchors, lookups)
    return anchors, lookups


_fixed_boxes = operator.attrgetter("fixed_boxes")


def _any_fixed_boxes(context: Any, pages: list[Any]) -> bool:
    """Whether any of the document's pages has fixed boxes (looked at once per document)."""
    known = getattr(context, "_tracker_any_fixed_boxes", None)
    if known is None or known[0] is not pages:
        known = (pages, any(map(_fixed_boxes, pages)))
        context._tracker_any_fixed_boxes = known
    return bool(known[1])


def _last_page_before(context: Any, store: dict[int, Any], page: int) -> int | None:
    """The largest page number below `page` (and above 0) among `store`'s keys, if any.

    The keys are kept sorted per store, on the layout context (so for one document), and sorted
    again only when the store has gained keys (named strings and running elements are only ever
    added; a running element removed leaves its page's list).
    """
    known_stores = context.__dict__.setdefault("_tracker_sorted_keys", {})
    known = known_stores.get(id(store))
    if known is None or known[0] is not store or known[1] != len(store):
        known = known_stores[id(store)] = (store, len(store), sorted(store))  # holds store: ids stay its
    keys = known[2]
    index = bisect.bisect_left(keys, page) - 1
    return keys[index] if index >= 0 and keys[index] > 0 else None


def _page_references(pdf: Any, build: Callable[[], tuple[bytes, ...]]) -> tuple[bytes, ...]:
    """The PDF's page references, built again only when pages have been added since."""
    kids = pdf.pages["Kids"]
    known = getattr(pdf, "_tracker_page_references", None)
    if known is None or known[0] is not kids or known[1] != len(kids):
        known = (kids, len(kids), build())
        pdf._tracker_page_references = known
    return known[2]


HELPERS = {
    "_tracker_page_entries": _page_entries,
    "_tracker_previous_pages": _previous_pages,
    "_tracker_any_fixed_boxes": _any_fixed_boxes,
    "_tracker_last_page_before": _last_page_before,
    "_tracker_page_references": _page_references,
}
