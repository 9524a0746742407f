"""An edition is what its manifest says it is: the bytes it was rendered from are the bytes recorded,
and `tracker distribute` attaches a PDF made from the data its message describes."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL
from tests.distribute_support import AS_OF, WATER, AIR, copy_editions, parse, rendered_editions, write_settings
from tests.distribute_support import write_workspace
from tests.report_demo import pdf_text
from tracker.cli import cli
from tracker.model.workspace import Workspace
from tracker.report import build
from tracker.report.run import manifest, pipeline, stage

DAY = dt.date(2024, 6, 30)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("moment", ["after loading", "while rendering"])
def test_a_file_changed_during_a_run_is_not_recorded_as_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  moment: str) -> None:
    """The race of `tracker report` with `tracker update`: the file changes between the moment it
    is parsed and the moment the manifest is written. The manifest records the bytes rendered."""
    (tmp_path / "policies").mkdir()
    path = tmp_path / "policies" / "demo.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    old = path.read_bytes()
    new = MINIMAL.replace("note: Budget cut.", "note: Budget restored.").encode("utf-8")
    ws = Workspace.at(tmp_path)

    def change_the_file() -> None:
        path.write_bytes(new)

    if moment == "after loading":
        load_all = Workspace.load_all

        def load_then_change(self: Workspace, *args: object) -> object:
            loaded = load_all(self, *args)  # type: ignore[arg-type]
            change_the_file()
            return loaded

        monkeypatch.setattr(Workspace, "load_all", load_then_change)
    else:
        render = stage.render_edition

        def change_then_render(*args: object, **kwargs: object) -> dict[str, bytes]:
            change_the_file()
            return render(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(stage, "render_edition", change_then_render)
    outcome = build(ws, DAY, ("html",), ws.reports)
    monkeypatch.undo()
    assert path.read_bytes() == new
    html = (ws.reports / "demo" / "demo-2024-06-30.html").read_text("utf-8")
    assert "Budget cut." in html and "Budget restored." not in html
    recorded = json.loads(manifest.manifest_path(ws.reports, "demo", DAY).read_bytes())
    assert recorded["inputs"]["programme"]["sha256"] == sha256(old) != sha256(new)
    assert recorded["outputs"]["html"]["sha256"] == sha256(html.encode("utf-8"))
    assert outcome.written
    # So the next run sees the edition is not up to date with the file, and renders it again.
    again = build(ws, DAY, ("html",), ws.reports)
    assert again.written == outcome.written and again.up_to_date == []
    assert "Budget restored." in (ws.reports / "demo" / "demo-2024-06-30.html").read_text("utf-8")


def test_the_pipeline_fingerprints_the_bytes_it_parsed(tmp_path: Path) -> None:
    """No step of a run reads the programme file again: every fingerprint is of `origin.raw`."""
    (tmp_path / "policies").mkdir()
    path = tmp_path / "policies" / "demo.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    ws = Workspace.at(tmp_path)
    programmes = ws.load_all()
    path.unlink()  # a run that read the file again would fail or fingerprint something else
    outcome, todo = pipeline.plan(ws, programmes, DAY, ("html",), ws.reports, pipeline.RenderOptions(), False)
    (planned,) = todo
    assert planned.record["programme"]["sha256"] == sha256(MINIMAL.encode("utf-8"))


# --- distribute ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_editions(tmp_path_factory)


def distribute(root: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--root", str(root), "distribute", *args], catch_exceptions=False)


def test_a_back_dated_update_renders_the_edition_again_before_it_is_sent(tmp_path: Path, rendered: Path) -> None:
    root = write_workspace(tmp_path / "ws", {"water-plan": WATER, "air-plan": AIR})
    copy_editions(rendered, root)
    write_settings(root, {"host": "mail.example.org"}, {"water-plan": [{"address": "ada@example.org"}]})
    pdf = root / "reports" / "water-plan" / "water-plan-2024-06-30.pdf"
    rendered_before = pdf.read_bytes()
    # Unchanged data: the edition on disk is the one sent, nothing is rendered.
    result = distribute(root, "--as-of", "2024-06-30", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "rendered" not in result.stderr
    assert pdf.read_bytes() == rendered_before
    # A back-dated entry changes the data as of 2024-06-30 after the edition was rendered.
    update = CliRunner().invoke(cli, ["--root", str(root), "update", "water-plan/meters", "--status", "at_risk",
                                      "--note", "Supplier went bankrupt", "--date", "2024-06-01"],
                                catch_exceptions=False)
    assert update.exit_code == 0, update.output
    for eml in (root / "reports" / "outbox").glob("*.eml"):
        eml.unlink()
    result = distribute(root, "--as-of", "2024-06-30", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "rendered reports/water-plan/water-plan-2024-06-30.pdf" in result.stderr
    (eml,) = (root / "reports" / "outbox").glob("*.eml")
    message = parse(eml.read_bytes())
    body = message.get_body(("plain",)).get_content()
    assert "At risk: 2" in body and "Supplier went bankrupt" not in rendered_before.decode("latin-1")
    (attachment,) = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    attached = attachment.get_payload(decode=True)
    assert attached == pdf.read_bytes() != rendered_before
    copy = tmp_path / "attached.pdf"
    copy.write_bytes(attached)
    text = pdf_text(copy)
    assert "Supplier went bankrupt" in text
    recorded = json.loads((root / "reports" / "water-plan" / ".water-plan-2024-06-30.inputs.json").read_bytes())
    assert recorded["inputs"]["programme"]["sha256"] == sha256((root / "policies" / "water-plan.yaml").read_bytes())
    assert recorded["outputs"]["pdf"]["sha256"] == sha256(attached)


def test_every_file_of_tracker_is_an_input_of_every_edition() -> None:
    """The code fingerprint covers the whole package: templates, stylesheets and model included, so
    a changed report.css renders the editions again (it once covered tracker/report/ alone)."""
    import tracker

    package = Path(tracker.__file__).resolve().parent
    assert manifest.PACKAGE == package
    for part in ("templates/report.css", "templates/report-print.css", "model/fields.py", "report/run/stage.py"):
        assert (manifest.PACKAGE / part).is_file(), part
