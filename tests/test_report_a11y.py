"""WCAG 2.1 AA: the HTML edition through axe-core in headless Chromium, on a desktop and a phone.

Needs Node.js, the npm packages of package.json (axe-core, playwright-core) and Debian's
Chromium: `make test` installs all three, so a missing one fails here instead of skipping.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.report_demo import AS_OF, PREVIOUS, make_workspace
from tests.test_corrections import FIX
from tests.trust_support import HARBOUR, workspace
from tracker.model.statuses import DEFAULT_STATUSES
from tracker.report.content import colours


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    pytest.fail("Chromium not found: run `make test` (scripts/system-deps.sh test installs it)")


def axe(*files: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node.js not found: run `make test` (scripts/system-deps.sh test installs it)"
    assert (REPO / "node_modules" / "axe-core").is_dir() and (REPO / "node_modules" / "playwright-core").is_dir(), \
        "axe-core and playwright-core missing: run `make test` (it runs npm ci)"
    done = subprocess.run([node, str(REPO / "tests" / "axe_check.js"), chromium(), *map(str, files)],
                          capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The demo edition with a previous one, the archive page, a first edition, the edge cases, and the default programme."""
    root = make_workspace(tmp_path_factory.mktemp("a11y"))
    assert run("report", "--as-of", PREVIOUS, "--format", "html", root=root).exit_code == 0
    assert run("report", "--as-of", AS_OF, "--format", "html", root=root).exit_code == 0
    files = [root / "reports" / "demo" / f"demo-{PREVIOUS}.html", root / "reports" / "demo" / f"demo-{AS_OF}.html"]
    assert run("publish", root=root).exit_code == 0  # the archive page of `tracker publish`
    files.append(root / "reports" / "index.html")
    edge = tmp_path_factory.mktemp("edge")
    (edge / "policies").mkdir()
    shutil.copy(Path(__file__).parent / "data" / "report-edge.yaml", edge / "policies" / "edge.yaml")
    assert run("report", "--as-of", "2024-06-30", "--format", "html", root=edge).exit_code == 0
    files.append(edge / "reports" / "edge" / "edge-2024-06-30.html")
    trust = workspace(tmp_path_factory.mktemp("trust"), HARBOUR.replace("method_version", "review: required\nmethod_version"))
    for args in (FIX, ("update", "harbour/quay", "--status", "at_risk", "--note", "Cracks.", "--date", "2025-05-01",
                       "--by", "alice")):  # a correction, and a draft shown by the preview
        assert run(*args, root=trust).exit_code == 0
    assert run("approve", "harbour", "--entry", "2025-04-01", "--by", "bob", "--date", "2025-04-02",
               root=trust).exit_code == 0
    assert run("report", "--as-of", "2025-03-31", "--format", "html", root=trust).exit_code == 0
    assert run("report", "--as-of", "2025-06-01", "--format", "html", "--drafts", root=trust).exit_code == 0
    files.append(trust / "reports" / "harbour" / "drafts" / "harbour-2025-06-01.html")
    default = REPO / "policies" / "digital-silk-road.yaml"
    if default.is_file():
        other = tmp_path_factory.mktemp("dsr")
        (other / "policies").mkdir()
        shutil.copy(default, other / "policies")
        shutil.copy(default.with_suffix(".zh-Hans.po"), other / "policies")
        assert run("report", "--as-of", "2025-11-30", "--format", "html", root=other).exit_code == 0
        files.append(other / "reports" / "digital-silk-road" / "digital-silk-road-2025-11-30.html")
        files.append(other / "reports" / "digital-silk-road" / "digital-silk-road-2025-11-30.zh-Hans.html")
    scripts = tmp_path_factory.mktemp("scripts")
    (scripts / "policies").mkdir()
    shutil.copy(Path(__file__).parent / "data" / "scripts.yaml", scripts / "policies")
    assert run("report", "--as-of", "2024-01-01", "--format", "html", root=scripts).exit_code == 0
    files.append(scripts / "reports" / "scripts" / "scripts-2024-01-01.html")
    return files


def test_axe_finds_no_violation(pages: list[Path]) -> None:
    report = axe(*pages)
    assert set(report) == {str(p) for p in pages}
    problems = {f"{Path(file).name} ({view})": found for file, views in report.items()
                for view, found in views.items() if found}
    assert problems == {}


def nu_checker(*files: Path) -> list[dict]:
    """The W3C Nu HTML Checker's messages on `files` (vnu-jar, run with the machine's Java)."""
    java = shutil.which("java")
    jar = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert java and jar.is_file(), "Java or vnu-jar not found: run `make test`"
    done = subprocess.run([java, "-jar", str(jar), "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    return json.loads(done.stderr or "{}").get("messages", [])


def test_nu_html_checker_finds_no_error(pages: list[Path]) -> None:
    """Every page valid HTML, in every language. CSS messages are left out: the stylesheet's
    print rules (WeasyPrint's @page margin boxes, leader(), string-set) are not CSS the checker
    knows; they leave the HTML when the print CSS moves to a file of its own."""
    messages = nu_checker(*pages)
    errors = [m for m in messages if m.get("type") == "error" and not m.get("message", "").startswith("CSS:")]
    assert errors == [], errors


def test_nu_html_checker_does_catch_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="zh-Hans"><head><title>t</title></head><body><p dir="sideways">x</p></body></html>')
    assert [m for m in nu_checker(bad) if m.get("type") == "error"]


def test_axe_check_does_catch_violations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="data:image/gif;base64,'
                   'R0lGODlhAQABAAAAACw="><p style="color:#bbb;background:#fff">faint</p></main></body></html>')
    found = {v["id"] for v in axe(bad)[str(bad)]["desktop"]}
    assert {"image-alt", "html-has-lang", "color-contrast"} <= found


@pytest.mark.parametrize("background", [s.colour for s in DEFAULT_STATUSES] + ["#ffff00", "#777777", "#e0a800"])
def test_badge_text_passes_aa_on_any_status_colour(background: str) -> None:
    assert colours.contrast(colours.text_on(background), background) >= 4.5


@pytest.mark.parametrize("accent", ["#ffff00", "#e0a800", "#1f4e79", "#ffffff"])
def test_accent_is_darkened_for_text(accent: str) -> None:
    assert colours.contrast(colours.darken_to(accent), "#ffffff") >= 4.5
