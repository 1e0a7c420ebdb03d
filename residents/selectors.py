"""Reads of the residents' channel for staff: which residents' photos a signed-in user may see."""

from django.db.models import QuerySet

from cases.selectors import cases_visible_to
from residents.models import ResidentPhoto


def resident_photos_visible_to(user) -> QuerySet[ResidentPhoto]:
    """A resident's photo goes with their request's case: whoever may see the case sees its photos."""
    return ResidentPhoto.objects.filter(request__case__in=cases_visible_to(user))
