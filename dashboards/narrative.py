"""The report's few written sentences: what changed since the previous month, from the figures alone.

Pure functions of plain data (no database), so a frozen report can be written again in the reader's
language and the wording is unit-tested. Each sentence is one translatable message with placeholders.
Rules: a count that moved by less than 5 % and a rate that moved by less than 1 point are "steady";
a rate without a denominator (None) is left out, never written as 0 %.
"""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

STEADY_SHARE = 0.05
STEADY_POINTS = 0.01
RATES = ("completion_rate", "on_time_rate", "satisfaction_rate")


def _names(items: list[str]) -> str:
    # A list of names, not a sentence of translated pieces: Chinese lists them with 、.
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(items)


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f}"


def count_change(now: int, before: int | None) -> tuple[str, int, float | None]:
    """("up" | "down" | "steady" | "new", difference, share of the previous count or None)."""
    if before is None:
        return "new", 0, None
    diff = now - before
    if before == 0:
        return ("steady", 0, None) if diff == 0 else ("up", diff, None)
    share = diff / before
    if abs(share) < STEADY_SHARE:
        return "steady", diff, share
    return ("up" if diff > 0 else "down"), diff, share


def rate_change(now: float | None, before: float | None) -> str | None:
    """ "up" | "down" | "steady", or None when either month has no denominator."""
    if now is None or before is None:
        return None
    diff = now - before
    if abs(diff) < STEADY_POINTS - 1e-9:
        return "steady"
    return "up" if diff > 0 else "down"


def _raised(now: dict, before: dict | None) -> str:
    n = now.get("raised") or 0
    kind, diff, share = count_change(n, before.get("raised") if before else None)
    if kind == "new":
        return ngettext("%(n)s issue was raised this month.", "%(n)s issues were raised this month.", n) % {"n": n}
    if kind == "steady":
        return ngettext(
            "%(n)s issue was raised this month, steady against the previous month (%(before)s).",
            "%(n)s issues were raised this month, steady against the previous month (%(before)s).",
            n,
        ) % {"n": n, "before": before["raised"] or 0}
    values = {"n": n, "diff": abs(diff), "share": f"{abs(share) * 100:.0f}" if share is not None else ""}
    if kind == "up":
        if share is None:
            return _("%(n)s issues were raised this month, up %(diff)s from none the previous month.") % values
        return _("%(n)s issues were raised this month, up %(diff)s (%(share)s %%) from the previous month.") % values
    return _("%(n)s issues were raised this month, down %(diff)s (%(share)s %%) from the previous month.") % values


def _rate(key: str, now: dict, before: dict | None) -> str | None:
    value = now.get(key)
    if value is None:
        return None
    names = {
        "completion_rate": _("The completion rate"),
        "on_time_rate": _("The on-time completion rate"),
        "satisfaction_rate": _("The satisfaction rate"),
    }
    change = rate_change(value, before.get(key) if before else None)
    values = {"name": names[key], "rate": _pct(value)}
    if change is None:
        return _("%(name)s is %(rate)s %%.") % values
    values["points"] = _pct(abs(value - before[key]))
    if change == "steady":
        return _("%(name)s is %(rate)s %%, steady against the previous month.") % values
    if change == "up":
        return _("%(name)s is %(rate)s %%, up %(points)s points.") % values
    return _("%(name)s is %(rate)s %%, down %(points)s points.") % values


def _coverage(now: dict) -> str | None:
    """One sentence on visit coverage: for planning the next visits, never a ranking."""
    rate = now.get("coverage_rate")
    if rate is None:
        return None
    values = {"visited": now.get("households_visited") or 0, "n": now.get("households") or 0, "rate": _pct(rate)}
    key = now.get("key_followup_rate")
    if key is None:
        return _("%(visited)s of %(n)s records in the ledger were visited this month (%(rate)s %%).") % values
    values["key"] = _pct(key)
    return (
        _(
            "%(visited)s of %(n)s records in the ledger were visited this month (%(rate)s %%); %(key)s %% of key "
            "records were visited on schedule."
        )
        % values
    )


def sentences(facts: dict) -> list[str]:
    """The narrative of one month: ``facts`` as dashboards.report stores it (figures of the month and the
    previous one, the largest change by township or unit, new hotspots, late projects, awards)."""
    now, before = facts["current"], facts.get("previous")
    out = [_raised(now, before)]
    out += [s for s in (_rate(k, now, before) for k in RATES) if s]
    overdue = now.get("overdue_open") or 0
    if overdue:
        out.append(ngettext("%(n)s of the month's cases is overdue and not closed.",
                            "%(n)s of the month's cases are overdue and not closed.", overdue) % {"n": overdue})  # fmt: skip
    else:
        out.append(_("None of the month's cases is overdue."))
    visits = _coverage(now)
    if visits:
        out.append(visits)
    change = facts.get("largest_change")
    if change and change["before"] != change["after"]:
        out.append(_("The largest change is in %(name)s: %(before)s issues raised the previous month, %(after)s "
                     "this month.") % change)  # fmt: skip
    if facts.get("new_hotspots"):
        out.append(_("New hotspots: %(titles)s.") % {"titles": _names(facts["new_hotspots"])})
    if facts.get("late_projects"):
        out.append(_("Projects behind schedule: %(titles)s.") % {"titles": _names(facts["late_projects"])})
    awards = facts.get("awards")
    if awards:
        out.append(_("Running award: %(running)s; snail award: %(snail)s.") % {
            "running": _names(awards["running"]) or "—", "snail": _names(awards["snail"]) or "—"})  # fmt: skip
    else:
        out.append(_("The running and snail awards are not confirmed yet."))
    return out
