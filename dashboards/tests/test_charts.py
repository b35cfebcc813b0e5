import xml.etree.ElementTree as ET

from accelerator.svg import BLUE
from dashboards.charts import Bar, ChartRow, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_labels_are_shortened_and_clipped_before_the_bars():
    label = "Keynote: Leading with data: routines that stick"
    svg = ET.fromstring(str(bar_chart("c", "Title", "Description", [ChartRow(label, [Bar(50, BLUE)], "50%")],
                                      maximum=100, ticks=(0, 100), unit="%")))
    labels = svg.find(f"{SVG}g")
    (shown,) = [t.text for t in labels.iter(f"{SVG}text")]
    assert shown.endswith("…") and label.startswith(shown[:-1]) and len(shown) <= 26
    bar = next(r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None)
    assert bar.find(f"{SVG}title").text == f"{label}: 50%"  # the whole label, for pointer and screen reader
    clip = svg.find(f"{SVG}clipPath")
    assert labels.get("clip-path") == f"url(#{clip.get('id')})"
    assert float(clip.find(f"{SVG}rect").get("width")) < float(bar.get("x"))
