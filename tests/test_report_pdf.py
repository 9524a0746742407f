"""The PDF edition, read as a reader gets it: text (pdftotext), outline, attachment, metadata, PDF/A.

Only three PDFs are rendered for this whole module: the PDF/A edition (twice, for determinism)
and one PDF/UA edition.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pypdf
import pytest

from tests.conftest import run
from tests.report_demo import AS_OF, PREVIOUS, make_workspace, pdf_text


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> dict:
    assert shutil.which("pdftotext"), "pdftotext missing: `make test` installs poppler-utils"
    root = make_workspace(tmp_path_factory.mktemp("pdf"), git=True)
    first = run("report", "--as-of", PREVIOUS, "--format", "html", root=root)
    assert first.exit_code == 0, first.output
    result = run("report", "--as-of", AS_OF, root=root)
    assert result.exit_code == 0, result.output
    folder = root / "reports" / "demo"
    pdf, html = folder / f"demo-{AS_OF}.pdf", folder / f"demo-{AS_OF}.html"
    hashes = (sha256(pdf), sha256(html))
    again = run("report", "--as-of", AS_OF, root=root)
    assert again.exit_code == 0, again.output
    return {"root": root, "pdf": pdf, "html": html, "hashes": hashes, "stdout": result.stdout,
            "text": pdf_text(pdf), "reader": pypdf.PdfReader(pdf)}


def test_prints_both_paths(edition) -> None:
    assert edition["stdout"].splitlines() == [str(edition["html"]), str(edition["pdf"])]


def test_sections_come_in_reading_order(edition) -> None:
    text = edition["text"]
    marks = ["Progress up to 2024-09-30", "Contents", "Summary", "What changed since the previous edition",
             "Build rural roads Connect every village", "Cut transport emissions Status:",
             "Keep rural clinics open Status:", "Modernise the ports Status:", "Sources Every source cited",
             "Method Status vocabulary"]
    positions = [text.find(mark) for mark in marks]
    assert all(p >= 0 for p in positions), dict(zip(marks, positions))
    assert positions == sorted(positions)


def test_cover(edition) -> None:
    cover = pdf_text(edition["pdf"], 1, 1)
    assert "Demo programme" in cover and "Progress up to 2024-09-30" in cover
    assert "Compared with The previous edition, of 2024-06-30" in cover
    assert 'Priorities as stated in Demo Government, “The founding manifesto”, 2024-01-02 [1]' in cover
    assert re.search(r"policies/demo\.yaml, git revision [0-9a-f]{12} of 2024-09-29", cover), cover
    assert "with changes not yet committed" not in cover
    assert "Page 1 of" not in cover  # the cover has no running header or footer


def test_contents_page_numbers_point_at_the_sections(edition) -> None:
    contents = pdf_text(edition["pdf"], 2, 2)
    pages = len(edition["reader"].pages)
    for title in ("Summary", "What changed since the previous edition", "Build rural roads", "Sources", "Method"):
        match = re.search(re.escape(title) + r"[ .]*?(\d+)(?= |$)", contents)
        assert match, (title, contents)
        page = int(match[1])
        assert 2 < page <= pages
        assert title in pdf_text(edition["pdf"], page, page)[:200], (title, page)


def test_running_header_and_page_x_of_y_footer(edition) -> None:
    pages = len(edition["reader"].pages)
    for number in (2, 3, pages):
        text = pdf_text(edition["pdf"], number, number)
        assert "Demo programme Progress up to 2024-09-30 policies/demo.yaml" in text, text[-120:]
        assert text.endswith(f"Page {number} of {pages}")


def test_summary(edition) -> None:
    text = edition["text"]
    summary = text[text.index("Summary Each priority"): text.index("What changed since the previous edition Changes")]
    assert "Build rural roads At risk since 2024-09-01 ▼ worsened" in summary
    assert "Cut transport emissions Partly achieved since 2024-07-01" in summary and "▲ improved" in summary
    assert "Keep rural clinics open In progress since 2024-01-05 ⚠ Stale = unchanged All clinics open." in summary
    assert "Modernise the ports No entry yet" in summary
    assert "Tender published." not in summary  # only the latest note's first sentence
    assert re.search(r"In progress 1 At risk 1 Stalled 0 Cannot be verified 0 Achieved 0 Partly achieved 1 Abandoned 0 No entry yet 1 Total 4",
                     summary), summary


def test_what_changed(edition) -> None:
    text = edition["text"]
    changed = text[text.index("What changed since the previous edition Changes"): text.index("Build rural roads Connect")]
    assert "Changes recorded after 2024-06-30 (the previous edition) and up to 2024-09-30." in changed
    assert "Status changed from In progress to At risk on 2024-09-01 (worsened)." in changed
    assert "Kilometres of road built: 45 km (previously 20 km on 2024-04-01)." in changed
    assert "Milestone slipped 2024-07-15 Contract signed: due 2024-07-15, not done." in changed
    assert "Status changed from In progress to Partly achieved on 2024-07-01 (improved)." in changed
    assert "No change recorded for: Keep rural clinics open; Modernise the ports." in changed


def test_priority_section(edition) -> None:
    text = edition["text"]
    roads = text[text.index("Build rural roads Connect"): text.index("Cut transport emissions Status:")]
    assert "Status: At risk since 2024-09-01 Owner: Ministry of Works" in roads
    assert "At risk means: Work is under way" in roads
    for line in ("2024-01-10 Not yet started", "2024-03-01 In progress Tender published. Works started in two regions.",
                 "Assessed by Test Desk", "2024-09-01 At risk CURRENT STATUS"):
        assert line in roads
    assert "Tender published [3] 2024-02-15 2024-02-01 ✓ Done" in roads
    assert "Contract signed 2024-07-15 — ⚠ Overdue by 77 days" in roads
    assert "Bridge opened 2025-03-01 — ◷ Due in 152 days" in roads
    assert "BASELINE 0 km (2024-01-01) LATEST 45 km (2024-08-01) TARGET 100 km by 2026-01-01 PROGRESS 45%" in roads
    assert "Baseline 2024-01-01 0 km" in roads and "Observation 2024-08-01 45 km" in roads and "Target 2026-01-01 100 km" in roads
    clinics = text[text.index("Keep rural clinics open Status:"): text.index("Modernise the ports Status:")]
    assert "⚠ Stale: last assessed on 2024-01-05, 269 days before this edition; the review cadence is 90 days." in clinics
    assert "PROGRESS 100% The baseline already met the target; the latest value still meets it." in clinics
    emissions = text[text.index("Cut transport emissions Status:"): text.index("Keep rural clinics open Status:")]
    assert "PROGRESS 25%" in emissions and "Down: lower is better" in emissions


def test_yaml_markup_is_shown_as_text(edition) -> None:
    assert "<script>alert('x')</script> Contractor <img src=x onerror=alert(1)> delays." in edition["text"]


def test_sources_are_numbered_once_in_citation_order(edition) -> None:
    text = edition["text"]
    sources = text[text.index("Sources Every source cited"): text.index("Method Status vocabulary")]
    assert "[1] The founding manifesto. Demo Government, 2024-01-02. Kind: official. https://example.org/" in sources
    assert "[3] Official gazette. Ministry of Works, 2024-03-01. Kind: official." in sources
    assert "Daily News report. Daily News, 2024-08-02. Kind: press. No address recorded." in sources
    assert "http://127.0.0.1:9/evidence" in sources and "Kind: not stated" in sources
    numbers = [int(n) for n in re.findall(r"\[(\d+)\] ", sources)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 4
    assert "Also in the source registry, not cited in this edition A source nobody cites" in sources


def test_method(edition) -> None:
    method = edition["text"][edition["text"].index("Method Status vocabulary"):]
    assert "Not yet started In-progress rating No evidence of action" in method
    assert "Achieved Final verdict" in method and "must carry a cited source" in method
    assert "latest entry dated on or before that date" in method
    assert "(latest − baseline) ÷ (target − baseline) × 100" in method


def test_outline_has_every_section(edition) -> None:
    reader = edition["reader"]

    def walk(items: list, depth: int = 0) -> list[tuple[int, str, int]]:
        out = []
        for item in items:
            if isinstance(item, list):
                out += walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))
        return out

    outline = walk(reader.outline)
    top = [title for depth, title, _ in outline if depth == 0]
    assert top == ["Contents", "Summary", "What changed since the previous edition", "Corrections", "Build rural roads",
                   "Cut transport emissions", "Keep rural clinics open", "Modernise the ports", "Sources", "Method",
                   "Appendix: corrections log"]
    children = [title for depth, title, _ in outline if depth == 1]
    assert children.count("Status history") == 4 and children.count("Indicators") == 4
    assert [(d, t) for d, t, _ in outline if t == "Kilometres of road built"] == [(2, "Kilometres of road built")]
    pages = [page for _, _, page in outline]
    assert pages == sorted(pages)  # bookmarks follow the document


def test_programme_file_is_attached(edition) -> None:
    reader = edition["reader"]
    from tracker.model import yamlsafe
    from tracker.model.workspace import Workspace
    from tracker.report.run.snapshot import data_as_of

    programme = Workspace.at(edition["root"]).programme("demo")
    [data] = dict(reader.attachments)["demo.yaml"]
    # The data as recorded on the as-of date: a valid programme file, later entries left out.
    attached = yamlsafe.parse(data.decode("utf-8"), "demo.yaml").data
    assert attached == yamlsafe.parse(__import__("yaml").safe_dump(data_as_of(programme, __import__('datetime').date.fromisoformat(AS_OF))), "x").data
    assert data.decode().startswith("# ") and f"as recorded on {AS_OF}" in data.decode().splitlines()[0]
    catalog = reader.trailer["/Root"]
    spec = catalog["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
    assert spec["/AFRelationship"] == "/Source"
    assert [ref.get_object() for ref in catalog["/AF"]] == [spec]
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/yaml"
    assert stream["/Params"]["/CreationDate"] == stream["/Params"]["/ModDate"] == "D:20240930000000Z"


def test_metadata_language_and_pdfa_identification(edition) -> None:
    reader = edition["reader"]
    meta = reader.metadata
    assert meta["/Title"] == "Demo programme: progress up to 2024-09-30"
    assert meta["/Author"] == "Test Desk"
    assert meta["/Subject"] == "A small programme of four stated priorities, for tests."
    assert meta["/Keywords"] == "progress report, demo, roads, emissions, clinics, ports"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20240930"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "<xmp:CreateDate>2024-09-30</xmp:CreateDate>" in xmp
    assert catalog["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_charts_are_vector_graphics(edition) -> None:
    page = edition["reader"].pages[4]  # the first priority's section, with its chart
    assert not page.images  # drawn as paths and text, not pasted in as pictures
    assert "as of" in pdf_text(edition["pdf"], 5, 6)


@pytest.fixture(scope="module")
def tagged(edition, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ua")
    result = run("report", "--as-of", AS_OF, "--format", "pdf", "--pdf-variant", "pdf/ua-1", "--since", "2024-02-15",
                 "--out", str(out), root=edition["root"])
    assert result.exit_code == 0, result.output
    return out / "demo" / f"demo-{AS_OF}.pdf"


def test_pdf_ua_is_tagged_with_chart_alt_text(tagged: Path) -> None:
    reader = pypdf.PdfReader(tagged)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp and "pdfaid" not in xmp
    assert catalog["/Lang"] == "en"
    assert dict(reader.attachments)["demo.yaml"]  # the data rides along in this variant too
    alts = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            walk(node.get("/K"))
        elif isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)

    walk(catalog["/StructTreeRoot"])
    assert any(alt.startswith("Chart of priorities by status: 4 priorities") for alt in alts), alts
    assert any(alt.startswith("Chart of Kilometres of road built: baseline 0 km on 2024-01-01, latest 45 km on 2024-08-01, "
                              "target 100 km by 2026-01-01") for alt in alts), alts


def test_since_option_sets_the_comparison_date(tagged: Path) -> None:
    text = pdf_text(tagged)
    assert "Compared with The situation on 2024-02-15 (chosen for this edition)" in text
    assert "Changes recorded after 2024-02-15 (the date chosen for this comparison) and up to 2024-09-30." in text
    assert "Status changed from Not yet started to At risk on 2024-09-01 (worsened)." in text
