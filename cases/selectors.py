from django.db.models import QuerySet

from cases.models import Category


def categories_active() -> QuerySet[Category]:
    """Categories are shared reference data: every signed-in user may read them."""
    return Category.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")
