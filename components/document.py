"""The HTML document around the Dash app: its language, and no landmark that holds only scripts."""

from __future__ import annotations

import re

LANGUAGE = "nl-BE"


def index_string(template: str, language: str = LANGUAGE) -> str:
    """Dash's index template with ``<html lang="nl-BE">`` (screen readers pick the Dutch voice, WCAG 3.1.1)
    and its ``<footer>`` around the scripts made a plain ``<div>``: an empty second footer is a second
    contentinfo landmark beside the page's own footer."""
    out = re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{language}"', template, count=1)
    out = re.sub(r"<footer>(\s*\{%config%\}.*?)</footer>", r"<div>\1</div>", out, count=1, flags=re.S)
    return out
