"""The phone form's household picker: a station's active records by name or address, as the officer types.

GET /api/v1/household-picker/?station=<id>&q=<text> answers up to 20 records; ``&all=1`` answers the
station's whole active list (id, name, address) for the offline form to filter locally. Only those who
keep the station's ledger (its officers today, its township's staff, admins) get an answer; anyone else
gets 404, as for any object outside their scope.
"""

from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import OrgUnit
from core import tablecache
from households.models import HouseholdTag, RecordStatus
from households.selectors import households_visible_to
from households.services import station_served_by

LIMIT = 20
# The offline list of one station: a village keeps 200–800 households (HOUSEHOLDS.md "Scale").
OFFLINE_LIMIT = 2000
MAX_QUERY = 50
# The plain select of the form without JavaScript.
FALLBACK_LIMIT = 50


class PickerAnswer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    kind = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    next_visit_due = serializers.DateField(allow_null=True)
    is_key = serializers.BooleanField()


def _bad(message: str):
    raise serializers.ValidationError({"q": [message]})


def station_records(user, station_id):
    """The active records of a station the user keeps the ledger of; Http404 otherwise."""
    try:
        station_id = int(station_id)
        if not 0 < station_id < 2**31:
            raise ValueError(station_id)
    except (TypeError, ValueError):
        raise serializers.ValidationError({"station": [_("Choose a station.")]}) from None
    station = OrgUnit.objects.filter(pk=station_id).first()
    if station is None or not station_served_by(user, station):
        raise Http404
    return households_visible_to(user).filter(station_id=station.pk, status=RecordStatus.ACTIVE)


def search(rows, text: str):
    """Records whose name or address holds the text; key records due soonest first."""
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(address__icontains=text))
    order = (F("next_visit_due").asc(nulls_last=True), "name", "id")
    tags = Prefetch("tags", queryset=HouseholdTag.objects.only("id", "name"))
    return rows.select_related(None).prefetch_related(tags).order_by(*order)[:LIMIT]


class HouseholdPickerView(APIView):
    @extend_schema(
        summary="The household picker: a station's active records by name or address",
        parameters=[
            OpenApiParameter("station", int, required=True),
            OpenApiParameter(
                "q", str, description="Part of the name or the address; empty lists key records due first."
            ),
            OpenApiParameter("all", bool, description="The whole active list (id, name, address) for offline use."),
        ],
        responses={
            200: PickerAnswer(many=True),
            404: OpenApiResponse(description="A station the caller does not keep the ledger of (or none such)."),
        },
    )
    def get(self, request):
        rows = station_records(request.user, request.query_params.get("station"))
        text = request.query_params.get("q", "").strip()
        if "\x00" in text:
            _bad(_("Type letters, digits or characters only."))
        if len(text) > MAX_QUERY:
            _bad(_("Type at most %(n)d characters.") % {"n": MAX_QUERY})
        if request.query_params.get("all") in ("1", "true"):
            return Response(list(rows.order_by("name", "id").values("id", "name", "address")[:OFFLINE_LIMIT]))
        return Response(
            [
                {
                    "id": r.pk,
                    "name": r.name,
                    "address": r.address,
                    "kind": r.kind,
                    "tags": [t.name for t in r.tags.all()],
                    "next_visit_due": r.next_visit_due,
                    "is_key": r.is_key,
                }  # fmt: skip
                for r in search(rows, text)
            ]
        )


urlpatterns = [path("household-picker/", HouseholdPickerView.as_view(), name="api-household-picker")]


def offered_without_script(user, *, today=None) -> list[tuple[int, str]]:
    """The select of the form without JavaScript: the key records of the officer's stations, due soonest first."""
    from households.selectors import served_station_ids

    rows = households_visible_to(user).filter(
        station_id__in=served_station_ids(user, on=today), status=RecordStatus.ACTIVE, interval_days__isnull=False
    )
    rows = rows.select_related(None).order_by(F("next_visit_due").asc(nulls_last=True), "name", "id")
    return [
        (r.pk, f"{r.name} · {r.address}" if r.address else r.name)
        for r in rows.only("id", "name", "address")[:FALLBACK_LIMIT]
    ]


def offered_tags() -> list[str]:
    """The tags offered for a new household; a small reference table read on every diary form (core/tablecache.py)."""
    return tablecache.cached(
        "household_tags", lambda: list(HouseholdTag.objects.filter(active=True).values_list("name", flat=True))
    )


tablecache.invalidated_by("household_tags", HouseholdTag)
