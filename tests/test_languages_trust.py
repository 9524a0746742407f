"""Corrections, reasons, review and evidence in a translated edition: tracker's words about them
from its catalog, dates as the language writes them, and the data's texts (a correction's why,
who made it, a corrected note, a programme's own reasons) from the programme's PO file, each
untranslated text marked with its own language."""
from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from conftest import run
from test_languages import translate_all

PROGRAMME = """\
id: demo
title: Roads programme
owner: Test Desk
language: en
languages: [en, zh-Hans]
method_version: "2026.1"
review: required
reasons:
  - {id: no_budget, label: No budget, definition: The money was never voted.}
sources:
  - {id: gazette, title: Official gazette, publisher: Ministry, date: 2024-01-02, url: "https://example.org/gazette", kind: official}
priorities:
  - id: roads
    title: Build roads
    history:
      - {date: 2024-01-01, status: not_started}
      - {date: 2024-02-01, status: in_progress, note: Tender published., sources: [gazette]}
      - {date: 2024-09-01, status: achieved, note: Road opened., sources: [gazette], draft: true, by: Bo}
    corrections:
      - date: 2024-03-01
        entry: 2024-02-01
        changes:
          status: {was: in_progress, now: at_risk}
          note: {was: Tender published., now: Tender cancelled.}
        why: The tender notice was misread.
        by: Ana
  - id: schools
    title: Open schools
    history:
      - {date: 2024-01-01, status: stalled, note: No budget., reason: no_budget}
"""
AS_OF = "2024-09-30"
CORRECTION = "priorities/roads/corrections/2024-03-01"
TRANSLATIONS = {
    "title": "道路计划", "owner": "测试组", "sources/gazette/title": "政府公报", "sources/gazette/publisher": "部委",
    "priorities/roads/title": "修建道路", "priorities/schools/title": "开办学校",
    "priorities/roads/history/2024-02-01/note": "招标已发布。", "priorities/roads/history/2024-09-01/note": "道路已通车。",
    "priorities/roads/history/2024-09-01/by": "博",
    "priorities/schools/history/2024-01-01/note": "没有预算。",
    "reasons/no_budget/label": "无预算", "reasons/no_budget/definition": "这笔资金从未获得表决通过。",
    f"{CORRECTION}/why": "误读了招标公告。", f"{CORRECTION}/changes/note/now": "招标已取消。",
    # the correction's `by` is left untranslated: shown in English, marked as such
}


def archive(root: Path) -> None:
    """The gazette captured on 2024-06-01, its link found gone on 2024-08-01."""
    folder = root / "archive" / "demo"
    folder.mkdir(parents=True)
    url = "https://example.org/gazette"
    (folder / "captures.jsonl").write_text(json.dumps({
        "date": "2024-06-01", "source_id": "gazette", "url": url, "payload_sha256": "3f" * 32, "size": 10,
        "file": "gazette/2024-06-01.warc.gz"}) + "\n", encoding="utf-8")
    (folder / "checks.jsonl").write_text("".join(json.dumps(line) + "\n" for line in (
        {"date": "2024-06-01", "source_id": "gazette", "url": url, "result": "ok", "http_status": 200},
        {"date": "2024-08-01", "source_id": "gazette", "url": url, "result": "gone", "http_status": 404})),
        encoding="utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trust")
    (root / "policies").mkdir()
    (root / "policies" / "demo.yaml").write_text(PROGRAMME, encoding="utf-8")
    archive(root)
    assert run("translate", root=root).exit_code == 0
    translate_all(root / "policies" / "demo.zh-Hans.po", TRANSLATIONS)
    for args in ((), ("--drafts",)):
        result = run("report", "--as-of", AS_OF, "--since", "2024-02-15", "--format", "html", *args, root=root)
        assert result.exit_code == 0, result.output
    return root


def html(root: Path, name: str) -> str:
    return (root / "reports" / "demo" / name).read_text(encoding="utf-8")


def test_translate_names_corrections_and_a_programmes_own_reasons_by_their_path(root: Path) -> None:
    po = (root / "policies" / "demo.zh-Hans.po").read_text(encoding="utf-8")
    for context, original in ((f"{CORRECTION}/why", "The tender notice was misread."), (f"{CORRECTION}/by", "Ana"),
                              (f"{CORRECTION}/changes/note/now", "Tender cancelled."),
                              ("reasons/no_budget/label", "No budget"),
                              ("reasons/no_budget/definition", "The money was never voted.")):
        assert f'msgctxt "{context}"\nmsgid "{original}"\n' in po
    assert "/changes/note/was" not in po  # what a note said is the text it replaced, translated there
    checked = run("translate", "--check", root=root)
    assert checked.output == "demo zh-Hans: 14 translated, 0 fuzzy, 1 missing (policies/demo.zh-Hans.po, checked)\n"


def test_the_chinese_edition_says_corrections_reasons_and_evidence_in_chinese(root: Path) -> None:
    zh = html(root, "demo-2024-09-30.zh-Hans.html")
    # the Corrections section: what was said (the translation of the note it replaced), what is said now, why, who
    assert '<h2 id="corrections-title">更正</h2>' in zh
    assert ">修建道路</span></a>：2024年2月1日的状态评估</p>" in zh
    assert '<tr><th scope="row">说明</th><td class="was"><span dir="auto">招标已发布。</span></td>' \
           '<td class="now"><span dir="auto">招标已取消。</span></td></tr>' in zh
    assert '<tr><th scope="row">状态</th><td class="was"><span dir="auto">进行中</span></td>' in zh
    assert '<span class="status-caption">更正原因：</span> <span dir="auto">误读了招标公告。</span>' in zh
    assert '<span class="by">更正人：<span lang="en" dir="auto">Ana</span>。</span>' in zh  # untranslated, marked
    assert "该评估已于2024年3月1日更正：<span dir=\"auto\">误读了招标公告。</span>" in zh  # the timeline
    assert "此项评估已于2024年3月1日更正" in zh  # the status box
    assert "2024年3月1日状态由“<span dir=\"auto\">进行中</span>”更正为“<span dir=\"auto\">有风险</span>”" in zh
    # a programme's own reason, from the PO file; the default vocabulary's words from tracker's catalog
    assert '<span class="reason">原因：<span dir="auto">无预算</span></span>' in zh
    assert '<dd dir="auto">这笔资金从未获得表决通过。</dd>' in zh
    assert "停滞、有风险和已放弃的重点（按原因统计）" in zh
    # the evidence of the sources, dates as Chinese writes them
    assert ("证据：2024年6月1日存档，SHA-256 3f3f3f3f\u2026；<strong class=\"dead\">链接自2024年8月1日起失效"
            "（存档副本：archive/demo/gazette/2024-06-01.warc.gz）</strong>。") in zh
    assert "本期采用方法版本<span class=\"method-version\">2026.1</span>。" in zh
    assert "报告截至2024年9月30日的进展，采用方法版本2026.1。" in zh
    assert "有1条尚无最新译文" in zh  # the correction's `by`
    for english in (">Corrections<", "Why:", "Evidence:", "Reason:", "archived 2024", "link dead", "corrected on",
                    "Appendix", "method version", "DRAFT"):
        assert english not in zh, english
    en = html(root, "demo-2024-09-30.html")
    assert "Evidence: archived 2024-06-01, SHA-256 3f3f3f3f\u2026" in en and ">Corrections<" in en
    assert "Assessment corrected on 2024-03-01: <span dir=\"auto\">The tender notice was misread.</span>" in en


def test_a_preview_with_drafts_in_another_language_goes_to_drafts_with_the_language_suffix(root: Path) -> None:
    folder = root / "reports" / "demo"
    assert sorted(p.name for p in (folder / "drafts").glob("*.html")) == [
        "demo-2024-09-30.html", "demo-2024-09-30.zh-Hans.html"]
    assert sorted(p.name for p in (folder / "drafts").glob(".*.inputs.json")) == [
        ".demo-2024-09-30.inputs.json", ".demo-2024-09-30.zh-Hans.inputs.json"]
    zh = html(root, "drafts/demo-2024-09-30.zh-Hans.html")
    assert "<title>草稿——不得分发：道路计划：截至2024年9月30日的进展</title>" in zh
    assert '<aside class="draft-mark" aria-label="草稿提示">草稿——不得分发</aside>' in zh
    assert "道路已通车。" in zh and "道路已通车。" not in html(root, "demo-2024-09-30.zh-Hans.html")


def test_a_new_translation_or_a_new_check_renders_the_translated_edition_again(root: Path) -> None:
    zh = root / "reports" / "demo" / "demo-2024-09-30.zh-Hans.html"
    report = ("report", "--as-of", AS_OF, "--since", "2024-02-15", "--format", "html", "--lang", "zh-Hans")
    assert run(*report, root=root).exit_code == 0 and "更正人：<span lang=\"en\"" in zh.read_text(encoding="utf-8")
    before = zh.stat().st_mtime_ns
    assert run(*report, root=root).exit_code == 0 and zh.stat().st_mtime_ns == before  # up to date
    translate_all(root / "policies" / "demo.zh-Hans.po", {f"{CORRECTION}/by": "安娜"})
    assert run(*report, root=root).exit_code == 0
    assert '<span class="by">更正人：<span dir="auto">安娜</span>。</span>' in zh.read_text(encoding="utf-8")
    with (root / "archive" / "demo" / "checks.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"date": "2024-09-01", "source_id": "gazette", "url": "https://example.org/gazette",
                                 "result": "ok", "http_status": 200}) + "\n")
    assert run(*report, root=root).exit_code == 0
    assert 'class="dead"' not in zh.read_text(encoding="utf-8")  # alive again on its latest check


def test_the_chinese_email_lists_corrections_in_chinese(root: Path) -> None:
    (root / "policies" / "distribution.yaml").write_text(
        "smtp: {host: localhost}\nsender: desk@example.org\nrecipients:\n"
        "  demo: [{address: bo@example.org, language: zh-Hans}]\n", encoding="utf-8")
    folder = root / "reports" / "demo"
    (folder / "deliveries.jsonl").write_text(json.dumps({
        "edition": "2024-02-15", "programme": "demo", "recipient": "bo@example.org",
        "time": "2024-02-15T08:00:00Z", "result": "delivered", "message_id": "<x@example.org>"}) + "\n")
    (folder / "demo-2024-09-30.zh-Hans.pdf").write_bytes(b"%PDF-1.4 stand-in\n")  # no render needed
    result = run("distribute", "--as-of", AS_OF, "--dry-run", root=root)
    assert result.exit_code == 0, result.output
    assert "demo: 1 draft waiting for review is left out of the edition" in result.stderr
    [eml] = (root / "reports" / "outbox").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert ("自上次发送的一期（2024年2月15日）以来的更正：\n"
            "- 2024年3月1日：修建道路，2024年2月1日的状态评估：状态原为“进行中”，现为“有风险”；"
            "说明原为“招标已发布。”，现为“招标已取消。”。更正原因：误读了招标公告。\n") in text
    page = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert '<h2>自上次发送的一期（<time datetime="2024-02-15">2024年2月15日</time>）以来的更正</h2>' in page
