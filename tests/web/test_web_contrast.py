"""Colour contrast of the stylesheet's palette: every text/background pair used ≥ 4.5:1 (WCAG AA)."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "hiraku" / "web" / "static" / "web" / "site.css"

# (text, background) pairs as the stylesheet uses them; names are :root variables or #hex.
PAIRS = [
    ("--ink", "#ffffff"),
    ("--muted", "#ffffff"),
    ("--muted", "--soft"),
    ("--link", "#ffffff"),
    ("--link", "--soft"),
    ("--error", "#ffffff"),
    ("#ffffff", "--brand"),
    ("#ffffff", "--accent"),
    ("#ffffff", "--error"),
    ("--ink", "--warn-bg"),
    ("#5c4100", "--warn-bg"),  # draft badge
    ("#7d1a15", "#fde8e7"),  # private badge
    ("#f0f4f8", "#16202c"),  # code blocks
]


def _palette() -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.read_text()))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ratio(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_contrast_at_least_aa(text, background):
    palette = _palette()
    fg, bg = palette.get(text, text), palette.get(background, background)
    assert _ratio(fg, bg) >= 4.5, f"{text} on {background}: {_ratio(fg, bg):.2f}:1"


def test_focus_outline_is_defined():
    css = CSS.read_text()
    assert re.search(r":focus-visible\s*{[^}]*outline:\s*3px", css)
    assert ".skip-link:focus" in css
