from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from accounts.roles import Role
from audit.services import audit_log
from cases import permissions, routing, services
from cases.actions import CaseAction, available_actions, perform
from cases.api import serializers as s
from cases.filters import CaseFilter, whole_scope_count
from cases.models import Case, CaseEvent
from cases.overdue import overdue_at
from cases.selectors import (
    case_detail_lists,
    case_events,
    case_for_detail,
    cases_for_list,
    cases_visible_to,
    categories_active,
)


class CategoryListView(generics.ListAPIView):
    serializer_class = s.CategorySerializer

    def get_queryset(self):
        return categories_active()


def case_payload(request, case: Case, *, contact: bool | None = None) -> dict:
    """The detail representation; a view of the resident's contact in full is written to the audit trail."""
    if contact is None:
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


# On the class: drf-spectacular reads a generic view's ``post``, not the ``create`` it calls.
@extend_schema_view(post=extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseDetailSerializer}))
class CaseListView(generics.ListCreateAPIView):
    """Cases in the caller's scope; POST raises one taken from another channel (desk staff)."""

    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return cases_for_list(cases_visible_to(self.request.user))

    def get_serializer_class(self):
        return s.CaseCreateSerializer if self.request.method == "POST" else s.CaseSerializer

    def known_count(self) -> int | None:
        """The unfiltered scope's size where an index alone answers it, as the case list page counts "all"."""
        return whole_scope_count(self.request.user, self.request.query_params)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Lists always mask the resident's contact: nobody needs fifty phone numbers at once.
        context = {**self.get_serializer_context(), "routing": routing.rules_for(page), "now": timezone.now()}
        return self.get_paginated_response(s.CaseSerializer(page, many=True, context=context).data)

    def create(self, request, *args, **kwargs):
        body = s.CaseCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        case = services.case_raise(by=request.user, **body.validated_data)
        return Response(case_payload(request, case_for_detail(request.user, case.pk)), status=status.HTTP_201_CREATED)


class CaseDetailView(generics.GenericAPIView):
    serializer_class = s.CaseDetailSerializer

    def get(self, request, pk: int):
        return Response(case_payload(request, case_for_detail(request.user, pk)))


class CaseEventListView(generics.ListAPIView):
    """The timeline, oldest first."""

    serializer_class = s.CaseEventSerializer
    filterset_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no case at hand
            return CaseEvent.objects.none()
        case = cases_visible_to(self.request.user).only("pk").get(pk=self.kwargs["pk"])
        return case_events(case)


class CaseActionView(generics.GenericAPIView):
    """POST one action of API.md's table: lock and check it, validate the body, call its service,
    answer with the case as it now is (from the same row, read once)."""

    action: CaseAction
    serializer_class = s.EmptySerializer

    def post(self, request, pk: int):
        def read_body(case: Case) -> dict:
            body = self.get_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            return dict(body.validated_data)

        case = perform(self.action, case_id=pk, user=request.user, read_body=read_body, request=request,
                       cases=cases_for_list(cases_visible_to(request.user)))  # fmt: skip
        case_detail_lists(case)
        case.is_overdue = overdue_at(case, timezone.now())
        # The answer confirms the action; it is not a view of the resident's contact (GET the case for
        # that, which is audited), so it is masked here like in a list.
        return Response(case_payload(request, case, contact=False))


def action_view(action: CaseAction):
    """The view of one action route, with its own body and who may take it in the OpenAPI schema."""
    roles = ", ".join(str(Role(r).label) for r in action.roles)
    allowed = ", ".join(sorted(action.allowed_from))
    doc = (
        f"`{action.name}` (API.md): 200 with the case. Allowed from {allowed}; taken by {roles}. "
        "404 outside your scope, 409 when the case's status does not allow it now, 403 when your role may not."
    )

    @extend_schema(request=action.body, responses={200: s.CaseDetailSerializer}, description=doc)
    def post(self, request, pk: int):
        return CaseActionView.post(self, request, pk)

    name = f"Case{action.name.title().replace('-', '')}View"
    attrs = {"action": action, "serializer_class": action.body, "post": post, "__doc__": doc}
    return type(name, (CaseActionView,), attrs).as_view()
