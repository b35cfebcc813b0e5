"""The one way to draw the project's charts: inline SVG built from elements whose text and
attribute values are escaped by construction, so a city's own words (an action, a component, a
city name) can never become markup. Every chart has role="img", a <title> and a <desc>; the page
gives the same figures as a table beside it."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, RULE, GREY, BLUE, GREEN, RED = "#212529", "#495057", "#dee2e6", "#6c757d", "#0b3d66", "#1b6e3a", "#b02a37"


def truncate(text, size):
    """`text` cut to `size` characters with an ellipsis, for labels beside a bar."""
    return text if len(text) <= size else text[: size - 1] + "…"


def _number(value):
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def element(tag, *children, **attrs):
    """`<tag attrs>children</tag>`: attribute values and plain-string children are escaped;
    children built by this module (SafeString) are kept as they are. `class_` stands for class,
    and underscores in other names become hyphens (`font_size` → font-size)."""
    rendered = "".join(
        f' {"class" if name == "class_" else name.replace("_", "-")}="{escape(_number(value))}"'
        for name, value in attrs.items() if value is not None
    )
    body = "".join(child if isinstance(child, SafeString) else escape(child) for child in children)
    if not children:
        return mark_safe(f"<{tag}{rendered}/>")
    return mark_safe(f"<{tag}{rendered}>{body}</{tag}>")


def text(x, y, content, *, size=12, fill=INK, anchor=None):
    return element("text", str(content), x=x, y=y, font_size=size, text_anchor=anchor, fill=fill)


def label_column(chart_id, width, height, labels):
    """The labels beside a chart's bars, clipped to their column `width` wide: truncated text fits
    it in ordinary letters, and the clip keeps wide ones (a row of W, a long word) off the bars."""
    clip_id = f"{chart_id}-labels"
    return mark_safe(
        element("clipPath", element("rect", x=0, y=0, width=width, height=height), id=clip_id)
        + element("g", *labels, clip_path=f"url(#{clip_id})")
    )


def bar(x, y, width, height, colour, tooltip, **attrs):
    """A rectangle whose <title> names what it shows, for pointer and screen-reader users."""
    return element("rect", element("title", tooltip), x=x, y=y, width=width, height=height, fill=colour, **attrs)


def chart(chart_id, title, description, width, height, children, *, class_="strategy-chart"):
    """The <svg> root: labelled by its title and description. It is drawn at its natural size (one
    unit a CSS pixel, so its 11–12 px labels match the page's text, on screen and in print) and the
    stylesheet shrinks it to fit a narrower box (`max-width: 100%; height: auto`)."""
    return element(
        "svg",
        element("title", str(title), id=f"{chart_id}-title"),
        element("desc", str(description), id=f"{chart_id}-desc"),
        *children,
        xmlns="http://www.w3.org/2000/svg", role="img", class_=class_, viewBox=f"0 0 {width} {height}",
        width=width, height=height, aria_labelledby=f"{chart_id}-title {chart_id}-desc",
    )
