"""Three of WeasyPrint's per-page layout steps made independent of the pages before them.

WeasyPrint 70 does three things for every page whose cost grows with the number of pages laid
out before it, so in a long report each page takes longer than the one before
(bench/README.md, "400 priorities"):

- `set_page_type_computed_styles` finds a page's margin-box styles by scanning every entry of
  the cascade, and once the elements' entries are dropped those are the entries of every page
  so far; here the page's own entries are looked up by the margin-box names of the `@page` rules;
- `make_page` gathers the anchors and lookups of all previous pages into lists, to look things
  up in them; here they are sets carried from one page to the next (rebuilt whenever the page
  made before was not the one before this);
- `layout_document` asks every page for the fixed boxes of all the other pages; here it first
  looks, once per document, whether any page has one (tracker's reports have none).

Each change is a few lines replaced in WeasyPrint's own source, which is compiled again in its
module; lines before and after keep their numbers. A function is changed only when its source
is the very code these lines were written against (fingerprinted), so any other version of
WeasyPrint runs as it is. Tests render the same bytes with and without.
"""
from __future__ import annotations

import hashlib
import inspect
import operator
from dataclasses import dataclass
from itertools import chain
from typing import Any, Callable, Iterable


@dataclass(frozen=True)
class Patch:
    module: str  # where the function lives
    function: str
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
)

_originals: dict[str, tuple[Any, Callable[..., Any]]] = {}  # function name -> (module, WeasyPrint's own)
_tried: list[bool] = []  # install() looks once per process


def fingerprint(function: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()


def install() -> list[str]:
    """Change each function whose source is the known code; return the names changed."""
    import importlib

    if _tried:
        return sorted(_originals)
    _tried.append(True)
    for patch in PATCHES:
        module = importlib.import_module(patch.module)
        original = getattr(module, patch.function, None)
        try:
            known = original is not None and fingerprint(original) == patch.fingerprint
        except (OSError, TypeError):  # no source to read
            known = False
        if known:
            _originals[patch.function] = (module, original)
            setattr(module, patch.function, _recompiled(original, patch))
    return sorted(_originals)


def uninstall() -> None:
    """Put WeasyPrint's own functions back (tests compare the bytes with and without)."""
    for name, (module, original) in list(_originals.items()):
        setattr(module, name, original)
        del _originals[name]
    _tried.clear()


def _recompiled(original: Callable[..., Any], patch: Patch) -> Callable[..., Any]:
    """`original` compiled again from its own source with `patch.old` replaced by `patch.new`."""
    source = inspect.getsource(original)
    assert source.count(patch.old) == 1 and patch.old.count("\n") == patch.new.count("\n"), patch.function
    module_globals = original.__globals__
    module_globals.update(HELPERS)
    padded = "\n" * (original.__code__.co_firstlineno - 1) + source.replace(patch.old, patch.new)
    code = compile(padded, inspect.getsourcefile(original) or patch.module, "exec")
    namespace: dict[str, Any] = {}
    exec(code, module_globals, namespace)  # noqa: S102 - WeasyPrint's own code, fingerprinted
    replacement: Callable[..., Any] = namespace[original.__name__]
    replacement.__doc__ = original.__doc__
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


HELPERS = {
    "_tracker_page_entries": _page_entries,
    "_tracker_previous_pages": _previous_pages,
    "_tracker_any_fixed_boxes": _any_fixed_boxes,
}
