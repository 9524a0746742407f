"""pagination.py: WeasyPrint's per-page steps made independent of length give the very same bytes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Iterator

import pypdf
import pytest
import weasyprint
from weasyprint import layout as weasy_layout
from weasyprint.layout import page as weasy_page

from tests.report_demo import AS_OF, make_workspace
from tracker.report import pagination, render_programme
from tracker.workspace import Workspace

NAMES = ["layout_document", "make_page", "set_page_type_computed_styles"]

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
    assert weasyprint.__version__ == "70.0", "read pagination.py's changes against this version's code"
    assert replaced == NAMES
    for function in (weasy_page.make_page, weasy_page.set_page_type_computed_styles, weasy_layout.layout_document):
        assert "_tracker_" in " ".join(function.__code__.co_names), function.__name__
        assert function.__code__.co_filename == weasy_page.make_all_pages.__code__.co_filename or \
            function.__code__.co_filename == weasy_layout.layout_fixed_boxes.__code__.co_filename


def test_line_numbers_stay_weasyprints(replaced: list[str]) -> None:
    import dis

    pagination.uninstall()
    lines = {f.__name__: {i.positions.lineno for i in dis.get_instructions(f)} - {None} for f in
             (weasy_page.make_page, weasy_layout.layout_document)}
    pagination.install()
    for function in (weasy_page.make_page, weasy_layout.layout_document):
        after = {i.positions.lineno for i in dis.get_instructions(function)} - {None}
        assert max(after) == max(lines[function.__name__]) and min(after) == min(lines[function.__name__])


def test_uninstalled_weasyprint_is_its_own_again(replaced: list[str]) -> None:
    pagination.uninstall()
    for patch in pagination.PATCHES:
        module = weasy_page if patch.module.endswith("page") else weasy_layout
        assert pagination.fingerprint(getattr(module, patch.function)) == patch.fingerprint


def test_other_code_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    pagination.uninstall()
    changed = [patch if patch.function != "make_page" else dataclasses.replace(patch, fingerprint="0" * 64)
               for patch in pagination.PATCHES]  # as if WeasyPrint's make_page had changed
    monkeypatch.setattr(pagination, "PATCHES", tuple(changed))
    original = weasy_page.make_page
    try:
        assert pagination.install() == ["layout_document", "set_page_type_computed_styles"]
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
