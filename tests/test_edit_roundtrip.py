"""Round-trip editing: only the new record is added; comments, quoting, style, BOM and CRLF survive."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

import pytest
from edit_helpers import DATA, TODAY, added_lines, make_workspace, run

from tracker.edit import operations as edit
from tracker.edit import roundtrip
from tracker.errors import InvalidData
from tracker.model import yamlsafe
from tracker.model.workspace import Workspace

OPTIONS = edit.Options(today=TODAY)


def _ws(tmp_path: Path, text: str | None = None) -> tuple[Workspace, Path]:
    path = make_workspace(tmp_path, text)
    return Workspace.at(tmp_path), path


def test_entry_appended_to_a_commented_file_adds_only_its_lines(tmp_path: Path) -> None:
    ws, path = _ws(tmp_path)
    before = path.read_text()
    edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2025, 5, 2), "at_risk", "Cracks found in the piles.",
                                                     ("paper-2024",), "Ana"), OPTIONS)
    after = path.read_text()
    assert added_lines(before, after) == [
        "      - date: 2025-05-02\n",
        "        status: at_risk\n",
        "        note: Cracks found in the piles.\n",
        "        sources: [paper-2024]\n",
        "        by: Ana\n",
    ]
    # The new entry sits right after the last entry, before the milestones.
    assert "        by: \"Desk\"\n      - date: 2025-05-02\n" in after
    assert Workspace.at(tmp_path).load_file(path).priority("quay").latest_entry(TODAY).status == "at_risk"


def test_every_comment_quote_and_blank_line_survives_a_series_of_edits(tmp_path: Path) -> None:
    ws, path = _ws(tmp_path)
    before = path.read_text()
    edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2023, 6, 1), "in_progress", "Back-filled."), OPTIONS)
    edit.add_entry(ws, "harbour", "park", edit.Entry(dt.date(2025, 1, 5), "not_started", "Not begun."), OPTIONS)
    edit.add_observation(ws, "harbour", "quay", "berths", edit.Observation(dt.date(2025, 2, 1), 6), OPTIONS)
    edit.add_observation(ws, "harbour", "park", "trees", edit.Observation(dt.date(2025, 2, 1), 12.5), OPTIONS)
    edit.complete_milestone(ws, "harbour", "quay", "opening", dt.date(2025, 5, 30), ("paper-2024",), OPTIONS)
    edit.add_source(ws, "harbour", edit.NewSource("report-2025", "Annual report: 2025", "City council",
                                                  "2025", "https://example.org/r", "official"), OPTIONS)
    after = path.read_text()
    added = added_lines(before, after)  # nothing of the original changed or moved
    assert "".join(added) == (
        "  - id: report-2025\n"
        "    title: 'Annual report: 2025'\n"
        "    publisher: City council\n"
        "    date: '2025'\n"
        "    url: https://example.org/r\n"
        "    kind: official\n"
        "      - date: 2023-06-01\n"
        "        status: in_progress\n"
        "        note: Back-filled.\n"
        "        done: 2025-05-30\n"
        "        sources: [paper-2024]\n"
        "          - date: 2025-02-01\n"
        "            value: 6\n"
        "    history:\n"
        "      - date: 2025-01-05\n"
        "        status: not_started\n"
        "        note: Not begun.\n"
        "        observations:\n"
        "          - date: 2025-02-01\n"
        "            value: 12.5\n"
    )
    # Every comment line of the original is still there, in the same order.
    comments = [line for line in before.splitlines() if "#" in line]
    assert [line for line in after.splitlines() if "#" in line] == comments
    programme = Workspace.at(tmp_path).load_file(path)
    quay = programme.priority("quay")
    assert [e.date.isoformat() for e in quay.history] == ["2023-01-10", "2023-06-01", "2024-03-15"]
    assert [m.done for m in quay.milestones] == [dt.date(2023, 9, 12), dt.date(2025, 5, 30)]
    assert programme.priority("park").indicators[0].observations[0].value == 12.5


def test_back_filled_entry_goes_after_entries_of_the_same_date(tmp_path: Path) -> None:
    ws, path = _ws(tmp_path)
    edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2024, 3, 15), "at_risk", "Same day, later news."), OPTIONS)
    edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2022, 12, 1), "not_started", "Earliest."), OPTIONS)
    quay = Workspace.at(tmp_path).load_file(path).priority("quay")
    assert [(e.date.isoformat(), e.status) for e in quay.history] == [
        ("2022-12-01", "not_started"), ("2023-01-10", "not_started"),
        ("2024-03-15", "in_progress"), ("2024-03-15", "at_risk")]
    assert quay.latest_entry(dt.date(2024, 3, 15)).status == "at_risk"


def test_flow_style_entries_stay_flow_style(tmp_path: Path) -> None:
    ws, path = _ws(tmp_path)
    before = path.read_text()
    edit.add_entry(ws, "harbour", "ferry", edit.Entry(dt.date(2024, 2, 1), "in_progress", "Tender out",
                                                      ("plan-2023",)), OPTIONS)
    after = path.read_text()
    old_line = ('    history: [{date: 2023-01-10, status: not_started}, {date: 2024-05-01, status: in_progress, '
                'note: "Operator chosen"}]\n')
    new_line = ('    history: [{date: 2023-01-10, status: not_started}, {date: 2024-02-01, status: in_progress, '
                'note: Tender out, sources: [plan-2023]}, {date: 2024-05-01, status: in_progress, '
                'note: "Operator chosen"}]\n')
    assert old_line in before and after == before.replace(old_line, new_line)


def test_history_list_is_created_where_the_schema_puts_it(tmp_path: Path) -> None:
    ws, path = _ws(tmp_path)
    before = path.read_text()
    edit.add_entry(ws, "harbour", "park", edit.Entry(dt.date(2025, 1, 5), "not_started", "Not begun."), OPTIONS)
    assert path.read_text() == before.replace(
        "    title: Waterfront park\n",
        "    title: Waterfront park\n    history:\n      - date: 2025-01-05\n        status: not_started\n"
        "        note: Not begun.\n")


def test_bom_and_crlf_line_endings_are_kept(tmp_path: Path) -> None:
    original = (DATA / "commented.yaml").read_bytes()
    crlf = b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n")
    path = make_workspace(tmp_path, "")
    path.write_bytes(crlf)
    ws = Workspace.at(tmp_path)
    edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2025, 5, 2), "in_progress", "Still going."), OPTIONS)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") == original.count(b"\n") + 3
    assert b"\r\n      - date: 2025-05-02\r\n        status: in_progress\r\n        note: Still going.\r\n" in data
    assert ws.load_file(path).priority("quay").latest_entry(TODAY).note == "Still going."


def test_file_without_final_newline(tmp_path: Path) -> None:
    text = (DATA / "commented.yaml").read_text().rstrip("\n")
    ws, path = _ws(tmp_path, text)
    edit.add_entry(ws, "harbour", "ferry", edit.Entry(dt.date(2025, 1, 1), "in_progress", "x"), OPTIONS)
    after = path.read_text()
    assert not after.endswith("\n") and after.endswith("# Last line of the file: a comment.")
    # Appending at the very end of the file works too.
    edit.add_observation(ws, "harbour", "park", "trees", edit.Observation(dt.date(2025, 2, 1), 3), OPTIONS)
    assert ws.load_file(path).priority("park").indicators[0].observations[0].value == 3


@pytest.mark.parametrize("note, written", [
    ("yes", "note: 'yes'"),  # a YAML 1.1 boolean: must stay text
    ("on", "note: 'on'"),
    ("12:30", "note: '12:30'"),  # YAML 1.1 sexagesimal
    ("2024-01-01", "note: '2024-01-01'"),
    ("# not a comment", "note: '# not a comment'"),
    ("key: value", "note: 'key: value'"),
    ("- dash", "note: '- dash'"),
    ("It's \"quoted\"", "note: It's \"quoted\""),
    ("Ünïcödé – ok", "note: Ünïcödé – ok"),
    ("two\nlines", "note: |-\n          two\n          lines"),
])
def test_notes_that_look_like_other_things_stay_text(tmp_path: Path, note: str, written: str) -> None:
    ws, path = _ws(tmp_path)
    edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2025, 5, 2), "at_risk", note), OPTIONS)
    assert written in path.read_text()
    assert ws.load_file(path).priority("quay").latest_entry(TODAY).note == note


@pytest.mark.parametrize("value, written", [(7, "value: 7"), (-2.5, "value: -2.5"), (1e-05, "value: 0.00001"),
                                            (1e20, "value: 100000000000000000000.0")])
def test_numbers_are_written_so_that_every_reader_takes_them_as_numbers(tmp_path: Path, value: float,
                                                                        written: str) -> None:
    ws, path = _ws(tmp_path)
    edit.add_observation(ws, "harbour", "quay", "berths", edit.Observation(dt.date(2025, 2, 1), value), OPTIONS)
    assert written in path.read_text()
    assert ws.load_file(path).priority("quay").indicators[0].latest(TODAY).value == value


def test_file_in_another_indentation_style_keeps_its_style(tmp_path: Path) -> None:
    text = (
        "id: wide\n"
        "title: Four-space style\n"
        "priorities:\n"
        "    -   id: one\n"
        "        title: One\n"
        "        history:\n"
        "            -   date: 2024-01-01\n"
        "                status: in_progress   # aligned comment\n"
        "                note:    spaced   out\n"
        "    -   id: two\n"
        "        title: Two\n"
    )
    ws, path = _ws(tmp_path, text)
    edit.add_entry(ws, "wide", "one", edit.Entry(dt.date(2025, 1, 1), "stalled", "Paused."), OPTIONS)
    assert path.read_text() == text.replace(
        "note:    spaced   out\n",
        "note:    spaced   out\n"
        "            -   date: 2025-01-01\n"
        "                status: stalled\n"
        "                note: Paused.\n")


def test_an_edit_may_change_a_value_in_place() -> None:
    text = "id: a\ntitle: A\npriorities: []\n"

    def rename(data: dict, b: roundtrip.Builder) -> None:
        data["title"] = b.text("B")

    assert roundtrip.edit_text(text, rename, "x.yaml").text == "id: a\ntitle: B\npriorities: []\n"


def test_unreadable_text_is_reported_with_its_position() -> None:
    with pytest.raises(InvalidData) as caught:
        roundtrip.edit_text("id: a\n  bad: [\n", lambda d, b: None, "policies/x.yaml")
    assert str(caught.value).startswith("policies/x.yaml:")


def test_an_empty_edit_changes_nothing() -> None:
    text = (DATA / "commented.yaml").read_text()
    assert roundtrip.edit_text(text, lambda d, b: None, "x.yaml").text == text
    assert yamlsafe.parse(text, "x").data["id"] == "harbour"


@pytest.mark.parametrize("empty", ["history: []", "history:", "history: ~", "history: []   # none yet"])
def test_an_empty_history_becomes_a_block_list(tmp_path: Path, empty: str) -> None:
    text = f"id: e\ntitle: E\npriorities:\n  - id: one\n    title: One\n    {empty}\n  - id: two\n    title: Two\n"
    ws, path = _ws(tmp_path, text)
    edit.add_entry(ws, "e", "one", edit.Entry(dt.date(2025, 1, 1), "in_progress", "Begun."), OPTIONS)
    after = path.read_text()
    assert after.startswith("id: e\ntitle: E\npriorities:\n  - id: one\n    title: One\n    history:")
    assert after.endswith("\n      - date: 2025-01-01\n        status: in_progress\n        note: Begun.\n"
                          "  - id: two\n    title: Two\n")
    assert ("# none yet" in after) == ("# none yet" in empty)
    assert ws.load_file(path).priority("one").latest_entry(TODAY).note == "Begun."


def test_document_markers_and_a_closing_comment_are_kept(tmp_path: Path) -> None:
    text = ("---\nid: e\ntitle: E\npriorities:\n- id: one\n  title: One\n  history:\n  - date: 2024-01-01\n"
            "    status: in_progress   # x\n# trailing top comment\n...\n")
    ws, path = _ws(tmp_path, text)
    edit.add_entry(ws, "e", "one", edit.Entry(dt.date(2025, 1, 1), "stalled", "Paused."), OPTIONS)
    assert path.read_text() == text.replace(
        "# x\n", "# x\n  - date: 2025-01-01\n    status: stalled\n    note: Paused.\n")


@pytest.mark.parametrize("text", [
    # An anchor ruamel.yaml would drop, and an alias.
    "id: e\ntitle: E\nsources:\n- &src {id: s1, title: S}\npriorities:\n- id: one\n  title: &t One\n"
    "  summary: *t\n  history:\n  - date: 2024-01-01\n    status: in_progress\n",
    # Multi-line plain and double-quoted scalars, which ruamel.yaml would join into one line.
    "id: e\ntitle: E\npriorities:\n  - id: one\n    title: \"A very\n      long title\"\n    history:\n"
    "      - date: 2024-01-01\n        status: in_progress\n        note: plain multi\n          line note\n",
])
def test_what_ruamel_rewrites_next_to_the_edit_is_kept_as_written(tmp_path: Path, text: str) -> None:
    ws, path = _ws(tmp_path, text)
    edit.add_entry(ws, "e", "one", edit.Entry(dt.date(2025, 1, 1), "stalled", "Paused."), OPTIONS)
    after = path.read_text()
    indent = "  " if "\n  - date" in text else "      "
    assert after == text + f"{indent}- date: 2025-01-01\n{indent}  status: stalled\n{indent}  note: Paused.\n"


# --- YAML 1.2 values, any layout, a fixed number of parses -------------------------------------

URL = "https://example.org/n?id=42"


def test_every_editing_command_accepts_a_url_with_a_query(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    before = path.read_text()
    for args in (["update", "harbour/quay", "--status", "in_progress", "--note", "x", "--source", URL,
                  "--date", "2025-05-01"],
                 ["record", "harbour/quay/berths", "6", "--source", URL, "--date", "2025-05-01"],
                 ["milestone", "harbour/quay/opening", "--done", "2025-05-01", "--source", URL],
                 ["source", "add", "harbour", "--id", "notice", "--title", "Notice", "--url", URL + "&p=2#top"]):
        result = run(tmp_path, *args)
        assert result.exit_code == 0, result.output
    added = added_lines(before, path.read_text())  # the rest of the file byte for byte
    assert f"        sources: [{URL}]\n" in added  # in a flow list, where YAML 1.1 ended the scalar at '?'
    assert f"            source: {URL}\n" in added
    assert f"    url: {URL}&p=2#top\n" in added
    programme = Workspace.at(tmp_path).load_file(path)
    quay = programme.priority("quay")
    assert quay.latest_entry(TODAY).sources == (URL,)
    assert quay.indicators[0].latest(TODAY).source == URL
    assert quay.milestones[1].sources == (URL,)
    assert programme.source("notice").url == URL + "&p=2#top"


# Text that YAML 1.2 (or 1.1) would read as something else unless quoted, or whose syntax needs
# quotes in a block or in a flow collection.
NOTES = ["2e1", "0o17", "0x1F", "017", "+1", "-.5", ".inf", "~", "null", "Null", "true", "False", "yes", "off",
         "1:30", "a #b", "a#b", "x: y", "x:", "[a]", "{b}", "a, b", "a]b", "? x", "&anchor", "*alias", "!tag", "|",
         ">", "%x", "@x", "`x`", "'q'", '"q"', URL, "tab\there", "Ünïcödé", " lead", "trail ", "two\nlines"]


@pytest.mark.parametrize("note", NOTES, ids=repr)
def test_text_that_looks_like_other_yaml_reads_back_as_text(tmp_path: Path, note: str) -> None:
    ws, path = _ws(tmp_path)
    before = path.read_text()
    # A block list (quay) and a flow list (ferry): each context has its own rules.
    for priority in ("quay", "ferry"):
        edit.add_entry(ws, "harbour", priority, edit.Entry(dt.date(2025, 5, 2), "in_progress", note), OPTIONS)
    programme = ws.load_file(path)
    for priority in ("quay", "ferry"):
        assert programme.priority(priority).latest_entry(TODAY).note == note.strip()
    flow = "    history: [{date: 2023-01-10"  # the ferry's one line, where the entry is inserted
    assert len(added_lines("".join(line for line in before.splitlines(True) if not line.startswith(flow)),
                           "".join(line for line in path.read_text().splitlines(True)
                                   if not line.startswith(flow)))) == 3 + 2 * ("\n" in note)


SAME_COLUMN = """\
id: p
title: P
sources:
- id: s1
  title: S1
priorities:
- id: a
  title: A
  history:
  - date: 2024-01-01
    status: in_progress
    sources:
    - s1
  indicators:
  - id: i
    title: I
    unit: u
    baseline: {date: 2024-01-01, value: 1}
    observations:
    - date: 2024-02-01
      value: 2
- id: b
  title: B
"""


def test_a_list_written_at_its_keys_column_keeps_its_lines(tmp_path: Path) -> None:
    ws, path = _ws(tmp_path, SAME_COLUMN)
    edit.add_entry(ws, "p", "a", edit.Entry(dt.date(2025, 1, 1), "in_progress", "More.", ("s1", URL)), OPTIONS)
    edit.add_observation(ws, "p", "a", "i", edit.Observation(dt.date(2025, 1, 1), 3), OPTIONS)
    edit.add_entry(ws, "p", "b", edit.Entry(dt.date(2025, 1, 1), "not_started", "Stated."), OPTIONS)
    edit.add_source(ws, "p", edit.NewSource("s2", "S2"), OPTIONS)
    assert path.read_text() == SAME_COLUMN.replace(
        "  title: S1\n", "  title: S1\n- id: s2\n  title: S2\n").replace(
        "    - s1\n  indicators:", f"    - s1\n  - date: 2025-01-01\n    status: in_progress\n    note: More.\n"
        f"    sources:\n    - s1\n    - {URL}\n  indicators:").replace(
        "      value: 2\n", "      value: 2\n    - date: 2025-01-01\n      value: 3\n") + (
        "  history:\n  - date: 2025-01-01\n    status: not_started\n    note: Stated.\n")


@pytest.mark.parametrize("text", [None, SAME_COLUMN], ids=["commented", "same-column"])
def test_an_update_parses_the_file_twice_whatever_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           text: str | None) -> None:
    parses: list[int] = []
    parse = yamlsafe.parse
    monkeypatch.setattr(yamlsafe, "parse", lambda *args, **kwargs: parses.append(1) or parse(*args, **kwargs))
    ref = "harbour/quay" if text is None else "p/a"
    for copies in (1, 30):  # the same programme with thirty times as many priorities
        root = tmp_path / str(copies)
        body = (DATA / "commented.yaml").read_text() if text is None else text
        head, _, priorities = body.partition("priorities:\n")
        extra = "".join(priorities.replace("id: quay", f"id: quay{n}").replace("id: ferry", f"id: ferry{n}")
                        .replace("id: park", f"id: park{n}").replace("- id: a\n", f"- id: a{n}\n")
                        .replace("- id: b\n", f"- id: b{n}\n") for n in range(copies - 1))
        make_workspace(root, head + "priorities:\n" + priorities + extra)
        parses.clear()
        result = run(root, "update", ref, "--status", "in_progress", "--note", "x", "--source", URL)
        assert result.exit_code == 0, result.output
        assert len(parses) == 2  # the file as it was, and as it is after the edit
        parses.clear()  # an edit whose result breaks a rule: once more, to say where
        result = run(root, "update", ref, "--status", "achieved", "--note", "x")  # cites no source
        assert result.exit_code == 1 and ":" in result.stderr.split()[0]
        assert len(parses) == 3


# --- removals and replacements (review: approve, reject), written in place as well ---------------

BLOCKS = """\
id: r   # review
title: R
priorities:
  - id: a
    title: A
    history:
      - date: 2024-01-01   # first
        status: in_progress
        draft: true
        by: ana
      # about the second
      - date: 2024-02-01
        status: in_progress
      - {date: 2024-03-01, status: at_risk, note: x, draft: true}
    milestones: [{id: m, title: M, due: 2025-01-01, done: 2024-05-01, draft: true}]
    indicators:
      - draft: true
        id: i
        title: I
        unit: u
        baseline: {date: 2024-01-01, value: 1}
        observations:
          - date: 2024-02-01
            value: 2
"""


@pytest.mark.parametrize("change, expected", [
    # A key on its own line; a list item's first key, on the dash's line; a key of a flow mapping.
    (lambda d, b: d["priorities"][0]["history"][0].pop("draft"),
     BLOCKS.replace("        draft: true\n        by: ana\n", "        by: ana\n")),
    (lambda d, b: d["priorities"][0]["indicators"][0].pop("draft"),
     BLOCKS.replace("      - draft: true\n        id: i\n", "      - id: i\n")),
    (lambda d, b: d["priorities"][0]["milestones"][0].pop("draft"),
     BLOCKS.replace("done: 2024-05-01, draft: true}]", "done: 2024-05-01}]")),
    (lambda d, b: [d["priorities"][0]["milestones"][0].pop(k) for k in ("done", "draft")],
     BLOCKS.replace("due: 2025-01-01, done: 2024-05-01, draft: true}]", "due: 2025-01-01}]")),
    # List items: the first (its comment on its line goes with it), a flow one, the only one.
    (lambda d, b: d["priorities"][0]["history"].pop(0),
     BLOCKS.replace("      - date: 2024-01-01   # first\n        status: in_progress\n        draft: true\n"
                    "        by: ana\n", "")),
    (lambda d, b: d["priorities"][0]["history"].pop(2),
     BLOCKS.replace("      - {date: 2024-03-01, status: at_risk, note: x, draft: true}\n", "")),
    (lambda d, b: d["priorities"][0]["indicators"][0]["observations"].pop(0),
     BLOCKS.replace("        observations:\n          - date: 2024-02-01\n            value: 2\n",
                    "        observations: []\n")),
    # Removed and added in one edit, as an approval does; a value replaced.
    (lambda d, b: (d["priorities"][0]["history"][2].pop("draft"),
                   d["priorities"][0]["history"][2].update(approved_by=b.text("bo"), approved_on=b.date(TODAY))),
     BLOCKS.replace("note: x, draft: true}", "note: x, approved_by: bo, approved_on: 2025-06-01}")),
    (lambda d, b: d.update(title=b.text("R: renamed")), BLOCKS.replace("title: R\n", "title: 'R: renamed'\n")),
    # An item removed and its neighbour changed in one edit, as a rejection that relinks corrections does.
    (lambda d, b: (d["priorities"][0]["history"].pop(0), d["priorities"][0]["history"][0].update(status="stalled")),
     BLOCKS.replace("      - date: 2024-01-01   # first\n        status: in_progress\n        draft: true\n"
                    "        by: ana\n", "").replace("2024-02-01\n        status: in_progress", "2024-02-01\n        status: stalled")),
    (lambda d, b: (d["priorities"][0]["history"].pop(0), d["priorities"][0]["history"].pop(1),
                   d["priorities"][0]["history"][0].update(note="y")),
     BLOCKS.replace("      - date: 2024-01-01   # first\n        status: in_progress\n        draft: true\n"
                    "        by: ana\n", "").replace("      - {date: 2024-03-01, status: at_risk, note: x, draft: true}\n", "")
     .replace("2024-02-01\n        status: in_progress\n", "2024-02-01\n        status: in_progress\n        note: y\n")),
], ids=["key", "first-key-of-item", "flow-key", "flow-keys", "item", "flow-item", "only-item", "approval",
        "value", "item-and-neighbour", "items-and-neighbour"])
def test_removals_and_replacements_change_only_their_own_text(change: Callable[..., object], expected: str) -> None:
    edited = roundtrip.edit_text(BLOCKS, change, "x.yaml")
    assert edited.text == expected
    assert "# about the second" in edited.text and "# review" in edited.text


def test_review_commands_parse_the_file_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses: list[int] = []
    parse = yamlsafe.parse
    monkeypatch.setattr(yamlsafe, "parse", lambda *args, **kwargs: parses.append(1) or parse(*args, **kwargs))
    make_workspace(tmp_path, BLOCKS.replace("id: r   # review\n", "id: r   # review\nreview: required\n")
                   .replace("note: x, draft: true}", "note: x, by: ana, draft: true}")
                   .replace("done: 2024-05-01, draft: true}", "done: 2024-05-01, by: ana, draft: true}")
                   .replace("      - draft: true\n        id: i\n", "      - id: i\n"))
    result = run(tmp_path, "approve", "r", "--all", "--by", "bo", "--date", "2025-01-02")
    assert result.exit_code == 0, result.output
    assert len(parses) == 2
    doc = yamlsafe.parse((tmp_path / "policies" / "harbour.yaml").read_text(), "x")
    assert "draft" not in repr(doc.data) and doc.data["priorities"][0]["history"][2]["approved_by"] == "bo"
