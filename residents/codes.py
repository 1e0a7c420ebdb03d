"""民情码: a station's code, who sees and rotates it, its URL and its QR code (RESIDENTS.md "The code on the
officer's card").

Every village, community and enterprise station may have one. Rotating gives a new unguessable token: the
old URL stops answering at once (``station_by_token`` finds only current tokens), so a poster taken down
and a card handed out by mistake can be withdrawn. The station's page is seen by its officers, its
township, the city office and admins; anyone else gets a 404.
"""

import datetime

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import STATION_KINDS, OrgUnit, StationAssignment
from accounts.roles import Role
from accounts.scope import scope_of
from audit.services import audit_log
from residents.models import StationCode, new_token


def stations_visible_to(user) -> QuerySet[OrgUnit]:
    """The stations whose 民情码 ``user`` may see: admins everything, the city office and leaders their cities,
    the township its townships, an officer the stations they are assigned to now."""
    stations = OrgUnit.objects.filter(kind__in=STATION_KINDS)
    scope = scope_of(user)
    if scope.everything:
        return stations
    q = Q(city_id__in=scope.city_ids) | Q(township_id__in=scope.township_ids)
    if scope.officer_id:
        q |= Q(pk__in=current_assignments().filter(officer_id=scope.officer_id).values("station_id"))
    return stations.filter(q)


def current_assignments(on: datetime.date | None = None) -> QuerySet[StationAssignment]:
    on = on or timezone.localdate()
    return StationAssignment.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


def officers_of(station: OrgUnit) -> list:
    """The station's officers now, for the contact card."""
    rows = current_assignments().filter(station=station).select_related("officer").order_by("start", "id")
    return [row.officer for row in rows if row.officer.is_active]


def may_rotate(user, station: OrgUnit) -> bool:
    """An admin, or the township staff of the station's township."""
    if scope_of(user).everything:
        return True
    unit = getattr(user, "org_unit", None)
    return user.has_role(Role.TOWNSHIP_STAFF) and unit is not None and unit.township_id == station.township_id


def code_for(station: OrgUnit) -> StationCode:
    """The station's code, made on first use (two first uses at once both get the one row)."""
    code = StationCode.objects.filter(station=station).first()
    if code is not None:
        return code
    try:
        with transaction.atomic():
            return StationCode.objects.create(station=station)
    except IntegrityError:
        return StationCode.objects.get(station=station)


def code_rotate(by, station: OrgUnit, *, request=None) -> StationCode:
    """A new token for the station's code; the old URL stops working. PermissionDenied for others."""
    from django.core.exceptions import PermissionDenied

    if not may_rotate(by, station):
        raise PermissionDenied
    with transaction.atomic():
        code = code_for(station)
        code = StationCode.objects.select_for_update().get(pk=code.pk)
        code.token, code.rotated_at = new_token(), timezone.now()
        code.save(update_fields=["token", "rotated_at"])
        # The audit row names the code, never the token: the token is what a poster prints.
        audit_log(action="station_code_rotate", user=by, obj=code, request=request, detail={"station": station.pk})
    return code


def station_by_token(token: str) -> StationCode | None:
    """The code a resident's URL names, or None (a rotated or made-up token)."""
    if not token or len(token) > 40:
        return None
    return StationCode.objects.select_related("station").filter(token=token).first()


def resident_path(code: StationCode) -> str:
    return f"/r/{code.token}/"


def resident_url(code: StationCode, request=None) -> str:
    """The absolute URL residents scan: the site's address when set (posters outlive a request's host)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + resident_path(code)
    if request is not None:
        return request.build_absolute_uri(resident_path(code))
    return resident_path(code)


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of ``url`` as inline SVG (no external file: pages and PDFs embed it)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=scale, border=2)
