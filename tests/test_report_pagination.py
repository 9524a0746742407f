"""pagination.py: WeasyPrint's per-page steps made independent of length give the very same bytes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import io
import sys
import types
from pathlib import Path
from typing import Iterator

import pydyf
import pypdf
import pytest
import weasyprint
from weasyprint import document as weasy_document
from weasyprint import layout as weasy_layout
from weasyprint.layout import page as weasy_page

from tests.report_demo import AS_OF, make_workspace
from tracker.report import pagination, render_programme
from tracker.workspace import Workspace

NAMES = ["LayoutContext.get_string_or_element_for", "PDF.page_references", "layout_document", "make_page",
         "set_page_type_computed_styles"]

# Everything the replaced steps touch: margin boxes on every side with page counters, first,
# left, right, blank and named pages, running strings, a contents list with target-counter,
# links and anchors on many pages, and (optionally) a fixed box that every page repeats.
PAGED = """<!doctype html><html lang="en"><head><style>
@page { size: A6; margin: 18mm 12mm;
  @top-left { content: string(part) } @top-right { content: "Page " counter(page) " of " counter(pages) }
  @bottom-center { content: counter(page) } }
@page :first { @top-left { content: none } }
@page :left { @bottom-left { content: "left" } }
@page :right { @bottom-right { content: "right" } }
@page :blank { @top-center { content: "intentionally blank" } }
@page wide { size: A6 landscape; @top-center { content: "wide " counter(page) } }
h2 { string-set: part content(); break-before: right }
.wide { page: wide }
.toc a::after { content: " p. " target-counter(attr(href), page) }
%s
</style></head><body>
%s
<ol class="toc">%s</ol>
%s
</body></html>"""


def paged_html(parts: int, fixed: bool) -> str:
    style = ".stamp { position: fixed; bottom: 0; right: 0; font-size: 6pt }" if fixed else ""
    stamp = '<div class="stamp">draft</div>' if fixed else ""
    toc = "".join(f'<li><a href="#part-{n}">Part {n}</a></li>' for n in range(parts))
    body = "".join(
        f'<section id="part-{n}" class="{"wide" if n % 3 == 2 else ""}"><h2>Part {n}</h2>'
        + "".join(f'<p id="p-{n}-{k}">Paragraph {k} of part {n}, which cites <a href="#part-{(n + 1) % parts}">'
                  f"the next part</a>. " + "Words to fill the line. " * 12 + "</p>" for k in range(6))
        + "</section>" for n in range(parts))
    return PAGED % (style, stamp, toc, body)


@pytest.fixture
def replaced() -> Iterator[list[str]]:
    pagination.uninstall()
    yield pagination.install()
    pagination.uninstall()


def render_both(html: str) -> tuple[bytes, bytes]:
    pagination.uninstall()
    original = weasyprint.HTML(string=html).write_pdf()
    assert pagination.install() == NAMES
    try:
        return original, weasyprint.HTML(string=html).write_pdf()
    finally:
        pagination.uninstall()


def test_installed_over_the_weasyprint_they_were_written_for(replaced: list[str]) -> None:
    assert (weasyprint.__version__, pydyf.__version__) == ("70.0", "0.13.0"), \
        "read pagination.py's changes against these versions' code"
    assert replaced == NAMES
    for patch in pagination.PATCHES:
        _, _, _, function = pagination._find(patch)
        assert "_tracker_" in " ".join(function.__code__.co_names), patch.function
        assert function.__qualname__ == patch.function
        assert function.__code__.co_filename == inspect.getsourcefile(sys.modules[patch.module])


def test_the_changed_functions_are_the_ones_weasyprint_calls(replaced: list[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert weasy_document.layout_document is weasy_layout.layout_document  # imported there by name
    calls: dict[str, int] = {}
    for name, helper in pagination.HELPERS.items():
        def counted(*args: object, _name: str = name, _helper: object = helper) -> object:
            calls[_name] = calls.get(_name, 0) + 1
            return _helper(*args)  # type: ignore[operator]
        for module in (weasy_page, weasy_layout, pydyf):
            if name in vars(module):
                monkeypatch.setitem(vars(module), name, counted)
    weasyprint.HTML(string=paged_html(3, fixed=False)).write_pdf()
    assert sorted(calls) == sorted(pagination.HELPERS) and min(calls.values()) > 1, calls


def test_line_numbers_stay_weasyprints(replaced: list[str]) -> None:
    def lines(code: types.CodeType) -> set[int]:  # of the function and the code nested in it
        nested = (lines(const) for const in code.co_consts if isinstance(const, types.CodeType))
        return {line for _, _, line in code.co_lines() if line is not None}.union(*nested)

    pagination.uninstall()
    before = {patch.function: pagination._find(patch)[3].__code__ for patch in pagination.PATCHES}
    pagination.install()
    for patch in pagination.PATCHES:
        after = pagination._find(patch)[3].__code__
        assert after.co_firstlineno == before[patch.function].co_firstlineno, patch.function
        assert max(lines(after)) == max(lines(before[patch.function])), patch.function


def test_uninstalled_weasyprint_is_its_own_again(replaced: list[str]) -> None:
    pagination.uninstall()
    for patch in pagination.PATCHES:
        assert pagination.fingerprint(pagination._find(patch)[3]) == patch.fingerprint
    assert weasy_document.layout_document is weasy_layout.layout_document
    assert "_tracker_" not in " ".join(weasy_document.layout_document.__code__.co_names)


def test_other_code_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    pagination.uninstall()
    changed = [patch if patch.function != "make_page" else dataclasses.replace(patch, fingerprint="0" * 64)
               for patch in pagination.PATCHES]  # as if WeasyPrint's make_page had changed
    monkeypatch.setattr(pagination, "PATCHES", tuple(changed))
    original = weasy_page.make_page
    try:
        assert pagination.install() == [name for name in NAMES if name != "make_page"]
        assert weasy_page.make_page is original
    finally:
        pagination.uninstall()


def test_carried_sets_are_what_the_lists_would_hold() -> None:
    class Context:
        pass

    states = [(None, None, None, None, {"anchors": [f"a{n}"], "content_lookups": [n]}) for n in range(6)]
    context = Context()
    anchors, lookups = pagination._previous_pages(context, states, 3)
    assert anchors.items == {"a0", "a1"} and lookups.items == {0, 1}
    anchors.append("a2")  # what make_page adds for page 3, recording it in page 3's state too
    lookups.append(2)
    carried, _ = pagination._previous_pages(context, states, 4)
    assert carried is anchors and carried.items == {"a0", "a1", "a2"}
    states[0][4]["anchors"] = []  # page 1 made again: the next call is not for the page after
    again, _ = pagination._previous_pages(context, states, 1)
    assert again.items == set()
    rebuilt, _ = pagination._previous_pages(context, states, 5)  # not the page after 1: rebuilt
    assert rebuilt.items == {"a1", "a2", "a3"} and "a0" not in rebuilt


def test_the_last_page_before_is_what_the_backward_search_finds() -> None:
    def searched(store: dict[int, list[str]], page: int) -> int | None:  # WeasyPrint's own loop
        return next((previous for previous in range(page - 1, 0, -1) if previous in store), None)

    class Context:
        pass

    context, store, other = Context(), {}, {5: ["another name's"]}
    for page in range(1, 12):
        assert pagination._last_page_before(context, store, page) == searched(store, page)
    for added in (7, 1, 4, 9):  # keys arrive in any order; the sorted copy follows
        store[added] = [f"set on {added}"]
        for page in range(0, 12):
            assert pagination._last_page_before(context, store, page) == searched(store, page), (added, page)
            assert pagination._last_page_before(context, other, page) == searched(other, page)
    assert pagination._last_page_before(context, {0: ["before the first page"]}, 3) is None


def test_page_references_follow_the_pages_added() -> None:
    pdf = pydyf.PDF()
    pagination.uninstall()
    pagination.install()
    try:
        for _ in range(3):
            pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
            assert pdf.page_references is pdf.page_references  # kept while no page is added
            assert len(pdf.page_references) == len(pdf.pages["Kids"]) // 3
        built = pdf.page_references
    finally:
        pagination.uninstall()
    assert built == pdf.page_references  # pydyf's own property, after uninstall


@pytest.mark.parametrize("fixed", [False, True], ids=["margin-boxes", "fixed-box-on-every-page"])
def test_the_same_bytes_with_and_without(fixed: bool) -> None:
    original, replaced = render_both(paged_html(7, fixed))
    assert original == replaced
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(original)).pages]
    assert len(pages) > 20  # every step below ran on many pages
    assert f"Page 3 of {len(pages)}" in pages[2] and any("Part 1 Page" in text for text in pages)
    assert any("intentionally blank" in text for text in pages) and any("wide" in text for text in pages)
    assert "p. " in pages[0]  # the contents' target-counters
    assert all(("draft" in text) == fixed for text in pages)


def test_the_same_report_bytes_with_and_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace.at(make_workspace(tmp_path / "ws"))
    programme = ws.load_all()[0]
    as_of = dt.date.fromisoformat(AS_OF)
    pagination.uninstall()
    with monkeypatch.context() as patched:
        patched.setattr(pagination, "install", lambda: [])  # rendering installs them otherwise
        original = render_programme(ws, programme, as_of, ("pdf",))["pdf"]
    try:
        assert pagination.install() == NAMES
        assert render_programme(ws, programme, as_of, ("pdf",))["pdf"] == original
    finally:
        pagination.uninstall()
