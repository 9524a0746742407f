"""Any script renders with a real glyph, in the face of its language, and right-to-left text
runs right to left; a character no font can draw stops the PDF before it is written."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import run
from pdf_glyphs import embedded_fonts, missing_glyphs
from tracker.i18n import fonts, glyphs, scripts
from tracker.report.render.pdf import html_to_pdf

DATA = Path(__file__).parent / "data" / "scripts.yaml"
AS_OF = "2024-01-01"


class Tags(HTMLParser):
    """Each element's attributes and its own text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict[str, str]] = []
        self.found: list[tuple[dict[str, str], str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append({"tag": tag, **{k: v or "" for k, v in attrs}})

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and data.strip():
            self.found.append((self.stack[-1], data.strip()))

    def holding(self, text: str) -> dict[str, str]:
        return next(attrs for attrs, data in self.found if text in data)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scripts")
    (root / "policies").mkdir()
    shutil.copy(DATA, root / "policies" / "scripts.yaml")
    result = run("report", "--as-of", AS_OF, root=root)
    assert result.exit_code == 0, result.output
    return root / "reports" / "scripts"


def test_each_language_is_drawn_in_its_own_face_and_every_font_is_a_subset(edition: Path) -> None:
    embedded = embedded_fonts(edition / f"scripts-{AS_OF}.pdf")
    faces = {name.split("+", 1)[1] for name in embedded}
    for face in ("DejaVu-Sans", "Noto-Sans-Arabic", "Noto-Sans-Hebrew", "Noto-Sans-Devanagari", "Noto-Sans-Thai",
                 "Noto-Sans-CJK-SC", "Noto-Sans-CJK-TC", "Noto-Sans-CJK-JP", "Noto-Sans-CJK-KR"):
        assert face in faces, faces
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in embedded)  # subsets, never whole fonts
    # Which face drew which text: the Simplified note in SC, the Traditional one in TC, kana in JP.
    drawn = {name.split("+", 1)[1]: "".join(to_unicode.values()) for name, (_, to_unicode) in embedded.items()}
    assert "签" in drawn["Noto-Sans-CJK-SC"] and "簽" in drawn["Noto-Sans-CJK-TC"]
    assert "デ" in drawn["Noto-Sans-CJK-JP"] and "디" in drawn["Noto-Sans-CJK-KR"]
    assert "ي" in drawn["Noto-Sans-Arabic"] and "ה" in drawn["Noto-Sans-Hebrew"]
    # Latin stays in the Latin face, Vietnamese included: no CJK face draws a Latin letter.
    assert "ệ" in drawn["DejaVu-Sans"] and "Р" in drawn["DejaVu-Sans"] and "λ" in drawn["DejaVu-Sans"]
    for face in ("Noto-Sans-CJK-SC", "Noto-Sans-CJK-TC", "Noto-Sans-CJK-JP", "Noto-Sans-CJK-KR"):
        assert not re.search(r"[A-Za-z]", drawn[face]), (face, drawn[face])


def test_no_character_is_drawn_without_a_glyph(edition: Path) -> None:
    assert missing_glyphs(edition / f"scripts-{AS_OF}.pdf") == {}
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(edition / f"scripts-{AS_OF}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    for words in ("Tiếng Việt có dấu đầy đủ", "Ελληνικά", "Русский текст", "数字丝绸之路", "數位絲綢之路",
                  "デジタル経済協力", "디지털 실크로드"):
        assert words in text


def test_right_to_left_paragraphs_run_right_to_left(edition: Path) -> None:
    """The Hebrew note "נחתמו הסכמים עם 17 מדינות." ends at the right margin: its first word is the
    rightmost and its full stop at the far left (pdftotext lists words as drawn, left to right,
    each spelt as drawn)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "5", "-l", "5", str(edition / f"scripts-{AS_OF}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = [(float(x1), float(x2), w[::-1]) for x1, x2, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]
    line = [w for w in words if w[2] in ("נחתמו", "הסכמים", "עם", "71", "מדינות.") and w[0] > 250]
    assert [w[2] for w in sorted(line, reverse=True)] == ["נחתמו", "הסכמים", "עם", "71", "מדינות."]
    right_margin = max(x2 for _, x2, _ in words)
    assert max(x2 for _, x2, _ in line) > right_margin - 5  # the paragraph is set right to left


def test_html_marks_each_text_with_its_language_and_direction(edition: Path) -> None:
    html = (edition / f"scripts-{AS_OF}.html").read_text(encoding="utf-8")
    tags = Tags(html)
    assert tags.holding("الاتفاقيات")["lang"] == "ar" and tags.holding("الاتفاقيات")["dir"] == "rtl"
    assert tags.holding("נחתמו")["lang"] == "he" and tags.holding("נחתמו")["dir"] == "rtl"
    assert tags.holding("已与17个国家")["lang"] == "zh-Hans"
    assert tags.holding("數位絲綢之路已")["lang"] == "zh-Hant"
    assert tags.holding("デジタル経済")["lang"] == "ja"
    assert tags.holding("양해각서")["lang"] == "ko"
    assert tags.holding("सत्रह")["lang"] == "hi"
    assert tags.holding("ความร่วมมือ")["lang"] == "th"
    assert "lang" not in tags.holding("Tiếng Việt")  # Latin in the page's language: no lang of its own
    assert tags.holding("Tiếng Việt")["dir"] == "auto"  # every user text isolated for bidi
    assert any(a.get("class") == "source-title" and a.get("lang") == "ar" for a, text in tags.found
               if "مبادرة الحزام" in text)  # an Arabic source title, which is not slanted:
    assert re.search(r":lang\(ar\)[^{]*\{ font-style: normal; \}", html)


def test_a_character_no_font_has_stops_the_pdf_and_validate_warns(workspace) -> None:
    root = workspace({"demo.yaml": """\
        id: demo
        title: Demo
        priorities:
          - id: roads
            title: Roads
            history:
              - {date: 2024-01-01, status: at_risk, note: "Marked \U000F0000 here"}
        """})
    line = ("policies/demo.yaml:7:51: priorities[0].history[0].note: no installed font has a glyph for "
            "'\U000F0000' (U+F0000); a private-use character: install the font it was made for, "
            "or write the text without it")
    result = run("report", "--as-of", "2024-02-01", root=root)
    assert result.exit_code == 1 and result.stderr.strip() == line
    assert not (root / "reports" / "demo").exists()  # nothing half-written
    checked = run("validate", root=root)
    assert checked.exit_code == 0 and line in checked.stderr.splitlines() and "1 warning" in checked.stderr
    assert run("report", "--as-of", "2024-02-01", "--format", "html", root=root).exit_code == 0


def test_a_pdf_with_an_empty_box_is_caught_by_reading_the_pdf(tmp_path: Path) -> None:
    """What the check prevents, seen in a PDF made without it: pdftotext reads the character,
    but the embedded font has no glyph for it."""
    pdf = tmp_path / "tofu.pdf"
    pdf.write_bytes(html_to_pdf('<p style="font-family: DejaVu Sans">Box: \U000F0000 \u0378 ok</p>', tmp_path))
    assert "\U000F0000" in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert missing_glyphs(pdf) == {next(iter(embedded_fonts(pdf))): ["\U000F0000", "\u0378"]}
    assert glyphs.missing("Box: \U000F0000 \u0378 ok", "en") == ["\U000F0000", "\u0378"]


def test_scripts_and_faces() -> None:
    assert [scripts.language_of(t, "en") for t in ("数字丝绸之路", "數位絲綢之路", "デジタル", "디지털", "مرحبا",
                                                  "שלום", "नमस्ते", "สวัสดี", "Γειά", "Tiếng Việt")] == [
        "zh-Hans", "zh-Hant", "ja", "ko", "ar", "he", "hi", "th", "el", "en"]
    assert scripts.language_of("Digital Silk Road", "zh-Hans") == "zh-Hans"  # a page's own language is kept
    assert fonts.stack("zh-Hans")[0] == "DejaVu Sans" and fonts.stack("zh-Hans")[-1] == "Noto Sans CJK SC"
    assert fonts.stack("zh-Hant")[-1] == "Noto Sans CJK TC" and fonts.stack("zh-TW")[-1] == "Noto Sans CJK TC"
    assert fonts.stack("ja")[-1] == "Noto Sans CJK JP" and fonts.stack("ko")[-1] == "Noto Sans CJK KR"
    assert fonts.stack("ar")[0] == "Noto Sans Arabic"
    assert glyphs.drawn_by(ord("中"), "zh-Hans") == "Noto Sans CJK SC"
    assert glyphs.drawn_by(ord("A"), "ja") == "DejaVu Sans"
