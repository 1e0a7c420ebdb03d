"""The access matrix: every route × every role, in scope and out of scope.

Each route of the URL conf (admin aside: it has its own staff check) must
have an entry here; tests/test_access_matrix.py fails on a route without one.
An entry says what each role gets for an object inside its scope and, where
the route takes an object, what the outsider gets for one outside it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

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


MATRIX: dict[str, Route] = {
    "": Route(lambda w: "/", page(), api=False),
    "healthz": Route(lambda w: "/healthz", dict.fromkeys(ROLES, 200), api=False),
    "accounts/login/": Route(lambda w: "/accounts/login/", {"anonymous": 200}, api=False, notes="signed-in users are redirected home"),
    "accounts/logout/": Route(lambda w: "/accounts/logout/", page(302), method="POST", api=False),
    "accounts/password/": Route(lambda w: "/accounts/password/", page(), api=False),
    "accounts/password/done/": Route(lambda w: "/accounts/password/done/", page(), api=False),
    "i18n/setlang/": Route(lambda w: "/i18n/setlang/", dict.fromkeys(ROLES, 302), method="POST", body=lambda w: {"language": "en"}, api=False),
    "api/v1/auth/token/": Route(lambda w: "/api/v1/auth/token/", {"anonymous": 400}, method="POST", body=lambda w: {}),
    "api/v1/me/": Route(lambda w: "/api/v1/me/", signed_in()),
    "api/v1/org-units/": Route(lambda w: "/api/v1/org-units/", signed_in()),
    "api/v1/stations/": Route(lambda w: "/api/v1/stations/", signed_in()),
    "api/v1/categories/": Route(lambda w: "/api/v1/categories/", signed_in()),
    "api/schema/": Route(lambda w: "/api/schema/", dict.fromkeys(ROLES, 200), notes="the contract is public"),
    "api/docs/": Route(lambda w: "/api/docs/", dict.fromkeys(ROLES, 200)),
}  # fmt: skip
