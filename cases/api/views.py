from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.response import Response

from audit.services import audit_log
from cases import permissions, routing, services
from cases.actions import available_actions, perform, refuse_early
from cases.api import serializers as s
from cases.filters import CaseFilter
from cases.models import Case, CaseEvent, Extension
from cases.selectors import case_events, cases_for_list, cases_visible_to, categories_active
from cases.transitions import TransitionNotAllowed
from core.api.errors import Conflict


class CategoryListView(generics.ListAPIView):
    serializer_class = s.CategorySerializer

    def get_queryset(self):
        return categories_active()


class CaseErrorsMixin:
    """The one place case errors become HTTP answers: outside scope 404, role 403, state 409."""

    def handle_exception(self, exc):
        if isinstance(exc, Case.DoesNotExist):
            exc = exceptions.NotFound()
        elif isinstance(exc, TransitionNotAllowed):
            exc = Conflict(exc.explain(), current_status=exc.status)
        elif isinstance(exc, services.ActionForbidden):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)


def case_payload(request, case: Case) -> dict:
    """The detail representation; a view of the resident's contact in full is written to the audit trail."""
    contact = permissions.may_see_contact(request.user, case)
    if contact and (case.reporter_phone or case.reporter_address):
        audit_log(action="view_personal_data", user=request.user, obj=case, request=request)
    context = {
        "request": request,
        "contact": contact,
        "actions": [a.name for a in available_actions(request.user, case)],
        "now": timezone.now(),
    }
    return s.CaseDetailSerializer(case, context=context).data


def load_case(user, pk: int) -> Case:
    return (
        cases_for_list(cases_visible_to(user))
        .prefetch_related("assisting_units", Prefetch("extensions", queryset=Extension.objects.order_by("id")))
        .get(pk=pk)
    )


# On the class: drf-spectacular reads a generic view's ``post``, not the ``create`` it calls.
@extend_schema_view(post=extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseDetailSerializer}))
class CaseListView(CaseErrorsMixin, generics.ListCreateAPIView):
    """Cases in the caller's scope; POST raises one taken from another channel (desk staff)."""

    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return cases_for_list(cases_visible_to(self.request.user))

    def get_serializer_class(self):
        return s.CaseCreateSerializer if self.request.method == "POST" else s.CaseSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Lists always mask the resident's contact: nobody needs fifty phone numbers at once.
        context = {**self.get_serializer_context(), "routing": routing.rules_for(page), "now": timezone.now()}
        return self.get_paginated_response(s.CaseSerializer(page, many=True, context=context).data)

    def create(self, request, *args, **kwargs):
        body = s.CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        case = services.case_raise(by=request.user, **body.validated_data)
        return Response(case_payload(request, load_case(request.user, case.pk)), status=status.HTTP_201_CREATED)


class CaseDetailView(CaseErrorsMixin, generics.GenericAPIView):
    serializer_class = s.CaseDetailSerializer

    def get(self, request, pk: int):
        return Response(case_payload(request, load_case(request.user, pk)))


class CaseEventListView(CaseErrorsMixin, generics.ListAPIView):
    """The timeline, oldest first."""

    serializer_class = s.CaseEventSerializer
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no case at hand
            return CaseEvent.objects.none()
        case = cases_visible_to(self.request.user).only("pk").get(pk=self.kwargs["pk"])
        return case_events(case)


class CaseActionView(CaseErrorsMixin, generics.GenericAPIView):
    """POST one action of API.md's table: validate the body, call the one service, answer with the case."""

    action_name = ""
    serializer_class = s.EmptySerializer

    def post(self, request, pk: int):
        # Scope first: outside it every answer is 404, whatever the body says,
        # so ids cannot be probed with malformed requests.
        case = cases_visible_to(request.user).filter(pk=pk).first()
        if case is None:
            raise Http404
        refuse_early(self.action_name, request.user, case)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        perform(self.action_name, case_id=pk, user=request.user, data=dict(body.validated_data), request=request)
        return Response(case_payload(request, load_case(request.user, pk)))


def action_view(name: str, body: type[s.serializers.Serializer]):
    """The view of one action route, with its own body in the OpenAPI schema."""

    @extend_schema(request=body, responses={200: s.CaseDetailSerializer})
    def post(self, request, pk: int):
        return CaseActionView.post(self, request, pk)

    doc = f"The `{name}` action of API.md: 200 with the case; 409 when its status does not allow it now."
    attrs = {"action_name": name, "serializer_class": body, "post": post, "__doc__": doc}
    return type(f"Case{name.title().replace('-', '')}View", (CaseActionView,), attrs).as_view()


ACTION_BODIES = {
    "dispatch": s.DispatchSerializer,
    "escalate": s.ReasonSerializer,
    "sign": s.EmptySerializer,
    "return": s.ReasonSerializer,
    "extension": s.ExtensionRequestSerializer,
    "extension-decision": s.ExtensionDecisionSerializer,
    "reply": s.ReplySerializer,
    "review": s.ReviewSerializer,
    "feedback": s.FeedbackSerializer,
    "callback": s.CallbackSerializer,
    "redo": s.ReasonSerializer,
    "supervise": s.NoteSerializer,
}
