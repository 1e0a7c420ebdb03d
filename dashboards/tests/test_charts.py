"""The report's inline SVG charts are well-formed, name themselves and print their numbers."""

import xml.etree.ElementTree as ET

from dashboards.charts import bars_with_line, horizontal_bars

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return [t.text for t in root.iter(f"{SVG}text")], root


def test_the_trend_chart():
    svg = bars_with_line("按月 <趋势>", ["11", "12"], ("反映问题数", [12, 7]), ("办结数", [10, None]))
    texts, root = _texts(svg)
    assert root.get("aria-label") == "按月 <趋势>" and root.find(f"{SVG}title").text == "按月 <趋势>"
    assert {"12", "7", "10", "—", "11", "反映问题数", "办结数"} <= set(texts)
    assert len(root.findall(f"{SVG}rect")) == 2 + 2  # two legend keys, two bars
    assert root.find(f"{SVG}polyline") is not None


def test_horizontal_bars_of_rates_skip_a_missing_value():
    svg = horizontal_bars("办结率", [("甘霖镇", 0.8), ("长乐镇", None), ("A&B", 1.0)], percent=True)
    texts, root = _texts(svg)
    assert texts == ["甘霖镇", "80.0%", "长乐镇", "—", "A&B", "100.0%"]
    assert len(root.findall(f"{SVG}rect")) == 2  # no bar for the missing rate, never a 0 % bar
    counts = horizontal_bars("按类别", [("道路交通", 5), ("供水", 2)])
    assert "5" in _texts(counts)[0]
