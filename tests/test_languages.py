"""Editions in several languages: PO files beside the programme, tracker translate, an edition
per language with tracker's own words, dates and numbers in that language."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, run

PROGRAMME = """\
id: demo
title: Roads programme
summary: Connect every village.
owner: Test Desk
language: en
languages: [en, zh-Hans]
sources:
  - {id: gazette, title: Official gazette, publisher: Ministry, date: 2024-01-02, kind: official}
priorities:
  - id: roads
    title: Build roads
    history:
      - {date: 2024-01-01, status: not_started}
      - {date: 2024-02-01, status: in_progress, note: Tender published., sources: [gazette]}
    indicators:
      - id: km
        title: Kilometres built
        unit: km
        baseline: {date: 2024-01-01, value: 1200}
        observations:
          - {date: 2024-03-01, value: 12500.5}
"""
AS_OF = "2024-09-30"


def translate_all(po: Path, translations: dict[str, str]) -> None:
    """Fill in msgstr for the given msgctxt, as a translator's tool would."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context in translations:
            message.string = translations[message.context]
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0)


@pytest.fixture
def translated(workspace) -> Path:
    root = workspace({"demo.yaml": PROGRAMME})
    result = run("translate", root=root)
    assert result.exit_code == 0, result.output
    assert result.output == ("demo zh-Hans: 0 translated, 0 fuzzy, 9 missing "
                             "(policies/demo.zh-Hans.po, written)\n")
    translate_all(root / "policies" / "demo.zh-Hans.po", {
        "title": "道路计划", "summary": "让每个村庄通路。", "owner": "测试组",
        "sources/gazette/title": "政府公报", "sources/gazette/publisher": "部委",
        "priorities/roads/title": "修建道路", "priorities/roads/indicators/km/title": "已建公里数",
        "priorities/roads/indicators/km/unit": "公里",
        # the note is left untranslated: it is shown in English, marked as such
    })
    return root


def test_translate_keeps_translations_marks_changed_originals_fuzzy_and_removed_ones_obsolete(translated: Path) -> None:
    root = translated
    assert run("translate", "--check", root=root).exit_code == 1  # the note is missing
    po = root / "policies" / "demo.zh-Hans.po"
    policy = root / "policies" / "demo.yaml"
    policy.write_text(PROGRAMME.replace("title: Build roads", "title: Build rural roads")
                      .replace("summary: Connect every village.\n", ""), encoding="utf-8")
    before = po.read_bytes()
    checked = run("translate", "--check", root=root)
    assert checked.exit_code == 1 and po.read_bytes() == before  # --check writes nothing
    assert checked.output == "demo zh-Hans: 6 translated, 1 fuzzy, 1 missing (policies/demo.zh-Hans.po, checked)\n"
    result = run("translate", "demo", "--lang", "zh-Hans", root=root)
    assert result.exit_code == 0
    text = po.read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid "Build roads"\nmsgctxt "priorities/roads/title"\nmsgid "Build rural roads"\n'
            'msgstr "修建道路"') in text
    assert '#~ msgctxt "summary"\n#~ msgid "Connect every village."\n#~ msgstr "让每个村庄通路。"' in text
    assert 'msgctxt "title"\nmsgid "Roads programme"\nmsgstr "道路计划"' in text
    again = run("translate", root=root)
    assert again.output.endswith("(policies/demo.zh-Hans.po, up to date)\n") and po.read_text(encoding="utf-8") == text


def test_a_po_file_that_is_not_po_is_a_located_error(translated: Path) -> None:
    po = translated / "policies" / "demo.zh-Hans.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    where = next(i for i, line in enumerate(lines) if line.startswith('msgctxt "owner"'))
    lines[where + 1] = 'msgid "Test Desk'
    lines.insert(where + 2, 'bogus line')
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for args in (("translate",), ("report", "--as-of", AS_OF, "--format", "html")):
        result = run(*args, root=translated)
        assert result.exit_code == 1
        assert re.fullmatch(rf"policies/demo\.zh-Hans\.po:{where + 3}:1: \(file\): not a PO file: .+\n", result.stderr), result.stderr


@pytest.fixture
def editions(translated: Path) -> Path:
    result = run("report", "--as-of", AS_OF, "--format", "html", root=translated)
    assert result.exit_code == 0, result.output
    return translated


def test_one_edition_per_language_the_primary_keeping_its_names(editions: Path) -> None:
    folder = editions / "reports" / "demo"
    assert sorted(p.name for p in folder.glob("*.html")) == ["demo-2024-09-30.html", "demo-2024-09-30.zh-Hans.html"]
    only = run("report", "--as-of", AS_OF, "--format", "html", "--lang", "zh-Hans", "--force", root=editions)
    assert only.output == f"{folder / 'demo-2024-09-30.zh-Hans.html'}\n"
    unknown = run("report", "--as-of", AS_OF, "--lang", "fr", root=editions)
    assert unknown.exit_code == 2 and "no programme of this run is published in 'fr'" in unknown.stderr
    assert run("report", "--as-of", AS_OF, "--lang", "zh_CN", root=editions).exit_code == 2


def test_the_chinese_edition_speaks_chinese_and_marks_what_is_not_translated(editions: Path) -> None:
    zh = (editions / "reports" / "demo" / "demo-2024-09-30.zh-Hans.html").read_text(encoding="utf-8")
    en = (editions / "reports" / "demo" / "demo-2024-09-30.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in zh and '<html lang="en">' in en
    assert "<title>道路计划：截至2024年9月30日的进展</title>" in zh
    assert '<h1 class="doc-title" dir="auto">道路计划</h1>' in zh
    assert "截至2024年9月30日的进展" in zh and "概要" in zh and "方法说明" in zh and "进行中" in zh
    assert '<p class="note" lang="en" dir="auto">Tender published.</p>' in zh  # untranslated, marked
    assert "12,500.5公里" in zh  # numbers and units as Chinese writes them
    assert "有1条尚无最新译文，以原文（英语）显示" in zh  # the method section counts them
    for english in ("Summary", "Progress up to", "Status history", "Sources"):
        assert f">{english}<" not in zh
    assert "Progress up to 2024-09-30" in en and "道路" not in en  # the primary is unchanged


def test_same_data_date_and_language_give_the_same_bytes_and_a_changed_translation_renders_again(editions: Path) -> None:
    folder = editions / "reports" / "demo"
    zh = folder / "demo-2024-09-30.zh-Hans.html"
    first = zh.read_bytes()
    again = run("report", "--as-of", AS_OF, "--format", "html", "--force", root=editions)
    assert again.exit_code == 0 and zh.read_bytes() == first
    assert run("report", "--as-of", AS_OF, "--format", "html", root=editions).exit_code == 0
    assert zh.read_bytes() == first  # up to date: not rendered again
    translate_all(editions / "policies" / "demo.zh-Hans.po", {"priorities/roads/history/2024-02-01/note": "招标已发布。"})
    result = run("report", "--as-of", AS_OF, "--format", "html", root=editions)
    assert result.exit_code == 0 and zh.read_bytes() != first
    assert '<p class="note" dir="auto">招标已发布。</p>' in zh.read_text(encoding="utf-8")


def test_a_character_no_font_has_in_a_translation_is_located_in_the_po_file(translated: Path) -> None:
    po = translated / "policies" / "demo.zh-Hans.po"
    translate_all(po, {"owner": "测试\U000F0001组"})
    line = next(i for i, text in enumerate(po.read_text(encoding="utf-8").splitlines(), 1) if text == 'msgid "Test Desk"')
    result = run("report", "--as-of", AS_OF, "--lang", "zh-Hans", root=translated)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"policies/demo.zh-Hans.po:{line}:1: owner: no installed font has a glyph for "
                                    "'\U000F0001' (U+F0001)")


@pytest.fixture(scope="module")
def default_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default programme's Chinese edition, as make report renders it (PDF/UA: tagged)."""
    root = tmp_path_factory.mktemp("dsr")
    (root / "policies").mkdir()
    for name in ("digital-silk-road.yaml", "digital-silk-road.zh-Hans.po"):
        (root / "policies" / name).write_bytes((REPO / "policies" / name).read_bytes())
    result = run("report", "--as-of", "2026-12-02", "--lang", "zh-Hans", "--format", "pdf", "--pdf-variant",
                 "pdf/ua-1", root=root)
    assert result.exit_code == 0, result.output
    return root / "reports" / "digital-silk-road" / "digital-silk-road-2026-12-02.zh-Hans.pdf"


def test_the_default_programme_is_fully_translated() -> None:
    result = run("translate", "--check", root=REPO)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("digital-silk-road zh-Hans: 111 translated, 0 fuzzy, 0 missing")


def test_the_chinese_pdf(default_pdf: Path) -> None:
    from pdf_glyphs import embedded_fonts, missing_glyphs

    reader = PdfReader(default_pdf)
    assert reader.metadata.title == "数字丝绸之路——已表述的未来重点：截至2026年12月2日的进展"
    assert str(reader.trailer["/Root"]["/Lang"]) == "zh-Hans"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(default_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "第1页，共" not in text and "第2页，共" in text  # the cover has no footer
    assert "截至2026年12月2日的进展" in text and "吸引更多国家参与合作倡议" in text
    assert missing_glyphs(default_pdf) == {}
    faces = {name.split("+", 1)[1] for name in embedded_fonts(default_pdf)}
    assert "Noto-Sans-CJK-SC" in faces and not any("CJK-JP" in face for face in faces)
    assert default_pdf.stat().st_size < 3_000_000  # CJK faces embedded as subsets, not whole


def test_each_recipient_gets_the_edition_and_message_in_their_language(translated: Path) -> None:
    from email import message_from_bytes, policy

    (translated / "policies" / "distribution.yaml").write_text(
        "smtp: {host: localhost}\nsender: Desk <desk@example.org>\nrecipients:\n  demo:\n"
        "    - {address: ada@example.org}\n    - {address: bo@example.org, name: 博, language: zh-Hans}\n",
        encoding="utf-8")
    result = run("distribute", "--as-of", AS_OF, "--dry-run", root=translated)
    assert result.exit_code == 0, result.output
    outbox = translated / "reports" / "outbox"
    zh = message_from_bytes((outbox / "demo-2024-09-30-bo@example.org.eml").read_bytes(), policy=policy.default)
    en = message_from_bytes((outbox / "demo-2024-09-30-ada@example.org.eml").read_bytes(), policy=policy.default)
    assert zh["Subject"] == "道路计划：截至2024年9月30日的进展"
    assert en["Subject"] == "Roads programme: progress up to 2024-09-30"
    [pdf] = zh.iter_attachments()
    assert pdf.get_filename() == "demo-2024-09-30.zh-Hans.pdf"
    assert [a.get_filename() for a in en.iter_attachments()] == ["demo-2024-09-30.pdf"]
    text = zh.get_body(("plain",)).get_content()
    assert text.startswith("博，您好：") and "2024年9月30日 1项重点的状态：" in text and "进行中：1" in text
    assert "由tracker发送至bo@example.org。" in text
    html = zh.get_body(("html",)).get_content()
    assert '<html lang="zh-Hans">' in html
    bad = (translated / "policies" / "distribution.yaml").read_text(encoding="utf-8").replace("zh-Hans", "fr")
    (translated / "policies" / "distribution.yaml").write_text(bad, encoding="utf-8")
    refused = run("distribute", "--as-of", AS_OF, "--dry-run", root=translated)
    assert refused.exit_code == 1 and "language 'fr' is not one demo is published in (en, zh-Hans)" in refused.stderr


def test_publish_lists_each_language_links_alternates_and_feeds_one_entry_per_language(editions: Path) -> None:
    import feedparser

    result = run("publish", root=editions)
    assert result.exit_code == 0, result.output
    index = (editions / "reports" / "index.html").read_text(encoding="utf-8")
    assert '<a href="demo/demo-2024-09-30.zh-Hans.html" hreflang="zh-Hans">HTML' in index
    assert '<span lang="zh-Hans">道路计划</span>' in index
    feed = feedparser.parse((editions / "reports" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert [(e.id, e.title_detail.language, e.title) for e in feed.entries] == [
        ("tag:tracker.invalid,2024-09-30:demo/2024-09-30", "en", "Roads programme: progress up to 2024-09-30"),
        ("tag:tracker.invalid,2024-09-30:demo/2024-09-30/zh-Hans", "zh-Hans", "道路计划：截至2024年9月30日的进展")]
    assert feed.entries[1].link == "demo/demo-2024-09-30.zh-Hans.html"
    assert feed.entries[1].summary == "1项重点的状态：进行中：1。"
    en = (editions / "reports" / "demo" / "demo-2024-09-30.html").read_text(encoding="utf-8")
    zh = (editions / "reports" / "demo" / "demo-2024-09-30.zh-Hans.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="zh-Hans" href="demo-2024-09-30.zh-Hans.html" type="text/html">' in en
    assert '<link rel="alternate" hreflang="en" href="demo-2024-09-30.html" type="text/html">' in zh


def test_init_ships_the_translations_and_validate_warns_about_them(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "ws")).exit_code == 0
    assert (tmp_path / "ws" / "policies" / "digital-silk-road.zh-Hans.po").is_file()
    assert run("translate", "--check", root=tmp_path / "ws").exit_code == 0
    po = tmp_path / "ws" / "policies" / "digital-silk-road.zh-Hans.po"
    translate_all(po, {"owner": "政策\U000F0002研究组"})
    checked = run("validate", root=tmp_path / "ws")
    assert checked.exit_code == 0
    assert re.search(r"^policies/digital-silk-road\.zh-Hans\.po:\d+:1: owner: no installed font has a glyph for "
                     "'\U000F0002' \\(U\\+F0002\\)", checked.stderr, re.MULTILINE), checked.stderr


def test_every_word_tracker_says_is_in_the_template_and_translated_into_chinese(tmp_path: Path) -> None:
    """tracker.pot is what `make messages` extracts from the code and templates today, and the
    Simplified Chinese catalog translates every message of it (a new word cannot go untranslated)."""
    from babel.messages.pofile import read_po

    pot = tmp_path / "tracker.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "-q", "extract", "-F", "tracker/locale/babel.cfg",
                    "-k", "words", "-k", "nwords:1,2", "-k", "N_", "-k", "w", "--no-location", "--omit-header",
                    "--sort-output", "-o", str(pot), "tracker"], cwd=REPO, check=True)
    assert pot.read_text(encoding="utf-8") == (REPO / "tracker" / "locale" / "tracker.pot").read_text(encoding="utf-8")
    with pot.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle) if m.id}
    with (REPO / "tracker" / "locale" / "zh_Hans" / "LC_MESSAGES" / "tracker.po").open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    translated = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog
                  if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))}
    assert sorted(map(str, wanted - translated)) == []
