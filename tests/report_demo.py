"""A small programme that exercises every part of the report, and helpers to read reports back.

Edition dates: a previous edition on 2024-06-30, this one on 2024-09-30. Between them: `roads`
worsens (in progress -> at risk), gets a new figure and a slipped milestone; `emissions`
improves; `clinics` and `ports` do not change. `clinics` is stale (last entry 2024-01-05,
cadence 90 days) and cites a loopback URL directly; a note tries to smuggle in markup.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

PREVIOUS, AS_OF = "2024-06-30", "2024-09-30"
HOSTILE_NOTE = "<script>alert('x')</script> Contractor <img src=x onerror=alert(1)> delays."

DEMO = """\
id: demo
title: Demo programme
summary: A small programme of four stated priorities, for tests.
owner: Test Desk
review_every_days: 90
accent: "#e0a800"
logo: assets/logo.svg
sources:
  - {id: manifesto, title: The founding manifesto, publisher: Demo Government, date: 2024-01-02, url: "https://example.org/manifesto", kind: official}
  - {id: gazette, title: Official gazette, publisher: Ministry of Works, date: 2024-03-01, url: "https://example.org/gazette", kind: official}
  - {id: daily, title: Daily News report, publisher: Daily News, date: 2024-08-02, kind: press}
  - {id: unused, title: A source nobody cites, publisher: Nobody, kind: other}
priorities:
  - id: roads
    title: Build rural roads
    summary: Connect every village to the road network.
    owner: Ministry of Works
    history:
      - {date: 2024-01-10, status: not_started, sources: [manifesto]}
      - {date: 2024-03-01, status: in_progress, note: Tender published. Works started in two regions., sources: [gazette], by: Test Desk}
      - date: 2024-09-01
        status: at_risk
        note: "<script>alert('x')</script> Contractor <img src=x onerror=alert(1)> delays."
        sources: [daily]
    milestones:
      - {id: tender, title: Tender published, due: 2024-02-15, done: 2024-02-01, sources: [gazette]}
      - {id: contract, title: Contract signed, due: 2024-07-15}
      - {id: bridge, title: Bridge opened, due: 2025-03-01}
    indicators:
      - id: km
        title: Kilometres of road built
        unit: km
        direction: up
        baseline: {date: 2024-01-01, value: 0, source: gazette}
        target: {date: 2026-01-01, value: 100}
        observations:
          - {date: 2024-04-01, value: 20, source: gazette}
          - {date: 2024-08-01, value: 45, source: daily}
  - id: emissions
    title: Cut transport emissions
    history:
      - {date: 2024-02-01, status: in_progress, note: Plan adopted., sources: [manifesto]}
      - {date: 2024-07-01, status: partly_achieved, note: First cut delivered., sources: [gazette]}
    indicators:
      - id: co2
        title: Transport emissions
        unit: kt CO2
        direction: down
        baseline: {date: 2024-01-01, value: 1000}
        target: {date: 2026-01-01, value: 600}
        observations:
          - {date: 2024-06-01, value: 900}
  - id: clinics
    title: Keep rural clinics open
    history:
      - {date: 2024-01-05, status: in_progress, note: All clinics open., sources: ["LOOPBACK"]}
    indicators:
      - id: open-clinics
        title: Clinics open
        unit: clinics
        baseline: {date: 2024-01-01, value: 50}
        target: {date: 2025-01-01, value: 50}
        observations:
          - {date: 2024-05-01, value: 52}
  - id: ports
    title: Modernise the ports
"""

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">
<rect width="120" height="40" rx="6" fill="#1f4e79"/><text x="60" y="26" font-size="16" fill="#fff" text-anchor="middle">DEMO</text>
</svg>
"""


def demo_yaml(loopback: str = "http://127.0.0.1:9/evidence") -> str:
    return DEMO.replace("LOOPBACK", loopback)


def make_workspace(root: Path, loopback: str = "http://127.0.0.1:9/evidence", git: bool = False) -> Path:
    """Write policies/demo.yaml and assets/logo.svg under `root`; optionally commit them to git."""
    (root / "policies").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    (root / "policies" / "demo.yaml").write_text(demo_yaml(loopback), encoding="utf-8")
    (root / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    if git:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
               "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
               "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
               "GIT_AUTHOR_DATE": "2024-09-29T12:00:00+00:00", "GIT_COMMITTER_DATE": "2024-09-29T12:00:00+00:00"}
        for args in (["init", "-q"], ["add", "policies", "assets"], ["commit", "-q", "-m", "data"]):
            subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)
    return root


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text in reading order (pdftotext -raw), whitespace folded."""
    args = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())
