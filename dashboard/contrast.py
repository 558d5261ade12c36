"""Colour contrast (WCAG 2.1): readable text on the SDG colours and on the status colours."""

from __future__ import annotations

WHITE = "#FFFFFF"
INK = "#1B2733"  # the app's text colour (assets/10-beleidsmonitor.css --bm-ink)
BLACK = "#000000"
NORMAL_TEXT = 4.5  # WCAG 1.4.3 AA for text below 18pt (24px), or 14pt (18.7px) bold
LARGE_TEXT = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of '#RRGGBB' (or '#RGB'), 0 for black to 1 for white."""
    hex_ = colour.strip().lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(ch * 2 for ch in hex_)
    if len(hex_) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    r, g, b = (_channel(int(hex_[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def text_colour(background: str, minimum: float = NORMAL_TEXT) -> str:
    """The text colour for ``background``: white as the SDG icons have it where that is readable, else
    the app's ink, else black (one of white and black always reaches 4.5:1)."""
    for candidate in (WHITE, INK, BLACK):
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return max((WHITE, BLACK), key=lambda c: contrast_ratio(c, background))


def on_colour(background: str | None) -> dict:
    """Inline style of an element with text on ``background`` (an SDG colour): the colour itself and
    a readable text colour; dark text gets no halo (the CSS gives white text a soft dark one)."""
    if not background:
        return {}
    fg = text_colour(background)
    style = {"background": background, "color": fg}
    if fg != WHITE:
        style["textShadow"] = "none"
    return style


def _hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in rgb)


def muted(colour: str, amount: float = 0.55, brightness: float = 0.92) -> str:
    """``colour`` as CSS ``filter: grayscale(amount) brightness(brightness)`` shows it (sRGB), so the
    text on it can be chosen for the colour that is actually seen (an SDG without action plans)."""
    hex_ = colour.strip().lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(ch * 2 for ch in hex_)
    r, g, b = (int(hex_[i : i + 2], 16) for i in (0, 2, 4))
    s = 1 - amount
    grey = (
        (0.2126 + 0.7874 * s) * r + (0.7152 - 0.7152 * s) * g + (0.0722 - 0.0722 * s) * b,
        (0.2126 - 0.2126 * s) * r + (0.7152 + 0.2848 * s) * g + (0.0722 - 0.0722 * s) * b,
        (0.2126 - 0.2126 * s) * r + (0.7152 - 0.7152 * s) * g + (0.0722 + 0.9278 * s) * b,
    )
    return _hex(c * brightness for c in grey)
