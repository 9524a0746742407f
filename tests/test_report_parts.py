"""The report's computations, each on its own: progress, charts, sentences, source numbering."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from tracker.model.records import Programme, Source
from tracker.report.content import charts
from tracker.report.content.citations import Citations
from tracker.report.content.progress import progress
from tracker.report.content.views import first_sentence

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("baseline, latest, target, direction, shown", [
    (0, 45, 100, "up", "45%"),
    (0, 100, 100, "up", "100%"),
    (0, 130, 100, "up", "130%"),
    (10, 5, 20, "up", "\u221250%"),  # moved away from the target
    (1000, 900, 600, "down", "25%"),  # less is better
    (1000, 1100, 600, "down", "\u221225%"),
    (1000, 500, 600, "down", "125%"),
    (0, None, 100, "up", "0%"),  # nothing reported since the baseline
    (50, 52, 50, "up", "100%"),  # baseline == target, still met
    (50, 49, 50, "up", "0%"),  # baseline == target, no longer met
    (50, 49, 50, "down", "100%"),
    (50, 51, 50, "down", "0%"),
    (50, 60, 40, "up", "100%"),  # target behind the baseline in the good direction: already met
    (50, 30, 40, "up", "0%"),
    (0, 0.4, 100, "up", "0%"),  # never "-0%"
    (0, -0.4, 100, "up", "0%"),
])
def test_progress(baseline: float, latest: float | None, target: float, direction: str, shown: str) -> None:
    assert progress(baseline, latest, target, direction).shown == shown


def test_progress_without_target_and_bar_limits() -> None:
    none = progress(5, 7, None, "up")
    assert none.percent is None and none.shown == "n/a" and "No target" in none.explanation
    assert progress(0, 130, 100).bar_width == "100.0%" and progress(10, 5, 20).bar_width == "0.0%"
    assert progress(50, 52, 50).explanation == "The baseline already met the target; the latest value still meets it."


def series(**changes: object) -> charts.Series:
    base = dict(title="Roads <built> & co", unit="km", baseline=(dt.date(2024, 1, 1), 0.0),
                observations=((dt.date(2024, 4, 1), 20.0), (dt.date(2024, 8, 1), 45.0)),
                target=(dt.date(2026, 1, 1), 100.0), as_of=dt.date(2024, 9, 30), colour="#1f4e79")
    base.update(changes)
    return charts.Series(**base)  # type: ignore[arg-type]


def test_indicator_chart_is_valid_svg_with_title_and_desc() -> None:
    svg = ET.fromstring(str(charts.indicator_chart(series(), "c1")))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == ("Chart of Roads <built> & co: baseline 0 km on 2024-01-01, "
                                            "latest 45 km on 2024-08-01, target 100 km by 2026-01-01.")
    assert svg.find(f"{SVG}desc").text == ("Values in km over time. Baseline 2024-01-01: 0; 2024-04-01: 20; "
                                           "2024-08-01: 45; Target 2026-01-01: 100. As of 2024-09-30.")
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Target 100", "Latest 45", "as of", "2024", "2025", "2026"} <= set(texts)
    assert len(list(svg.iter(f"{SVG}circle"))) == 2 and len(list(svg.iter(f"{SVG}rect"))) == 1


def test_indicator_chart_edge_cases_stay_valid() -> None:
    lone = charts.indicator_chart(series(observations=(), target=None, as_of=dt.date(2024, 1, 1)), "c2")
    negative = charts.indicator_chart(series(baseline=(dt.date(2024, 1, 1), -5.0), target=(dt.date(2025, 1, 1), -5.0)), "c3")
    for markup in (lone, negative):
        svg = ET.fromstring(str(markup))
        assert "nan" not in str(markup) and "inf" not in str(markup)
        assert svg.find(f"{SVG}title").text.startswith("Chart of Roads")
    assert "no value reported since the baseline, no target set" in str(lone)


def test_status_chart_labels_every_bar() -> None:
    svg = ET.fromstring(str(charts.status_chart(
        [charts.Bar("In progress", 3, "#1f5fa8", "#123456"), charts.Bar("Stalled", 0, "#a4262c", "#500000")],
        "s", "Chart of statuses")))
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["In progress", "3", "Stalled", "0"]
    assert svg.find(f"{SVG}desc").text == "In progress: 3; Stalled: 0."


def test_nice_ticks() -> None:
    assert charts.nice_ticks(0, 45) == [0, 10, 20, 30, 40, 50]
    assert charts.nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


@pytest.mark.parametrize("note, sentence", [
    ("Mixed evidence. The rest follows.", "Mixed evidence."),
    ("Rose to 29 (MOFCOM, 7 Sept. 2023). Then more.", "Rose to 29 (MOFCOM, 7 Sept. 2023)."),
    ("No full stop here", "No full stop here"),
    ("e.g. this is one. Two.", "e.g. this is one."),
    ("word " * 100, ("word " * 47).strip() + "\u2026"),
])
def test_first_sentence(note: str, sentence: str) -> None:
    assert first_sentence(note) == sentence


def test_sources_are_numbered_in_order_of_first_citation() -> None:
    programme = Programme(id="p", title="P", priorities=(), sources=(
        Source("a", "A"), Source("b", "B", publisher="Pub", date="2024", url="https://example.org/b", kind="reprint"),
        Source("c", "C")))
    cite = Citations(programme)
    assert cite.cite(["b"]) == (1,)
    assert cite.cite(["https://example.org/x", "b", None]) == (1, 2)
    assert cite.cite(["a", "b"]) == (1, 3)
    listing = cite.listing()
    assert [(c.number, c.ref, c.kind) for c in listing] == [
        (1, "b", "reprint or mirror"), (2, "https://example.org/x", "not stated"), (3, "a", "other")]
    assert [s.id for s in cite.uncited()] == ["c"]
