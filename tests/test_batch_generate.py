"""The benchmark workspace generator: valid programmes of the asked shape, the same bytes everywhere."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from tracker.model.workspace import Workspace

GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_generated_programme_has_the_shape_the_benchmark_asks_for(tmp_path: Path) -> None:
    gen = generator()
    gen.write_programme(tmp_path, 3)
    [programme] = Workspace.at(tmp_path).load_all()  # valid: loads without problems
    assert programme.id == "bench-3"
    assert len(programme.priorities) == 3
    for priority in programme.priorities:
        assert len(priority.history) == 60
        assert len({e.date.replace(day=1) for e in priority.history}) == 60  # monthly
        assert len(priority.indicators) == 3
        assert all(len(i.observations) == 60 for i in priority.indicators)
        assert len(priority.milestones) == 5
        assert all(e.date <= gen.AS_OF for e in priority.history)


def test_the_same_arguments_give_the_same_bytes_in_any_process(tmp_path: Path) -> None:
    gen = generator()
    here = gen.programme_yaml("bench-2", 2, seed=7)
    assert here == gen.programme_yaml("bench-2", 2, seed=7)
    assert here != gen.programme_yaml("bench-2", 2, seed=8)
    # Another interpreter with another string-hash seed writes the same file.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, str(GENERATOR), "programme", str(tmp_path), "--priorities", "2"],
                   check=True, env=env, capture_output=True)
    assert (tmp_path / "policies" / "bench-2.yaml").read_text() == gen.programme_yaml("bench-2", 2)


def test_a_portfolio_is_many_distinct_valid_programmes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(GENERATOR), "portfolio", str(tmp_path), "--programmes", "3",
                           "--priorities", "2"], check=True, capture_output=True, text=True)
    assert "3 programme file(s)" in done.stderr
    programmes = Workspace.at(tmp_path).load_all()
    assert [p.id for p in programmes] == ["portfolio-001", "portfolio-002", "portfolio-003"]
    assert all(len(p.priorities) == 2 for p in programmes)
    digests = {hashlib.sha256(p.path.read_bytes().replace(p.id.encode(), b"")).hexdigest() for p in programmes}
    assert len(digests) == 3  # different data, not one file under three names
