"""Layout that holds for any text: in the PDF, every word of a report full of text that does not
wrap by itself (tests/data/long-text.yaml) lies inside the page's margins, and nothing is cut.
(The HTML at 360 pixels: tests/test_report_a11y.py.)"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run

DATA = Path(__file__).parent / "data" / "long-text.yaml"
MM = 72 / 25.4  # points per millimetre
SIDE_MARGIN = 18 * MM  # report-print.css: @page margin 22mm 18mm 20mm 18mm


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long")
    (root / "policies").mkdir()
    shutil.copy(DATA, root / "policies" / "long-text.yaml")
    result = run("report", "--as-of", "2024-06-30", "--format", "pdf", root=root)
    assert result.exit_code == 0, result.output
    return root / "reports" / "long-text" / "long-text-2024-06-30.pdf"


def words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, width of the page, xMin, xMax, text) of every word, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page)[1])
        for x_min, x_max, text in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
                                             r'yMax="[\d.]+">(.*?)</word>', page):
            out.append((number, width, float(x_min), float(x_max), text))
    return out


def test_every_word_lies_inside_the_margins(pdf: Path) -> None:
    found = words(pdf)
    assert len(found) > 500
    outside = [(page, text[:30], round(x_min), round(x_max)) for page, width, x_min, x_max, text in found
               if x_min < SIDE_MARGIN - 1 or x_max > width - SIDE_MARGIN + 1]
    assert outside == []


def test_nothing_is_cut(pdf: Path) -> None:
    """The long pieces are all there, wrapped: joined again, the text holds each whole."""
    text = "".join(word for *_, word in words(pdf)).replace("&amp;", "&")
    data = DATA.read_text("utf-8")
    url = re.search(r'url: "([^"]+)"', data)[1]
    assert len(url) == 160 and url in text
    assert "Z" * 400 in text
    assert ("Supercalifragilistic" * 6) in text
    assert "km" + "x" * 150 in text
