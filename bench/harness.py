"""Run one `tracker` command in this process with timers around its stages; write them as JSON.

    python bench/harness.py RESULT.json -- --root WS report --as-of 2025-06-30 --force

A bench-only hook: the library carries no timing code. The stages are found by wrapping
functions from outside (module attributes looked up at call time), so the breakdown still
works when the report's internals change, as long as these names exist:

- parse:    tracker.model.yamlsafe.load              (read and parse each YAML file)
- validate: tracker.model.workspace.check_document
- render:   tracker.report.run.stage.render_edition  (context, templates and PDF of one edition)
- pdf:      weasyprint.HTML construction and HTML.write_pdf, inside render
- gc:       Python's garbage collections during render (timed by a `gc.callbacks` hook): the
            collector is paused while WeasyPrint lays out a document, and its first pass after
            frees that document's objects, whatever code happens to allocate next
- template: render minus pdf minus gc (building the report context and running Jinja)

The resident memory of the process is sampled after each edition. Only `--jobs 1` runs make
sense here, and the harness keeps every edition in this one process (tracker itself renders
each edition of a multi-edition PDF run in a process of its own, which these timers could not
see): so its memory after each edition shows what one long-lived process would accumulate.
"""
from __future__ import annotations

import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

STARTED = time.perf_counter()
totals: dict[str, float] = defaultdict(float)
counts: dict[str, int] = defaultdict(int)
rss_after_each: list[float] = []


def rss_mib() -> float:
    """Resident memory of this process now (Linux), in MiB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(stage: str, function: Callable[..., Any], after: Callable[[], None] | None = None) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[stage] += time.perf_counter() - start
            counts[stage] += 1
            if after:
                after()

    return wrapper


def instrument(pdf: bool) -> list[str]:
    """Wrap the stages; return the names of those that could not be found."""
    missing = []
    import tracker.model.workspace
    import tracker.model.yamlsafe
    from tracker.report.run import stage, workers

    for module, name, step in ((tracker.model.yamlsafe, "load", "parse"),
                               (tracker.model.workspace, "check_document", "validate")):
        if hasattr(module, name):
            setattr(module, name, timed(step, getattr(module, name)))
        else:
            missing.append(f"{module.__name__}.{name}")
    if hasattr(workers.Workers, "_executor"):  # every edition here, where the timers are
        setattr(workers.Workers, "_executor", lambda self: None)
    else:
        missing.append("tracker.report.run.workers.Workers._executor")
    rendering: list[bool] = []  # non-empty while an edition renders

    def marked(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            rendering.append(True)
            try:
                return function(*args, **kwargs)
            finally:
                rendering.pop()

        return wrapper

    if hasattr(stage, "render_edition"):
        setattr(stage, "render_edition", timed(
            "render", marked(stage.render_edition), lambda: rss_after_each.append(rss_mib())))
    else:
        missing.append("tracker.report.run.stage.render_edition")
    gc_started: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if not rendering and not gc_started:  # a collection while loading counts as loading
            return
        if phase == "start":
            gc_started.append(time.perf_counter())
        elif gc_started:
            totals["gc"] += time.perf_counter() - gc_started.pop()

    import gc

    gc.callbacks.append(on_gc)
    if pdf:
        start = time.perf_counter()
        import weasyprint

        totals["pdf import"] += time.perf_counter() - start
        weasyprint.HTML.__init__ = timed("pdf", weasyprint.HTML.__init__)
        weasyprint.HTML.write_pdf = timed("pdf", weasyprint.HTML.write_pdf)
    return missing


def main() -> int:
    result = Path(sys.argv[1])
    args = sys.argv[sys.argv.index("--") + 1:]
    fmt = args[args.index("--format") + 1] if "--format" in args else "all"
    missing = instrument(pdf=fmt in ("pdf", "all"))
    from tracker.cli import cli

    start = time.perf_counter()
    code = 0
    try:
        cli.main(args=args, prog_name="tracker", standalone_mode=True)
    except SystemExit as done:
        code = int(done.code or 0)
    end = time.perf_counter()
    stages = dict(totals)
    stages["template"] = stages.get("render", 0.0) - stages.get("pdf", 0.0) - stages.get("gc", 0.0)
    result.write_text(json.dumps({
        "exit": code,
        "total": end - STARTED,
        "command": end - start,
        "startup": start - STARTED,
        "stages": stages,
        "counts": dict(counts),
        "rss_after_each_mib": rss_after_each,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "missing": missing,
    }, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
