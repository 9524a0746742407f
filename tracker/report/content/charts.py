"""Charts as inline SVG, written out by hand so each mark can be read in the code.

Every chart carries a <title> (a one-sentence summary, used as the alternative text in HTML and
in tagged PDFs) and a <desc> (every figure it draws). The same figures are always printed as a
table next to it, for readers who cannot see the chart.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Optional, Sequence

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from tracker.i18n import fonts
from tracker.i18n import locale as fmt

if TYPE_CHECKING:  # pragma: no cover
    from tracker.report.content.language import Language

FONT = "DejaVu Sans, Verdana, sans-serif"  # an English chart drawn without a Language (tests)
AXIS = "#5b616b"
GRID = "#d5d8dc"
TARGET = "#7a2e0e"


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    colour: str  # fill of the bar
    outline: str  # darker edge, so the bar stands out from the page (3:1)


@dataclass(frozen=True)
class Series:
    """What an indicator chart draws."""

    title: str
    unit: str
    baseline: tuple[dt.date, float]
    observations: tuple[tuple[dt.date, float], ...]
    target: Optional[tuple[dt.date, float]]
    as_of: dt.date
    colour: str


def _f(x: float) -> str:
    """Coordinates with one decimal: short, and the same bytes on every machine."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: list[str],
         lang: "Language | None" = None) -> Markup:
    font = fonts.svg_family(lang.page) if lang is not None else FONT
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{font}" font-size="11">'
    )
    return Markup("\n".join([
        head,
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def status_chart(bars: Sequence[Bar], chart_id: str, title: str, lang: "Language | None" = None) -> Markup:
    """Horizontal bars, one per status, each labelled with the status and its count."""
    label_w, bar_w, row_h, top = 150, 280, 24, 6
    width = label_w + bar_w + 50
    height = top * 2 + row_h * max(1, len(bars))
    most = max((b.count for b in bars), default=0) or 1
    words = lang.words if lang is not None else (lambda message: message)
    desc = words("; ").join(words("{label}: {count}").format(label=b.label, count=b.count) for b in bars) + words(".")
    body = [f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - top}" stroke="{AXIS}" stroke-width="1"/>']
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = bar_w * bar.count / most
        body.append(f'<text x="{label_w - 8}" y="{_f(y + row_h / 2 + 4)}" text-anchor="end" fill="#1b1b1b">'
                    f'{escape(_short(bar.label, 24))}</text>')
        if bar.count:
            body.append(f'<rect x="{label_w}" y="{y + 4}" width="{_f(length)}" height="{row_h - 8}" '
                        f'fill="{bar.colour}" stroke="{bar.outline}" stroke-width="1"/>')
        body.append(f'<text x="{_f(label_w + length + 6)}" y="{_f(y + row_h / 2 + 4)}" fill="#1b1b1b" '
                    f'font-weight="bold">{bar.count}</text>')
    return _svg(chart_id, width, height, title, desc, body, lang)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _date_ticks(start: dt.date, end: dt.date, page: str = "en") -> list[tuple[dt.date, str]]:
    years = list(range(start.year + (start > dt.date(start.year, 1, 1)), end.year + 1))
    if len(years) >= 2:
        step = max(1, math.ceil(len(years) / 7))
        return [(dt.date(y, 1, 1), str(y)) for y in years[::step]]
    months = []
    y, m = start.year, start.month
    while dt.date(y, m, 1) <= end:
        if dt.date(y, m, 1) >= start:
            months.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    step = max(1, math.ceil(len(months) / 6))
    return [(d, fmt.month(d, page)) for d in months[::step]]


def indicator_chart(series: Series, chart_id: str, lang: "Language | None" = None) -> Markup:
    """Baseline (square), observations (dots joined by a line), target (dashed line and diamond), as-of date."""
    width, height = 560, 230
    left, right, top, bottom = 58, 96, 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    page = lang.style if lang is not None else "en"
    words = lang.words if lang is not None else (lambda message: message)
    number = lambda value: fmt.number(value, page)  # noqa: E731

    points = [series.baseline, *series.observations]
    values = [v for _, v in points] + ([series.target[1]] if series.target else [])
    start = series.baseline[0]
    end = max([series.as_of, *(d for d, _ in points)] + ([series.target[0]] if series.target else []))
    if end <= start:
        start, end = start - dt.timedelta(days=180), start + dt.timedelta(days=180)
    low = min(values + [0.0]) if min(values) >= 0 else min(values)
    ticks = nice_ticks(low, max(values))
    y_low, y_high = ticks[0], ticks[-1]

    def x(day: dt.date) -> float:
        return left + plot_w * (day - start).days / (end - start).days

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - y_low) / (y_high - y_low))

    body = []
    for tick in ticks:
        body.append(f'<line x1="{left}" y1="{_f(y(tick))}" x2="{left + plot_w}" y2="{_f(y(tick))}" '
                    f'stroke="{GRID}" stroke-width="0.8"/>')
        body.append(f'<text x="{left - 6}" y="{_f(y(tick) + 4)}" text-anchor="end" fill="{AXIS}">'
                    f'{escape(number(tick))}</text>')
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
                f'stroke="{AXIS}" stroke-width="1"/>')
    for day, label in _date_ticks(start, end, page):
        body.append(f'<line x1="{_f(x(day))}" y1="{top + plot_h}" x2="{_f(x(day))}" y2="{top + plot_h + 4}" '
                    f'stroke="{AXIS}" stroke-width="1"/>')
        body.append(f'<text x="{_f(x(day))}" y="{top + plot_h + 17}" text-anchor="middle" fill="{AXIS}">'
                    f'{escape(label)}</text>')

    # The as-of date: everything right of it is the future.
    ax = x(series.as_of)
    body.append(f'<line x1="{_f(ax)}" y1="{top}" x2="{_f(ax)}" y2="{top + plot_h}" stroke="{AXIS}" '
                f'stroke-width="1" stroke-dasharray="2 3"/>')
    body.append(f'<text x="{_f(ax)}" y="{top - 5}" text-anchor="middle" fill="{AXIS}">{escape(words("as of"))}</text>')

    if series.target:
        t_day, t_value = series.target
        ty = y(t_value)
        body.append(f'<line x1="{left}" y1="{_f(ty)}" x2="{left + plot_w}" y2="{_f(ty)}" stroke="{TARGET}" '
                    f'stroke-width="1.5" stroke-dasharray="6 4"/>')
        tx = x(t_day)
        body.append(f'<path d="M{_f(tx)} {_f(ty - 6)} L{_f(tx + 6)} {_f(ty)} L{_f(tx)} {_f(ty + 6)} '
                    f'L{_f(tx - 6)} {_f(ty)} Z" fill="#ffffff" stroke="{TARGET}" stroke-width="1.5"/>')

    path = " ".join(f"{'M' if i == 0 else 'L'}{_f(x(d))} {_f(y(v))}" for i, (d, v) in enumerate(points))
    body.append(f'<path d="{path}" fill="none" stroke="{series.colour}" stroke-width="2"/>')
    bx, by = x(series.baseline[0]), y(series.baseline[1])
    body.append(f'<rect x="{_f(bx - 4.5)}" y="{_f(by - 4.5)}" width="9" height="9" fill="#ffffff" '
                f'stroke="{series.colour}" stroke-width="2"/>')
    for day, value in series.observations:
        body.append(f'<circle cx="{_f(x(day))}" cy="{_f(y(value))}" r="4" fill="{series.colour}"/>')
    # Labels at the right edge: the latest value and the target, pushed apart when they would touch.
    last_value = points[-1][1]
    labels = [(y(last_value), series.colour, ' font-weight="bold"',
               (words("Latest {value}") if series.observations else words("Baseline {value}")).format(
                   value=number(last_value)))]
    if series.target:
        labels.append((y(series.target[1]), TARGET, "", words("Target {value}").format(value=number(series.target[1]))))
    if len(labels) == 2 and abs(labels[0][0] - labels[1][0]) < 13:
        middle = (labels[0][0] + labels[1][0]) / 2
        upper_first = last_value > series.target[1] if series.target else True
        offsets = (-6.5, 6.5) if upper_first else (6.5, -6.5)
        labels = [(middle + off, colour, weight, text) for off, (_, colour, weight, text) in zip(offsets, labels)]
    for label_y, colour, weight, text in labels:
        body.append(f'<text x="{left + plot_w + 12}" y="{_f(label_y + 4)}" fill="{colour}"{weight}>{escape(text)}</text>')

    title, desc = describe(series, lang)
    return _svg(chart_id, width, height, title, desc, body, lang)


def describe(series: Series, lang: "Language | None" = None) -> tuple[str, str]:
    """The chart's alternative text: a summary sentence, and every figure drawn."""
    page = lang.style if lang is not None else "en"
    words = lang.words if lang is not None else (lambda message: message)
    unit = series.unit
    qty = lambda value: words("{value} {unit}").format(value=fmt.number(value, page), unit=unit)  # noqa: E731
    day = lambda value: fmt.date(value, page)  # noqa: E731
    b_day, b_value = series.baseline
    parts = [words("baseline {value} on {date}").format(value=qty(b_value), date=day(b_day))]
    if series.observations:
        l_day, l_value = series.observations[-1]
        parts.append(words("latest {value} on {date}").format(value=qty(l_value), date=day(l_day)))
    else:
        parts.append(words("no value reported since the baseline"))
    if series.target:
        parts.append(words("target {value} by {date}").format(value=qty(series.target[1]), date=day(series.target[0])))
    else:
        parts.append(words("no target set"))
    title = words("Chart of {title}: {parts}.").format(title=series.title, parts=words(", ").join(parts))
    figures = [words("Baseline {date}: {value}").format(date=day(b_day), value=fmt.number(b_value, page))]
    figures += [words("{date}: {value}").format(date=day(d), value=fmt.number(v, page)) for d, v in series.observations]
    if series.target:
        figures.append(words("Target {date}: {value}").format(date=day(series.target[0]),
                                                              value=fmt.number(series.target[1], page)))
    desc = words("Values in {unit} over time. {figures}. As of {date}.").format(
        unit=unit, figures=words("; ").join(figures), date=day(series.as_of))
    return title, desc
