"""axe-core in a Playwright page: the serious and critical violations, readable in an assertion message.

The script is the vendored release (core/testing/vendor/axe-core/), injected into the page under test:
nothing is fetched. The page's context needs ``bypass_csp=True``, since our CSP allows no inline script.
"""

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.0/2.1 A and AA, and Deque's best practices (landmarks, one <main>, headings): a best-practice
# rule fails the walk only where axe rates the finding serious or critical, like every other rule.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING = ("serious", "critical")

# Exact rule + selector pairs that are not ours to fix, each with its reason. Keep this short.
EXCLUDED: dict[str, tuple[str, ...]] = {
    # Django admin's own search box (admin/search_form.html) where the list has search help text (django-otp's
    # device lists): it is named by its label's search icon, and axe asks for visible label text too.
    "label-title-only": ("#searchbar",),
    # Django 5.2's admin user form: the password's help has no id (admin/includes/fieldset.html gives it one only
    # when the widget has a label target, the read-only hash has none) while the widget still points at it. The
    # help is shown beside the field all the same.
    "dangling-idref": ("#id_password aria-describedby=id_password_helptext",),
}

_RUN = """async ([tags, excluded]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes
      .filter(n => !(excluded[v.id] || []).some(sel => n.target.join(' ') === sel))
      .map(n => ({impact: n.impact, target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
  })).filter(v => v.nodes.length);
}"""


def install_axe(context) -> None:
    """Loads axe into every page the context opens, before the page's own scripts (quicker than one
    injection per page; the page's CSP does not apply to init scripts)."""
    context.add_init_script(path=str(AXE_JS))


def axe_violations(page, *, open_details: bool = True) -> list[dict]:
    """The page's violations of impact serious or critical (each: id, impact, help, nodes).

    axe skips what is not shown: every ``<details>`` (the lists' filter forms, long tables) is opened first,
    so what is folded away is checked too, and folded again afterwards (an open header menu would cover the
    buttons the walk goes on to press).
    """
    if open_details:
        page.evaluate(
            "document.querySelectorAll('details:not([open])').forEach(d => { d.open = true; d.dataset.axeOpened = '1'; })"
        )
    try:
        return _serious(page)
    finally:
        if open_details:
            page.evaluate(
                "document.querySelectorAll('details[data-axe-opened]').forEach(d => { d.open = false; delete d.dataset.axeOpened; })"
            )


def _serious(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # not loaded by install_axe
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(_RUN, [TAGS, {k: list(v) for k, v in EXCLUDED.items()}])
    serious = []
    for violation in found:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in FAILING]
        if nodes:
            serious.append({**violation, "nodes": nodes})
    return serious


_DANGLING = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby', 'for']) {
      if (attr === 'for' && el.tagName !== 'LABEL') continue;
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) out.push({target: el.id ? '#' + el.id : el.tagName.toLowerCase(), html: el.outerHTML, attr, id});
      }
    }
  }
  return out;
}"""


def dangling_references(page) -> list[dict]:
    """A label's ``for``, an ``aria-describedby`` or ``aria-labelledby`` naming no element of the page, as
    a violation (axe leaves these "to review": the element might come later; on our pages it never does)."""
    nodes = [{"impact": "serious", "target": f"{f['target']} {f['attr']}={f['id']}", "html": f["html"], "summary": ""}
             for f in page.evaluate(_DANGLING)]  # fmt: skip
    nodes = [n for n in nodes if n["target"] not in EXCLUDED["dangling-idref"]]
    if not nodes:
        return []
    return [{"id": "dangling-idref", "impact": "serious", "help": "References must name an element of the page",
             "nodes": nodes}]  # fmt: skip


def describe(violations: list[dict], where: str = "") -> str:
    """One paragraph per rule: its id, impact and help, the selectors it failed on and the first one's HTML."""
    lines = []
    for v in violations:
        targets = ", ".join(n["target"] for n in v["nodes"][:6])
        more = f" (+{len(v['nodes']) - 6} more)" if len(v["nodes"]) > 6 else ""
        lines.append(f"{where}[{v['impact']}] {v['id']}: {v['help']}")
        lines.append(f"    at {targets}{more}")
        lines.append(f"    e.g. {v['nodes'][0]['html'][:200]}")
        summary = (v["nodes"][0]["summary"] or "").replace("\n", " ")[:300]
        if summary:
            lines.append(f"    {summary}")
    return "\n".join(lines)
