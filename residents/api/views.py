"""The residents' channel API: no sign-in, no session (API.md "Residents' channel").

Decisions: the honeypot field ``website`` filled answers 400 and writes nothing; the API cannot show a
captcha, so a phone or address near its limit (where the page would ask for one) gets 429 saying to use
the web form; a tracking code and phone tail that do not match are 404 whatever was wrong, and after
a few of those an address gets 429 for a while.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import client_ip
from residents import limits, tracking
from residents.api import serializers as s
from residents.intake import request_raise, station_for_token
from residents.rating import RatingRefused, request_rate

TOO_MANY = {429: s.PublicMessageSerializer}


class PublicView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def address(self, request: Request) -> str:
        return limits.address_hash(client_ip(request))

    def found(self, request: Request, code: str, phone_tail: str):
        """The request of the code and tail, or a 429 / 404 answer (the same 404 whatever was wrong)."""
        now = timezone.now()
        address = self.address(request)
        if limits.tracking_blocked(address=address, now=now):
            return None, Response({"detail": limits.tracking_wait_message()}, status=429)
        found = tracking.find(code, phone_tail)
        if found is None:
            limits.tracking_missed(address=address, now=now)
            return None, Response({"detail": _("Not found.")}, status=404)
        return found, None


class StationView(PublicView):
    @extend_schema(responses={200: s.PublicStationSerializer, 404: s.PublicMessageSerializer})
    def get(self, request: Request, token: str) -> Response:
        station = station_for_token(token)
        unit = station.code.station
        officer = station.officer
        return Response({
            "station": unit.name,
            "township": unit.township.name if unit.township_id else "",
            "officer": {"name": officer.name or officer.get_username(), "phone": officer.phone} if officer else None,
        })  # fmt: skip


class RequestCreateView(PublicView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=s.PublicRequestInSerializer,
        responses={
            201: s.PublicTrackingCodeSerializer,
            400: s.PublicMessageSerializer,
            404: s.PublicMessageSerializer,
            **TOO_MANY,
        },
    )
    def post(self, request: Request) -> Response:
        body = s.PublicRequestInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["website"]:
            raise ValidationError(_("The request could not be taken."))
        try:
            made = request_raise(
                token=data["station_token"], content=data["content"], category=data["category"] or None,
                name=data["name"], phone=data["phone"], confidential=data["confidential"], consent=data["consent"],
                photos=request.FILES.getlist("photos"), ip=client_ip(request), captcha_answered=False,
            )  # fmt: skip
        except limits.LimitReached as exc:
            return Response({"detail": exc.message}, status=429)
        return Response({"tracking_code": made.tracking_code}, status=status.HTTP_201_CREATED)


class RequestTrackView(PublicView):
    @extend_schema(
        parameters=[OpenApiParameter("phone_tail", str, required=True, description="The phone's last four digits.")],
        responses={200: s.PublicStorySerializer, 404: s.PublicMessageSerializer, **TOO_MANY},
    )
    def get(self, request: Request, code: str) -> Response:
        found, refusal = self.found(request, code, request.query_params.get("phone_tail", ""))
        if refusal is not None:
            return refusal
        return Response(_story(tracking.story(found, code)))


class RequestRateView(PublicView):
    @extend_schema(
        request=s.PublicRatingInSerializer,
        responses={200: s.PublicStorySerializer, 400: s.PublicMessageSerializer, 404: s.PublicMessageSerializer,
                   409: s.PublicMessageSerializer, **TOO_MANY},
    )  # fmt: skip
    def post(self, request: Request, code: str) -> Response:
        body = s.PublicRatingInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        found, refusal = self.found(request, code, data["phone_tail"])
        if refusal is not None:
            return refusal
        try:
            request_rate(
                request=found, solved=data["solved"], satisfaction=data["satisfaction"], comment=data["comment"]
            )
        except RatingRefused as exc:
            return Response({"detail": exc.message}, status=409)
        found.case.refresh_from_db()
        return Response(_story(tracking.story(found, code)))


def _story(story: tracking.Story) -> dict:
    rating = story.rating
    return {
        "status": story.status, "status_text": story.status_text, "unit": story.unit,
        "received_at": story.received_at, "answered_at": story.answered_at, "feedback": story.feedback,
        "rating": {"solved": rating.solved, "satisfaction": rating.satisfaction, "comment": rating.comment,
                   "at": rating.at} if rating else None,
    }  # fmt: skip
