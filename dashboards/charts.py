"""Small inline SVG charts for the monthly report, drawn in Python so the PDF needs no script.

Each chart names itself (``<title>``, ``aria-label``) and prints its numbers; the table beside it
stays the accessible source. Labels are escaped; fonts are left to the page (Noto CJK in the PDF).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT = 'font-family="Noto Sans CJK SC, Noto Sans CJK, sans-serif" font-size="11"'
COLOURS = ("#2f6fb0", "#c0392b", "#7f8c8d")


def _svg(title: str, height: int, body: list[str]) -> SafeString:
    t = escape(title)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" aria-label="{t}" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" style="max-width:100%;height:auto" '
            f"{FONT}><title>{t}</title>")  # fmt: skip
    # Every label and title above went through escape(); the rest are numbers this module formats.
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _legend(names: list[str], y: int) -> list[str]:
    out = []
    for i, name in enumerate(names):
        x = 50 + i * 140
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[i % 3]}"/>')
        out.append(f'<text x="{x + 14}" y="{y}">{escape(name)}</text>')
    return out


def bars_with_line(title: str, labels: list[str], bars: tuple[str, list], line: tuple[str, list]) -> SafeString:
    """Per period: a bar (e.g. raised) and a line across the periods (e.g. closed), values printed."""
    height, top, bottom, left = 210, 30, 170, 40
    values = [v or 0 for v in bars[1] + line[1]]
    peak = max(values + [1])
    step = (WIDTH - left - 10) / max(len(labels), 1)
    scale = (bottom - top) / peak
    body = _legend([bars[0], line[0]], 14)
    body.append(f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="#999"/>')
    points = []
    for i, label in enumerate(labels):
        x = left + i * step
        bar = bars[1][i] or 0
        h = bar * scale
        body.append(f'<rect x="{x + step * 0.2:.1f}" y="{bottom - h:.1f}" width="{step * 0.6:.1f}" '
                    f'height="{h:.1f}" fill="{COLOURS[0]}"/>')  # fmt: skip
        body.append(f'<text x="{x + step / 2:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle">{_number(bar)}</text>')
        body.append(f'<text x="{x + step / 2:.1f}" y="{bottom + 14}" text-anchor="middle">{escape(label)}</text>')
        done = line[1][i] or 0
        points.append(f"{x + step / 2:.1f},{bottom - done * scale:.1f}")
        body.append(f'<text x="{x + step / 2:.1f}" y="{bottom + 28}" text-anchor="middle" '
                    f'fill="{COLOURS[1]}">{_number(line[1][i])}</text>')  # fmt: skip
    if points:
        body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{COLOURS[1]}" stroke-width="2"/>')
    return _svg(title, height, body)


def horizontal_bars(title: str, rows: list[tuple[str, float | None]], *, percent: bool = False) -> SafeString:
    """One bar per row (e.g. a township's completion rate); a missing value is a dash, never a zero bar."""
    row_h, left = 20, 150
    height = 10 + row_h * max(len(rows), 1)
    values = [v for _, v in rows if v is not None]
    peak = 1.0 if percent else max(values + [1])
    span = WIDTH - left - 70
    body = []
    for i, (label, value) in enumerate(rows):
        y = 6 + i * row_h
        body.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{escape(label)}</text>')
        w = (value or 0) / peak * span
        if value is not None:
            body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row_h - 6}" fill="{COLOURS[0]}"/>')
        shown = _percent(value) if percent else _number(value)
        body.append(f'<text x="{left + w + 4:.1f}" y="{y + 12}">{shown}</text>')
    return _svg(title, height, body)
