"""Text that is not text: refused where it enters (files, options, file names), never printed raw.

Control characters, lone surrogates and non-characters, line breaks where one line is meant,
patterns that must match a whole string, and numbers too large to compute with.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, run
from tracker.cli.common import printable

# Members of the class, each as a YAML double-quoted escape, with the code point reported.
NOT_TEXT = [
    ("\\0", "U+0000"), ("\\a", "U+0007"), ("\\e", "U+001B"), ("\\f", "U+000C"), ("\\x7f", "U+007F"),
    ("\\r", "U+000D"), ("\\x85", "U+0085"), ("\\x9b", "U+009B"), ("\\ud800", "U+D800"), ("\\udce9", "U+DCE9"),
    ("\\ufffe", "U+FFFE"), ("\\uffff", "U+FFFF"), ("\\ufdd0", "U+FDD0"), ("\\U0001FFFE", "U+1FFFE"),
]
LOCATED = re.compile(r"^policies/demo\.yaml:\d+:\d+: (?P<field>[^:]+): (?P<message>.*)$")


def problems(workspace, text: str) -> list[str]:
    root = workspace({"demo.yaml": text})
    result = run("validate", root=root)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    return result.stderr.strip().splitlines()


@pytest.mark.parametrize("escape, code", NOT_TEXT)
@pytest.mark.parametrize("old, new, field", [
    ("title: Build roads", 'title: "Build {} roads"', "priorities[0].title"),
    ("note: Tender published.", 'note: "Tender {} published."', "priorities[0].history[1].note"),
    ("owner: Test Desk", 'owner: "Test{}Desk"', "owner"),
    ("publisher: Ministry", 'publisher: "Mini{}stry"', "sources[0].publisher"),
    ('url: "https://example.org/gazette"', 'url: "https://example.org/gaz{}ette"', "sources[0].url"),
    ("title: Contract signed", 'title: "Contract {}signed"', "priorities[0].milestones[1].title"),
    ("unit: km", 'unit: "k{}m"', "priorities[0].indicators[0].unit"),
])
def test_characters_that_are_not_text_are_located_validation_errors(workspace, escape: str, code: str,
                                                                     old: str, new: str, field: str) -> None:
    bad = MINIMAL.replace(old, new.format(escape))
    assert bad != MINIMAL
    (line,) = problems(workspace, bad)
    match = LOCATED.match(line)
    assert match, line
    if code.startswith("U+D"):  # a lone surrogate is not even a YAML escape: the loader stops there
        assert match["message"] == "YAML syntax error: found invalid Unicode character escape code", line
    else:
        assert match["field"] == field and code in match["message"], line
    assert "\x1b" not in line and "\ud800" not in line


def test_the_location_is_the_value(workspace) -> None:
    bad = MINIMAL.replace("title: Build roads", 'title: "Build \\e]52;c;aGk=\\a roads"')
    assert problems(workspace, bad) == [
        "policies/demo.yaml:10:12: priorities[0].title: a control character (U+001B at character 7) is not "
        "allowed; only tab"]


def test_a_line_break_only_where_a_field_holds_lines(workspace) -> None:
    titled = MINIMAL.replace("title: Build roads", 'title: "Build\\nroads"')
    assert problems(workspace, titled) == [
        "policies/demo.yaml:10:12: priorities[0].title: a line break (U+000A at character 6) is not allowed "
        "here: this is one line of text"]
    # A note is a paragraph: line breaks and tabs are fine, and so is a block scalar's last line break.
    noted = MINIMAL.replace("note: Budget cut.}", 'note: "Budget cut.\\n\\tSee annex."}').replace(
        "title: Build roads", "title: |\n      Build roads")
    root = workspace({"demo.yaml": noted})
    assert run("validate", root=root).exit_code == 0


@pytest.mark.parametrize("old, new, field", [
    ("id: demo", 'id: "demo\\n"', "id"),
    ("  - id: roads", '  - id: "roads\\n"', "priorities[0].id"),
    ("{id: gazette,", '{id: "gazette\\n",', "sources[0].id"),
    ("{id: tender,", '{id: "tender\\n",', "priorities[0].milestones[0].id"),
    ("{date: 2024-01-01, status: not_started}", '{date: "2024-01-01\\n", status: not_started}',
     "priorities[0].history[0].date"),
    ("{date: 2024-01-01, status: not_started}", '{date: 2024-01-01, status: "not_started\\n"}',
     "priorities[0].history[0].status"),
    ("date: 2024-01-02,", 'date: "2024-01\\n",', "sources[0].date"),
    ("sources: [gazette]}\n    milestones", 'sources: ["gazette\\n"]}\n    milestones', "priorities[0].history[1].sources[0]"),
    ("review_every_days: 90", "review_every_days: 90\naccent: \"#aabbcc\\n\"", "accent"),
    ("date: 2024-01-01, status: at_risk", "date: \"2024-01-01\\n\", status: at_risk", "priorities[1].history[0].date"),
    ("id: demo", "id: demo\nlogo: \"assets/logo.svg\\n\"", "logo"),
])
def test_patterns_match_the_whole_string(workspace, old: str, new: str, field: str) -> None:
    bad = MINIMAL.replace(old, new, 1)
    assert bad != MINIMAL
    lines = problems(workspace, bad)
    assert any((m := LOCATED.match(line)) and m["field"] == field for line in lines), lines


@pytest.mark.parametrize("value", [
    "1.0e+400", "-1.0e+400", ".inf", "-.inf", "1" + "0" * 399, "-" + "9" * 400, "1.0e+101", "2" * 120,
])
@pytest.mark.parametrize("where", ["baseline", "target", "observation"])
def test_numbers_beyond_range_are_located_errors(workspace, value: str, where: str) -> None:
    old = {"baseline": "value: 0,", "target": "value: 100}", "observation": "value: 12,"}[where]
    bad = MINIMAL.replace(old, old.replace(old.split(": ")[1].rstrip(",}"), value), 1)
    (line,) = problems(workspace, bad)
    match = LOCATED.match(line)
    assert match, line
    assert match["field"].endswith(".value") and "number too large" in match["message"], line
    assert len(line) < 300


def test_a_huge_whole_number_where_a_count_is_expected(workspace) -> None:
    bad = MINIMAL.replace("review_every_days: 90", "review_every_days: " + "7" * 400)
    assert problems(workspace, bad) == [
        "policies/demo.yaml:5:20: review_every_days: expected a whole number from 1 to 3660 but got "
        "a whole number of 400 digits"]


def test_reports_never_start_from_such_data(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL.replace("title: Build roads", 'title: "Build\\froads"')})
    result = run("report", "--as-of", "2024-06-30", "--format", "html", root=root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "priorities[0].title" in result.stderr
    assert list((root / "reports").iterdir()) == []


def test_a_file_name_that_is_not_utf8_is_a_clear_error(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    (root / "policies" / os.fsdecode(b"caf\xe9.yaml")).write_text(MINIMAL.replace("id: demo", "id: cafe"))
    for command in (["validate"], ["status", "--as-of", "2024-06-30"], ["report", "--format", "html"]):
        result = run(*command, root=root)
        assert result.exit_code == 1, result.output
        assert result.stderr == ("policies/caf\\xe9.yaml:1:1: (file): the file name is not valid UTF-8; "
                                 "rename the file\n")


# --- options ---------------------------------------------------------------------------------------

@pytest.fixture
def demo(workspace) -> Path:
    return workspace({"demo.yaml": MINIMAL})


@pytest.mark.parametrize("args", [
    ["update", "demo/roads", "--status", "in_progress", "--note", "Paving\x1b]52;c;aGk=\x07", "--yes"],
    ["update", "demo/roads", "--status", "in_progress", "--note", "Paving", "--by", "Ana\nBcc: x", "--yes"],
    ["update", "demo/roads", "--status", "in_progress\x9b", "--note", "Paving", "--yes"],
    ["update", "demo/roads", "--status", "in_progress", "--note", "caf\udce9", "--yes"],
    ["update", "demo/roads", "--status", "in_progress", "--note", "x\ufffe", "--yes"],
    ["update", "demo/roads", "--status", "in_progress", "--note", "ok", "--source", "https://example.org/\x00", "--yes"],
    ["update", "demo/roads", "--status", "in_progress", "--note", "ok", "--source", "https://example.org/x\n", "--yes"],
    ["update", "demo\n/roads", "--status", "in_progress", "--note", "ok", "--yes"],
    ["record", "demo/roads/km", "12", "--note", "\x07"],
    ["record", "demo/roads/km", "1e400"],
    ["record", "demo/roads/km", "1" + "0" * 400],
    ["record", "demo/roads/km", "7" * 5000],
    ["milestone", "demo/roads/contract", "--done", "2024-05-01\n"],
    ["source", "add", "demo", "--id", "new\n", "--title", "New"],
    ["source", "add", "demo", "--id", "new", "--title", "Two\nlines"],
    ["source", "add", "demo", "--id", "new", "--title", "New", "--publisher", "A\x1bB"],
    ["source", "add", "demo", "--id", "new", "--title", "New", "--date", "2024\n"],
    ["report", "--out", "out\x1b"],
    ["report", "--as-of", "2024-06-30\n"],
    ["status", "--as-of", "2024-06-30\udce9"],
    ["publish", "--base-url", "https://example.org/\x0c/"],
    ["distribute", "--to", "a@example.org\r\nBcc: b@example.org"],
])
def test_every_option_refuses_what_is_not_text_with_exit_2(demo: Path, args: list[str]) -> None:
    before = (demo / "policies" / "demo.yaml").read_bytes()
    result = run(*args, root=demo)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", result.output), result.output
    assert (demo / "policies" / "demo.yaml").read_bytes() == before
    assert sorted(p.name for p in demo.iterdir()) == ["policies", "reports"]


def test_the_library_refuses_it_too_and_writes_nothing(demo: Path) -> None:
    import datetime as dt

    from tracker.edit import operations as edit
    from tracker.errors import InvalidData
    from tracker.model.workspace import Workspace

    before = (demo / "policies" / "demo.yaml").read_bytes()
    entry = edit.Entry(date=dt.date(2024, 5, 1), status="in_progress", note="Paving\x1b[2J", sources=(), by="")
    with pytest.raises(InvalidData) as caught:
        edit.add_entry(Workspace.at(demo), "demo", "roads", entry, edit.Options(today=dt.date(2024, 6, 1)))
    assert "U+001B" in str(caught.value)
    assert (demo / "policies" / "demo.yaml").read_bytes() == before


# --- printing --------------------------------------------------------------------------------------

def test_printable_writes_out_what_a_terminal_would_act_on() -> None:
    assert printable("a\x1b]52;c;aGk=\x07b") == "a\\u001b]52;c;aGk=\\u0007b"
    assert printable("\x9b31m \udce9 \x7f") == "\\u009b31m \\udce9 \\u007f"
    assert printable("tab\tline\nend, caf\u00e9, \u202eRTL") == "tab\tline\nend, caf\u00e9, \u202eRTL"


def test_a_file_name_with_escape_sequences_is_printed_inert(workspace) -> None:
    name = "x\x1b]52;c;aGk=\x07.yaml"
    root = workspace({name: MINIMAL.replace("review_every_days: 90", "review_every_days: soon")})
    result = run("validate", root=root)
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert result.stderr.startswith("policies/x\\u001b]52;c;aGk=\\u0007.yaml:5:20: review_every_days:")


def test_commands_print_through_the_one_sanitizing_echo() -> None:
    """Every command (those added later too) prints with cli.common.echo, which makes text inert."""
    cli = Path(__file__).resolve().parent.parent / "tracker" / "cli"
    direct = [str(p.relative_to(cli)) for p in cli.rglob("*.py")
              if p.name != "common.py" and re.search(r"click\.(echo|secho)\(|\bprint\(", p.read_text("utf-8"))]
    assert direct == []


def test_rows_imported_from_a_spreadsheet_are_held_to_the_same_rules(workspace, tmp_path: Path) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    rows = tmp_path / "rows.csv"
    rows.write_bytes(("programme,priority,indicator,date,value,unit,source,note\r\n"
                      "demo,roads,km,2024-04-01,20,km,gazette,Paved\x1b]52;c;aGk=\x07\r\n"
                      "demo,roads,km,2024-04-02," + "7" * 5000 + ",km,gazette,\r\n").encode("utf-8"))
    before = (root / "policies" / "demo.yaml").read_bytes()
    result = run("import", str(rows), root=root)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{rows}:") for line in lines), lines
    assert "U+001B" in lines[0] and lines[1].startswith(f"{rows}:3:5: value:")
    assert "\x1b" not in result.stderr
    assert (root / "policies" / "demo.yaml").read_bytes() == before


def test_the_feed_stays_well_formed_whatever_reaches_it() -> None:
    """Validation keeps control characters out of titles; the feed holds even if one got in."""
    import datetime as dt
    import xml.etree.ElementTree as ET

    from tracker.distribute.archive import Archive, PublishedEdition, feed_xml

    edition = PublishedEdition("demo", "Roads\x0c and\x00 bridges \ud800", "en", "Desk\x1b", dt.date(2024, 6, 30),
                               "demo/demo-2024-06-30.html", None, None, None)
    feed = ET.fromstring(feed_xml(Archive([edition], "https://example.org/r/")))
    titles = [t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert titles[-1] == "Roads\ufffd and\ufffd bridges \ufffd: progress up to 2024-06-30"
