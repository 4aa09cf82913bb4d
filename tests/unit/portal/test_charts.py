"""Server-side SVG charts: well-formed, escaped, scaled."""

import xml.etree.ElementTree as ET

from lokseva.portal import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_column_chart_draws_one_bar_per_day_scaled_to_the_largest():
    svg = charts.column_chart([("01/03", 5), ("02/03", 10), ("03/03", 0)], "Messages <per> day")
    root = ET.fromstring(str(svg))
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 3
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == 2 * heights[0] and heights[2] == 0
    assert root.find(f"{SVG}title").text == "Messages <per> day", "escaped, then parsed back"
    assert "style=" not in str(svg), "no inline styles: the CSP forbids them"


def test_bar_chart_labels_are_escaped_and_shortened():
    svg = charts.bar_chart([("<script>alert(1)</script>", 3), ("a" * 40, 1)], "Top")
    assert "<script>" not in str(svg)
    root = ET.fromstring(str(svg))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.endswith("…") for t in texts)


def test_empty_and_share_charts():
    assert ET.fromstring(str(charts.column_chart([], "x"))) is not None
    assert ET.fromstring(str(charts.bar_chart([], "x"))) is not None
    share = ET.fromstring(str(charts.share_bar(0.75, "in time")))
    assert float(share.findall(f"{SVG}rect")[1].get("width")) == 0.75 * float(share.get("viewBox").split()[2])
    assert "75%" in str(charts.share_bar(0.75, "in time"))


def test_count_axes_have_whole_number_gridlines():
    from lokseva.portal.charts import _nice_max

    assert _nice_max(7) == 8 and _nice_max(3) == 4 and _nice_max(0) == 4
    assert _nice_max(41) == 80 and _nice_max(1234) == 2000
    svg = str(charts.column_chart([("a", 7)], "x"))
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert labels[:5] == ["0", "2", "4", "6", "8"]
