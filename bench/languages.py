"""The Chinese edition: its cost over WeasyPrint's floor, and against the English edition.

Called by bench/run.py. The default programme (its YAML and its zh-Hans PO file) is rendered
to PDF in Chinese and in English, alternating run after run, and WeasyPrint alone (floor.py)
turns the Chinese edition's HTML into a PDF of the same variant with the same attachment.
Targets: Chinese edition time / floor on the same HTML <= 1.10; Chinese / English time and
PDF sizes are reported (measured with Noto CJK: about 1.5x the time, 4x the bytes).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

AS_OF = "2025-12-31"


def measure_languages(work: Path, runs: int, *, repo: Path, here: Path, py: str,
                      report_cmd: Callable[..., list[str]], measure: Callable[..., Any],
                      median: Callable[..., Any], pdf_facts: Callable[..., Any]) -> dict[str, Any]:
    root = work / "languages"
    (root / "policies").mkdir(parents=True)
    for name in ("digital-silk-road.yaml", "digital-silk-road.zh-Hans.po"):
        shutil.copy(repo / "policies" / name, root / "policies" / name)
    subprocess.run(report_cmd(root, AS_OF, "--format", "all", "--force"), check=True, stdout=subprocess.DEVNULL)
    folder = root / "reports" / "digital-silk-road"
    zh_html = folder / f"digital-silk-road-{AS_OF}.zh-Hans.html"
    zh_pdf, en_pdf = folder / f"digital-silk-road-{AS_OF}.zh-Hans.pdf", folder / f"digital-silk-road-{AS_OF}.pdf"
    extras = work / "languages-attachments"
    extras.mkdir()
    variant, attachments = pdf_facts(zh_pdf, extras)
    floor = [py, str(here / "floor.py"), str(zh_html), str(work / "floor-zh.pdf"), "--base-url", str(root)]
    floor += ["--variant", variant] if variant else []
    for path in attachments:
        floor += ["--attach", str(path)]
    zh, en, floors = [], [], []
    for _ in range(runs):
        zh.append(measure(report_cmd(root, AS_OF, "--format", "pdf", "--lang", "zh-Hans", "--force")))
        floors.append(measure(floor))
        en.append(measure(report_cmd(root, AS_OF, "--format", "pdf", "--lang", "en", "--force")))
    return {"zh": median(zh), "en": median(en), "floor": median(floors),
            "zh_bytes": zh_pdf.stat().st_size, "en_bytes": en_pdf.stat().st_size,
            "floor_bytes": (work / "floor-zh.pdf").stat().st_size}


def render(result: dict[str, Any], ms: Callable[[float], str]) -> list[str]:
    over_floor = result["zh"].wall / result["floor"].wall
    over_english = result["zh"].wall / result["en"].wall
    size = result["zh_bytes"] / result["en_bytes"]
    return [
        "",
        "### The Chinese edition (default programme, zh-Hans, PDF)",
        "",
        "| command | wall | CPU | peak RSS | ratio | PDF |",
        "|---|---:|---:|---:|---:|---:|",
        f"| tracker report --lang zh-Hans | {ms(result['zh'].wall)} | {ms(result['zh'].cpu)} | "
        f"{result['zh'].rss_mib:.0f} MiB | **{over_floor:.2f}** x floor | {result['zh_bytes'] / 1024:,.0f} KiB |",
        f"| floor: WeasyPrint, the same Chinese HTML | {ms(result['floor'].wall)} | {ms(result['floor'].cpu)} | "
        f"{result['floor'].rss_mib:.0f} MiB | 1 | {result['floor_bytes'] / 1024:,.0f} KiB |",
        f"| tracker report --lang en | {ms(result['en'].wall)} | {ms(result['en'].cpu)} | "
        f"{result['en'].rss_mib:.0f} MiB | Chinese / English: **{over_english:.2f}** x time, "
        f"**{size:.1f}** x bytes | {result['en_bytes'] / 1024:,.0f} KiB |",
        "",
        f"Chinese edition / floor on the same HTML <= 1.10: {'met' if over_floor <= 1.10 else 'NOT met'} "
        f"({over_floor:.2f}). Chinese / English: {over_english:.2f} x the time, {size:.1f} x the bytes "
        "(reported; about 1.5x and 4x expected with Noto CJK).",
    ]
