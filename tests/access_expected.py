"""What each role gets on each route of the cases, diaries and notifications apps (in-scope objects).

Action routes are called with a valid body (tests/access_matrix.py ACTION_BODIES) on case A first moved
to the status the action needs (tests/world.py case_for), so 2xx/302 is "done", 403 "your role may not"
(checked before the body is read), 404 "not yours to see"; a 400 would be a genuine validation answer.
Objects outside a role's scope are checked separately (always 404) by test_objects_outside_the_scope_are_404.
"""

R = ("anonymous", "officer", "township_staff", "unit_handler", "dept_handler", "city_office", "leader",
     "township_leader", "admin", "outsider")  # fmt: skip


def row(*codes: int) -> dict[str, int]:
    return dict(zip(R, codes, strict=True))


# The role each matrix user holds towards case A (a township case of township A): the action
# definitions say who may (cases.actions, ``who`` by level), so their rows are derived from them.
HOLDS = {"officer": "officer", "township_staff": "township_staff", "unit_handler": "unit_handler",
         "city_office": "city_office", "leader": "leader", "township_leader": "leader", "admin": "admin"}  # fmt: skip


def action_row(name: str, *, api: bool) -> dict[str, int]:
    from cases.actions import ACTIONS
    from cases.choices import Level
    from tests.world import STAGE_FOR_ACTION

    done, anonymous = (200, 401) if api else (302, 302)
    may = ACTIONS[name].who.get(Level.TOWNSHIP, ())
    codes = {"anonymous": anonymous, "dept_handler": 404, "outsider": 404}  # neither ever sees case A
    codes |= {user: done if role in may else 403 for user, role in HOLDS.items()}
    if name not in STAGE_FOR_ACTION:
        codes["unit_handler"] = 404  # case A is not yet dispatched to the unit at that stage
    return {r: codes[r] for r in R}


def action_rows() -> dict[str, dict[str, int]]:
    from cases.actions import ACTIONS

    return {
        **{f"api/v1/cases/<int:pk>/{name}/": action_row(name, api=True) for name in ACTIONS},
        **{f"cases/<int:pk>/{name}/": action_row(name, api=False) for name in ACTIONS},
    }


EXPECTED: dict[str, dict[str, int]] = {
    # Orders from other platforms: signed by the platform (integrations.auth), never a person's session.
    "api/v1/inbound/orders/": row(401, 401, 401, 401, 401, 401, 401, 401, 401, 401),
    "api/v1/cases/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/cases/<int:pk>/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "api/v1/cases/<int:pk>/events/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "cases/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases/new/": row(302, 403, 200, 403, 403, 200, 403, 403, 403, 200),
    "cases/<int:pk>/": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "api/v1/diaries/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/diaries/<int:pk>/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "api/v1/diaries/<int:pk>/review/": row(401, 403, 201, 404, 404, 201, 403, 403, 403, 404),
    "api/v1/diaries/photos/<int:pk>/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "diaries/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "diaries/new/": row(302, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    "diaries/<int:pk>/": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "diaries/<int:pk>/review/": row(302, 403, 302, 404, 404, 302, 403, 403, 403, 404),
    # 民情档案: the station's officers, its township's staff and leader, admins; the city sees figures only.
    "api/v1/households/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/households/<int:pk>/": row(401, 200, 200, 404, 404, 404, 404, 200, 200, 404),
    "api/v1/households/<int:pk>/timeline/": row(401, 200, 200, 404, 404, 404, 404, 200, 200, 404),
    "households/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "households/new/": row(302, 200, 200, 403, 403, 403, 403, 403, 200, 200),
    "households/<int:pk>/": row(302, 200, 200, 404, 404, 404, 404, 200, 200, 404),
    "households/stations/<int:station_id>/": row(302, 200, 200, 404, 404, 404, 404, 200, 200, 404),
    # Those who keep the station's ledger (its officers, its township's staff, admins): the picker is for writing.
    "api/v1/household-picker/": row(401, 200, 200, 404, 404, 404, 404, 404, 200, 404),
    "api/v1/notifications/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/notifications/unread-count/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/notifications/read-all/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/notifications/<int:pk>/read/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications/read-all/": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "notifications/<int:pk>/": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "notifications/<int:pk>/read/": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "dashboard/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard/officers/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    # The records behind a coverage figure: officers see their stations' records, the city counts only.
    "dashboard/households/": row(302, 200, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard/rankings/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard/scores/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard/hotspots/": row(302, 403, 403, 403, 403, 200, 200, 403, 200, 403),
    "dashboard/hotspots/detect/": row(302, 403, 403, 403, 403, 302, 403, 403, 302, 403),
    "dashboard/hotspots/<int:pk>/project/": row(302, 403, 403, 403, 403, 302, 403, 403, 403, 403),
    "dashboard/projects/": row(301, 301, 301, 301, 301, 301, 301, 301, 301, 301),
    "dashboard/projects/<int:pk>/": row(301, 301, 301, 301, 301, 301, 301, 301, 301, 301),
    "projects/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "projects/<int:pk>/": row(302, 404, 404, 404, 404, 200, 200, 404, 200, 404),
    "dashboard/map/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    # Only admins upload outlines.
    "dashboard/map/boundaries/": row(302, 403, 403, 403, 403, 403, 403, 403, 200, 403),
    "dashboard/report/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard/report/pdf/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "dashboard/report/recompute/": row(302, 403, 403, 403, 403, 302, 403, 403, 302, 403),
    "dashboard/exports/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "dashboard/exports/<int:pk>/download/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "dashboard/export/cases/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "dashboard/export/<slug:kind>/": row(302, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "api/v1/stats/overview/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/stats/map/": row(401, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "api/v1/stats/rankings/": row(401, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "api/v1/stats/scores/": row(401, 403, 200, 403, 403, 200, 200, 200, 200, 200),
    "api/v1/hotspots/": row(401, 403, 403, 403, 403, 200, 200, 403, 200, 403),
    "api/v1/projects/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/projects/<int:pk>/": row(401, 404, 404, 404, 404, 200, 200, 404, 200, 404),
    # 批示: only a leader who can see the project writes one (the township leader cannot see this one).
    "api/v1/projects/<int:pk>/instruction/": row(401, 404, 404, 404, 404, 403, 201, 404, 403, 404),
    "projects/<int:pk>/instruction/": row(302, 404, 404, 404, 404, 403, 302, 404, 403, 404),
    # Followed through: the city office plans milestones; it (or the lead unit, none in the world) reports progress.
    "projects/<int:pk>/milestones/": row(302, 404, 404, 404, 404, 302, 403, 404, 403, 404),
    "projects/<int:pk>/milestones/<int:mid>/complete/": row(302, 404, 404, 404, 404, 302, 403, 404, 403, 404),
    "projects/<int:pk>/updates/": row(302, 404, 404, 404, 404, 302, 403, 404, 403, 404),
    "api/v1/projects/<int:pk>/milestones/": row(401, 404, 404, 404, 404, 201, 403, 404, 403, 404),
    "api/v1/projects/<int:pk>/milestones/<int:mid>/complete/": row(401, 404, 404, 404, 404, 200, 403, 404, 403, 404),
    "api/v1/projects/<int:pk>/updates/": row(401, 404, 404, 404, 404, 201, 403, 404, 403, 404),
    # 督办单: the city office issues; the order's unit (office_handler, township A's office) signs and answers.
    "api/v1/supervision-orders/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/supervision-orders/<int:pk>/": row(401, 200, 200, 200, 404, 200, 200, 200, 200, 404),
    "api/v1/supervision-orders/<int:pk>/sign/": row(401, 403, 403, 200, 404, 403, 403, 403, 403, 404),
    "api/v1/supervision-orders/<int:pk>/reply/": row(401, 403, 403, 409, 404, 403, 403, 403, 403, 404),
    "oversight/orders/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "oversight/orders/<int:pk>/": row(302, 200, 200, 200, 404, 200, 200, 200, 200, 404),
    "oversight/orders/<int:pk>/sign/": row(302, 403, 403, 302, 404, 403, 403, 403, 403, 404),
    "oversight/orders/<int:pk>/reply/": row(302, 403, 403, 302, 404, 403, 403, 403, 403, 404),
    "oversight/orders/<int:pk>/pdf/": row(302, 200, 200, 200, 404, 200, 200, 200, 200, 404),
    "oversight/cases/<int:case_id>/order/": row(302, 403, 403, 403, 404, 200, 403, 403, 403, 404),
    # 申诉: unit handlers file (the world's month has not ended: 400), the city office decides; nobody else sees them.
    "api/v1/score-appeals/": row(401, 403, 403, 400, 400, 403, 403, 403, 403, 403),
    "api/v1/score-appeals/<int:pk>/decision/": row(401, 404, 404, 403, 404, 200, 404, 404, 403, 404),
    # 民情码: the township's staff and admins change the code; unit handlers see no station.
    "residents/stations/<int:station_id>/": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "residents/stations/<int:station_id>/rotate/": row(302, 403, 302, 404, 404, 403, 403, 403, 302, 404),
    "residents/stations/<int:station_id>/card.pdf": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "residents/stations/<int:station_id>/poster.pdf": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "residents/photos/<int:pk>/": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "oversight/appeals/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "oversight/appeals/new/": row(302, 403, 403, 400, 400, 403, 403, 403, 403, 403),
    "oversight/appeals/<int:pk>/": row(302, 404, 404, 200, 404, 200, 404, 404, 200, 404),
    # 奔跑奖 / 蜗牛奖: confirmed, and printed as the 通报, by the city office.
    "oversight/awards/": row(302, 403, 403, 403, 403, 200, 403, 403, 403, 403),
    "oversight/awards/bulletin.pdf": row(302, 403, 403, 403, 403, 200, 403, 403, 403, 403),
    "api/v1/cases/<int:pk>/similar/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    # 停用: admins, and township A's staff for an officer working in township A only.
    "api/v1/users/<int:pk>/deactivate/": row(401, 403, 200, 403, 403, 403, 403, 403, 200, 404),
    "households/import/": row(302, 403, 200, 403, 403, 403, 403, 403, 200, 200),
    "households/import/template.xlsx": row(302, 403, 200, 403, 403, 403, 403, 403, 200, 200),
    "audit/": row(302, 403, 403, 403, 403, 200, 403, 403, 200, 403),
    "audit/export/": row(302, 403, 403, 403, 403, 200, 403, 403, 200, 403),
    # The offline shell: the same worker script and manifest for everyone, signed in or not.
    "sw.js": row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "manifest.webmanifest": row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    # The residents' channel (民情码): no sign-in; a member of staff gets what a resident gets.
    "r/track/": row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "r/captcha/<str:key>/": row(410, 410, 410, 410, 410, 410, 410, 410, 410, 410),
    "r/<str:token>/": row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/public/stations/<str:token>/": row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/public/requests/": row(201, 201, 201, 201, 201, 201, 201, 201, 201, 201),
    "api/v1/public/requests/<str:code>/": row(200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/public/requests/<str:code>/rating/": row(409, 409, 409, 409, 409, 409, 409, 409, 409, 409),
}  # fmt: skip
