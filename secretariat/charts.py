"""Bar charts drawn on the server as SVG (pygal), inlined in the page.

The site's Content-Security-Policy allows no inline ``<style>``, ``style=""`` or ``<script>``,
and nothing from another host. pygal puts its CSS and a config script inside each SVG and loads
its tooltips script from a CDN: the charts here load no script (``js=[]``), and a filter drops
the ``<style>``, ``<script>``, the tooltip overlay and the links' ``target``. The CSS pygal
would have written, with its per-chart id replaced by the ``pygal-chart`` class, is
``static/css/charts.css`` (``chart_css()`` makes it; a test keeps the file equal).
Each bar links to the back-office list it counts; every chart has a table next to it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import pygal
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
DROPPED = (f"{SVG}style", "style", f"{SVG}script", "script")
CACHE_SECONDS = 24 * 60 * 60
CSS_ID = "dashboard-chart"  # the id pygal's CSS is written for, replaced by the class

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#333",
    foreground_strong="#111",
    foreground_subtle="#767676",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    # Distinct for colour-blind readers (Okabe–Ito), each readable on white.
    colors=("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"),
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
    title_font_size=15,
)


@dataclass(frozen=True)
class Bar:
    value: float
    url: str = ""
    label: str = ""


def _clean(root):
    """Drop what the CSP forbids or would load from elsewhere, pygal's comments (its address)
    and the ids its script uses (repeated from chart to chart); make the links stay in the
    tab."""
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else None
        dropped = tag in DROPPED or "tooltip-overlay" in (element.get("class") or "")
        if tag is None or dropped:
            element.getparent().remove(element)
            continue
        element.attrib.pop("style", None)
        element.attrib.pop("target", None)
        if element is not root:
            element.attrib.pop("id", None)  # for pygal's script; the same in every chart
    return root


def _config(title: str, *, legend: bool, height: int) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 760,
        "height": height,
        "show_legend": legend,
        "legend_at_bottom": True,
        "print_values": False,
        "title": None,
        "include_x_axis": True,
        "no_data_text": "",
    }


def bar_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Bar]]],
    *,
    horizontal: bool = True,
) -> SafeString:
    """An SVG bar chart (one bar per label in each series), with ``title`` as its accessible
    name; the figures themselves are in the table that goes with it.

    Drawing takes pygal tens of milliseconds a chart, and the same figures draw the same chart:
    it is kept in the cache under its inputs, and drawn again only when a figure changes."""
    inputs = json.dumps(
        [
            title,
            labels,
            [(name, [(str(b.value), b.url, b.label) for b in bars]) for name, bars in series],
            horizontal,
        ],
    )
    digest = hashlib.sha256(inputs.encode()).hexdigest()
    key = f"dashboard-chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = _draw(title, labels, series, horizontal=horizontal, uuid=digest[:20])
        cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 — pygal escapes the labels and values it writes


def _draw(title, labels, series, *, horizontal: bool, uuid: str) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    height = max(160, 70 + 28 * len(labels) * max(1, len(series))) if horizontal else 320
    chart = kind(**_config(title, legend=len(series) > 1, height=height))
    chart.uuid = uuid  # the SVG's id: the same for the same inputs, distinct otherwise
    chart.add_xml_filter(_clean)
    chart.x_labels = labels
    for name, bars in series:
        chart.add(
            name,
            [
                {
                    "value": float(bar.value),
                    **({"xlink": {"href": bar.url}} if bar.url else {}),
                    **({"label": bar.label} if bar.label else {}),
                }
                for bar in bars
            ],
        )
    svg = chart.render(is_unicode=True)
    # The accessible name: pygal writes "Pygal" when the chart has no drawn title.
    svg = svg.replace("<title>Pygal</title>", f"<title>{escape(title)}</title>", 1)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def chart_css() -> str:
    """The CSS pygal writes into each chart, for ``STYLE``, as one shared style sheet."""
    chart = pygal.HorizontalBar(style=STYLE, js=[], disable_xml_declaration=True)
    chart.uuid = CSS_ID.removeprefix("chart-")
    for _color in STYLE.colors:  # one series per colour: the CSS names each one's colour
        chart.add("", [1])
    svg = chart.render(is_unicode=True)
    start = svg.index('<style type="text/css">') + len('<style type="text/css">')
    css = svg[start : svg.index("</style>", start)]
    css = css.replace("&gt;", ">").replace(f"#chart-{chart.uuid}", ".pygal-chart")
    return css.strip() + "\n"
