"""The HTML edition: self-contained, escaped, landmarks and headings; options and bad input."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO, run
from tests.report_demo import AS_OF, PREVIOUS, make_workspace


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    BLOCKS = {"p", "div", "dt", "dd", "li", "td", "th", "tr", "caption", "section", "article", "figcaption",
              "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "nav", "main", "table", "ul", "ol", "dl"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.BLOCKS:
            self.text.append(" ")  # a block starts on a new line, as a browser shows it

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def render_html(root: Path, *args: str) -> str:
    result = run("report", "--as-of", AS_OF, "--format", "html", *args, root=root)
    assert result.exit_code == 0, result.output
    out = Path(result.stdout.strip().splitlines()[-1])
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("html"))
    assert run("report", "--as-of", PREVIOUS, "--format", "html", root=root).exit_code == 0
    return root


@pytest.fixture(scope="module")
def page(demo: Path) -> tuple[str, Page]:
    html = render_html(demo)
    return html, Page(html)


def test_self_contained(page) -> None:
    html, parsed = page
    assert not parsed.all("script") and not parsed.all("link") and not parsed.all("iframe")
    assert all(img["src"].startswith("data:image/") for img in parsed.all("img"))
    assert parsed.all("img")[0]["src"].startswith("data:image/svg+xml;base64,")  # the logo, inlined
    for a in parsed.all("a"):
        assert a["href"].startswith(("#", "https://", "http://")), a
    assert "@import" not in html and not re.search(r"url\((?!data:)", html)
    assert "--accent: #e0a800;" in html  # the programme's accent colour


def test_yaml_text_is_escaped(page) -> None:
    html, parsed = page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Contractor &lt;img src=x onerror=alert(1)&gt; delays." in html
    assert not any("onerror" in attrs for _, attrs in parsed.tags)
    assert "<script>alert('x')</script> Contractor <img src=x onerror=alert(1)> delays." in parsed.words


def test_landmarks_and_headings(page) -> None:
    _, parsed = page
    names = [name for name, _ in parsed.tags]
    for landmark in ("header", "nav", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    assert names.index("header") < names.index("nav") < names.index("main") < names.index("footer")
    levels = [int(name[1]) for name in names if re.fullmatch(r"h[1-6]", name)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert parsed.all("html")[0]["lang"] == "en"
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in parsed.all("meta")
    ids = [attrs["id"] for _, attrs in parsed.tags if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_charts_have_alt_text_and_a_table(page) -> None:
    html, parsed = page
    charts = [attrs for attrs in parsed.all("svg")]
    assert len(charts) == 4  # the status chart and one per indicator
    ids = {attrs["id"] for _, attrs in parsed.tags if "id" in attrs}
    for svg in charts:
        assert svg["role"] == "img"
        assert all(ref in ids for ref in svg["aria-labelledby"].split())
    assert "<title id=\"chart-roads-km-title\">Chart of Kilometres of road built: baseline 0 km on 2024-01-01" in html
    assert html.count('<table class="points">') == 3
    assert "@media print" in html and "@media screen and (max-width: 40rem)" in html


def test_first_edition_says_so(tmp_path: Path) -> None:
    parsed = Page(render_html(make_workspace(tmp_path)))
    assert ("This is the first edition: there is no earlier edition to compare with. "
            "The sections below report everything recorded up to 2024-09-30.") in parsed.words
    assert "Compared with Nothing: this is the first edition." in parsed.words
    assert "★ new" in parsed.words


def test_previous_edition_is_found_in_the_output_folder(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    assert run("report", "--as-of", "2024-03-31", "--format", "html", "--out", str(out), root=demo).exit_code == 0
    result = run("report", "--as-of", AS_OF, "--format", "html", "--out", str(out), root=demo)
    words = Page((out / "demo" / f"demo-{AS_OF}.html").read_text()).words
    assert result.exit_code == 0 and "Changes recorded after 2024-03-31 (the previous edition)" in words


def test_since_option(demo: Path, tmp_path: Path) -> None:
    words = Page(render_html(demo, "--since", "2024-08-15", "--out", str(tmp_path))).words
    assert "Changes recorded after 2024-08-15 (the date chosen for this comparison) and up to 2024-09-30." in words
    assert "Cut transport emissions" in words and "No change recorded for: Cut transport emissions; " in words


@pytest.mark.parametrize("args, message", [
    (["--since", AS_OF], "Invalid value for '--since': 2024-09-30 is not before the as-of date 2024-09-30"),
    (["--since", "2024-13-01"], "expected a real date written YYYY-MM-DD but got '2024-13-01'"),
    (["--pdf-variant", "pdf/a-1b"], "'pdf/a-1b' is not one of 'pdf/a-3b', 'pdf/ua-1'"),
    (["--template-dir", "no-such-folder"], "Directory 'no-such-folder' does not exist"),
])
def test_bad_options_exit_2(demo: Path, args: list[str], message: str) -> None:
    result = run("report", "--as-of", AS_OF, *args, root=demo)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_same_html_twice(demo: Path, tmp_path: Path) -> None:
    first = render_html(demo, "--out", str(tmp_path / "a"))
    assert render_html(demo, "--out", str(tmp_path / "a")) == first


def test_template_dir_overrides_and_extends_the_defaults(demo: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html").write_text(
        '{% extends "default:report.html" %}\n'
        '{% block method %}<section id="method" aria-labelledby="m"><h2 id="m">How we work</h2>'
        "<p>Our own method for {{ report.cover.title }}.</p></section>{% endblock %}\n")
    (templates / "report.css").write_text('{% include "default:report.css" %}\n.doc-title { letter-spacing: 0.02em; }\n')
    html = render_html(demo, "--template-dir", str(templates), "--out", str(tmp_path / "out"))
    words = Page(html).words
    assert "How we work Our own method for Demo programme." in words
    assert "Status vocabulary" not in words  # the default method block is replaced
    assert "What changed since the previous edition" in words  # the rest is the default report
    assert ".doc-title { letter-spacing: 0.02em; }" in html and "@media print" in html
    # WeasyPrint's paged media (report-print.css) is the PDF's alone: the HTML stays valid CSS
    for print_only in ("string-set", "bookmark-level", "leader(", "target-counter(", "string(doc-"):
        assert print_only not in html, print_only


@pytest.mark.parametrize("template, message", [
    ("{% extends 'default:report.html' %}{% block cover %}{{ report.nothing }}{% endblock %}",
     "error: template error: 'tracker.report.content.context.ReportContext object' has no attribute 'nothing'"),
    ("{% extends 'default:report.html' %}{% block cover %}{% if %}{% endblock %}", "report.html:1: template error:"),
    ("{% extends 'report.html' %}", "error: template error: report.html includes or extends itself"),
])
def test_template_mistakes_are_one_line_errors(demo: Path, tmp_path: Path, template: str, message: str) -> None:
    (tmp_path / "report.html").write_text(template)
    out = tmp_path / "out"
    result = run("report", "--as-of", AS_OF, "--format", "html", "--template-dir", str(tmp_path), "--out", str(out),
                 root=demo)
    assert result.exit_code == 1 and message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert not out.exists()


def test_missing_logo_is_a_located_error(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    (root / "assets" / "logo.svg").unlink()
    result = run("report", "--as-of", AS_OF, "--format", "html", root=root)
    assert result.exit_code == 1
    assert result.stderr == "policies/demo.yaml:7:7: logo: assets/logo.svg: no such file in the workspace\n"
    assert not any((root / "reports").iterdir())


def test_logo_symlink_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>secret</text></svg>')
    (root / "assets" / "logo.svg").unlink()
    (root / "assets" / "logo.svg").symlink_to(secret)
    result = run("report", "--as-of", AS_OF, "--format", "html", root=root)
    assert result.exit_code == 1
    assert result.stderr == ("policies/demo.yaml:7:7: logo: assets/logo.svg resolves outside the workspace "
                             "(symbolic link?); refused\n")


def test_revision_marks_uncommitted_changes_and_needs_no_git(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", git=True)
    path = root / "policies" / "demo.yaml"
    path.write_text(path.read_text().replace("owner: Test Desk", "owner: Other Desk"))
    words = Page(render_html(root)).words
    assert re.search(r"policies/demo\.yaml, git revision [0-9a-f]{12} of 2024-09-29, with changes not yet committed", words)
    env = {**os.environ, "PATH": str(tmp_path / "empty")}  # no git on the PATH at all
    code = ("import sys; from tracker.cli import main; sys.argv = ['tracker', '--root', sys.argv[1], 'report', "
            "'--as-of', '2024-09-30', '--format', 'html', '--out', sys.argv[2]]; main()")
    done = subprocess.run([sys.executable, "-c", code, str(root), str(tmp_path / "out")], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    words = Page((tmp_path / "out" / "demo" / f"demo-{AS_OF}.html").read_text()).words
    assert "Data policies/demo.yaml Prepared by" in words


def test_not_a_git_repository_prints_no_revision(page) -> None:
    assert "Data policies/demo.yaml Prepared by Test Desk" in page[1].words


def test_html_only_never_imports_weasyprint(demo: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from tracker.cli import cli\n"
        "try:\n"
        "    cli(['--root', sys.argv[1], 'report', '--format', 'html', '--as-of', '2024-09-30', '--out', sys.argv[2]])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pydyf', 'tinycss2', 'cssselect2')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(demo), str(tmp_path)], capture_output=True, text=True,
                          cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert hashlib.sha256((tmp_path / "demo" / f"demo-{AS_OF}.html").read_bytes()).hexdigest()


def test_edge_cases_follow_the_as_of_rule(tmp_path: Path) -> None:
    """Own statuses, another language, same-day and future entries, negative and huge values."""
    (tmp_path / "policies").mkdir()
    shutil.copy(Path(__file__).parent / "data" / "report-edge.yaml", tmp_path / "policies" / "edge.yaml")
    result = run("report", "--as-of", "2024-06-30", "--format", "html", root=tmp_path)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "reports" / "edge" / "edge-2024-06-30.html").read_text()
    parsed = Page(html)
    words = parsed.words
    assert parsed.all("html")[0]["lang"] == "fr"
    assert "Édition spéciale &amp; &lt;b&gt;tags&lt;/b&gt;" in html
    assert "Status: Rouge since 2024-01-01" in words  # the later of two same-day entries
    assert "2030" not in words and "2031" not in words and "100 %" not in words  # nothing after the as-of date
    assert "Late done 2024-01-01 2024-02-01 ✓ Done 31 days late" in words
    assert "Future done 2024-01-01 — ⚠ Overdue by 181 days" in words  # done only after the as-of date
    assert "Due today 2024-06-30 — ◷ Due today" in words
    assert "LATEST −8 % (2024-02-01)" in words.replace("Latest", "LATEST") and "17%" in words
    assert "123,456,789,012 $" in words
    assert "background-color: #ffff00; color: #000000" in html  # black text on the pale status colour
