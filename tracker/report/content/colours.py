"""Colour arithmetic for WCAG 2.1 contrast: badge text that stays readable, accents darkened to pass.

Contrast ratio and relative luminance follow WCAG 2.1 (success criterion 1.4.3). For any
background, black or white text reaches at least 4.58:1, so picking the better of the two always
passes level AA for normal text.
"""
from __future__ import annotations

WHITE = "#ffffff"
INK = "#000000"
AA_TEXT = 4.5
AA_GRAPHICS = 3.0


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """White or black, whichever reads better on `background` (always at least 4.58:1)."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


def darken_to(colour: str, minimum: float = AA_TEXT, against: str = WHITE) -> str:
    """`colour`, mixed with black in small steps until it reaches `minimum` contrast `against`."""
    rgb = _rgb(colour)
    for step in range(0, 101):
        mixed = _hex(tuple(c * (1 - step / 100) for c in rgb))  # type: ignore[arg-type]
        if contrast(mixed, against) >= minimum:
            return mixed
    return INK


def tint(colour: str, share: float) -> str:
    """`colour` mixed with white: `share` 0 gives white, 1 gives the colour itself."""
    return _hex(tuple(255 - (255 - c) * share for c in _rgb(colour)))  # type: ignore[arg-type]
