"""How a viewer sees the residents an entry's visits name (PIPL): the one rule for pages and API.

The officer who met them, their township's desk (which calls residents back)
and admins read names and addresses; everyone else reads them masked, as a
case's reporter is masked. Phone numbers stay masked until asked for
(``reveal``), and only those who may read names may ask. Showing anyone but
the author unmasked residents' data on an entry's page writes an audit row.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scope import scope_of
from audit.services import audit_log
from core.masking import mask_address, mask_name, mask_phone
from diaries.models import DiaryEntry, Visit


def may_see_residents(user, entry: DiaryEntry) -> bool:
    """The officer who met them, the township desk that calls back, admins."""
    if entry.officer_id == user.pk or user.has_role(Role.ADMIN) or user.is_superuser:
        return True
    return user.has_role(Role.TOWNSHIP_STAFF) and entry.township_id in scope_of(user).township_ids


@dataclass(frozen=True)
class ShownVisit:
    id: int
    kind: str
    kind_label: str
    name: str
    phone: str
    address: str
    household: int | None = None


@dataclass(frozen=True)
class VisitView:
    names: bool = False  # names and addresses in full
    phones: bool = False  # phone numbers in full

    def show(self, visit: Visit) -> ShownVisit:
        return ShownVisit(
            id=visit.pk,
            kind=visit.kind,
            kind_label=visit.get_kind_display(),
            name=visit.name if self.names else mask_name(visit.name),
            phone=visit.phone if self.phones else mask_phone(visit.phone),
            address=visit.address if self.names else mask_address(visit.address),
            household=visit.household_id,
        )

    def visits(self, entry: DiaryEntry) -> list[ShownVisit]:
        return [self.show(v) for v in entry.visits.all()]


def in_list(user, entry: DiaryEntry) -> VisitView:
    """A list shows full names to the author alone: nobody browsing lists needs them, and no audit row per row."""
    return VisitView(names=entry.officer_id == user.pk)


def on_entry(request, entry: DiaryEntry, *, reveal: bool) -> VisitView:
    """One entry's page or API answer: check a reveal, audit what is shown in full, say how to show it."""
    user = request.user
    names = may_see_residents(user, entry)
    if reveal and not names:
        raise PermissionDenied(_("Your role does not need residents' full phone numbers."))
    fields = []
    visits = list(entry.visits.all())
    if names and entry.officer_id != user.pk and any(v.name or v.address for v in visits):
        fields += ["visits.name", "visits.address"]
    if reveal and any(v.phone for v in visits):
        fields.append("visits.phone")
    if fields:
        audit_log(action="view_personal_data", user=user, obj=entry, request=request, detail={"fields": fields})
    return VisitView(names=names, phones=reveal)
