"""Editing a big programme: `tracker update` against `tracker validate` of the same file, and
concurrent updates of it that must all land.

    python bench/edits.py [--priorities 2000] [--runs 5] [--writers 8]

Issue 12 asks that `tracker update` on a programme of 2,000 priorities (about 32,000 lines,
`generate.py programme DIR --priorities 2000 --shape small`) take under twice as long as
`tracker validate` of the same file, and that concurrent updates of it all land (each waits
for the file's lock, at most 60 seconds). The two commands alternate, run after run, each in a
fresh process (`measure.measure`), and the ratio is of their medians. `make bench` runs this too.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from measure import TRACKER, measure, median, ms  # noqa: E402

TARGET = 2.0  # update time / validate time


def update_cmd(root: Path, programme: str, priority: int, note: str) -> list[str]:
    return [*TRACKER, "--root", str(root), "update", f"{programme}/p{priority:04d}", "--status", "in_progress",
            "--note", note, "--date", generate.AS_OF.isoformat(), "--yes"]


def edits(work: Path, priorities: int, runs: int, writers: int) -> dict[str, Any]:
    """Median times of validate and update, and `writers` concurrent updates: landed or not."""
    root = work / f"edits-{priorities}"
    path = generate.write_programme(root, priorities, shape=generate.SMALL)
    programme = path.stem
    lines = path.read_text(encoding="utf-8").count("\n")
    validate_cmd = [*TRACKER, "--root", str(root), "validate"]
    measure(validate_cmd)  # warm the file cache and the bytecode
    validate, update = [], []
    for run in range(runs):
        validate.append(measure(validate_cmd))
        update.append(measure(update_cmd(root, programme, 1 + run * 7 % priorities, f"Bench edit {run}")))
    before = path.read_text(encoding="utf-8")
    notes = [f"Concurrent writer {i}" for i in range(writers)]
    started = time.perf_counter()
    processes = [subprocess.Popen(update_cmd(root, programme, 1 + (i * 97) % priorities, note),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
                 for i, note in enumerate(notes)]
    failures = []
    for process in processes:
        _, err = process.communicate()
        if process.returncode != 0:
            failures.append(err.decode(errors="replace").strip())
    concurrent = time.perf_counter() - started
    after = path.read_text(encoding="utf-8")
    landed = sum(after.count(f"note: {note}\n") == 1 for note in notes)
    intact = after.count("\n") == before.count("\n") + 3 * writers and not failures
    valid = subprocess.run(validate_cmd, capture_output=True).returncode == 0
    return {"priorities": priorities, "lines": lines, "runs": runs, "validate": median(validate),
            "update": median(update), "writers": writers, "landed": landed, "intact": intact and valid,
            "concurrent": concurrent, "failures": failures}


def render(result: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The section's Markdown lines, and its rows of the targets table."""
    ratio = result["update"].wall / result["validate"].wall
    cpu = result["update"].cpu / result["validate"].cpu
    all_landed = result["landed"] == result["writers"] and result["intact"]
    section = [
        f"## 6. Editing a programme of {result['priorities']:,} priorities ({result['lines']:,} lines)",
        "",
        "| command | wall | CPU | max RSS | ratio |",
        "|---|---|---|---|---|",
        f"| tracker update (one entry) | {ms(result['update'].wall)} | {ms(result['update'].cpu)} | "
        f"{result['update'].rss_mib:.0f} MiB | **{ratio:.2f}** x validate (CPU: {cpu:.2f}) |",
        f"| tracker validate | {ms(result['validate'].wall)} | {ms(result['validate'].cpu)} | "
        f"{result['validate'].rss_mib:.0f} MiB | 1 |",
        "",
        f"{result['writers']} concurrent updates of the file: {result['landed']} landed, each once "
        f"({'the file valid, with every other line kept' if result['intact'] else 'FILE DAMAGED OR AN UPDATE FAILED'}), "
        f"in {result['concurrent']:.1f} s (each waits for the file's lock, at most 60 s).",
    ]
    section += [f"    failed: {failure}" for failure in result["failures"][:3]]
    rows = [
        f"| update < {TARGET:g} x validate on {result['priorities']:,} priorities | {ratio:.2f} | "
        f"{'met' if ratio < TARGET else 'NOT met'} |",
        f"| {result['writers']} concurrent updates all land | {result['landed']} of {result['writers']} | "
        f"{'met' if all_landed else 'NOT met'} |",
    ]
    return section, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--priorities", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (medians)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent updates")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-edits-") as tmp:
        result = edits(Path(tmp), args.priorities, args.runs, args.writers)
    section, rows = render(result)
    print("\n".join(section + ["", "| target | measured | |", "|---|---|---|"] + rows))
    return 0 if rows and all(row.endswith("| met |") for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
