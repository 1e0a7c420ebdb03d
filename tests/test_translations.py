"""Chinese is the default language: every interface string must have a translation."""

import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if not {".venv", "var"} & set(p.parts)
)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_is_translated_to_chinese(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete]
    assert missing == [], "run scripts/po.py missing, translate, then scripts/po.py fill and compile"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_the_po_file(po_path):
    po = polib.pofile(str(po_path))
    with po_path.with_suffix(".mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)

    def compiled(entry):
        return mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid)

    stale = [e.msgid for e in po if e.translated() and not e.msgid_plural and compiled(e) != e.msgstr]
    assert stale == [], "run scripts/po.py compile"
