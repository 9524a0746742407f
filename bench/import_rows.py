"""`make bench`, section 7: `tracker import` of 10,000 observation rows into one programme.

    python bench/import_rows.py [--rows 10000] [--priorities 10] [--runs 1]

The programme is generated (bench/generate.py: 10 priorities of 3 indicators with 60
observations each); the rows (bench-made, deterministic) go to its 30 indicators in turn, one
day apart, after every generated date. Each import runs on a fresh copy of the workspace, as a
CSV file and as an XLSX workbook, and is set against `tracker validate` of the file it wrote,
run right after it (the ratio is what is reported). `--dry-run` makes every check of the real
run, the edit in memory included, and writes nothing: the import's time beyond it is the write.
The edit is one round trip of the whole file (tracker.edit.operations.add_batches), however
many rows there are.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

PY = sys.executable
SCRIPT = Path(PY).with_name("tracker")
TRACKER = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "tracker"]
TODAY = "2060-01-01"  # after every row's date: no row is refused as future
HEADER = ["programme", "priority", "indicator", "date", "value", "unit", "source", "note"]
UNITS = {1: "countries", 2: "projects", 3: "days"}


def rows(programme_id: str, priorities: int, count: int) -> list[list[Any]]:
    targets = [(f"p{p:04d}", i) for p in range(1, priorities + 1) for i in range(1, generate.INDICATORS + 1)]
    start = dt.date(2026, 1, 1)
    out = []
    for n in range(count):
        priority, indicator = targets[n % len(targets)]
        day = start + dt.timedelta(days=n // len(targets))
        out.append([programme_id, priority, f"i{indicator}", day, (n * 7919) % 1000 + 0.5, UNITS[indicator],
                    f"src-{n % generate.SOURCES + 1:02d}", f"Bench row {n + 1}"])
    return out


def write_csv(path: Path, data: list[list[Any]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([[v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in data])
    path.write_text(out.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, data: list[list[Any]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("observations")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), dates)
            else:
                sheet.write(r, c, value)
    book.close()


def timed(cmd: list[str]) -> float:
    env = {**os.environ, "TRACKER_TODAY": TODAY}
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                          text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: command failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr}")
    return wall


def measure(work: Path, count: int = 10_000, priorities: int = 10, runs: int = 1) -> dict[str, Any]:
    """Import `count` rows as CSV and as XLSX, `runs` times each, against validate of the result."""
    base = work / "import-base"
    path = generate.write_programme(base, priorities)
    programme_id = path.stem
    data = rows(programme_id, priorities, count)
    files = {"csv": work / "rows.csv", "xlsx": work / "rows.xlsx"}
    write_csv(files["csv"], data)
    write_xlsx(files["xlsx"], data)
    result: dict[str, Any] = {"rows": count, "priorities": priorities, "indicators": priorities * generate.INDICATORS,
                              "before_bytes": path.stat().st_size}
    for kind, rows_file in files.items():
        imports, validates, checks = [], [], []
        for run in range(runs):
            root = work / f"import-{kind}-{run}"
            shutil.copytree(base, root)
            checks.append(timed([*TRACKER, "--root", str(root), "import", "--dry-run", str(rows_file)]))
            imports.append(timed([*TRACKER, "--root", str(root), "import", "--yes", str(rows_file)]))
            validates.append(timed([*TRACKER, "--root", str(root), "validate"]))
            result["after_bytes"] = (root / "policies" / path.name).stat().st_size
            shutil.rmtree(root)
        result[kind] = {"import": statistics.median(imports), "validate": statistics.median(validates),
                        "check": statistics.median(checks)}
    shutil.rmtree(base)
    return result


def render(result: dict[str, Any]) -> list[str]:
    lines = [
        f"## 7. Import: {result['rows']:,} observation rows into one programme ({result['priorities']} priorities, "
        f"{result['indicators']} indicators; {result['before_bytes'] / 1024:.0f} KiB of YAML, "
        f"{result['after_bytes'] / 1024:.0f} KiB after)",
        "",
        "| file | tracker import | --dry-run (every check, the edit in memory) | tracker validate of the result | ratio |",
        "|---|---|---|---|---|",
    ]
    for kind in ("csv", "xlsx"):
        r = result[kind]
        lines.append(f"| {kind.upper()} | {r['import'] * 1000:,.0f} ms | {r['check'] * 1000:,.0f} ms | "
                     f"{r['validate'] * 1000:,.0f} ms | **{r['import'] / r['validate']:.1f}** x validate |")
    lines += ["", "One edit of the file per import, whatever the number of rows: one round trip "
                  "(tracker/edit/roundtrip.py), one validation of the whole file, one atomic write. --dry-run "
                  "makes the same edit and validation in memory and writes nothing."]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--priorities", type=int, default=10)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-import-") as tmp:
        print("\n".join(render(measure(Path(tmp), args.rows, args.priorities, args.runs))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
