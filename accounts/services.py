"""Writes to the organisation tree, people and station assignments.

Admin pages, the importer and the demo seeder all call these, so the rules
(derived fields, overlap checks) hold whichever door a change comes through.
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    STATION_KINDS,
    TOWNSHIP_KINDS,
    ApiToken,
    OrgKind,
    OrgUnit,
    StationAssignment,
    User,
    UserRole,
)


def _placement(kind: str, parent: OrgUnit | None) -> tuple[int | None, int | None]:
    """(city_id, township_id) for a unit of ``kind`` under ``parent``."""
    if parent is None:
        return None, None
    city_id = parent.pk if parent.kind == OrgKind.CITY else parent.city_id
    township_id = parent.pk if parent.kind in TOWNSHIP_KINDS else parent.township_id
    return city_id, township_id


def org_unit_validate(*, kind: str, parent: OrgUnit | None, instance: OrgUnit | None = None) -> None:
    if kind == OrgKind.CITY:
        if parent is not None and parent.kind != OrgKind.OTHER:
            raise ValidationError(
                {"parent": _("A city sits at the top of the tree (or under a province unit of kind 'other').")}
            )
        return
    if parent is None and kind != OrgKind.OTHER:
        raise ValidationError({"parent": _("Only a city or an 'other' unit may have no parent.")})
    if kind in TOWNSHIP_KINDS | {OrgKind.DEPARTMENT} and parent and parent.kind != OrgKind.CITY:
        raise ValidationError({"parent": _("Townships, parks and departments belong directly to a city.")})
    if kind in STATION_KINDS | {OrgKind.TOWNSHIP_OFFICE} and parent and parent.kind not in TOWNSHIP_KINDS:
        raise ValidationError(
            {"parent": _("Villages, communities, enterprises and township offices belong to a township or park.")}
        )
    if instance is not None and instance.pk and parent is not None:
        node = parent
        while node is not None:
            if node.pk == instance.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            node = node.parent


def org_unit_place(unit: OrgUnit) -> None:
    """Set the derived city/township of ``unit`` (not yet saved)."""
    city_id, township_id = _placement(unit.kind, unit.parent)
    unit.city_id = unit.pk if unit.kind == OrgKind.CITY and unit.pk else city_id
    unit.township_id = unit.pk if unit.kind in TOWNSHIP_KINDS and unit.pk else township_id


def unit_label(name: str, parent_name: str | None, repeats: bool) -> str:
    """The one display name of a unit (METRICS.md): 「parent · name」 only where the name repeats."""
    return f"{parent_name} · {name}" if repeats and parent_name else name


def org_units_relabel(names: Iterable[str] | None = None) -> None:
    """Recompute the label of every unit called one of ``names`` (all units when None).

    A label depends on the other units of the same name, so a change to one
    unit's name or parent is followed by this for its old and new names.
    """
    units = OrgUnit.objects.select_related("parent").only("pk", "name", "label", "parent__name")
    if names is not None:
        units = units.filter(name__in=set(names))
    units = list(units)
    if not units:
        return
    # Filtering by name keeps every unit of each name, so the counts are whole.
    counts = Counter(u.name for u in units)
    changed = []
    for u in units:
        label = unit_label(u.name, u.parent.name if u.parent else None, counts[u.name] > 1)
        if u.label != label:
            u.label = label
            changed.append(u)
    OrgUnit.objects.bulk_update(changed, ["label"], batch_size=500)


@transaction.atomic
def org_unit_save(unit: OrgUnit) -> OrgUnit:
    """Create or update a unit and keep its subtree's derived fields and the labels right."""
    org_unit_validate(kind=unit.kind, parent=unit.parent, instance=unit)
    is_new = unit.pk is None
    old_name = None if is_new else OrgUnit.objects.filter(pk=unit.pk).values_list("name", flat=True).first()
    org_unit_place(unit)
    unit.save()
    if is_new and (unit.kind == OrgKind.CITY or unit.kind in TOWNSHIP_KINDS):
        # Cities and townships point at themselves, which needs their own pk.
        org_unit_place(unit)
        unit.save(update_fields=["city", "township"])
    if not is_new:
        _replace_subtree(unit)
    names = {unit.name, old_name} - {None}
    if old_name is not None and old_name != unit.name:
        # Children shown as 「parent · name」 carry the parent's old name.
        names |= set(OrgUnit.objects.filter(parent=unit).values_list("name", flat=True))
    org_units_relabel(names)
    unit.label = OrgUnit.objects.values_list("label", flat=True).get(pk=unit.pk)
    return unit


def _replace_subtree(root: OrgUnit) -> None:
    frontier = [root]
    while frontier:
        children = list(OrgUnit.objects.filter(parent__in=frontier).select_related("parent"))
        for child in children:
            org_unit_place(child)
        OrgUnit.objects.bulk_update(children, ["city", "township"])
        frontier = children


def user_set_roles(*, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    current = set(user.roles.values_list("role", flat=True))
    if wanted == current:
        return
    user.roles.filter(role__in=current - wanted).delete()
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in wanted - current])
    user._role_names = frozenset(wanted)
    user.__dict__.pop("_scope", None)


def _station_kind(station: OrgUnit) -> str:
    if station.kind not in STATION_KINDS:
        raise ValidationError({"station": _("A station must be a village, community or enterprise.")})
    return station.kind  # StationKind values mirror the org kinds


def assignment_validate(
    *,
    officer: User,
    station: OrgUnit,
    start: datetime.date,
    end: datetime.date | None,
    exclude_pk: int | None = None,
) -> str:
    kind = _station_kind(station)
    if end is not None and end < start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    if officer.pk is None:
        # A person being created in the same form has no periods yet to clash with.
        return kind
    overlapping = StationAssignment.objects.filter(officer=officer, station=station).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            _("%(officer)s is already stationed at %(station)s from %(start)s%(until)s; the periods overlap.")
            % {
                "officer": officer,
                "station": station,
                "start": clash.start,
                "until": _(" to %(end)s") % {"end": clash.end} if clash.end else _(" with no end date"),
            }
        )
    return kind


@transaction.atomic
def assignment_save(
    assignment: StationAssignment, *, by: User | None = None, handover: bool = True
) -> StationAssignment:
    """Save a period at a station; when it ends one officer's time there or begins another's, the station's
    open cases pass on (accounts.handover.station_handover_after). ``by`` is who made the change."""
    from accounts.handover import station_handover_after

    # Lock the officer so two admins adding the same period at once cannot
    # both pass the overlap check.
    User.objects.select_for_update().filter(pk=assignment.officer_id).first()
    assignment.kind = assignment_validate(
        officer=assignment.officer,
        station=assignment.station,
        start=assignment.start,
        end=assignment.end,
        exclude_pk=assignment.pk,
    )
    before = StationAssignment.objects.filter(pk=assignment.pk).values("end").first() if assignment.pk else None
    assignment.save()
    if handover:
        began = before is None
        ended = assignment.end is not None and (began or before["end"] is None)
        station_handover_after(assignment, began=began, ended=ended, by=by)
    return assignment


def assignment_replace(
    *, assignment: StationAssignment, successor: User, on: datetime.date | None = None, by: User | None = None
) -> StationAssignment:
    """One call for 换人: ``assignment`` ends on ``on`` and ``successor``'s begins that day (same station and
    dispatching unit); the station's open cases pass to the successor. The successor's new period."""
    from accounts.handover import assignment_replace as replace

    return replace(assignment=assignment, successor=successor, on=on, by=by)


def user_password_changed(*, user: User, request=None) -> None:
    from audit.services import audit_log

    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_log(action="password_changed", user=user, request=request)


def users_force_password_change(*, users, by, request=None) -> int:
    """Admins' bulk action: each user must pick a new password at the next page.

    Their API tokens end too (API.md): a phone signs in again after the new password is chosen.
    """
    from audit.services import audit_log

    ids = list(users.values_list("pk", flat=True))
    changed = User.objects.filter(pk__in=ids).update(must_change_password=True)
    revoked = ApiToken.objects.filter(user_id__in=ids).delete()[0]
    audit_log(
        action="force_password_change", user=by, request=request, detail={"user_ids": ids, "tokens_revoked": revoked}
    )
    return changed


# API tokens (django-rest-knox, accounts.ApiToken): the key is shown once, at issue; only its digest is kept.
# No audit row ever holds the key or the digest, only the row's id and the key's first characters.


@transaction.atomic
def api_token_issue(*, user: User, device: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token for one device of ``user``: (row, key). Earlier tokens of the user stay valid until they end."""
    from audit.services import audit_log

    # Rows past their end are never read again (the authentication refuses them); tidy them here
    # rather than on every request.
    ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    token, key = ApiToken.objects.create(user=user, device=device[:100])
    audit_log(action="token_issued", user=user, obj=token, request=request, detail={"prefix": token.token_key[:8]})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User, request=None) -> None:
    """End one token: its owner's logout or revoke, or an admin's delete."""
    from audit.services import audit_log

    audit_log(
        action="token_revoked",
        user=by,
        obj=token,
        request=request,
        detail={"owner_id": token.user_id, "prefix": token.token_key[:8]},
    )
    token.delete()


def user_api_tokens_revoke(*, user: User, reason: str, request=None) -> int:
    """End every token of ``user`` (their password changed): phones must sign in again."""
    from audit.services import audit_log

    revoked = ApiToken.objects.filter(user=user).delete()[0]
    if revoked:
        audit_log(action="tokens_revoked", user=user, request=request, detail={"count": revoked, "reason": reason})
    return revoked


RECOVERY_CODES = 10


def user_totp_start(*, user: User):
    """The unconfirmed TOTP device the user is enrolling (made once, so reloading the page keeps its QR code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def user_totp_confirm(*, user: User, device, code: str, request=None) -> list[str] | None:
    """Confirm ``device`` with a code from the app; returns the 10 new recovery codes, or None for a wrong code.

    Only a user with no confirmed device gets here (the views see to it): changing a device is an admin's
    job, after the person proved who they are, so a half-signed-in session cannot swap in its own.
    """
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from audit.services import audit_log

    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token("".join(code.split())):
        audit_log(action="otp_enrol_failed", user=user, outcome="failed", request=request)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    audit_log(action="otp_enrolled", user=user, obj=device, request=request)
    return codes
