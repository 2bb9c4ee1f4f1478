"""The world map of the funding explorer: pygal's world map (pygal_maps_world), drawn on the
server and made fit to sit inline in a page under the site's Content-Security-Policy.

pygal's SVG carries a ``<style>`` block, a script that loads its tooltips from a CDN, a
random id, ``style=`` attributes and a visible title. All of it goes: colours come from the
site's style sheet (``.funding-map`` in static/css/site.css), each country's shade from a
``fill-opacity`` attribute, and each shaded country says its name and amount in a ``<title>``
(the browser's own tooltip). The picture has a title and a description for assistive
technology; the page puts the same figures in a table next to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from lxml import etree
from pygal_maps_world.maps import World

from core.money import format_money

SVG = "http://www.w3.org/2000/svg"


def _tag(element) -> str:
    tag = element.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def world_map(
    amounts: Iterable[tuple[str, Decimal]],
    *,
    currency: str,
    title: str,
    description: str,
    names: dict[str, str],
    element_id: str = "funding-map",
) -> str:
    """An inline ``<svg>`` of the world where each country of ``amounts`` (ISO code, amount in
    ``currency``) is shaded by its amount; ``names`` gives each code's name in the visitor's
    language. No script, no style, no outside address in it."""
    exact = {code.lower(): amount for code, amount in amounts if amount}
    values = {code: float(amount) for code, amount in exact.items()}
    chart = World(
        js=[],
        css=[],
        show_legend=False,
        disable_xml_declaration=True,
        show_tooltips=False,
        no_prefix=True,
        margin=0,
        width=1000,
        height=560,
    )
    chart.add(currency, values)
    root = etree.fromstring(chart.render())

    for element in list(root.iter()):
        if element.getparent() is None:
            continue
        tag = _tag(element)
        classes = element.get("class", "")
        unwanted = (
            not isinstance(element.tag, str)  # comments: pygal's credits and the date
            or tag in {"style", "script", "defs", "desc", "title"}
            or (tag == "g" and ("tooltip" in classes or "text-overlay" in classes))
        )
        if unwanted:
            element.getparent().remove(element)
    for element in root.iter(f"{{{SVG}}}g", f"{{{SVG}}}path", f"{{{SVG}}}svg", f"{{{SVG}}}rect"):
        style = element.attrib.pop("style", None)
        if style and "fill-opacity" in style:
            opacity = style.split(":", 1)[1].strip().rstrip(";")
            element.set("fill-opacity", f"{float(opacity):.2f}")
        element.attrib.pop("version", None)
        element.attrib.pop("id", None)
        classes = element.get("class", "").split()
        if "series" in classes:
            code = classes[0]
            amount = exact.get(code)
            label = etree.SubElement(element, f"{{{SVG}}}title")
            label.text = (
                f"{names.get(code.upper(), code.upper())}: {format_money(amount, currency)}"
            )
            element.insert(0, label)
            element.set("class", f"country funded {code}")
        elif "country" in classes:
            element.set("class", "country")
        elif "tooltip-trigger" in classes or "reactive" in classes:
            element.attrib.pop("class", None)

    for element in root.iter():  # the map file's indentation: thousands of lines of it
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    root.attrib.pop("id", None)
    root.set("class", "funding-map")
    root.set("role", "img")
    root.set("aria-labelledby", f"{element_id}-title {element_id}-desc")
    root.set("id", element_id)
    heading = etree.Element(f"{{{SVG}}}title", id=f"{element_id}-title")
    heading.text = title
    about = etree.Element(f"{{{SVG}}}desc", id=f"{element_id}-desc")
    about.text = description
    root.insert(0, about)
    root.insert(0, heading)
    markup = etree.tostring(root, encoding="unicode")
    # Inline in HTML: the SVG namespace is implied; pygal's xlink one is not used.
    return markup.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
