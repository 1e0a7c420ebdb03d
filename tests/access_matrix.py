"""The access matrix: every route × every role, in scope and out of scope.

Each route of the URL conf (admin aside: it has its own staff check) must
have an entry here; tests/test_access_matrix.py fails on a route without one.
An entry says what each role gets for an object inside its scope and, where
the route takes an object, what the outsider gets for one outside it.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from cases.actions import ACTIONS

ROLES = (
    "anonymous",
    "officer",
    "township_staff",
    "unit_handler",
    "dept_handler",
    "city_office",
    "leader",
    "township_leader",
    "admin",
    "outsider",
)
EVERYONE_SIGNED_IN = {r: 200 for r in ROLES if r != "anonymous"}


@dataclass
class Route:
    path: Callable[[object], str]
    expect: dict[str, int]
    method: str = "GET"
    body: Callable[[object], dict] | None = None
    # For routes that take an object: a path to one the given roles cannot see (→ 404).
    outside: Callable[[object], str] | None = None
    outside_roles: tuple[str, ...] = ()
    api: bool = True
    notes: str = ""
    extra: dict = field(default_factory=dict)


def signed_in(status: int = 200, anonymous: int = 401, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(ROLES, status), "anonymous": anonymous, **overrides}


def page(status: int = 200, **overrides: int) -> dict[str, int]:
    """A login-required page: anonymous users are sent to the login page (302)."""
    return signed_in(status, anonymous=302, **overrides)


PROBE = dict.fromkeys(ROLES, 0)
CASE_ACTIONS = tuple(ACTIONS)
# Roles that cannot see township B's case (the outsider is township B's desk).
NOT_B = ("officer", "township_staff", "unit_handler", "dept_handler", "township_leader")


# A valid body for each action, so a role that may act gets 2xx (or 409 for the case's status)
# and one that may not gets 403, never a 400 about the body.
ACTION_BODIES: dict[str, Callable[[object], dict]] = {
    "dispatch": lambda w: {"unit": w.office.pk, "note": "请尽快处理"},
    "escalate": lambda w: {"reason": "需要市级部门协调"},
    "sign": lambda w: {},
    "return": lambda w: {"reason": "不属于本单位职责"},
    "extension": lambda w: {"days": 3, "reason": "需要协调施工队"},
    "extension-decision": lambda w: {"approve": True, "note": "同意"},
    "reply": lambda w: {"result": "已修补路面", "outcome": "solved"},
    "review": lambda w: {"approve": True, "reason": ""},
    "feedback": lambda w: {"channel": "visit", "content": "已告知群众处理结果", "resident_response": "满意"},
    "callback": lambda w: {"reached": True, "solved": True, "satisfaction": "satisfied", "note": "回访满意"},
    "redo": lambda w: {"reason": "群众反映仍未解决"},
    "supervise": lambda w: {"note": "请加快办理"},
    "instruction": lambda w: {"content": "请尽快协调解决"},
    "instruction-report": lambda w: {"instruction": _open_instruction(w), "content": "已协调施工队当日修复"},
    "hold": lambda w: {"reason": "纳入明年道路拓宽计划", "review_on": _after_a_month()},
    "hold-decision": lambda w: {"approve": True, "note": "同意挂账"},
    "release": lambda w: {"note": "资金已到位"},
    "unreasonable": lambda w: {"reason": "要求政府承担私人房屋装修费用"},
    "unreasonable-decision": lambda w: {"approve": True, "note": "认定为不合理诉求"},
    "invalid": lambda w: {"kind": "test", "reason": "测试提交"},
}


def _open_instruction(w) -> int:
    from tests.world import open_instruction

    return open_instruction(w)


def _after_a_month() -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def _milestone_body(w) -> dict:
    return {"title": "完成施工招标", "planned_on": _after_a_month()}


def _update_body(w) -> dict:
    return {"text": "已完成设计", "percent": 20, "draft_to_cases": True}


def _open_milestone(w) -> int:
    """A fresh undone milestone of the world's project, so each role completes one of its own."""
    from core.testing.factories import ProjectMilestoneFactory

    return ProjectMilestoneFactory(project=w.project).pk


def _form_body(action: str) -> Callable[[object], dict]:
    """The page forms carry the same fields, prefixed with the action's name; booleans are "1"/"0"."""

    def body(w) -> dict:
        plain = ACTION_BODIES[action](w)
        return {f"{action}-{k}": ("1" if v is True else "0" if v is False else v) for k, v in plain.items()}

    return body


def _case_for(w, action: str) -> int:
    from tests.world import case_for

    return case_for(w, action)


def _case(kind: str, suffix: str = "", method: str = "GET", expect=None) -> Route:
    prefix = "/api/v1/cases" if kind == "api" else "/cases"
    action = suffix.rstrip("/")
    body = None
    if method == "POST":
        body = ACTION_BODIES[action] if kind == "api" else _form_body(action)
    return Route(
        lambda w: f"{prefix}/{_case_for(w, action) if method == 'POST' else w.case_a.pk}/{suffix}",
        expect or dict(PROBE),
        method=method,
        body=body,
        outside=lambda w: f"{prefix}/{w.case_b.pk}/{suffix}",
        outside_roles=NOT_B,
        api=kind == "api",
    )


CASE_ROUTES: dict[str, Route] = {
    "api/v1/cases/": Route(lambda w: "/api/v1/cases/", dict(PROBE)),
    "api/v1/cases/<int:pk>/": _case("api"),
    "api/v1/cases/<int:pk>/events/": _case("api", "events/"),
    **{f"api/v1/cases/<int:pk>/{a}/": _case("api", f"{a}/", "POST") for a in CASE_ACTIONS},
    "cases/": Route(lambda w: "/cases/", dict(PROBE), api=False),
    "cases/new/": Route(lambda w: "/cases/new/", dict(PROBE), api=False),
    "cases/<int:pk>/": _case("page"),
    **{f"cases/<int:pk>/{a}/": _case("page", f"{a}/", "POST") for a in CASE_ACTIONS},
}

NOT_DIARY_B = ("officer", "township_staff", "township_leader")


def _diary(kind: str, suffix: str = "", method: str = "GET") -> Route:
    prefix = "/api/v1/diaries" if kind == "api" else "/diaries"
    return Route(
        lambda w: f"{prefix}/{w.diary_a.pk}/{suffix}",
        dict(PROBE),
        method=method,
        body=(lambda w: {"comment": "走访细致，继续跟进"}) if method == "POST" else None,
        outside=lambda w: f"{prefix}/{w.diary_b.pk}/{suffix}",
        outside_roles=NOT_DIARY_B,
        api=kind == "api",
    )


DIARY_ROUTES: dict[str, Route] = {
    "api/v1/diaries/": Route(lambda w: "/api/v1/diaries/", dict(PROBE)),
    "api/v1/diaries/<int:pk>/": _diary("api"),
    "api/v1/diaries/<int:pk>/review/": _diary("api", "review/", "POST"),
    "api/v1/diaries/photos/<int:pk>/": Route(
        lambda w: f"/api/v1/diaries/photos/{w.photo_a.pk}/", dict(PROBE),
        outside=lambda w: f"/api/v1/diaries/photos/{w.photo_b.pk}/", outside_roles=NOT_DIARY_B,
    ),
    "diaries/": Route(lambda w: "/diaries/", dict(PROBE), api=False),
    "diaries/new/": Route(lambda w: "/diaries/new/", dict(PROBE), api=False),
    "diaries/<int:pk>/": _diary("page"),
    "diaries/<int:pk>/review/": _diary("page", "review/", "POST"),
    "api/v1/household-picker/": Route(
        lambda w: f"/api/v1/household-picker/?station={w.village.pk}", dict(PROBE),
        outside=lambda w: f"/api/v1/household-picker/?station={w.village_b.pk}", outside_roles=NOT_DIARY_B,
    ),
}  # fmt: skip

SIGNED_IN = tuple(r for r in ROLES if r != "anonymous")


def _token_of(user) -> int:
    """A fresh token of ``user``, made inside the check's transaction (so it rolls back with it)."""
    from core.testing.factories import TokenFactory

    return TokenFactory(user=user).pk


def _idle_officer(w) -> int:
    """An officer of township A's office with no station or case (made inside the check's transaction)."""
    from core.testing.factories import UserFactory

    return UserFactory(roles=["officer"], org_unit=w.office).pk


def _notice(prefix: str, suffix: str, method: str) -> Route:
    from tests.world import own_notice

    return Route(
        lambda w: f"{prefix}/{own_notice(w)}/{suffix}",
        dict(PROBE),
        method=method,
        body=(lambda w: {}) if method == "POST" else None,
        outside=lambda w: f"{prefix}/{w.notice_b.pk}/{suffix}",
        outside_roles=SIGNED_IN,
    )


NOTICE_ROUTES: dict[str, Route] = {
    "api/v1/notifications/": Route(lambda w: "/api/v1/notifications/", dict(PROBE)),
    "api/v1/notifications/unread-count/": Route(lambda w: "/api/v1/notifications/unread-count/", dict(PROBE)),
    "api/v1/notifications/read-all/": Route(lambda w: "/api/v1/notifications/read-all/", dict(PROBE), method="POST", body=lambda w: {}),
    "api/v1/notifications/<int:pk>/read/": _notice("/api/v1/notifications", "read/", "POST"),
    "notifications/": Route(lambda w: "/notifications/", dict(PROBE), api=False),
    "notifications/read-all/": Route(lambda w: "/notifications/read-all/", dict(PROBE), method="POST", body=lambda w: {}, api=False),
    "notifications/<int:pk>/": _notice("/notifications", "", "GET"),
    "notifications/<int:pk>/read/": _notice("/notifications", "read/", "POST"),
}  # fmt: skip


def _dash(path: str, method: str = "GET", api: bool = False) -> Route:
    return Route(lambda w: path.format(w=w), dict(PROBE), method=method,
                 body=(lambda w: {}) if method == "POST" else None, api=api)  # fmt: skip


def _own_export_path(w) -> str:
    from tests.world import own_export

    return f"/dashboard/exports/{own_export(w)}/download/"


DASHBOARD_ROUTES: dict[str, Route] = {
    "dashboard/": _dash("/dashboard/"),
    "dashboard/officers/": _dash("/dashboard/officers/"),
    "dashboard/households/": _dash("/dashboard/households/?figure=not_visited"),
    "dashboard/rankings/": _dash("/dashboard/rankings/"),
    "dashboard/scores/": _dash("/dashboard/scores/"),
    "dashboard/hotspots/": _dash("/dashboard/hotspots/"),
    "dashboard/hotspots/detect/": _dash("/dashboard/hotspots/detect/", "POST"),
    # A form page (GET) whose POST makes the project: a lead unit of the city and a first milestone.
    "dashboard/hotspots/<int:pk>/project/": Route(
        lambda w: f"/dashboard/hotspots/{w.hotspot.pk}/project/", dict(PROBE), method="POST", api=False,
        body=lambda w: {"title": "积水整治", "lead_unit": w.office.pk, "milestone_title": "完成设计",
                        "milestone_on": _after_a_month()},
    ),
    # Moved to /projects/ (PROJECT_ROUTES): permanent redirects, for everyone alike.
    "dashboard/projects/": _dash("/dashboard/projects/"),
    "dashboard/projects/<int:pk>/": _dash("/dashboard/projects/{w.project.pk}/"),
    "dashboard/map/": _dash("/dashboard/map/"),
    "dashboard/map/boundaries/": _dash("/dashboard/map/boundaries/"),
    "dashboard/report/": _dash("/dashboard/report/"),
    "dashboard/report/pdf/": _dash("/dashboard/report/pdf/"),
    "dashboard/report/recompute/": _dash("/dashboard/report/recompute/", "POST"),
    "dashboard/exports/": _dash("/dashboard/exports/"),
    "dashboard/exports/<int:pk>/download/": Route(
        _own_export_path, dict(PROBE), api=False,
        outside=lambda w: f"/dashboard/exports/{w.exports[w.township_staff_b.pk].pk}/download/",
        outside_roles=tuple(r for r in SIGNED_IN if r != "outsider"),
    ),
    "dashboard/export/cases/": _dash("/dashboard/export/cases/"),
    "dashboard/export/<slug:kind>/": _dash("/dashboard/export/township/"),
    "api/v1/stats/overview/": _dash("/api/v1/stats/overview/", api=True),
    "api/v1/stats/rankings/": _dash("/api/v1/stats/rankings/", api=True),
    "api/v1/stats/map/": _dash("/api/v1/stats/map/", api=True),
    "api/v1/stats/scores/": _dash("/api/v1/stats/scores/", api=True),
    "api/v1/hotspots/": _dash("/api/v1/hotspots/", api=True),
}  # fmt: skip

# 民生项目 and similar cases (cases.projects).
PROJECT_ROUTES: dict[str, Route] = {
    "projects/": _dash("/projects/"),
    "projects/<int:pk>/": _dash("/projects/{w.project.pk}/"),
    "api/v1/projects/": _dash("/api/v1/projects/", api=True),
    "api/v1/projects/<int:pk>/": _dash("/api/v1/projects/{w.project.pk}/", api=True),
    # 批示 on a project: a leader who can see it.
    "projects/<int:pk>/instruction/": Route(lambda w: f"/projects/{w.project.pk}/instruction/", dict(PROBE),
                                            method="POST", body=lambda w: {"content": "请加快推进"}, api=False),
    "api/v1/projects/<int:pk>/instruction/": Route(lambda w: f"/api/v1/projects/{w.project.pk}/instruction/",
                                                   dict(PROBE), method="POST", body=lambda w: {"content": "请加快推进"}),
    # Followed through: milestones (the city office adds, it or the lead unit completes), progress updates.
    "projects/<int:pk>/milestones/": Route(lambda w: f"/projects/{w.project.pk}/milestones/", dict(PROBE),
                                           method="POST", body=_milestone_body, api=False),
    "api/v1/projects/<int:pk>/milestones/": Route(lambda w: f"/api/v1/projects/{w.project.pk}/milestones/",
                                                  dict(PROBE), method="POST", body=_milestone_body),
    "projects/<int:pk>/milestones/<int:mid>/complete/": Route(
        lambda w: f"/projects/{w.project.pk}/milestones/{_open_milestone(w)}/complete/", dict(PROBE),
        method="POST", body=lambda w: {}, api=False),
    "api/v1/projects/<int:pk>/milestones/<int:mid>/complete/": Route(
        lambda w: f"/api/v1/projects/{w.project.pk}/milestones/{_open_milestone(w)}/complete/", dict(PROBE),
        method="POST", body=lambda w: {}),
    "projects/<int:pk>/updates/": Route(lambda w: f"/projects/{w.project.pk}/updates/", dict(PROBE),
                                        method="POST", body=_update_body, api=False),
    "api/v1/projects/<int:pk>/updates/": Route(lambda w: f"/api/v1/projects/{w.project.pk}/updates/",
                                               dict(PROBE), method="POST", body=_update_body),
    "api/v1/cases/<int:pk>/similar/": Route(
        lambda w: f"/api/v1/cases/{w.case_a.pk}/similar/", dict(PROBE),
        outside=lambda w: f"/api/v1/cases/{w.case_b.pk}/similar/", outside_roles=NOT_B,
    ),
}  # fmt: skip


def _order(prefix: str, suffix: str = "", method: str = "GET", body=None, api: bool = True) -> Route:
    return Route(lambda w: f"{prefix}/{w.order_a.pk}/{suffix}", dict(PROBE), method=method, body=body,
                 outside=lambda w: f"{prefix}/{w.order_b.pk}/{suffix}", outside_roles=NOT_B, api=api)  # fmt: skip


# 督办单 (oversight).
ORDER_ROUTES: dict[str, Route] = {
    "api/v1/supervision-orders/": Route(lambda w: "/api/v1/supervision-orders/", dict(PROBE)),
    "api/v1/supervision-orders/<int:pk>/": _order("/api/v1/supervision-orders"),
    "api/v1/supervision-orders/<int:pk>/sign/": _order("/api/v1/supervision-orders", "sign/", "POST", lambda w: {}),
    "api/v1/supervision-orders/<int:pk>/reply/": _order(
        "/api/v1/supervision-orders", "reply/", "POST", lambda w: {"content": "已整改完毕"}
    ),
    "oversight/orders/": Route(lambda w: "/oversight/orders/", dict(PROBE), api=False),
    "oversight/orders/<int:pk>/": _order("/oversight/orders", api=False),
    "oversight/orders/<int:pk>/sign/": _order("/oversight/orders", "sign/", "POST", lambda w: {}, api=False),
    "oversight/orders/<int:pk>/reply/": _order(
        "/oversight/orders", "reply/", "POST", lambda w: {"content": "已整改完毕"}, api=False
    ),
    "oversight/orders/<int:pk>/pdf/": _order("/oversight/orders", "pdf/", api=False),
    "oversight/cases/<int:case_id>/order/": Route(
        lambda w: f"/oversight/cases/{w.order_a.case_id}/order/", dict(PROBE), api=False,
        outside=lambda w: f"/oversight/cases/{w.case_b.pk}/order/", outside_roles=NOT_B,
    ),
}  # fmt: skip


def _this_month() -> str:
    from django.utils import timezone

    return f"{timezone.localdate():%Y-%m}"


def _appeal(prefix: str, suffix: str = "", method: str = "GET", body=None, api: bool = True) -> Route:
    return Route(lambda w: f"{prefix}/{w.appeal_a.pk}/{suffix}", dict(PROBE), method=method, body=body,
                 outside=lambda w: f"{prefix}/{w.appeal_b.pk}/{suffix}", outside_roles=(*NOT_B, "leader", "outsider"),
                 api=api)  # fmt: skip


def _station(suffix: str = "", method: str = "GET") -> Route:
    """A station's 民情码 pages: village A; village B is township B's (its desk, the outsider, sees it)."""
    return Route(lambda w: f"/residents/stations/{w.village.pk}/{suffix}", dict(PROBE), method=method,
                 body=(lambda w: {}) if method == "POST" else None, api=False,
                 outside=lambda w: f"/residents/stations/{w.village_b.pk}/{suffix}", outside_roles=NOT_B)  # fmt: skip


# 民情码 (residents.staff_urls): seen by the station's officers, its township, the city and admins.
STATION_ROUTES: dict[str, Route] = {
    "residents/stations/<int:station_id>/": _station(),
    "residents/stations/<int:station_id>/rotate/": _station("rotate/", "POST"),
    "residents/stations/<int:station_id>/card.pdf": _station("card.pdf"),
    "residents/stations/<int:station_id>/poster.pdf": _station("poster.pdf"),
    # A resident's photo goes with their request's case: case A's is seen by whoever sees case A.
    "residents/photos/<int:pk>/": Route(
        lambda w: _resident_photo(w.case_a),
        dict(PROBE),
        api=False,
        outside=lambda w: _resident_photo(w.case_b),
        outside_roles=NOT_B,
    ),
}


# 申诉 and awards (oversight). Filing is about the month of the world's case, which has not ended yet: the unit
# handler gets the window's 400 (no role ever writes an appeal here), everyone else 403 before the body counts.
APPEAL_ROUTES: dict[str, Route] = {
    "api/v1/score-appeals/": Route(
        lambda w: "/api/v1/score-appeals/", dict(PROBE), method="POST",
        body=lambda w: {"case": w.order_a.case_id, "month": _this_month(), "reason": "非本单位原因超期"},
    ),
    "api/v1/score-appeals/<int:pk>/decision/": _appeal(
        "/api/v1/score-appeals", "decision/", "POST", lambda w: {"uphold": True, "note": "理由成立"}
    ),
    "oversight/appeals/": Route(lambda w: "/oversight/appeals/", dict(PROBE), api=False),
    "oversight/appeals/new/": Route(
        lambda w: f"/oversight/appeals/new/?case={w.order_a.case_id}&month={_this_month()}", dict(PROBE),
        method="POST", body=lambda w: {"case": w.order_a.case_id, "month": _this_month(), "reason": "非本单位原因"},
        api=False,
    ),
    "oversight/appeals/<int:pk>/": _appeal("/oversight/appeals", api=False),
    "oversight/awards/": Route(lambda w: "/oversight/awards/", dict(PROBE), api=False),
    "oversight/awards/bulletin.pdf": Route(
        lambda w: f"/oversight/awards/bulletin.pdf?month={w.awards.month:%Y-%m}", dict(PROBE), api=False
    ),
}  # fmt: skip


# 民情档案 (households): township A's record and station, and township B's as the object outside.
NOT_LEDGER_B = ("officer", "township_staff", "township_leader")


def _household(prefix: str, suffix: str = "", api: bool = True) -> Route:
    return Route(lambda w: f"{prefix}/{w.household_a.pk}/{suffix}", dict(PROBE), api=api,
                 outside=lambda w: f"{prefix}/{w.household_b.pk}/{suffix}", outside_roles=NOT_LEDGER_B)  # fmt: skip


HOUSEHOLD_ROUTES: dict[str, Route] = {
    "api/v1/households/": Route(lambda w: "/api/v1/households/", dict(PROBE)),
    "api/v1/households/<int:pk>/": _household("/api/v1/households"),
    "api/v1/households/<int:pk>/timeline/": _household("/api/v1/households", "timeline/"),
    "households/": Route(lambda w: "/households/", dict(PROBE), api=False),
    "households/new/": Route(lambda w: "/households/new/", dict(PROBE), api=False),
    "households/<int:pk>/": _household("/households", api=False),
    "households/stations/<int:station_id>/": Route(
        lambda w: f"/households/stations/{w.village.pk}/", dict(PROBE), api=False,
        outside=lambda w: f"/households/stations/{w.village_b.pk}/", outside_roles=NOT_LEDGER_B,
    ),
}  # fmt: skip


def _resident_photo(case) -> str:
    """A photo sent with ``case`` as a resident's request (made inside the check's transaction): its URL."""
    from core.testing.factories import ResidentPhotoFactory, ResidentRequestFactory, StationCodeFactory
    from residents.models import ResidentRequest

    # One request per case: a walk over every route (tests/test_xss.py) has made case A's already.
    request = ResidentRequest.objects.filter(case=case).first() or ResidentRequestFactory(
        case=case, station_code=StationCodeFactory(station=case.station)
    )
    return f"/residents/photos/{ResidentPhotoFactory(request=request).pk}/"


def _station_token(w) -> str:
    from core.testing.factories import StationCodeFactory

    return StationCodeFactory(station=w.village).token


def _tracking(w) -> str:
    """Case A as a resident's request (made inside the check's transaction): its tracking code."""
    from core.testing.factories import ResidentRequestFactory, StationCodeFactory
    from residents.models import ResidentRequest

    if ResidentRequest.objects.filter(case=w.case_a).update(secret="ABC234", phone_tail="1234") == 0:
        ResidentRequestFactory(case=w.case_a, station_code=StationCodeFactory(station=w.village),
                               secret="ABC234", phone_tail="1234")  # fmt: skip
    return f"{w.case_a.code}-ABC234"


# The residents' channel (民情码): no sign-in, the same answer for everyone, signed in or not.
RESIDENT_ROUTES: dict[str, Route] = {
    "r/track/": Route(lambda w: "/r/track/", dict.fromkeys(ROLES, 200), api=False),
    "r/captcha/<str:key>/": Route(lambda w: "/r/captcha/nokey/", dict.fromkeys(ROLES, 410), api=False,
                                  notes="an unknown or used captcha key is gone"),
    "r/<str:token>/": Route(lambda w: f"/r/{_station_token(w)}/", dict.fromkeys(ROLES, 200), api=False),
    "api/v1/public/stations/<str:token>/": Route(
        lambda w: f"/api/v1/public/stations/{_station_token(w)}/", dict.fromkeys(ROLES, 200)
    ),
    "api/v1/public/requests/": Route(
        lambda w: "/api/v1/public/requests/", dict.fromkeys(ROLES, 201), method="POST",
        body=lambda w: {"station_token": _station_token(w), "content": "路灯坏了", "phone": "13900001234",
                        "confidential": False, "consent": True},
    ),
    "api/v1/public/requests/<str:code>/": Route(
        lambda w: f"/api/v1/public/requests/{_tracking(w)}/?phone_tail=1234", dict.fromkeys(ROLES, 200)
    ),
    "api/v1/public/requests/<str:code>/rating/": Route(
        lambda w: f"/api/v1/public/requests/{_tracking(w)}/rating/", dict.fromkeys(ROLES, 409), method="POST",
        body=lambda w: {"phone_tail": "1234", "solved": True, "satisfaction": "satisfied", "comment": ""},
        notes="case A waits for dispatch: nothing to rate yet",
    ),
}  # fmt: skip


MATRIX: dict[str, Route] = {
    "": Route(lambda w: "/", page(), api=False),
    "healthz": Route(lambda w: "/healthz", dict.fromkeys(ROLES, 200), api=False),
    "sw.js": Route(lambda w: "/sw.js", dict.fromkeys(ROLES, 200), api=False, notes="the offline shell's worker: no personal data"),
    "manifest.webmanifest": Route(lambda w: "/manifest.webmanifest", dict.fromkeys(ROLES, 200), api=False),
    "accounts/login/": Route(lambda w: "/accounts/login/", {"anonymous": 200}, api=False, notes="signed-in users are redirected home"),
    "accounts/logout/": Route(lambda w: "/accounts/logout/", page(302), method="POST", api=False),
    "accounts/password/": Route(lambda w: "/accounts/password/", page(), api=False),
    "accounts/password/done/": Route(lambda w: "/accounts/password/done/", page(), api=False),
    "accounts/2fa/": Route(lambda w: "/accounts/2fa/", page(302), api=False, notes="a session that owes no code goes on to its page"),
    "accounts/2fa/setup/": Route(lambda w: "/accounts/2fa/setup/", page(), api=False, notes="enrolment: anyone signed in without a device"),
    # Single sign-on is off in the matrix's settings (no provider configured): every door answers 404.
    "accounts/sso/dingtalk/in-app/": Route(lambda w: "/accounts/sso/dingtalk/in-app/", dict.fromkeys(ROLES, 404), method="POST", body=lambda w: {"code": "x"}, api=False, notes="with DingTalk configured: accounts/tests/test_sso.py"),
    "accounts/sso/<str:provider>/": Route(lambda w: "/accounts/sso/oidc/", dict.fromkeys(ROLES, 404), api=False, notes="with a provider configured: accounts/tests/test_sso.py"),
    "accounts/sso/<str:provider>/callback/": Route(lambda w: "/accounts/sso/oidc/callback/", dict.fromkeys(ROLES, 404), api=False, notes="with a provider configured: accounts/tests/test_sso.py"),
    "i18n/setlang/": Route(lambda w: "/i18n/setlang/", dict.fromkeys(ROLES, 302), method="POST", body=lambda w: {"language": "en"}, api=False),
    "text-size/": Route(lambda w: "/text-size/", dict.fromkeys(ROLES, 302), method="POST", body=lambda w: {"size": "large"}, api=False),
    "api/v1/auth/token/": Route(lambda w: "/api/v1/auth/token/", {"anonymous": 400}, method="POST", body=lambda w: {}),
    # The matrix signs in with a session: logout ends it (a token caller's own token: accounts' tests).
    "api/v1/auth/logout/": Route(lambda w: "/api/v1/auth/logout/", signed_in(204), method="POST", body=lambda w: {}),
    "api/v1/auth/tokens/": Route(lambda w: "/api/v1/auth/tokens/", signed_in(), notes="the caller's own tokens"),
    "api/v1/auth/tokens/<int:pk>/": Route(
        lambda w: f"/api/v1/auth/tokens/{_token_of(w.me or w.officer_b)}/", signed_in(204), method="DELETE",
        outside=lambda w: f"/api/v1/auth/tokens/{_token_of(w.officer_b)}/", outside_roles=SIGNED_IN,
        notes="only the owner revokes through the API; admins in the admin",
    ),
    "api/v1/me/": Route(lambda w: "/api/v1/me/", signed_in()),
    "api/v1/org-units/": Route(lambda w: "/api/v1/org-units/", signed_in()),
    "api/v1/stations/": Route(lambda w: "/api/v1/stations/", signed_in()),
    "api/v1/categories/": Route(lambda w: "/api/v1/categories/", signed_in()),
    # 停用 through the API: a fresh officer of township A who holds nothing (so no successor is needed).
    "api/v1/users/<int:pk>/deactivate/": Route(
        lambda w: f"/api/v1/users/{_idle_officer(w)}/deactivate/", dict(PROBE), method="POST", body=lambda w: {},
        outside=lambda w: f"/api/v1/users/{w.officer_b.pk}/deactivate/", outside_roles=("township_staff",),
        notes="admins, and the staff of the township the officer works in",
    ),
    # Platforms sign their orders (integrations.auth); no session or token of a person opens it.
    "api/v1/inbound/orders/": Route(
        lambda w: "/api/v1/inbound/orders/", dict(PROBE), method="POST", body=lambda w: {"external_id": "GD1"},
        notes="its own signature authentication: every person gets 401",
    ),
    "api/schema/": Route(lambda w: "/api/schema/", signed_in(), notes="for signed-in clients only"),
    "api/docs/": Route(lambda w: "/api/docs/", page()),
    # The village register import (households.import_urls): admins and township staff.
    "households/import/": Route(lambda w: "/households/import/", dict(PROBE), api=False),
    "households/import/template.xlsx": Route(lambda w: "/households/import/template.xlsx", dict(PROBE), api=False),
    "audit/": Route(lambda w: "/audit/", dict(PROBE), api=False, notes="the city office and admins search the trail"),
    "audit/export/": Route(lambda w: "/audit/export/", dict(PROBE), api=False, notes="and export what they found"),
    **CASE_ROUTES,
    **DIARY_ROUTES,
    **NOTICE_ROUTES,
    **DASHBOARD_ROUTES,
    **PROJECT_ROUTES,
    **ORDER_ROUTES,
    **APPEAL_ROUTES,
    **HOUSEHOLD_ROUTES,
    **STATION_ROUTES,
    **RESIDENT_ROUTES,
}  # fmt: skip


def _pin_expectations() -> None:
    from tests.access_expected import EXPECTED, action_rows

    for route, expect in {**EXPECTED, **action_rows()}.items():
        MATRIX[route].expect = expect
    unpinned = [r for r, entry in MATRIX.items() if entry.expect == PROBE]
    assert not unpinned or os.environ.get("MATRIX_PROBE"), f"no expectations for {unpinned}"


_pin_expectations()
