"""What each role gets on each route of the cases, diaries and notifications apps (in-scope objects).

Action routes are called with an empty body: 400 is "allowed, but say more", 409 "not in this status",
403 "your role may not", 404 "not yours to see". Objects outside a role's scope are checked
separately (always 404) by test_objects_outside_the_scope_are_404.
"""

R = ("anonymous", "officer", "township_staff", "unit_handler", "dept_handler", "city_office", "leader",
     "township_leader", "admin", "outsider")  # fmt: skip


def row(*codes: int) -> dict[str, int]:
    return dict(zip(R, codes, strict=True))


EXPECTED: dict[str, dict[str, int]] = {
    "api/v1/cases/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/cases/<int:pk>/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "api/v1/cases/<int:pk>/events/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "api/v1/cases/<int:pk>/dispatch/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/escalate/": row(401, 403, 400, 404, 404, 403, 403, 403, 403, 404),
    "api/v1/cases/<int:pk>/sign/": row(401, 409, 409, 404, 404, 409, 409, 409, 409, 404),
    "api/v1/cases/<int:pk>/return/": row(401, 409, 409, 404, 404, 409, 409, 409, 409, 404),
    "api/v1/cases/<int:pk>/extension/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/extension-decision/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/reply/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/review/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/feedback/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/callback/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/cases/<int:pk>/redo/": row(401, 409, 409, 404, 404, 409, 409, 409, 409, 404),
    "api/v1/cases/<int:pk>/supervise/": row(401, 403, 403, 404, 404, 200, 403, 403, 403, 404),
    "cases/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "cases/new/": row(302, 403, 200, 403, 403, 200, 403, 403, 403, 200),
    "cases/<int:pk>/": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "cases/<int:pk>/dispatch/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/escalate/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/sign/": row(302, 409, 409, 404, 404, 409, 409, 409, 409, 404),
    "cases/<int:pk>/return/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/extension/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/extension-decision/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/reply/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/review/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/feedback/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/callback/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/redo/": row(302, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "cases/<int:pk>/supervise/": row(302, 403, 403, 404, 404, 302, 403, 403, 403, 404),
    "api/v1/diaries/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/diaries/<int:pk>/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "api/v1/diaries/<int:pk>/review/": row(401, 400, 400, 404, 404, 400, 400, 400, 400, 404),
    "api/v1/diaries/photos/<int:pk>/": row(401, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "diaries/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "diaries/new/": row(302, 200, 403, 403, 403, 403, 403, 403, 403, 403),
    "diaries/<int:pk>/": row(302, 200, 200, 404, 404, 200, 200, 200, 200, 404),
    "diaries/<int:pk>/review/": row(302, 403, 302, 404, 404, 302, 403, 403, 403, 404),
    "api/v1/notifications/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/notifications/unread-count/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/notifications/read-all/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api/v1/notifications/<int:pk>/read/": row(401, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications/": row(302, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "notifications/read-all/": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "notifications/<int:pk>/": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    "notifications/<int:pk>/read/": row(302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
}  # fmt: skip
