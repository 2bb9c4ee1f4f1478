"""Accessibility checks of the browser journeys with axe-core (npm, served from node_modules)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 AA problems axe-core finds on the page as it is now."""
    # Through DevTools: the Content-Security-Policy refuses an inline <script> (add_script_tag).
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
