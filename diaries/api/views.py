import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from core import idempotency
from diaries import residents
from diaries.api.answers import written_answer
from diaries.api.serializers import (
    DiaryDetailSerializer,
    DiaryInSerializer,
    DiaryListSerializer,
    DiaryMultipartSerializer,
    ReviewInSerializer,
    ReviewOutSerializer,
)
from diaries.filters import DiaryFilter
from diaries.models import DiaryEntry, Photo
from diaries.photos import check_photos, photo_response
from diaries.selectors import (
    as_written,
    diaries_visible_to,
    diary_detail,
    diary_list,
    may_review,
    photo_visible_to,
)
from diaries.services import IDEMPOTENCY_SCOPE, DiaryInvalid, diary_create, diary_review

_errors = inline_serializer("FieldErrors", fields={"field": serializers.ListField(child=serializers.CharField())})
_detail = inline_serializer("Detail", fields={"detail": serializers.CharField()})


def _parse(request) -> tuple[dict, list]:
    """The entry and its photos, from a JSON body or from multipart (a JSON ``payload`` part + ``photos``)."""
    if request.content_type.startswith("multipart/"):
        raw = request.data.get("payload")
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise serializers.ValidationError({"payload": [_("Send the entry as JSON in a part named “payload”.")]})
        return payload, request.FILES.getlist("photos")
    if not isinstance(request.data, dict):
        raise serializers.ValidationError({"non_field_errors": [_("Send the entry as a JSON object.")]})
    return request.data, []


class DiaryListCreateView(generics.ListAPIView):
    """Diary entries the caller may see, newest visit first; officers POST new ones here."""

    serializer_class = DiaryListSerializer
    filterset_class = DiaryFilter
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return diary_list(self.request.user)

    @extend_schema(
        summary="Write a diary entry with its visits, photos and issues (one case per issue)",
        description=(
            "All or nothing: bad input writes no entry and no case. Photos travel in the multipart form: a part "
            "`payload` holding the JSON body and up to 9 parts `photos` (JPEG/PNG/WebP/HEIC, 10 MB each). "
            "With an `Idempotency-Key` header, the same key and body answer the first answer again (no new rows); "
            "the same key with another body answers 422."
        ),
        request={"application/json": DiaryInSerializer, "multipart/form-data": DiaryMultipartSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A UUID made by the client for this entry; resend it with a retry.",
            )
        ],
        responses={
            201: DiaryDetailSerializer,
            400: OpenApiResponse(_errors, description="Field errors; issues nested per issue."),
            403: OpenApiResponse(_detail, description="Only stationed officers write entries."),
            422: OpenApiResponse(_detail, description="The Idempotency-Key was used with another body."),
        },
    )
    def post(self, request):
        user = request.user
        if not user.has_role(Role.OFFICER):
            raise PermissionDenied(_("Only a stationed officer writes diary entries."))
        payload, uploads = _parse(request)
        key = request.headers.get("Idempotency-Key")
        fingerprint = ""
        if key is not None:
            if not idempotency.is_valid_key(key):
                raise serializers.ValidationError(
                    {"idempotency_key": [_("The Idempotency-Key must be 1–100 letters, digits or - _ . :")]}
                )
            fingerprint = idempotency.fingerprint(
                {"channel": "api", "body": payload, "photos": [idempotency.upload_digest(u) for u in uploads]}
            )
            try:
                found = idempotency.lookup(user=user, scope=IDEMPOTENCY_SCOPE, key=key, fingerprint=fingerprint)
            except idempotency.KeyReused:
                return self._key_reused()
            if found is not None:
                return Response(found.body, status=found.status)

        body = DiaryInSerializer(data=payload, context={"officer": user, "request": request})
        body.is_valid(raise_exception=True)
        try:
            photos = check_photos(uploads)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"photos": exc.messages}) from exc
        data = body.to_data()

        def work() -> tuple[int, dict]:
            # The entry comes back with its rows attached: the answer reads nothing again.
            # Under a key, idempotency.once's transaction holds this one and rolls back whole on any error.
            written = diary_create(officer=user, data=data, photos=photos, request=request, savepoint=key is None)
            entry = as_written(written)
            return status.HTTP_201_CREATED, written_answer(entry, request)

        try:
            if key is None:
                code, answer = work()
            else:
                outcome = idempotency.once(
                    user=user, scope=IDEMPOTENCY_SCOPE, key=key, fingerprint=fingerprint, work=work
                )
                code, answer = outcome.status, outcome.body
        except idempotency.KeyReused:
            return self._key_reused()
        except DiaryInvalid as exc:
            return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(answer, status=code)

    def _key_reused(self) -> Response:
        return Response(
            {"detail": _("This Idempotency-Key was already used for a different entry. Make a new key.")},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )


class DiaryDetailView(generics.RetrieveAPIView):
    """One entry with its visits, photos, reviews and the cases it raised (with their status now).

    Residents are shown as diaries.residents decides: names and addresses to the officer who wrote
    the entry, the township desk and admins; phones masked unless ``?unmask=true`` (the same people;
    audited).
    """

    serializer_class = DiaryDetailSerializer

    def get_queryset(self):
        return diary_detail(self.request.user)

    @extend_schema(parameters=[OpenApiParameter("unmask", OpenApiTypes.BOOL, description="Show full phone numbers.")])
    def get(self, request, *args, **kwargs):
        entry = self.get_object()
        unmask = request.query_params.get("unmask", "").lower() in {"1", "true", "yes"}
        view = residents.on_entry(request, entry, reveal=unmask)
        return Response(DiaryDetailSerializer(entry, context={"request": request, "visit_view": view}).data)


class DiaryReviewView(APIView):
    """批阅: township staff or the city office comment on an entry; the officer is notified."""

    @extend_schema(request=ReviewInSerializer, responses={201: ReviewOutSerializer, 403: _detail, 404: _detail})
    def post(self, request, pk: int):
        if not diaries_visible_to(request.user).filter(pk=pk).exists():
            raise Http404  # scope before the body: ids cannot be probed
        if not may_review(request.user):
            # The role before the body: who may not review is told so, not asked for a comment.
            raise PermissionDenied(_("Only township staff and the city office review diary entries."))
        body = ReviewInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            review = diary_review(entry_id=pk, by=request.user, comment=body.validated_data["comment"], request=request)
        except DiaryEntry.DoesNotExist as exc:
            raise Http404 from exc
        return Response(ReviewOutSerializer(review).data, status=status.HTTP_201_CREATED)


class _AnyAccept(BaseContentNegotiation):
    """An <img> asks for image/*; the answer is a file, not a rendered body, so any Accept will do."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PhotoFileView(APIView):
    """A diary photo's bytes, for whoever may see its entry (404 otherwise); sent as an attachment."""

    content_negotiation_class = _AnyAccept

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY, 404: _detail})
    def get(self, request, pk: int):
        try:
            photo = photo_visible_to(request.user, pk)
            return photo_response(photo.file, filename=f"photo-{photo.pk}{photo.extension}",
                                  content_type=photo.content_type)  # fmt: skip
        except (Photo.DoesNotExist, FileNotFoundError) as exc:
            raise Http404 from exc
