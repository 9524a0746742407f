"""The Digital Silk Road programme shipped in policies/ and inside the package."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tracker.edit.scaffold import default_programme
from tracker.model.workspace import Workspace

PRIORITIES = ["cooperation-initiatives", "digital-infrastructure", "data-governance", "digital-talent"]


@pytest.fixture(scope="module")
def programme():
    return Workspace.at(REPO).programme("digital-silk-road")


def test_default_programme_is_valid_and_has_the_four_priorities(programme) -> None:
    assert [p.id for p in programme.priorities] == PRIORITIES


def test_baselines_come_from_the_2023_article(programme) -> None:
    baselines = {i.baseline.value: i for p in programme.priorities for i in p.indicators
                 if i.baseline.date.isoformat() == "2023-02-14"}
    assert {17, 23, 34} <= set(baselines)
    for indicator in baselines.values():
        source = programme.source(indicator.baseline.source)
        assert source is not None and source.date == "2023-02-14"


def test_every_status_and_figure_is_traceable_to_a_source(programme) -> None:
    for priority in programme.priorities:
        assert priority.history, priority.id
        for entry in priority.history:
            assert entry.sources and entry.note, (priority.id, entry.date)
        for indicator in priority.indicators:
            assert indicator.baseline.source
            assert all(o.source for o in indicator.observations)
        for milestone in priority.milestones:
            assert milestone.done is None or milestone.sources, milestone.id


def test_every_source_is_dated(programme) -> None:
    """A reader weighs a figure by its date: every registered source has one (to the month or year
    when that is all that is known, with a comment in the file saying how it was found)."""
    assert [s.id for s in programme.sources if not s.date] == []
    assert programme.source("ndrc-imsilkroad-dsr-mous").date == "2019-04"


def test_packaged_copy_is_the_policies_file() -> None:
    assert default_programme() == (REPO / "policies" / "digital-silk-road.yaml").read_bytes()


def test_default_report_pdf_holds_the_priorities_and_statuses(tmp_path: Path, programme) -> None:
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    result = run("report", "digital-silk-road", "--as-of", "2026-11-29", "--format", "pdf", root=tmp_path)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "reports" / "digital-silk-road" / "digital-silk-road-2026-11-29.pdf"
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    import datetime as dt

    titles = [" ".join(p.title.split()) for p in programme.priorities]
    starts = [text.rindex(title) for title in titles]  # the last mention: the priority's own section
    assert starts == sorted(starts)
    for i, priority in enumerate(programme.priorities):
        section = text[starts[i]: starts[i + 1] if i + 1 < len(starts) else len(text)]
        label = programme.status(priority.latest_entry(dt.date(2026, 11, 29)).status).label
        assert label in section, (priority.id, label)
