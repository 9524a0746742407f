"""Every class of bad YAML gets one located line, exit 1, no traceback and no report."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL, run
from tracker.model import yamlsafe


def check_bad(workspace, content: str | bytes, expected: str) -> None:
    root = workspace({"bad.yaml": content})
    result = run("validate", root=root)
    assert result.exit_code == 1
    assert result.stderr.strip() == expected
    assert "Traceback" not in result.output
    report = run("report", "--format", "html", "--as-of", "2024-06-01", root=root)
    assert report.exit_code == 1
    assert report.stdout == ""
    assert list((root / "reports").iterdir()) == []


@pytest.mark.parametrize("content, expected", [
    # A tab may separate a value from its key in YAML 1.2 (`title:<TAB>x`), never indent a line.
    ("id: demo\n\ttitle: x\n",
     "policies/bad.yaml:2:1: (file): YAML syntax error: found character '\\t' that cannot start any token"),
    ('id: "demo\ntitle: x\n',
     "policies/bad.yaml:3:1: (file): YAML syntax error: found unexpected end of stream"),
    ("id: demo\npriorities: [\n",
     "policies/bad.yaml:3:1: (file): YAML syntax error: expected the node content, but found '<stream end>'"),
    ("id: demo\ntitle: x\nid: other\n",
     "policies/bad.yaml:3:1: id: duplicate key 'id'"),
    ("", "policies/bad.yaml:1:1: (file): file is empty"),
    ("# only a comment\n", "policies/bad.yaml:1:1: (file): file is empty"),
    ("- id: demo\n", "policies/bad.yaml:1:1: (file): expected a mapping of programme fields at the top level but got a list"),
    ("just words\n", "policies/bad.yaml:1:1: (file): expected a mapping of programme fields at the top level but got 'just words'"),
    ("id: a\n---\nid: b\n",
     "policies/bad.yaml:2:1: (file): YAML syntax error: several YAML documents in one file; a programme file holds one"),
    ("id: !!python/object/apply:os.system [echo hi]\n",
     "policies/bad.yaml:1:5: id: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; use plain values"),
    ("id: !custom x\n",
     "policies/bad.yaml:1:5: id: YAML tag '!custom' is not allowed; use plain values"),
    ("id: demo\nnote: \x07\n", "policies/bad.yaml:2:7: (file): character U+0007 is not allowed in YAML"),
], ids=["tab", "unclosed-quote", "unclosed-bracket", "duplicate-key", "empty", "comment-only",
        "top-level-list", "top-level-scalar", "several-documents", "python-tag", "custom-tag", "control-char"])
def test_bad_yaml(workspace, content: str, expected: str) -> None:
    check_bad(workspace, content, expected)


def test_not_utf8(workspace) -> None:
    check_bad(workspace, b"id: demo\ntitle: caf\xe9\n",
              "policies/bad.yaml:2:11: (file): file is not UTF-8 text (byte 0xe9)")


def test_alias_bomb(workspace) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    check_bad(workspace, "\n".join(lines) + "\n",
              f"policies/bad.yaml:1:34: (file): aliases expand to more than {yamlsafe.MAX_NODES} values")


def test_absurd_nesting(workspace) -> None:
    check_bad(workspace, "id: " + "[" * 5000 + "]" * 5000 + "\n",
              f"policies/bad.yaml:1:68: (file): nesting deeper than {yamlsafe.MAX_DEPTH} levels")


def test_recursive_alias(workspace) -> None:
    check_bad(workspace, "id: &a [*a]\n", f"policies/bad.yaml:1:5: (file): nesting deeper than {yamlsafe.MAX_DEPTH} levels")


def test_too_large(workspace) -> None:
    big = MINIMAL + "# " + "x" * yamlsafe.MAX_BYTES + "\n"
    check_bad(workspace, big, "policies/bad.yaml:1:1: (file): file is larger than the "
              f"{yamlsafe.MAX_BYTES // (1024 * 1024)} MiB limit for a programme")


def test_byte_order_mark_is_fine(workspace) -> None:
    root = workspace({"demo.yaml": b"\xef\xbb\xbf" + MINIMAL.encode()})
    assert run("validate", root=root).exit_code == 0


def test_symlink_outside_workspace_is_refused_without_showing_target(workspace, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text("id: secret-programme\ntitle: TOP SECRET CONTENT\npriorities: [oops\n")
    root = workspace({})
    (root / "policies" / "link.yaml").symlink_to(outside)
    result = run("validate", root=root)
    assert result.exit_code == 1
    assert result.stderr.strip() == "policies/link.yaml:1:1: (file): symbolic link points outside the workspace; refused"
    assert "SECRET" not in result.output and str(outside) not in result.output


def test_symlink_inside_workspace_is_followed(workspace) -> None:
    root = workspace({})
    (root / "data").mkdir()
    (root / "data" / "demo.yaml").write_text(MINIMAL)
    (root / "policies" / "demo.yaml").symlink_to(root / "data" / "demo.yaml")
    assert run("validate", root=root).exit_code == 0


def test_positions_are_one_based_and_point_at_values() -> None:
    doc = yamlsafe.parse("id: demo\npriorities:\n  - id: x\n    title: y\n", "f.yaml")
    assert doc.where(("priorities", 0, "title")) == (4, 12)
    assert doc.where(("priorities", 0, "title"), key=True) == (4, 5)
    assert doc.where(("priorities", 0, "missing")) == (3, 5)


def test_timestamps_stay_text_and_yes_is_text() -> None:
    doc = yamlsafe.parse("a: 2024-01-01\nb: yes\nc: 1.5\nd: ~\n", "f.yaml")
    assert doc.data == {"a": "2024-01-01", "b": "yes", "c": 1.5, "d": None}


def test_file_path_shown_relative_to_workspace(workspace, tmp_path: Path) -> None:
    root = workspace({"bad.yaml": "id: [\n"})
    result = run("validate", root=root)
    assert result.stderr.startswith("policies/bad.yaml:")
