"""`make bench`: how close `tracker report` is to WeasyPrint's own floor, how it scales, and how
long an edit of a big programme takes against validating it (bench/edits.py).

    python bench/run.py [--quick] [--runs N] [--sizes 40,100,400] [--portfolio 100] [--json FILE]

Every figure is a ratio of medians measured side by side in this one run (the commands
compared alternate, run after run), so a busy machine slows both sides alike. Each command runs
in a fresh process; its wall time, CPU time (its own and its children's) and peak resident
memory (the largest single process, from wait4) are recorded. Workspaces are generated
(bench/generate.py) in a temporary folder, removed at the end. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import import_rows  # noqa: E402
from measure import PY, TRACKER, Sample, measure, median, ms  # noqa: E402,F401
import languages  # noqa: E402
import sources as source_checks  # noqa: E402

def report_cmd(root: Path, as_of: str, *args: str) -> list[str]:
    return [*TRACKER, "--root", str(root), "report", "--as-of", as_of, *args]


def harness(root: Path, as_of: str, work: Path, *args: str) -> dict[str, Any]:
    """One instrumented in-process run (bench/harness.py): the time of each stage."""
    result = work / "harness.json"
    subprocess.run([PY, str(HERE / "harness.py"), str(result), "--", "--root", str(root), "report",
                    "--as-of", as_of, "--jobs", "1", "--force", *args], check=True,
                   stdout=subprocess.DEVNULL)
    data: dict[str, Any] = json.loads(result.read_text())
    stages = data["stages"]
    front = stages.get("parse", 0) + stages.get("validate", 0) + stages.get("template", 0)
    data["share"] = front / data["total"]
    return data


def pdf_facts(pdf: Path, out: Path) -> tuple[Optional[str], list[Path]]:
    """The PDF variant claimed in the file's XMP metadata, and its attachments saved into `out`."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return None, []
    reader = PdfReader(str(pdf))
    variant = None
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is not None:
        xmp = metadata.get_object().get_data().decode("utf-8", "replace")
        part = re.search(r"pdfaid:part[^0-9]{0,4}(\d)", xmp)
        level = re.search(r"pdfaid:conformance[^A-Za-z]{0,4}([A-Za-z])", xmp)
        ua = re.search(r"pdfuaid:part[^0-9]{0,4}(\d)", xmp)
        if part:
            variant = f"pdf/a-{part[1]}{level[1].lower() if level else 'b'}"
        elif ua:
            variant = f"pdf/ua-{ua[1]}"
    attachments = []
    for name, contents in reader.attachments.items():
        path = out / Path(name).name
        path.write_bytes(contents[0])
        attachments.append(path)
    return variant, attachments


def default_programme(work: Path, runs: int) -> dict[str, Any]:
    """(1) tracker's PDF against the floor; (2) tracker's HTML against bare imports."""
    root = work / "default"
    (root / "policies").mkdir(parents=True)
    source = REPO / "policies" / "digital-silk-road.yaml"
    if not source.exists():
        source = REPO / "tracker" / "data" / "digital-silk-road.yaml"
    shutil.copy(source, root / "policies")
    as_of = "2025-12-31"
    # The English edition alone: the Chinese one is measured by bench/languages.py.
    subprocess.run(report_cmd(root, as_of, "--format", "all", "--force", "--lang", "en"), check=True,
                   stdout=subprocess.DEVNULL)
    folder = root / "reports" / "digital-silk-road"
    html, pdf = folder / f"digital-silk-road-{as_of}.html", folder / f"digital-silk-road-{as_of}.pdf"
    extras = work / "attachments"
    extras.mkdir()
    variant, attachments = pdf_facts(pdf, extras)
    floor = [PY, str(HERE / "floor.py"), str(html), str(work / "floor.pdf"), "--base-url", str(root)]
    floor += ["--variant", variant] if variant else []
    for path in attachments:
        floor += ["--attach", str(path)]
    bare = [PY, "-c", "import click, jinja2, yaml"]
    tracker_pdf, floor_pdf, tracker_html, imports = [], [], [], []
    for _ in range(runs):
        tracker_pdf.append(measure(report_cmd(root, as_of, "--format", "pdf", "--force", "--lang", "en")))
        floor_pdf.append(measure(floor))
        tracker_html.append(measure(report_cmd(root, as_of, "--format", "html", "--force", "--lang", "en")))
        imports.append(measure(bare))
    importtime = subprocess.run([PY, "-X", "importtime", "-m", "tracker", "--root", str(root), "report",
                                 "--as-of", as_of, "--format", "html", "--force"],
                                capture_output=True, text=True, check=True).stderr
    breakdown = harness(root, as_of, work, "--format", "pdf")
    html_breakdown = harness(root, as_of, work, "--format", "html")
    return {
        "html_stages": html_breakdown["stages"], "html_total": html_breakdown["total"],
        "html_startup": html_breakdown["startup"],
        "variant": variant or "plain PDF", "attachments": [p.name for p in attachments],
        "tracker_pdf": median(tracker_pdf), "floor": median(floor_pdf),
        "tracker_html": median(tracker_html), "imports": median(imports),
        "weasyprint_in_html_run": bool(re.search(r"\|\s+weasyprint\s*$", importtime, re.MULTILINE)),
        "share": breakdown["share"], "stages": breakdown["stages"], "total": breakdown["total"],
    }


def scale(work: Path, sizes: list[int]) -> list[dict[str, Any]]:
    """(3) One programme of n priorities, all formats, instrumented.

    The largest size runs once (it is long); each smaller one runs just before it and again just
    after, and its figures are the mean of the two, so that a machine that slows down or speeds
    up during the long run moves both sides of the ratio alike.
    """
    as_of = generate.AS_OF.isoformat()
    largest = max(sizes)
    smaller = [n for n in sizes if n != largest]
    runs: dict[int, list[dict[str, Any]]] = {}
    for n in smaller + [largest] + smaller:
        root = work / f"scale-{n}"
        if not root.exists():
            generate.write_programme(root, n)
        runs.setdefault(n, []).append(harness(root, as_of, work))
        if n == largest or len(runs[n]) == 2:
            shutil.rmtree(root)
    rows = []
    for n in sizes:
        done = runs[n]
        total = statistics.mean(run["total"] for run in done)
        names = {name for run in done for name in run["stages"]}
        rows.append({"priorities": n, "wall": total, "walls": [run["total"] for run in done],
                     "rss_mib": max(run["max_rss_mib"] for run in done), "per_priority": total / n,
                     "share": statistics.mean(run["share"] for run in done),
                     "stages": {name: statistics.mean(run["stages"].get(name, 0) for run in done) for name in names},
                     "total": total})
    return rows


def portfolio(work: Path, count: int, runs: int, jobs: int) -> dict[str, Any]:
    """(4) Many small programmes: --jobs 1 against --jobs N, then a run with nothing changed.

    Memory: the peak of the largest process of the --jobs 1 run over every programme, against
    the same command over the first two programmes alone; with no growth they are the same.
    One instrumented run (bench/harness.py, every edition in its one process) gives the stage
    shares, and the memory one long-lived process would accumulate, edition after edition.
    """
    root = work / "portfolio"
    paths = generate.write_portfolio(root, count, 4)
    first_two = [path.stem for path in paths[:2]]
    as_of = generate.AS_OF.isoformat()
    serial_out, parallel_out = work / "out-serial", work / "out-parallel"
    serial, parallel, unchanged, two = [], [], [], []
    breakdown = harness(root, as_of, work, "--out", str(work / "out-harness"))
    for _ in range(runs):
        serial.append(measure(report_cmd(root, as_of, "--force", "--jobs", "1", "--out", str(serial_out))))
        parallel.append(measure(report_cmd(root, as_of, "--force", "--jobs", str(jobs), "--out", str(parallel_out))))
        unchanged.append(measure(report_cmd(root, as_of, "--jobs", "1", "--out", str(serial_out))))
        two.append(measure(report_cmd(root, as_of, "--force", "--jobs", "1", "--out", str(work / "out-two"),
                                      *first_two)))
    identical = tree(serial_out) == tree(parallel_out)
    return {"programmes": count, "jobs": jobs, "serial": median(serial), "parallel": median(parallel),
            "unchanged": median(unchanged), "two": median(two), "identical": identical,
            "rss": breakdown["rss_after_each_mib"], "share": breakdown["share"], "stages": breakdown["stages"],
            "total": breakdown["total"]}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of tracker report (see bench/README.md).")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: a smoke test (~1 min)")
    parser.add_argument("--issue", action="store_true",
                        help="the large sizes: 10,100,400 priorities and 100 programmes "
                             "(about an hour and 15 GiB of memory with the full report)")
    parser.add_argument("--runs", type=int, help="runs of the default-programme commands (default 3, quick 1); "
                                                 "the portfolio's run at most twice")
    parser.add_argument("--sizes", help="priorities of the scale programmes (default 10,100; quick 4,10)")
    parser.add_argument("--portfolio", type=int, help="programmes in the portfolio (default 8; quick 4)")
    parser.add_argument("--jobs", type=int, default=0, help="N of --jobs N (default: the cores available)")
    parser.add_argument("--edit-priorities", type=int, default=2000,
                        help="priorities of the programme edited by (5) (default 2000, as issue 12 asks)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--import-only", action="store_true",
                        help="only section 7: tracker import of 10,000 rows against tracker validate (bench/import_rows.py)")
    args = parser.parse_args()
    if args.import_only:
        with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
            print("\n".join(import_rows.render(import_rows.measure(Path(tmp), 2_000 if args.quick else 10_000))))
        return 0
    runs = args.runs or (1 if args.quick or args.issue else 3)
    sizes = [int(s) for s in (args.sizes or ("4,10" if args.quick else "10,100,400" if args.issue else "10,100")).split(",")]
    count = args.portfolio or (4 if args.quick else 100 if args.issue else 8)
    jobs = args.jobs or len(os.sched_getaffinity(0))
    load_before = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        work = Path(tmp)
        one = default_programme(work, runs)
        rows = scale(work, sizes)
        many = portfolio(work, count, min(runs, 2), jobs)  # the longest commands: two runs at most
        chinese = languages.measure_languages(work, runs, repo=REPO, here=HERE, py=PY, report_cmd=report_cmd,
                                              measure=measure, median=median, pdf_facts=pdf_facts)
        checks = source_checks.measure(work / "sources", runs=1 if args.quick else 2)
        import edits  # bench/edits.py, which imports this module's helpers

        edited = edits.edits(work, args.edit_priorities, max(runs, 5), 8)  # seconds each: five runs at least
        imported = import_rows.measure(work, 2_000 if args.quick else 10_000)
    elapsed = time.perf_counter() - started
    text = render(one, rows, many, runs, jobs, load_before, os.getloadavg(), elapsed, checks)
    section, targets = edits.render(edited)  # (6) goes before the targets, its targets at their end
    section = [*section, "", *import_rows.render(imported)]  # and (7) after it
    print(text.replace("\n## Targets\n", "\n" + "\n".join(section) + "\n\n## Targets\n") + "\n" + "\n".join(targets))
    print("\n".join(languages.render(chinese, ms)))
    if args.json:
        args.json.write_text(json.dumps({"default": one, "scale": rows, "portfolio": many, "sources": checks,
                                         "edits": edited, "import": imported, "languages": chinese},
                                        default=vars, indent=1))
    return 0


def render(one: dict[str, Any], rows: list[dict[str, Any]], many: dict[str, Any], runs: int, jobs: int,
           load_before: tuple[float, ...], load_after: tuple[float, ...], elapsed: float,
           checks: dict[str, Any]) -> str:
    overhead = one["tracker_pdf"].wall / one["floor"].wall
    html_ratio = one["tracker_html"].wall / one["imports"].wall
    speedup = many["serial"].wall / many["parallel"].wall
    rerun = many["unchanged"].wall / many["serial"].wall
    rss = many["rss"]
    settle = rss[min(len(rss) - 1, 1)] if rss else float("nan")
    half = rss[len(rss) // 2] if rss else float("nan")
    slope = ((rss[-1] - half) if rss else float("nan")) / max(1, len(rss) - 1 - len(rss) // 2)
    growth = many["serial"].rss_mib - many["two"].rss_mib
    lines = [
        f"tracker bench: medians of {runs} run(s) of the default-programme commands and {min(runs, 2)} of the "
        f"portfolio's, one or two of each scale; {os.cpu_count()} cores; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; {elapsed:.0f} s in all",
        "",
        "## 1-2. Default programme",
        "",
        "| command | wall | CPU | max RSS | ratio |",
        "|---|---|---|---|---|",
        f"| tracker report --format pdf | {ms(one['tracker_pdf'].wall)} | {ms(one['tracker_pdf'].cpu)} | "
        f"{one['tracker_pdf'].rss_mib:.0f} MiB | **{overhead:.2f}** x floor |",
        f"| floor: import WeasyPrint, same HTML to {one['variant']}"
        f"{' + ' + ', '.join(one['attachments']) if one['attachments'] else ''} | {ms(one['floor'].wall)} | "
        f"{ms(one['floor'].cpu)} | {one['floor'].rss_mib:.0f} MiB | 1 |",
        f"| tracker report --format html | {ms(one['tracker_html'].wall)} | {ms(one['tracker_html'].cpu)} | "
        f"{one['tracker_html'].rss_mib:.0f} MiB | **{html_ratio:.2f}** x imports |",
        f"| python -c 'import click, jinja2, yaml' | {ms(one['imports'].wall)} | {ms(one['imports'].cpu)} | "
        f"{one['imports'].rss_mib:.0f} MiB | 1 |",
        "",
        f"WeasyPrint imported by the HTML-only run: {'YES' if one['weasyprint_in_html_run'] else 'no'}. "
        f"The HTML-only run, instrumented: {ms(one['html_total'])} in all, of which imports and start "
        f"{ms(one['html_startup'])}, parse {ms(one['html_stages'].get('parse', 0))}, validate "
        f"{ms(one['html_stages'].get('validate', 0))}, context and templates {ms(one['html_stages'].get('template', 0))}. "
        f"Load + validate + template: {one['share']:.1%} of the PDF run ({stages(one)}).",
        "",
        "## 3. Scale: one programme, all formats, instrumented; the largest run once, each smaller one "
        "just before and just after it (the mean of the two)",
        "",
        "| priorities | wall | per priority | max RSS | load+validate+template | stages |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        walls = " + ".join(ms(wall) for wall in row["walls"])
        lines.append(f"| {row['priorities']} | {ms(row['wall'])}{f' ({walls})' if len(row['walls']) > 1 else ''} | "
                     f"{ms(row['per_priority'])} | "
                     f"{row['rss_mib']:.0f} MiB | {row['share']:.1%} | {stages(row)} |")
    lines += [
        "",
        f"## 4. Portfolio: {many['programmes']} programmes of 4 priorities, all formats",
        "",
        "| command | wall | CPU | max RSS (largest process) | ratio |",
        "|---|---|---|---|---|",
        f"| --jobs 1 --force | {ms(many['serial'].wall)} | {ms(many['serial'].cpu)} | "
        f"{many['serial'].rss_mib:.0f} MiB | 1 |",
        f"| --jobs {jobs} --force | {ms(many['parallel'].wall)} | {ms(many['parallel'].cpu)} | "
        f"{many['parallel'].rss_mib:.0f} MiB | **{speedup:.2f}** x faster |",
        f"| nothing changed (no --force) | {ms(many['unchanged'].wall)} | {ms(many['unchanged'].cpu)} | "
        f"{many['unchanged'].rss_mib:.0f} MiB | **{rerun:.1%}** of --jobs 1 |",
        f"| --jobs 1 --force, the first two programmes only | {ms(many['two'].wall)} | {ms(many['two'].cpu)} | "
        f"{many['two'].rss_mib:.0f} MiB | memory: **{growth:+.1f} MiB** for the other {many['programmes'] - 2} |",
        "",
        f"Output of --jobs {jobs} identical to --jobs 1: {'yes' if many['identical'] else 'NO'}. "
        f"Instrumented, with every edition rendered in one process (bench/harness.py): load + validate + "
        f"template {many['share']:.1%} ({stages(many)}); that one process's resident memory after programme 2: "
        f"{settle:.0f} MiB, after programme {len(rss) // 2 + 1}: {half:.0f} MiB, after the last: "
        f"{rss[-1] if rss else float('nan'):.0f} MiB ({slope:+.2f} MiB per programme over the second half), "
        f"which tracker avoids by rendering each edition in a process of its own.",
        "",
        *source_checks.render(checks),
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| PDF overhead over the floor <= 1.10 | {overhead:.2f} | {verdict(overhead <= 1.10)} |",
        f"| load+validate+template < 10% at every scale | "
        f"{', '.join(format(r['share'], '.1%') for r in rows)} (default {one['share']:.1%}, portfolio {many['share']:.1%}) | "
        f"{verdict(all(r['share'] < 0.10 for r in rows) and one['share'] < 0.10 and many['share'] < 0.10)} |",
        f"| HTML-only <= 2.5 x imports, WeasyPrint never imported | {html_ratio:.2f}, "
        f"{'imported' if one['weasyprint_in_html_run'] else 'not imported'} | "
        f"{verdict(html_ratio <= 2.5 and not one['weasyprint_in_html_run'])} |",
    ]
    if len(rows) >= 2:  # the target: per priority at 100 within 20% of 10 (the sizes asked for, else the
        by_size = {row["priorities"]: row for row in rows}  # largest against the smallest)
        small, large = (by_size[10], by_size[100]) if {10, 100} <= set(by_size) else (rows[0], rows[-1])
        linear = large["per_priority"] / small["per_priority"]
        lines.append(f"| per priority at {large['priorities']} within 20% of {small['priorities']} | "
                     f"{linear:.2f} | {verdict(0.8 <= linear <= 1.2)} |")
    lines += [
        f"| --jobs {jobs} >= 1.7 x faster than --jobs 1, same output | {speedup:.2f}, "
        f"{'identical' if many['identical'] else 'DIFFERENT'} | {verdict(speedup >= 1.7 and many['identical'])} |",
        f"| no-change rerun <= 5% of the full run | {rerun:.1%} | {verdict(rerun <= 0.05)} |",
        f"| peak memory stated; no growth across the portfolio | {rows[-1]['rss_mib']:.0f} MiB at "
        f"{rows[-1]['priorities']} priorities; largest process over {many['programmes']} programmes "
        f"{growth:+.1f} MiB against 2 | {verdict(growth <= max(5.0, 0.02 * many['two'].rss_mib))} |",
        f"| sources check, {checks['silent']} of {checks['sources']} never answering, within 2 x timeout + the "
        f"answering run | {checks['ratio']:.2f} (floor ratio {checks['floor_ratio']:.2f}) | "
        f"{verdict(checks['ratio'] <= 1.0)}{'' if checks['ratio'] <= 1.0 else ' (the target is below the floor: see section 5)'} |",
    ]
    return "\n".join(lines)


def stages(row: dict[str, Any]) -> str:
    s, total = row["stages"], row["total"]
    names = ("parse", "validate", "template", "pdf", "gc")
    return ", ".join(f"{name} {s.get(name, 0) / total:.0%}" for name in names)


if __name__ == "__main__":
    sys.exit(main())
