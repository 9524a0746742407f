"""The size limit of a programme file leaves room for the largest benchmark programme."""
from __future__ import annotations

from pathlib import Path

import pytest

from tracker.errors import InvalidData
from tracker.model import yamlsafe


def test_files_over_the_old_two_mib_limit_load_and_over_the_new_one_do_not(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("summary: |\n" + ("  " + "x" * 78 + "\n") * 40_000)  # 3.2 MB
    assert len(yamlsafe.load(big, "big.yaml").data["summary"]) == 79 * 40_000
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"a: b\n" * (yamlsafe.MAX_BYTES // 5 + 1))
    with pytest.raises(InvalidData) as refused:
        yamlsafe.load(huge, "huge.yaml")
    assert str(refused.value) == "huge.yaml:1:1: (file): file is larger than the 16 MiB limit for a programme"
