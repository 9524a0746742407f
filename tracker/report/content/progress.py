"""Progress of an indicator from its baseline towards its target, in %, honouring its direction.

progress = (latest - baseline) / (target - baseline) x 100, with both differences taken in the
indicator's good direction (up: more is better; down: less is better). So 0% means no movement
from the baseline, 100% means the target is reached, more than 100% means it is passed, and a
negative figure means the value moved away from the target.

When the baseline already meets the target (they are equal, or the target lies behind the
baseline in the good direction) there is no distance to cover: progress is 100% while the
latest value still meets the target and 0% once it falls short of it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Optional


def N_(message: str) -> str:
    """Marks a message for translation; `Progress.translated` translates it."""
    return message


@dataclass(frozen=True)
class Progress:
    percent: Optional[float]  # None when there is no target
    explanation: str  # one line a reader sees beside the figure

    def translated(self, words: Callable[[str], str]) -> "Progress":
        """The same progress, its explanation in the edition's language."""
        return replace(self, explanation=words(self.explanation))

    @property
    def shown(self) -> str:
        """The percentage as printed: whole numbers, a true minus sign, never "-0"."""
        if self.percent is None:
            return "n/a"
        rounded = round(self.percent)
        return f"\u2212{-rounded}%" if rounded < 0 else f"{rounded}%"

    @property
    def bar(self) -> float:
        """Share of a progress bar to fill, clamped to 0..100."""
        return 0.0 if self.percent is None else max(0.0, min(100.0, self.percent))

    @property
    def bar_width(self) -> str:
        return f"{self.bar:.1f}%"


def progress(baseline: float, latest: Optional[float], target: Optional[float], direction: str = "up") -> Progress:
    """Progress from `baseline` to `target` given the `latest` value (None: no value since the baseline)."""
    if target is None:
        return Progress(None, N_("No target set, so progress cannot be measured."))
    value = baseline if latest is None else latest
    sign = 1 if direction == "up" else -1
    needed = sign * (target - baseline)
    gained = sign * (value - baseline)
    if needed <= 0:
        met = sign * (value - target) >= 0
        if met:
            return Progress(100.0, N_("The baseline already met the target; the latest value still meets it."))
        return Progress(0.0, N_("The baseline already met the target; the latest value no longer meets it."))
    percent = gained / needed * 100
    if latest is None:
        return Progress(percent, N_("No value reported since the baseline."))
    if percent < 0:
        return Progress(percent, N_("The value has moved away from the target since the baseline."))
    if percent >= 100:
        return Progress(percent, N_("Target reached.") if percent == 100 else N_("Target passed."))
    return Progress(percent, N_("Share of the distance from baseline to target covered so far."))
