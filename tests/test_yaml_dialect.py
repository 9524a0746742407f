"""One YAML dialect: files are read as YAML 1.2 with its core schema, as the published JSON Schema
and editors read them; PyYAML's Python parser (the fallback without libyaml) reads alike; what
tracker writes reads back as the same data, in YAML 1.2 and in YAML 1.1."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from tests.conftest import MINIMAL, REPO, run
from tracker.errors import InvalidData
from tracker.model import yamlsafe
from tracker.model.workspace import Workspace

PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="python")]
INF = float("inf")


def value_of(text: str, python: bool) -> object:
    return yamlsafe.parse(f"v: {text}\n", "f.yaml", python=python).data["v"]


@pytest.mark.parametrize("python", PARSERS)
@pytest.mark.parametrize("text, expected", [
    # Numbers: exponents without a dot, octal and hexadecimal in 1.2's notation, decimal 017.
    ("2e1", 20.0), ("1e3", 1000.0), ("-1.5E-3", -0.0015), ("6.02e+23", 6.02e23), (".5", 0.5), ("+.5", 0.5),
    ("1.", 1.0), ("-0.0", -0.0), ("12", 12), ("+12", 12), ("-7", -7), ("017", 17), ("0o17", 15),
    ("0x1F", 31), ("0x1f", 31), (".inf", INF), ("-.Inf", -INF), ("+.INF", INF),
    # Booleans and null: only these spellings.
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
    # Text in YAML 1.2 (booleans, integers, sexagesimals or dates in YAML 1.1), and near misses.
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"), ("Yes", "Yes"),
    ("OFF", "OFF"), ("1_000", "1_000"), ("0b101", "0b101"), ("1:30", "1:30"), ("2024-01-01", "2024-01-01"),
    ("0o8", "0o8"), ("0x", "0x"), ("0xG1", "0xG1"), ("tRUE", "tRUE"), ("nULL", "nULL"), (".", "."),
    ("1e", "1e"), ("e3", "e3"), ("1.2.3", "1.2.3"), (".nan.", ".nan."),
    # Quoted and explicitly tagged scalars.
    ("'2e1'", "2e1"), ('"0x1F"', "0x1F"), ("'yes'", "yes"), ("'~'", "~"), ('""', ""), ("!!str 2e1", "2e1"),
    ("!!float 1", 1.0), ("!!int 0x1F", 31), ("!!bool false", False), ("!!null ~", None),
    # URLs, and `#` that begins a comment only after a space.
    ("https://example.org/n?id=42", "https://example.org/n?id=42"), ("a#b", "a#b"), ("a #b", "a"),
    ("http://x:80/p?q#f", "http://x:80/p?q#f"),
], ids=repr)
def test_scalars_read_by_the_yaml_1_2_core_schema(python: bool, text: str, expected: object) -> None:
    assert repr(value_of(text, python)) == repr(expected)  # repr tells 1 from 1.0 and True, -0.0 from 0.0


@pytest.mark.parametrize("python", PARSERS)
@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_not_a_number(python: bool, text: str) -> None:
    value = value_of(text, python)
    assert isinstance(value, float) and math.isnan(value)


@pytest.mark.parametrize("python", PARSERS)
@pytest.mark.parametrize("text, expected", [
    ("[https://example.org/n?id=1]", ["https://example.org/n?id=1"]),
    ("[https://example.org/n?id=1&b=2#frag, s1]", ["https://example.org/n?id=1&b=2#frag", "s1"]),
    ("[a?b, c?]", ["a?b", "c?"]),
    ("{url: https://example.org/p?q=1}", {"url": "https://example.org/p?q=1"}),
    ("[a:b, c: d]", ["a:b", {"c": "d"}]),
    ("{k: a:b}", {"k": "a:b"}),
    ("[http://x:80/p]", ["http://x:80/p"]),
    ("[a#b, c]   # a comment", ["a#b", "c"]),
    ("[2e1, 0o17, yes, ~, '2e1']", [20.0, 15, "yes", None, "2e1"]),
], ids=repr)
def test_flow_collections(python: bool, text: str, expected: object) -> None:
    assert repr(value_of(text, python)) == repr(expected)


@pytest.mark.parametrize("python", PARSERS)
@pytest.mark.parametrize("text, expected", [
    ("v:\tx\n", {"v": "x"}), ("v: \tx\t# note\n", {"v": "x"}), ("v:\t[a,\tb]\n", {"v": ["a", "b"]}),
    ("v:\t\n  w: 1\n", {"v": {"w": 1}}),
], ids=repr)
def test_a_tab_separates_within_a_line(python: bool, text: str, expected: object) -> None:
    assert yamlsafe.parse(text, "f.yaml", python=python).data == expected


@pytest.mark.parametrize("python", PARSERS)
@pytest.mark.parametrize("text, message", [
    ("v: !!int abc\n", "f.yaml:1:4: v: 'abc' is not a value of YAML tag 'tag:yaml.org,2002:int'"),
    ("v: !!bool yes\n", "f.yaml:1:4: v: 'yes' is not a value of YAML tag 'tag:yaml.org,2002:bool'"),
    ("v: [1, " + "9" * 5000 + "]\n", "f.yaml:1:8: v[1]: number has too many digits"),
], ids=["int-tag", "bool-tag", "huge-integer"])
def test_values_that_are_not_what_they_say_are_located_errors(python: bool, text: str, message: str) -> None:
    with pytest.raises(InvalidData) as caught:
        yamlsafe.parse(text, "f.yaml", python=python)
    assert str(caught.value) == message


PROGRAMME = MINIMAL.replace(
    "sources: [gazette]}\n    milestones:",
    "sources: [gazette, https://example.org/n?id=1]}\n"
    "      - {date: 2024-03-01, status: in_progress, note: yes, sources: [https://example.org/notice?id=2&p=3]}\n"
    "    milestones:").replace("value: 12, source: gazette}", "value: 2e1, source: gazette}")


def test_a_hand_written_programme_in_yaml_1_2_validates(workspace) -> None:
    assert PROGRAMME != MINIMAL and "value: 2e1" in PROGRAMME
    root = workspace({"demo.yaml": PROGRAMME})
    result = run("validate", root=root)
    assert result.exit_code == 0, result.output
    roads = Workspace.at(root).load_all()[0].priority("roads")
    assert roads.history[1].sources == ("gazette", "https://example.org/n?id=1")
    assert (roads.history[2].note, roads.history[2].sources) == ("yes", ("https://example.org/notice?id=2&p=3",))
    observation = roads.indicators[0].observations[0]
    assert isinstance(observation.value, float) and observation.value == 20.0


def test_libyaml_reads_the_files() -> None:
    """The locked install has PyYAML's libyaml binding: the loader is ten times faster with it."""
    assert yamlsafe.LIBYAML


@pytest.mark.parametrize("path", [
    REPO / "policies" / "digital-silk-road.yaml", REPO / "tests" / "data" / "edit" / "commented.yaml",
    REPO / "tests" / "data" / "report-edge.yaml",
], ids=lambda path: path.name)
def test_both_parsers_give_the_same_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, python = yamlsafe.parse(text, "f"), yamlsafe.parse(text, "f", python=True)
    assert repr(fast.data) == repr(python.data)
    assert (fast.values, fast.keys, fast.ends, fast.flow) == (python.values, python.keys, python.ends, python.flow)
    without = yamlsafe.parse(text, "f", positions=False)
    assert repr(without.data) == repr(fast.data) and not without.values


@pytest.mark.parametrize("text", [
    "id: a\nid: b\n", "id: !custom x\n", "id: a\n---\nid: b\n", "id: " + "[" * 100 + "]" * 100 + "\n",
    "id: &a [*a]\n", "a: &a [x, x]\nb: [*a, *a, *b]\n", "", "# nothing\n", "id: [\n", "id: 'x\n",
    "id: *nowhere\n", "{a: 1}: x\n", "id: \x07\n", "id: x\n\tt: y\n", "- \tx\n", "[", "a: [b", 'a: "x',
], ids=repr)
def test_both_parsers_refuse_alike(text: str) -> None:
    refusals = []
    for python in (False, True):
        with pytest.raises(InvalidData) as caught:
            yamlsafe.parse(text, "f.yaml", python=python)
        refusals.append(str(caught.value))
    assert refusals[0] == refusals[1]


def test_what_tracker_dumps_reads_back_the_same_in_yaml_1_2_and_1_1() -> None:
    data = {"notes": ["0o17", "0x1F", "2e1", ".5", "1.", "yes", "1:30", "-.inf", ".NaN", "1_000", "null", "~", "",
                      "TRUE", "017", "+12", "2024-01-01", "https://example.org/n?id=1", "a #b"],
            "numbers": [15, 2.5, 1e20, -0.0], "flags": [True, False, None]}
    text = yamlsafe.dump(data)
    assert "- https://example.org/n?id=1\n" in text and "- '2e1'\n" in text and "- '0o17'\n" in text
    assert repr(yamlsafe.parse(text, "f").data) == repr(data)
    assert repr(yaml.safe_load(text)) == repr(data)
