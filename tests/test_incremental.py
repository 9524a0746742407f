"""Incremental rendering: an edition whose inputs have not changed is not rendered again."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.batch_support import AS_OF, make_workspace, programme_text, run, run_process, stamps
from tracker.model.workspace import Workspace
from tracker.report import RenderOptions
from tracker.report.run import manifest as inputs
from tracker.report.run import pipeline as batch
from tracker.report.run import stage as report

# Started by every fresh interpreter (the server that forks an edition's process among them):
# it records each programme rendered and each file parsed, in whichever process that happens.
COUNTING = '''
import os

if os.environ.get("TRACKER_TEST_COUNT"):
    import tracker.report.run.stage as report
    from tracker.model.workspace import Workspace

    def _note(line):
        with open(os.environ["TRACKER_TEST_COUNT"], "a", encoding="utf-8") as log:
            log.write(line + "\\n")

    _render, _load = report.render_edition, Workspace.load_file

    def render_edition(ws, programme, *args, **kwargs):
        _note(programme.id)
        return _render(ws, programme, *args, **kwargs)

    def load_file(self, path):
        _note(f"parsed {path.name}")
        return _load(self, path)

    report.render_edition = render_edition
    Workspace.load_file = load_file
'''


class Counted:
    """The programmes rendered and files parsed (`parsed NAME`) since the last `clear()`, in this
    process and in the processes it started, in the order each process noted them."""

    def __init__(self, log: Path, here: list[str]) -> None:
        self.log, self.here = log, here

    def calls(self) -> list[str]:
        return self.here + (self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else [])

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.calls())

    def __eq__(self, other: object) -> bool:
        return self.calls() == other

    def __repr__(self) -> str:
        return repr(self.calls())

    def clear(self) -> None:
        self.here.clear()
        self.log.unlink(missing_ok=True)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Counted:
    """What was rendered and parsed, wherever: patched here, and by a sitecustomize elsewhere."""
    calls: list[str] = []
    render = report.render_edition
    load = Workspace.load_file

    def counting_render(ws, programme, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(programme.id)
        return render(ws, programme, *args, **kwargs)

    def counting_load(self, path):  # type: ignore[no-untyped-def]
        calls.append(f"parsed {path.name}")
        return load(self, path)

    monkeypatch.setattr(report, "render_edition", counting_render)
    monkeypatch.setattr(Workspace, "load_file", counting_load)
    hooks = tmp_path / "count-hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(COUNTING)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("TRACKER_TEST_COUNT", str(tmp_path / "counted.log"))
    return Counted(tmp_path / "counted.log", calls)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two programmes with both formats rendered once (the only PDFs of this module)."""
    root = make_workspace(tmp_path_factory.mktemp("incremental"), ("alpha", "beta"))
    result = run(root)
    assert result.exit_code == 0, result.output
    return root


def copy_of(rendered: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(rendered, root)
    return root


def test_first_run_records_inputs_and_output_hashes_beside_each_edition(rendered: Path) -> None:
    manifest = rendered / "reports" / "alpha" / f".alpha-{AS_OF}.inputs.json"
    data = json.loads(manifest.read_text())
    assert data["inputs"]["programme"]["file"] == "policies/alpha.yaml"
    assert data["inputs"]["as_of"] == AS_OF.isoformat()
    assert data["inputs"]["formats"] == ["html", "pdf"]
    assert set(data["outputs"]) == {"html", "pdf"}
    pdf = rendered / "reports" / "alpha" / f"alpha-{AS_OF}.pdf"
    assert data["outputs"]["pdf"]["sha256"] == inputs.sha256_file(pdf)


def edition_files(root: Path, *ids: str, formats: tuple[str, ...] = ("html", "pdf")) -> list[str]:
    return [str(root / "reports" / pid / f"{pid}-{AS_OF}.{fmt}") for pid in ids for fmt in formats]


def test_second_run_renders_and_parses_nothing_and_still_prints_the_paths(rendered: Path, tmp_path: Path,
                                                                          counted: Counted) -> None:
    root = copy_of(rendered, tmp_path)
    before = stamps(root / "reports")
    result = run_process(root)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == edition_files(root, "alpha", "beta")  # scripts still find them
    assert result.stderr == ""  # stderr is not a terminal here: quiet
    assert counted == []  # no file parsed, no edition rendered
    assert stamps(root / "reports") == before  # same inodes, same mtimes: nothing rewritten


def test_changing_one_programme_renders_exactly_that_one(rendered: Path, tmp_path: Path, counted: Counted) -> None:
    root = copy_of(rendered, tmp_path)
    before = stamps(root / "reports")
    (root / "policies" / "beta.yaml").write_text(programme_text("beta", km=99), encoding="utf-8")
    result = run_process(root)
    assert result.exit_code == 0, result.output
    assert [c for c in counted if not c.startswith("parsed")] == ["beta"]
    assert result.stdout.splitlines() == edition_files(root, "alpha", "beta")
    after = stamps(root / "reports")
    alpha = [name for name in before if name.startswith("alpha/")]
    assert alpha and all(after[name] == before[name] for name in alpha)
    assert after[f"beta/beta-{AS_OF}.html"] != before[f"beta/beta-{AS_OF}.html"]
    assert "99 km" in (root / "reports" / "beta" / f"beta-{AS_OF}.html").read_text()


def test_force_renders_every_edition_again(rendered: Path, tmp_path: Path, counted: Counted) -> None:
    root = copy_of(rendered, tmp_path)
    before = stamps(root / "reports")
    result = run_process(root, "--force", "--format", "html")
    assert result.exit_code == 0
    assert [c for c in counted if not c.startswith("parsed")] == ["alpha", "beta"]
    assert len(result.stdout.splitlines()) == 2
    after = stamps(root / "reports")
    html = f"alpha/alpha-{AS_OF}.html"
    assert after[html][0] != before[html][0] and after[html][2] == before[html][2]  # rewritten, same bytes


def test_a_deleted_or_edited_output_is_rendered_again(rendered: Path, tmp_path: Path, counted: Counted) -> None:
    root = copy_of(rendered, tmp_path)
    (root / "reports" / "alpha" / f"alpha-{AS_OF}.pdf").unlink()
    html = root / "reports" / "beta" / f"beta-{AS_OF}.html"
    html.write_text(html.read_text() + "<!-- edited by hand -->")
    result = run_process(root, "--format", "all")
    assert result.exit_code == 0
    assert sorted(c for c in counted if not c.startswith("parsed")) == ["alpha", "beta"]
    assert "edited by hand" not in html.read_text()


def test_a_damaged_manifest_means_render_again_not_a_crash(rendered: Path, tmp_path: Path, counted: Counted) -> None:
    root = copy_of(rendered, tmp_path)
    (root / "reports" / "alpha" / f".alpha-{AS_OF}.inputs.json").write_text("{not json")
    (root / "reports" / "beta" / f".beta-{AS_OF}.inputs.json").write_text('{"manifest": 1, "inputs": []}')
    result = run_process(root)
    assert result.exit_code == 0, result.output
    assert sorted(c for c in counted if not c.startswith("parsed")) == ["alpha", "beta"]
    counted.clear()
    assert run_process(root).exit_code == 0
    assert counted == []


def test_a_new_invalid_file_is_still_reported_when_everything_else_is_current(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path)
    (root / "policies" / "broken.yaml").write_text("id: broken\ntitle: Broken\npriorities: 3\n")
    result = run(root)
    assert result.exit_code == 1
    assert result.stderr.strip() == "policies/broken.yaml:3:13: priorities: expected a list but got 3"
    assert "Traceback" not in result.output


def test_an_unknown_programme_id_is_still_an_error_when_everything_is_current(rendered: Path, tmp_path: Path) -> None:
    root = copy_of(rendered, tmp_path)
    result = run(root, "alpah")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: unknown programme 'alpah'; did you mean 'alpha'?"


def test_naming_a_current_programme_renders_nothing(rendered: Path, tmp_path: Path, counted: Counted) -> None:
    root = copy_of(rendered, tmp_path)
    assert run_process(root, "beta").stdout.splitlines() == edition_files(root, "beta")
    assert counted == []
    result = run_process(root, "beta", "--format", "pdf")  # another set of formats: rendered once...
    assert result.exit_code == 0
    assert result.stdout.splitlines() == edition_files(root, "beta", formats=("pdf",))
    assert [c for c in counted if not c.startswith("parsed")] == ["beta"]
    counted.clear()
    assert run_process(root, "beta", "--format", "pdf").stdout.splitlines() == edition_files(root, "beta", formats=("pdf",))
    assert counted == []  # ...and then current, without parsing any file


# --- each input of an edition, changed alone, renders it again (HTML only: fast) ---

def html_workspace(tmp_path: Path) -> tuple[Workspace, list]:
    root = make_workspace(tmp_path / "ws", ("alpha",))
    ws = Workspace.at(root)
    return ws, ws.load_all()


def render(ws: Workspace, programmes: list, as_of: dt.date = AS_OF, options: RenderOptions = RenderOptions(),
           formats: tuple[str, ...] = ("html",)) -> batch.Outcome:
    return batch.build(ws, as_of, formats, ws.reports, options, programmes=programmes)


def test_every_input_change_renders_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, programmes = html_workspace(tmp_path)
    html = ws.reports / "alpha" / f"alpha-{AS_OF}.html"
    assert render(ws, programmes).written == [html]
    assert render(ws, programmes).written == [] and render(ws, programmes).up_to_date == [html]

    # options: each field of RenderOptions is an input
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "extra.html").write_text("<p>one</p>")
    with_dir = RenderOptions(template_dir=templates)
    assert render(ws, programmes, options=with_dir).written == [html]
    assert render(ws, programmes, options=with_dir).written == []
    (templates / "extra.html").write_text("<p>two</p>")  # a template's bytes
    assert render(ws, programmes, options=with_dir).written == [html]
    assert render(ws, programmes, options=RenderOptions(pdf_variant="pdf/ua-1")).written == [html]
    assert render(ws, programmes, options=RenderOptions(since=dt.date(2024, 1, 1))).written == [html]
    assert render(ws, programmes).written == [html]
    assert render(ws, programmes).written == []

    # formats asked for
    assert render(ws, programmes, formats=("html", "pdf")).written[0] == html
    assert render(ws, programmes).written == [html]

    # the previous edition the "what changed" section compares with
    earlier = dt.date(2024, 3, 31)
    assert render(ws, programmes, as_of=earlier).written == [ws.reports / "alpha" / f"alpha-{earlier}.html"]
    assert render(ws, programmes).written == [html]
    assert render(ws, programmes).written == []

    # tracker's version and code
    monkeypatch.setattr(inputs, "__version__", "99.0")
    assert render(ws, programmes).written == [html]
    monkeypatch.setattr(inputs, "code_fingerprint", lambda: "changed code")
    assert render(ws, programmes).written == [html]
    monkeypatch.setattr(inputs, "library_versions", lambda: {"weasyprint": "999"})
    assert render(ws, programmes).written == [html]
    # a font or system library upgraded (tracker/sysdeps.py): no --force needed
    monkeypatch.setattr(inputs, "system_versions", lambda: {"fonts-noto-core": "99"})
    assert render(ws, programmes).written == [html]
    assert render(ws, programmes).written == []


def test_a_referenced_logo_is_an_input(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", ())
    (root / "assets").mkdir()
    (root / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "policies" / "alpha.yaml").write_text("logo: assets/logo.svg\n" + programme_text("alpha"))
    ws = Workspace.at(root)
    programmes = ws.load_all()
    assert render(ws, programmes).written
    assert render(ws, programmes).written == []
    (root / "assets" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2"/>')
    assert render(ws, programmes).written
    assert render(ws, programmes).written == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_git_revision_of_the_programme_file_is_an_input(tmp_path: Path) -> None:
    ws, programmes = html_workspace(tmp_path)
    programme_file = ws.root / "policies" / "alpha.yaml"
    original = programme_file.read_text()

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(ws.root), "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
                       check=True, capture_output=True)

    git("init", "-q")
    assert render(ws, programmes).written  # first edition: the file is not committed yet
    git("add", "policies")
    git("commit", "-q", "-m", "first")
    assert render(ws, programmes).written  # same bytes, but now a committed revision on the cover
    assert render(ws, programmes).written == []
    (ws.root / "notes.txt").write_text("not a programme")
    git("add", "notes.txt")
    git("commit", "-q", "-m", "elsewhere")
    assert render(ws, programmes).written == []  # a commit that does not touch the file changes nothing
    programme_file.write_text(original.replace("Tender published.", "Tender out."))
    git("commit", "-q", "-am", "edit")
    programme_file.write_text(original)
    git("commit", "-q", "-am", "revert")
    assert render(ws, programmes).written  # the same bytes as before, at another revision
