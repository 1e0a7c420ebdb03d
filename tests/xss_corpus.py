"""The XSS corpus and the checks that prove nothing of it came out as markup (tests/test_xss*.py)."""

import io
import json
from html.parser import HTMLParser
from itertools import cycle

# Every HTML-shaped payload carries "xss" in a tag or attribute name, or is a script without a
# source: whatever of it escapes the escaping shows up as structure the scanner refuses.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1 data-xss>",
    '"><svg onload=window.__xss=1 data-xss>',
    "' onmouseover='window.__xss=1' data-xss='",
    "javascript:window.__xss=1//",
    "</textarea><xss-tag>{{ 7|add:42 }}{% now 'Y' %}",
    "</script><script>window.__xss=1</script>",
    "\u202e<xss-tag>\u2028\u2029＜script＞&lt;b&gt;",
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+cmd|' /C calc'!A0",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data")


def payloads():
    """An endless supply, so each text field gets the next payload of the corpus."""
    return cycle(PAYLOADS)


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_blocks: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        where = self.getpos()
        if "xss" in tag:
            self.problems.append(f"element <{tag}> at {where}")
        for name, value in attrs:
            if name.startswith("on") or "xss" in name:
                self.problems.append(f"attribute {name}= on <{tag}> at {where}")
            url = "".join((value or "").split()).lower()
            if name in URL_ATTRS and url.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.problems.append(f"{name}={value!r} on <{tag}> at {where}")
        if tag == "script":
            kind = dict(attrs).get("type", "")
            src = dict(attrs).get("src") or ""
            if kind == "application/json":
                self._in_json = True
                self.json_blocks.append("")
            elif not src.startswith(("/static/", "/admin/jsi18n/")):  # our files, and the admin's catalogue view
                self.problems.append(f"inline <script> at {where}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_blocks[-1] += data


def html_problems(html: str) -> list[str]:
    """What in the page came from a payload: elements, handlers, javascript: URLs, inline scripts."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    for block in scanner.json_blocks:
        try:
            json.loads(block)
        except ValueError:
            scanner.problems.append(f"a JSON block that does not parse: {block[:80]!r}")
    return scanner.problems


def xlsx_cells(data: bytes):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from ((sheet.title, cell) for cell in row)


def xlsx_problems(data: bytes) -> list[str]:
    """Cells a spreadsheet would run: formulas, or text that starts like one."""
    problems = []
    for title, cell in xlsx_cells(data):
        if cell.data_type == "f":
            problems.append(f"formula in {title}!{cell.coordinate}: {cell.value!r}")
        elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            problems.append(f"formula-like text in {title}!{cell.coordinate}: {cell.value!r}")
    return problems
