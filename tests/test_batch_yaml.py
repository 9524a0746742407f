"""libyaml's fast path: the same documents as the reference parser, and the reference's messages."""
from __future__ import annotations

from pathlib import Path

import pytest

from tracker import yamlsafe
from tracker.errors import InvalidData

DEFAULT = Path(yamlsafe.__file__).resolve().parent / "data" / "digital-silk-road.yaml"

VALID = {
    "anchors": "base: &b {x: 1, y: [a, b]}\ncopy: *b\nlist:\n  - *b\n  - &s scalar\n  - *s\n",
    "block scalars": "lit: |\n  line one\n   indented\n\n  after blank\nfold: >-\n  folded\n  text\n\n  para\nkeep: |+\n  kept\n\n",
    "quoting": "a: 'it''s'\nb: \"tab\\tnew\\nline \\u00e9 \\x41\"\nc: \"\"\nd: ''\n",
    "unicode": "title: 数字丝绸之路 — ✓ 🚀\nnote: \"Ünïcödé\"\nkey ü: v\n",
    "comments and flow": "# top\na: [1, 2, {b: c}]  # trailing\nd: {e: [f, g]}\n? complex key\n: value\n",
    "plain multiline": "summary: this is a long\n  plain scalar over\n  three lines\nnext: 1\n",
    "scalars": "n: ~\nm: null\nt: yes\nf: off\nh: 0x1F\no: 0o17\nu: 1_000\ninf: .inf\ne: 1e3\nneg: -2.5\n",
    "dates": "d: 2024-01-01\nts: 2024-01-01T10:00:00Z\nbad: 2024-02-30\n",
    "document markers": "---\na: 1\n...\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "empty values": "a:\nb: []\nc: {}\nd: ''\n",
    "nesting 60": "a: " + "[" * 60 + "x" + "]" * 60 + "\n",
}

INVALID = {
    "syntax": "a: [1, 2\nb: 3\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "tag": "a: !!python/object:os.system {}\n",
    "custom tag": "a: !thing 1\n",
    "deeper than the limit": "a: " + "[" * 70 + "x" + "]" * 70 + "\n",
    "deeper than libyaml's limit": "a: " + "[" * 1500 + "x" + "]" * 1500 + "\n",
    "block nesting": "".join("  " * i + f"k{i}:\n" for i in range(80)) + "  " * 80 + "v\n",
    "tab indent": "a:\n\t- b\n",
    "control character": "a: b\x07c\n",
    "several documents": "a: 1\n---\nb: 2\n",
    "empty": "# nothing\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6)),
    "key not plain": "? [a, b]\n: c\n",
}


def test_the_fast_path_is_available_here() -> None:
    assert yamlsafe._FAST_LOADER is not None  # libyaml present and bounding nesting


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_text_gives_the_same_document_on_both_paths(name: str) -> None:
    text = VALID[name]
    fast = yamlsafe._parse_fast(text, "f.yaml")
    assert fast is not None
    reference = yamlsafe._parse_reference(text, "f.yaml")
    assert (fast.data, fast.values, fast.keys) == (reference.data, reference.values, reference.keys)


def test_the_default_programme_gives_the_same_document_on_both_paths() -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    fast, reference = yamlsafe._parse_fast(text, "d"), yamlsafe._parse_reference(text, "d")
    assert fast is not None
    assert (fast.data, fast.values, fast.keys) == (reference.data, reference.values, reference.keys)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_text_gets_the_reference_parsers_message(name: str) -> None:
    text = INVALID[name]
    with pytest.raises(InvalidData) as reference:
        yamlsafe._parse_reference(text, "bad.yaml")
    with pytest.raises(InvalidData) as served:
        yamlsafe.parse(text, "bad.yaml")
    assert str(served.value) == str(reference.value)
    assert served.value.problems[0].path == "bad.yaml"


def test_valid_text_does_not_touch_the_reference_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, display: str) -> None:
        raise AssertionError("the slow parser ran")

    monkeypatch.setattr(yamlsafe, "_parse_reference", refuse)
    assert yamlsafe.parse(VALID["anchors"], "f.yaml").data["copy"] == {"x": 1, "y": ["a", "b"]}


def test_files_over_the_old_two_mib_limit_load_and_over_the_new_one_do_not(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("summary: |\n" + ("  " + "x" * 78 + "\n") * 40_000)  # 3.2 MB
    assert len(yamlsafe.load(big, "big.yaml").data["summary"]) == 79 * 40_000
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"a: b\n" * (yamlsafe.MAX_BYTES // 5 + 1))
    with pytest.raises(InvalidData) as refused:
        yamlsafe.load(huge, "huge.yaml")
    assert str(refused.value) == "huge.yaml:1:1: (file): file is larger than the 16 MiB limit for a programme"
