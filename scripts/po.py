#!/usr/bin/env python
"""Translation chores without hand-editing .po files.

Each app with its own ``locale/`` folder keeps its own catalogue, so work on
different apps never collides in one file; ``locale/`` at the root holds the
rest (templates/, core, accounts, minqing).

    scripts/po.py extract            # makemessages for the root and every app catalogue
    scripts/po.py missing [APP]      # msgids still untranslated in zh_Hans, as JSON
    scripts/po.py fill FILE.json [APP]   # {"msgid": "译文"} into untranslated zh_Hans entries (plural: a list)
    scripts/po.py compile            # every .po → .mo (no gettext needed)
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "node_modules", "static", "bench"}


def app_dirs() -> list[Path]:
    return sorted(p.parent for p in ROOT.glob("*/locale") if p.parent.name not in SKIP)


def catalogue(app: str | None) -> Path:
    base = ROOT / app if app else ROOT
    return base / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def catalogues() -> list[Path]:
    return [p for p in [catalogue(None), *(catalogue(a.name) for a in app_dirs())] if p.exists()]


def extract() -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    env = {**os.environ, "DEBUG": "1", "PYTHONPATH": str(ROOT)}
    base = [python, str(ROOT / "manage.py"), "makemessages", "-l", "zh_Hans", "-l", "en", "--no-obsolete"]
    ignores = [f"--ignore={d}" for d in SKIP] + [f"--ignore={a.name}/*" for a in app_dirs()]
    subprocess.run([*base, *ignores], cwd=ROOT, env=env, check=True)
    for app in app_dirs():
        subprocess.run([*base, "--ignore=tests/*"], cwd=app, env=env, check=True)


def missing(app: str | None = None) -> None:
    todo = {}
    for path in [catalogue(app)] if app else catalogues():
        todo.update({e.msgid: "" for e in polib.pofile(str(path)) if not e.translated() or "fuzzy" in e.flags})
    print(json.dumps(todo, ensure_ascii=False, indent=1))


def fill(mapping_path: str, app: str | None = None) -> None:
    mapping = json.loads(Path(mapping_path).read_text(encoding="utf-8"))
    for path in [catalogue(app)] if app else catalogues():
        po = polib.pofile(str(path))
        for entry in po:
            # A term already translated keeps its words (超期, 民情事项…): a helper's file fills gaps only.
            if entry.msgid not in mapping or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            value = mapping[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value if isinstance(value, str) else value[0]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()


def compile_all() -> None:
    for po_path in ROOT.glob("**/locale/*/LC_MESSAGES/*.po"):
        if SKIP & set(po_path.relative_to(ROOT).parts):
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


if __name__ == "__main__":
    args = sys.argv[1:] or ["missing"]
    commands = {
        "extract": lambda: extract(),
        "missing": lambda: missing(*args[1:2]),
        "fill": lambda: fill(args[1], *args[2:3]),
        "compile": lambda: compile_all(),
    }
    commands[args[0]]()
