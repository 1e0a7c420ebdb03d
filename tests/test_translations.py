"""Chinese is the default language: every interface string must have a translation."""

import gettext
from pathlib import Path

import polib

ZH = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_string_is_translated_to_chinese():
    po = polib.pofile(str(ZH / "django.po"))
    missing = [e.msgid for e in po if (not e.translated() or "fuzzy" in e.flags) and not e.obsolete]
    assert missing == [], "run scripts/po.py missing, translate, then scripts/po.py fill and compile"


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(ZH / "django.po"))
    with (ZH / "django.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    stale = [e.msgid for e in po if e.translated() and not e.msgid_plural and mo.gettext(e.msgid) != e.msgstr]
    assert stale == [], "run scripts/po.py compile"
