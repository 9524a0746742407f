"""Review and sign-off: with `review: required`, the commands write drafts that no edition, email
or archive shows until someone other than their author approves them, and then only from the
day of the approval; `tracker review` lists them; `reject` removes them and logs why;
`tracker report --drafts` previews them under a "DRAFT — not for distribution" mark."""
from __future__ import annotations

import datetime as dt
import json
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.trust_support import HARBOUR, data, edition, html_text, pdf_pages, problems, report, run, section, workspace

REVIEWED = HARBOUR.replace('method_version: "2026.1"\n', 'method_version: "2026.1"\nreview: required\n')
MARK = "DRAFT \u2014 not for distribution"
UPDATE = ("update", "harbour/quay", "--status", "at_risk", "--note", "Cracks found.", "--date", "2025-05-01",
          "--by", "alice")


def drafted(root: Path) -> None:
    """Four drafts by alice: an entry, an observation, a milestone completion and a correction."""
    for args in (UPDATE,
                 ("record", "harbour/quay/berths", "6", "--date", "2025-05-02", "--by", "alice"),
                 ("milestone", "harbour/quay/piles", "--done", "2025-05-03", "--by", "alice"),
                 ("correct", "harbour/ferry", "--entry", "2025-01-10", "--reason", "partner_withdrew",
                  "--why", "The operator pulled out.", "--date", "2025-05-04", "--by", "alice")):
        result = run(root, *args)
        assert result.exit_code == 0, result.stderr
        assert "(draft by alice, waiting for review)" in result.stdout


def test_the_commands_write_drafts(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    drafted(root)
    quay, ferry = data(root)["priorities"]
    assert quay["history"][-1] == {"date": dt.date(2025, 5, 1), "status": "at_risk", "note": "Cracks found.",
                                   "by": "alice", "draft": True}
    assert quay["indicators"][0]["observations"][-1] == {"date": dt.date(2025, 5, 2), "value": 6, "by": "alice",
                                                         "draft": True}
    assert quay["milestones"][0] == {"id": "piles", "title": "Piles driven", "due": dt.date(2025, 6, 30),
                                     "done": dt.date(2025, 5, 3), "by": "alice", "draft": True}
    assert ferry["corrections"][0]["draft"] is True and ferry["corrections"][0]["by"] == "alice"
    # A draft names its author: without --by (and no git author), nothing is written.
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "update", "harbour/quay", "--status", "stalled", "--note", "x", "--date", "2025-05-05")
    assert result.exit_code == 1
    assert "a draft names its author: pass --by NAME" in result.stderr
    assert (root / "policies" / "harbour.yaml").read_bytes() == before


def test_drafts_stay_out_of_editions_emails_and_the_archive(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    drafted(root)
    status = run(root, "status", "--as-of", "2025-06-01").stdout
    assert "In progress" in status and "At risk" not in status
    report(root, "2025-06-01")
    text = html_text(edition(root, "2025-06-01"))
    for drafted_text in ("Cracks found.", "6 berths", "Reason: Partner withdrew", "The operator pulled out.", MARK):
        assert drafted_text not in text
    assert "Piles driven 2025-06-30 \u2014 \u25f7 Due in 29 days" in text  # the milestone is still open

    (root / "policies" / "distribution.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 2525, security: none}\nsender: desk@example.org\n"
        "recipients:\n  harbour: [{address: reader@example.org}]\n", encoding="utf-8")
    (root / "reports" / "harbour" / "harbour-2025-06-01.pdf").write_bytes(b"%PDF-1.4 stand-in\n")
    result = run(root, "distribute", "--as-of", "2025-06-01", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert ("warning: harbour: 4 drafts waiting for review are left out of the edition "
            "(see `tracker review harbour`)") in result.stderr.splitlines()
    [eml] = (root / "reports" / "outbox").glob("*.eml")
    body = BytesParser(policy=policy.default).parsebytes(eml.read_bytes()).get_body(("plain",))
    content = body.get_content()  # type: ignore[union-attr]
    assert "In progress: 1" in content and "Stalled: 1" in content
    assert "At risk" not in content and "Cracks" not in content and "operator" not in content

    assert run(root, "publish").exit_code == 0
    index = html_text(root / "reports" / "index.html")
    feed = (root / "reports" / "feed.xml").read_text()
    assert "Status of 2 priorities: In progress: 1; Stalled: 1." in feed
    assert "At risk" not in index


def test_nobody_approves_their_own_draft(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    assert run(root, *UPDATE).exit_code == 0
    report(root, "2025-05-09")
    before_approval = edition(root, "2025-05-09").read_bytes()
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "approve", "harbour", "--by", "Alice", "--all")
    assert result.exit_code == 1
    assert result.stderr == ("error: harbour/quay: entry 2025-05-01: status at_risk, note 'Cracks found.' (by alice): "
                             "Alice cannot approve their own draft; someone else must (or the programme sets "
                             "review: self-allowed)\n")
    assert (root / "policies" / "harbour.yaml").read_bytes() == before

    result = run(root, "approve", "harbour/quay", "--by", "bob", "--entry", "2025-05-01", "--date", "2025-05-10")
    assert result.exit_code == 0, result.stderr
    assert data(root)["priorities"][0]["history"][-1] == {
        "date": dt.date(2025, 5, 1), "status": "at_risk", "note": "Cracks found.", "by": "alice",
        "approved_by": "bob", "approved_on": dt.date(2025, 5, 10)}
    assert run(root, "review").stdout == "No drafts waiting for review.\n"
    assert "# the March assessment" in (root / "policies" / "harbour.yaml").read_text()  # comments kept
    result = run(root, "approve", "harbour/ferry", "--by", "bob", "--all")
    assert (result.exit_code, result.stderr) == (1, "error: no drafts waiting for review in priority harbour/ferry\n")
    # Published from the day of its approval: an edition before it is unchanged, byte for byte.
    report(root, "2025-05-09", "--force")
    assert edition(root, "2025-05-09").read_bytes() == before_approval
    report(root, "2025-05-10")
    text = html_text(edition(root, "2025-05-10"))
    assert "Status: At risk" in text and "Cracks found." in text
    assert "Status changed from In progress to At risk on 2025-05-01 (worsened)." in text


def test_self_allowed_lets_authors_approve_their_own(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED.replace("review: required", "review: self-allowed"))
    assert run(root, *UPDATE).exit_code == 0
    result = run(root, "approve", "harbour", "--by", "alice", "--entry", "2025-05-01", "--date", "2025-05-02")
    assert result.exit_code == 0, result.stderr
    assert data(root)["priorities"][0]["history"][-1]["approved_by"] == "alice"


@pytest.mark.parametrize("review, entry, message", [
    ("required", "{date: 2025-05-01, status: at_risk, note: x, draft: true}",
     "priorities[0].history[2].draft: a draft entry must name its author (by)"),
    ("required", "{date: 2025-05-01, status: at_risk, note: x, by: Ana, approved_by: ana, approved_on: 2025-05-02}",
     "priorities[0].history[2].approved_by: the entry is approved by its own author (Ana); nobody approves their "
     "own draft unless the programme sets review: self-allowed"),
    ("off", "{date: 2025-05-01, status: at_risk, note: x, by: Ana, approved_by: Ana, approved_on: 2025-05-02}",
     "priorities[0].history[2].approved_by: the entry is approved by its own author (Ana); nobody approves their "
     "own draft unless the programme sets review: self-allowed"),
    ("required", "{date: 2025-05-01, status: at_risk, note: x, by: Ana, approved_by: Bo}",
     "priorities[0].history[2].approved_on: approved_by and approved_on go together: say who approved the entry "
     "and when"),
    ("self-allowed", "{date: 2025-05-01, status: at_risk, note: x, by: Ana, approved_by: Ana, approved_on: 2025-05-02}",
     None),
    ("required", "{date: 2025-05-01, status: at_risk, note: x, by: Ana, draft: true}", None),
])
def test_validation_of_hand_edited_review_fields(tmp_path: Path, review: str, entry: str, message: str | None) -> None:
    text = REVIEWED.replace("review: required", f"review: {review}").replace(
        "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n",
        f"      - {{date: 2025-03-01, status: in_progress, note: Piles driven.}}\n      - {entry}\n")
    root = workspace(tmp_path, text)
    result = run(root, "validate")
    if message is None:
        assert result.exit_code == 0, result.stderr
    else:
        assert result.exit_code == 1
        assert [line.split(": ", 1)[1] for line in problems(result)] == [message]


def test_a_hand_written_draft_behaves_like_one_written_by_the_commands(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR.replace(  # no review: setting at all
        "      - {date: 2025-01-10, status: stalled, note: No boat., reason: lacks_funding}\n",
        "      - {date: 2025-01-10, status: stalled, note: No boat., reason: lacks_funding}\n"
        "      - {date: 2025-02-01, status: abandoned, note: Plan dropped., by: carl, draft: true}\n"))
    report(root, "2025-06-01")
    text = html_text(edition(root, "2025-06-01"))
    assert "Plan dropped." not in text and "Abandoned since" not in text
    [draft] = json.loads(run(root, "review", "--json").stdout)["drafts"]
    assert (draft["priority"], draft["kind"], draft["by"], draft["status_before"], draft["status_after"]) == (
        "ferry", "entry", "carl", "stalled", "abandoned")


def test_review_lists_drafts_oldest_first_with_what_they_change(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    assert run(root, "review").stdout == "No drafts waiting for review.\n"
    assert run(root, "correct", "harbour/ferry", "--entry", "2025-01-10", "--status", "abandoned", "--why", "Dropped.",
               "--date", "2025-05-04", "--by", "alice").exit_code == 0
    assert run(root, *UPDATE).exit_code == 0
    assert run(root, "record", "harbour/quay/berths", "6", "--date", "2025-04-02", "--by", "dan").exit_code == 0
    result = run(root, "review", "harbour")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "3 drafts waiting for review, oldest first:",
        "DATE        DRAFT          KIND          BY     STATUS BEFORE -> AFTER      WHAT IT CHANGES",
        "2025-04-02  harbour/quay   observation   dan    In progress -> In progress  Berths open: latest figure 4 berths -> 6 berths",
        "2025-05-01  harbour/quay   status entry  alice  In progress -> At risk      status In progress -> At risk",
        "2025-05-04  harbour/ferry  correction    alice  Stalled -> Abandoned        status Stalled -> Abandoned (the status entry of 2025-01-10)",
    ]
    drafts = json.loads(run(root, "review", "--json").stdout)["drafts"]
    assert [(d["date"], d["kind"], d["status_before"], d["status_after"]) for d in drafts] == [
        ("2025-04-02", "observation", "in_progress", "in_progress"),
        ("2025-05-01", "entry", "in_progress", "at_risk"),
        ("2025-05-04", "correction", "stalled", "abandoned")]
    assert run(root, "review", "nope").exit_code == 1


def test_reject_removes_a_draft_and_logs_why(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    drafted(root)
    assert run(root, "reject", "harbour/quay", "--entry", "2025-05-01", "--by", "bob").exit_code == 2  # no --why
    assert run(root, "approve", "harbour", "--by", "bob").exit_code == 2  # neither --all nor --entry
    result = run(root, "reject", "harbour/quay", "--entry", "2025-05-01", "--entry", "2025-05-03",
                 "--why", "Not confirmed by the port.", "--by", "bob", "--date", "2025-05-06")
    assert result.exit_code == 0, result.stderr
    quay = data(root)["priorities"][0]
    assert [e["date"] for e in quay["history"]] == [dt.date(2025, 1, 10), dt.date(2025, 3, 1)]
    assert quay["milestones"][0] == {"id": "piles", "title": "Piles driven", "due": dt.date(2025, 6, 30)}
    assert data(root)["review_log"] == [
        {"date": dt.date(2025, 5, 6), "item": "harbour/quay: entry 2025-05-01: status at_risk, note 'Cracks found.' "
                                              "(by alice)",
         "by": "bob", "why": "Not confirmed by the port.", "drafted_by": "alice"},
        {"date": dt.date(2025, 5, 6), "item": "harbour/quay/piles: milestone done on 2025-05-03 (by alice)",
         "by": "bob", "why": "Not confirmed by the port.", "drafted_by": "alice"}]
    assert [d["date"] for d in json.loads(run(root, "review", "--json").stdout)["drafts"]] == [
        "2025-05-02", "2025-05-04"]
    assert run(root, "validate").exit_code == 0
    assert "# the March assessment" in (root / "policies" / "harbour.yaml").read_text()  # comments kept
    history = run(root, "history", "harbour/quay").stdout
    assert "Berths open: 6 berths [draft by alice, pending review]" in history


class _First(HTMLParser):
    """The first element inside <body>: its class and text."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.first: list[Any] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        elif self.in_body and not self.first:
            self.first = [tag, dict(attrs).get("class"), ""]

    def handle_data(self, text: str) -> None:
        if self.first and not self.first[2]:
            self.first[2] = text.strip()


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reviewed programme with a published correction and four drafts: its preview (HTML and PDF)
    and its regular edition (HTML) as of 2025-06-01."""
    root = workspace(tmp_path_factory.mktemp("preview"), REVIEWED.replace(
        "    indicators:\n      - id: berths",
        "    corrections:\n"
        "      - {date: 2025-04-01, entry: 2025-03-01, changes: {status: {was: in_progress, now: at_risk}, "
        "note: {was: Piles driven., now: Piles cracked.}}, why: The March site report was misread., by: Ana, "
        "approved_by: Bo, approved_on: 2025-04-02}\n"
        "    indicators:\n      - id: berths"))
    drafted(root)
    report(root, "2025-03-31")
    report(root, "2025-06-01")
    report(root, "2025-06-01", "--drafts", fmt="all")
    return root


def test_the_preview_shows_drafts_under_a_draft_mark_on_every_page(preview: Path) -> None:
    html_path = edition(preview, "2025-06-01", "html", drafts=True)
    pdf_path = edition(preview, "2025-06-01", "pdf", drafts=True)
    first = _First()
    first.feed(html_path.read_text(encoding="utf-8"))
    assert first.first == ["aside", "draft-mark", MARK]  # at the top of the HTML
    text = html_text(html_path)
    assert "Cracks found." in text and "Reason: Partner withdrew" in text  # the drafts are in the preview
    pages = pdf_pages(pdf_path)
    assert len(pages) > 5
    assert all(MARK in page for page in pages), [i for i, page in enumerate(pages, 1) if MARK not in page]
    # The regular edition has neither the drafts nor the mark; the archive never lists the preview.
    regular = html_text(edition(preview, "2025-06-01"))
    assert MARK not in regular and "Cracks found." not in regular
    assert run(preview, "publish").exit_code == 0
    index = (preview / "reports" / "index.html").read_text()
    assert "drafts/" not in index and index.count("harbour-2025-06-01.html") == 1


def test_the_preview_pdf_shows_the_correction(preview: Path) -> None:
    pages = pdf_pages(edition(preview, "2025-06-01", "pdf", drafts=True))
    text = " ".join(pages)
    corrections = section(text, "Corrections Earlier", "Rebuild the quay Status:")
    assert "2025-05-04 Start a ferry: the status entry of 2025-01-10" in corrections  # the draft correction
    assert "Appendix: corrections log" in pages[-1] or "Appendix: corrections log" in pages[-2]
    assert "Assessment corrected on 2025-04-01: The March site report was misread." in text
