"""Schemathesis over our OpenAPI document, once per role (QUALITY.md "Bad input").

Every operation is called with generated input, with the token of each role of
the cast (and with none), against a populated world: cases in every status,
diaries, photos, notices, a project and a hotspot, inside and outside each
role's scope. Each answer must not be a 5xx and must match the schema: status
code, content type and body. Writes are rolled back after each operation, so
every operation starts from the same world and a run is repeatable.

Run it alone: ``scripts/test.sh tests/test_schemathesis.py`` (or ``-m fuzz``).
"""

import datetime
import json
import time
from contextlib import contextmanager, nullcontext

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from accounts.roles import Role
from cases.choices import Status
from cases.models import Category
from core import workdays
from core.testing import PASSWORD
from core.testing.factories import (
    CategoryMappingFactory,
    ProjectMilestoneFactory,
    SourceFactory,
    TokenFactory,
    UserFactory,
)
from integrations import signing
from minqing.wsgi import application
from tests.fuzz_world import build_fuzz_world

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = [
    "anonymous", "officer", "township_staff", "township_leader", "unit_handler", "dept_handler",
    "city_office", "leader", "admin", "outsider",
]  # fmt: skip
# Examples per operation and role. Small: the ids are steered to real objects (below),
# so a few calls already reach the interesting answers; more belong in a nightly run.
POSITIVE_EXAMPLES = 3
NEGATIVE_EXAMPLES = 3
# Bad input is refused before the role matters much: the roles that write the most send it.
NEGATIVE_ROLES = {"officer", "township_staff", "unit_handler", "city_office"}


@contextmanager
def _in_process_requests():
    """Keep the test's transaction open across WSGI calls, as Django's test client does:
    its request signals would otherwise close the connection the test runs in."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _ids(world, path: str) -> list[int]:
    """Real objects for the path's {id}: some in the caller's scope, some outside it."""
    if path.startswith("/api/v1/cases/"):
        return [c.pk for c in world.cases.values()] + [world.case_b.pk]
    if path.startswith("/api/v1/diaries/photos/"):
        return [world.photo_a.pk, world.photo_b.pk]
    if path.startswith("/api/v1/diaries/"):
        return [world.diary_a.pk, world.diary_b.pk]
    if path.startswith("/api/v1/notifications/"):
        return list(world.notice_ids) + [world.notice_b.pk]
    if path.startswith("/api/v1/projects/"):
        return [world.project.pk]
    if path.startswith("/api/v1/supervision-orders/"):
        return [world.order_a.pk, world.order_signed.pk, world.order_b.pk]
    if path.startswith("/api/v1/score-appeals/"):
        return [world.appeal_a.pk, world.appeal_b.pk]
    if path.startswith("/api/v1/households/"):
        return [world.household_a.pk, world.household_b.pk]
    return []


def _steered(cases: list, operation, world) -> list:
    """Point the generated calls at real objects, in turn, so the actions reach their services."""
    ids = _ids(world, operation.path)
    if "{id}" not in operation.path or not ids:
        return cases
    for n, case in enumerate(cases[:-1]):  # the last keeps its generated id
        case.path_parameters = {**case.path_parameters, "id": ids[n % len(ids)]}
    return cases


def _valid_calls(operation, world) -> list:
    """One hand-written valid call per write, on an object in the status it acts on,
    so the success answers are checked against the schema too."""
    cases, today = world.cases, timezone.localdate().isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    bodies = {
        "POST /api/v1/auth/token/": (None, {"username": "officer", "password": PASSWORD}),
        "POST /api/v1/cases/": (None, {"title": "路灯不亮", "category": "infra.road", "source": "phone"}),
        "POST /api/v1/cases/{id}/dispatch/": (cases["raised"], {"unit": world.office.pk, "note": "请尽快处理"}),
        "POST /api/v1/cases/{id}/escalate/": (cases["raised"], {"reason": "需要市级协调"}),
        "POST /api/v1/cases/{id}/sign/": (cases[Status.PENDING_SIGN], {}),
        "POST /api/v1/cases/{id}/return/": (cases[Status.PENDING_SIGN], {"reason": "不属于本单位"}),
        "POST /api/v1/cases/{id}/extension/": (cases[Status.IN_PROGRESS], {"days": 2, "reason": "等待材料"}),
        "POST /api/v1/cases/{id}/extension-decision/": (cases["extension"], {"approve": True, "note": "同意"}),
        "POST /api/v1/cases/{id}/reply/": (cases[Status.IN_PROGRESS], {"result": "已修复", "outcome": "solved"}),
        "POST /api/v1/cases/{id}/review/": (cases[Status.PENDING_REVIEW], {"approve": True}),
        "POST /api/v1/cases/{id}/feedback/": (cases[Status.PENDING_FEEDBACK], {"channel": "phone", "content": "已告知"}),
        "POST /api/v1/cases/{id}/callback/": (cases[Status.PENDING_CALLBACK], {"reached": True, "solved": True,
                                                                           "satisfaction": "satisfied"}),
        "POST /api/v1/cases/{id}/redo/": (cases[Status.CLOSED], {"reason": "居民仍不满意"}),
        "POST /api/v1/cases/{id}/supervise/": (cases[Status.IN_PROGRESS], {"note": "督办"}),
        "POST /api/v1/cases/{id}/instruction/": (cases[Status.IN_PROGRESS], {"content": "请尽快解决"}),
        "POST /api/v1/cases/{id}/instruction-report/": (cases["instructed"], {"instruction": world.instruction.pk,
                                                                              "content": "已落实"}),
        "POST /api/v1/cases/{id}/unreasonable/": (cases[Status.IN_PROGRESS], {"reason": "要求政府承担装修费用"}),
        "POST /api/v1/cases/{id}/unreasonable-decision/": (cases["unreasonable"], {"approve": True, "note": "认定"}),
        "POST /api/v1/projects/{id}/instruction/": (world.project, {"content": "请加快进度"}),
        "POST /api/v1/cases/{id}/hold/": (cases[Status.IN_PROGRESS], {"reason": "纳入明年计划", "review_on": later}),
        "POST /api/v1/cases/{id}/hold-decision/": (cases["hold_pending"], {"approve": True, "note": "同意"}),
        "POST /api/v1/cases/{id}/release/": (cases["held"], {"note": "预算已下达"}),
        "POST /api/v1/supervision-orders/": (None, {"case": cases[Status.IN_PROGRESS].pk, "level": "supervise",
                                                    "content": "请限期整改", "reply_by": later}),
        "POST /api/v1/supervision-orders/{id}/sign/": (world.order_a, {}),
        "POST /api/v1/supervision-orders/{id}/reply/": (world.order_signed, {"content": "已整改"}),
        # 申诉 on the month of the world's dispatch, sent inside its window (_at_the_appeal_window).
        "POST /api/v1/score-appeals/": (None, {"case": world.order_a.case_id, "month": today[:7],
                                               "reason": "政策原因超期"}),
        "POST /api/v1/score-appeals/{id}/decision/": (world.appeal_a, {"uphold": True, "note": "理由成立"}),
        "POST /api/v1/diaries/": (None, {"station": world.village.pk, "visit_date": today, "visit_type": "household",
                                    "content": "走访了三户村民", "issues": [{"title": "路灯不亮", "category": "infra.road"}]}),
        "POST /api/v1/diaries/{id}/review/": (world.diary_a, {"comment": "记录详实"}),
        "POST /api/v1/projects/": (None, {"title": "路灯改造", "case_ids": [cases[Status.IN_PROGRESS].pk]}),
        "PATCH /api/v1/projects/{id}/": (world.project, {"progress": "施工中", "status": "under_way"}),
        "POST /api/v1/projects/{id}/milestones/": (world.project, {"title": "完成设计", "planned_on": later}),
        "POST /api/v1/projects/{id}/milestones/{mid}/complete/": (
            {"id": world.project.pk, "mid": ProjectMilestoneFactory(project=world.project).pk}, {}),
        "POST /api/v1/projects/{id}/updates/": (world.project, {"text": "施工过半", "percent": 50,
                                                                "draft_to_cases": True}),
        "POST /api/v1/cases/{id}/invalid/": (cases[Status.IN_PROGRESS], {"kind": "test", "reason": "测试提交"}),
        "POST /api/v1/households/": (None, {"station": world.village.pk, "kind": "household", "name": "王五",
                                            "address": "三组9号", "tags": ["独居老人"]}),
        "PATCH /api/v1/households/{id}/": (world.household_a, {"notes": "子女在外地"}),
        # An officer who holds nothing: deactivated at once, no successor needed.
        "POST /api/v1/users/{id}/deactivate/": (
            {"id": UserFactory(roles=[Role.OFFICER], org_unit=world.township).pk}, {}),
        "POST /api/v1/auth/logout/": (None, None),
        "DELETE /api/v1/auth/tokens/{id}/": (world.officer_token, None),  # the officer's own: 204
    }  # fmt: skip
    if _label(operation) == "POST /api/v1/inbound/orders/":
        return [_signed_order(operation, world)]
    if "/api/v1/public/" in _label(operation):
        return _resident_call(operation, world)
    if _label(operation) == "GET /api/v1/household-picker/":
        return [operation.Case(query={"station": world.village.pk, "q": "王"})]
    if _label(operation) not in bodies:
        return []
    obj, body = bodies[_label(operation)]
    path = obj if isinstance(obj, dict) else {"id": obj.pk} if obj is not None else {}
    if body is None:
        return [operation.Case(path_parameters=path)]
    return [operation.Case(path_parameters=path, body=body, media_type="application/json")]


def _resident_call(operation, world) -> list:
    """The residents' channel (no sign-in): the village's 民情码 and the case waiting for its callback as a
    resident's request, so the station, the story and the rating all answer 2xx."""
    from core.testing.factories import ResidentRequestFactory, StationCodeFactory
    from residents.models import ResidentRequest

    code = StationCodeFactory(station=world.village)
    case = world.cases[Status.PENDING_CALLBACK]
    request = ResidentRequest.objects.filter(case=case).first() or ResidentRequestFactory(
        case=case, station_code=code, secret="ABC234", phone_tail="1234"
    )
    tracking = f"{case.code}-{request.secret}"
    calls = {
        "GET /api/v1/public/stations/{token}/": {"path_parameters": {"token": code.token}},
        "POST /api/v1/public/requests/": {"body": {"station_token": code.token, "content": "路灯坏了",
                                                   "phone": "13900001234", "confidential": False, "consent": True},
                                          "media_type": "application/json"},
        "GET /api/v1/public/requests/{code}/": {"path_parameters": {"code": tracking}, "query": {"phone_tail": "1234"}},
        "POST /api/v1/public/requests/{code}/rating/": {
            "path_parameters": {"code": tracking}, "media_type": "application/json",
            "body": {"phone_tail": "1234", "solved": True, "satisfaction": "satisfied", "comment": ""}},
    }  # fmt: skip
    return [operation.Case(**calls[_label(operation)])] if _label(operation) in calls else []


def _signed_order(operation, world):
    """A platform's order, signed over the exact bytes schemathesis sends (``json.dumps`` of the body).
    Its signature is seen once: the first role's call is answered 201, the others' are refused as replays."""
    source = SourceFactory(city=world.case_a.city)
    CategoryMappingFactory(source=source, external_code="ROAD", category=Category.objects.get(code="infra.road"))
    body = {"external_id": "GD-FUZZ-1", "category_code": "ROAD", "title": "路灯不亮", "content": "村口路灯坏了一周",
            "reporter_name": "王先生", "reporter_phone": "13900001234", "address": "东溪村口",
            "reported_at": timezone.now().isoformat()}  # fmt: skip
    headers = signing.headers(source.secret, int(time.time()), json.dumps(body).encode())
    headers["X-Minqing-Source"] = source.code
    del headers["Content-Type"]
    return operation.Case(body=body, media_type="application/json", headers=headers)


def _at_the_appeal_window(operation):
    """A score appeal is filed after its month ends, within 5 working days: the world's cases were dispatched this
    month, so its filing calls run on the first working day of the next month."""
    if _label(operation) != "POST /api/v1/score-appeals/":
        return nullcontext()
    month_end = (timezone.localdate().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    day = workdays.next_working_day(month_end - datetime.timedelta(days=1))
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=True)


def _has_input(operation) -> bool:
    return any(len(part) for part in (operation.path_parameters, operation.query, operation.headers)) or bool(
        list(operation.body)
    )


def _examples(operation, world, mode: GenerationMode, count: int) -> list:
    """``count`` generated calls of the operation, the same ones on every run (derandomized)."""
    cases = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=["explicit", "generate"],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def collect(case):
        cases.append(case)

    try:
        collect()
    except Unsatisfiable:
        # Nothing in this operation's input can be made invalid.
        if mode != GenerationMode.NEGATIVE:
            raise
    return cases


def _failures(cases, headers: dict, answered: set) -> list[str]:
    failures = []
    for case in cases:
        with transaction.atomic():  # a failed request must not break the next one
            response = case.call(app=application, base_url="http://testserver", headers=headers)
        if response.status_code < 300:
            answered.add(_label(case.operation))
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            failures.append(str(group))
    return failures


@pytest.fixture
def api_schema(client, cast):
    client.force_login(cast.officer)  # the contract is for signed-in clients
    raw = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return schemathesis.openapi.from_dict(raw)


def _label(operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _headers(user) -> dict:
    if user is None:
        return {}
    # A token of its own for each (role, operation): what one call does to it (logout, revoke) is rolled back
    # with the rest.
    return {"Authorization": f"Token {ApiToken.objects.create(user=user)[1]}"}


def test_every_operation_answers_each_role_within_the_schema(api_schema, cast, settings, tmp_path):
    """The same generated calls for every role, each (role, operation) from the same world."""
    settings.MEDIA_ROOT = tmp_path
    world = build_fuzz_world(cast)
    world.officer_token = TokenFactory(user=cast.officer)
    users = {role: None if role == "anonymous" else cast.by_role()[role] for role in ROLES}
    # Steer notice ids to each role's own notices too: collect them before generating.
    world.notice_ids = sorted({pk for user in users.values() for pk in world.own_notices(user)})
    found, answered, labels = {}, set(), set()
    with _in_process_requests():
        for result in api_schema.get_all_operations():
            operation = result.ok()
            labels.add(_label(operation))
            valid = [
                *_valid_calls(operation, world),
                *_steered(_examples(operation, world, GenerationMode.POSITIVE, POSITIVE_EXAMPLES), operation, world),
            ]
            invalid = (
                _examples(operation, world, GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES) if _has_input(operation) else []
            )
            for role, user in users.items():
                cases = valid + invalid if role in NEGATIVE_ROLES else valid
                with _rolled_back(), _at_the_appeal_window(operation):
                    failures = _failures(cases, _headers(user), answered)
                if failures:
                    found[f"{role}: {_label(operation)}"] = failures
    report = "\n\n".join(f"== {name}\n" + "\n".join(f[:1500] for f in fails[:2]) for name, fails in found.items())
    assert not found, f"{len(found)} (role, operation) pairs failed:\n{report}"
    # Not vacuous: every operation said yes to someone, so its success answer was checked too.
    assert sorted(labels - answered) == []
