"""An admin's upload of township outlines: checked whole, then written whole (or not at all), and audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import TOWNSHIP_KINDS, OrgUnit
from audit.services import audit_log
from dashboards.geo import GeoError, parse_collection
from dashboards.models import TownshipBoundary

MAX_BYTES = 5 * 1024 * 1024


def upload_boundaries(*, city: OrgUnit, raw: bytes, user, request=None) -> list[TownshipBoundary]:
    """Replace the outlines of the townships the file names (by code, else by name, within ``city``).

    GeoError (nothing written) names the first problem: the file, a feature, or a township not found.
    """
    if len(raw) > MAX_BYTES:
        raise GeoError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    features = parse_collection(raw)
    townships = list(OrgUnit.objects.filter(city=city, kind__in=TOWNSHIP_KINDS))
    by_code = {t.code: t for t in townships}
    by_name = {t.name: t for t in townships}
    matched: dict[int, tuple[OrgUnit, dict]] = {}
    for where, named, geometry in features:
        township = by_code.get(named) or by_name.get(named)
        if township is None:
            raise GeoError(_("%(where)s: no township of %(city)s has that code or name.") % {
                "where": where, "city": city.name})  # fmt: skip
        if township.pk in matched:
            raise GeoError(
                _("%(where)s: %(name)s appears twice in the file.") % {"where": where, "name": township.name}
            )
        matched[township.pk] = (township, geometry)
    written = []
    with transaction.atomic():
        for township, geometry in matched.values():
            boundary = TownshipBoundary.objects.filter(township=township).first() or TownshipBoundary(township=township)
            boundary.geojson, boundary.updated_by = geometry, user
            boundary.save()
            written.append(boundary)
        audit_log(
            action="boundaries_upload", user=user, obj=city, request=request,
            detail={"townships": sorted(t.code for t, _g in matched.values())},
        )  # fmt: skip
    return written
