import xml.etree.ElementTree as ET

from strategy.charts import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_timeline_labels_stay_in_their_column_however_wide_their_letters():
    wide = "W" * 33  # fits the character count, not the column: W is twice an average letter
    actions = [{"what": wide, "start": 1, "end": 4, "start_label": "Y1 Q1", "end_label": "Y1 Q4",
                "status": "on_track", "status_label": "On track"}]
    svg = ET.fromstring(str(timeline_svg(actions)))
    clip = svg.find(f"{SVG}clipPath")
    labels = svg.find(f"{SVG}g")
    assert labels.get("clip-path") == f"url(#{clip.get('id')})"
    assert [t.text for t in labels.iter(f"{SVG}text")] == [wide]
    first_bar = min(float(r.get("x")) for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None)
    assert float(clip.find(f"{SVG}rect").get("width")) < first_bar
