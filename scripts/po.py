#!/usr/bin/env python
"""Translation chores without hand-editing .po files.

scripts/po.py missing            # msgids still untranslated in zh_Hans, as JSON
scripts/po.py fill FILE.json     # {"msgid": "译文", ...} into zh_Hans (plural: a list)
scripts/po.py compile            # every .po → .mo (no gettext needed)
"""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
ZH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def missing() -> None:
    po = polib.pofile(str(ZH))
    todo = {e.msgid: "" for e in po if not e.translated() or "fuzzy" in e.flags}
    print(json.dumps(todo, ensure_ascii=False, indent=1))


def fill(path: str) -> None:
    mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(ZH))
    for entry in po:
        if entry.msgid not in mapping:
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
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    {"missing": missing, "fill": lambda: fill(sys.argv[2]), "compile": compile_all}[command]()
