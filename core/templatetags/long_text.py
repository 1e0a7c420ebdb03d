"""Long texts folded behind 展开 (a 10,000-character reply must not make a 29,000 px page)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

FOLD_AFTER = 400  # characters shown in full; longer texts show their start and fold the rest
EXCERPT = 160


@register.filter(is_safe=True)
def folded(text) -> str:
    """The text with its line breaks, folded behind 展开全文 when long; works without JavaScript."""
    text = str(text or "")
    if len(text) <= FOLD_AFTER:
        return linebreaksbr(text, autoescape=True)
    return format_html(
        '<div class="long-text"><p class="excerpt">{}…</p><details><summary>{}</summary><p>{}</p></details></div>',
        text[:EXCERPT],
        _("Show all (%(n)d characters)") % {"n": len(text)},
        linebreaksbr(text, autoescape=True),
    )
