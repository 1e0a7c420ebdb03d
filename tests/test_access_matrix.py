"""QUALITY.md's access matrix, generated from the URL conf and the OpenAPI schema."""

import os
import re

import pytest
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from core.testing import build_cast
from tests.access_matrix import MATRIX, ROLES
from tests.module_data import committed
from tests.world import build_world

SKIP_PREFIXES = ("admin/", "static/", "media/")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def url_routes() -> set[str]:
    return {r for r in _walk(get_resolver().url_patterns) if not r.startswith(SKIP_PREFIXES)}


def test_every_route_has_an_entry():
    missing = sorted(url_routes() - set(MATRIX))
    assert missing == [], f"add these routes to tests/access_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - url_routes())
    assert stale == [], f"these matrix entries name no route: {stale}"


@pytest.mark.django_db
def test_every_schema_path_is_a_route_in_the_matrix(client, cast):
    client.force_login(cast.officer)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    as_routes = {re.sub(r"\{\w+\}", "<>", p.lstrip("/")) for p in schema["paths"]}
    loose = {re.sub(r"<[\w:]+>", "<>", r) for r in MATRIX}
    missing = sorted(as_routes - loose)
    assert missing == []


_PDF: dict[str, bytes] = {}


@pytest.fixture(autouse=True)
def report_pdf_rendered_once(monkeypatch):
    """The matrix asks who gets the report's PDF, not how it looks (dashboards' page tests check that):
    WeasyPrint renders it for the first role that may have it, and later ones get the same bytes."""
    from weasyprint import HTML

    real = HTML.write_pdf

    def once(self, *args, **kwargs):
        if "pdf" not in _PDF:
            _PDF["pdf"] = real(self, *args, **kwargs)
        return _PDF["pdf"]

    monkeypatch.setattr(HTML, "write_pdf", once)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module's ~1,000 route × role checks: building it per test was a third of the suite's
    time. Each check runs in its own transaction, so what it writes (case A's stages, tokens, sessions) rolls
    back before the next."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")), committed(django_db_blocker):
        yield build_world(build_cast())


@pytest.fixture
def world(shared_world, db):
    vars(shared_world).pop("case_stage", None)  # case A is back at its first stage after the rollback
    shared_world.me = None
    for case in (shared_world.case_a, shared_world.case_b):
        case.refresh_from_db()
    return shared_world


def _client(world, role):
    client = APIClient()
    world.me = None
    if role == "anonymous":
        return client
    world.me = world.by_role()[role]
    client.force_login(world.me)
    return client


CASES = [(route, role) for route, entry in MATRIX.items() for role in entry.expect]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), CASES, ids=[f"{r or '/'}|{role}" for r, role in CASES])
def test_route_answers_each_role_as_the_matrix_says(world, route, role):
    entry = MATRIX[route]
    client = _client(world, role)
    body = entry.body(world) if entry.body else None
    call = getattr(client, entry.method.lower())
    fmt = "json" if entry.api else "multipart"  # pages read forms, the API JSON
    response = call(entry.path(world), body, format=fmt) if entry.method != "GET" else call(entry.path(world))
    if os.environ.get("MATRIX_PROBE"):
        with open(os.environ["MATRIX_PROBE"], "a") as fh:
            fh.write(f"{route}\t{role}\t{response.status_code}\n")
        return
    assert response.status_code == entry.expect[role], (route, role, response.content[:300])


OUTSIDE = [(route, role) for route, entry in MATRIX.items() if entry.outside for role in entry.outside_roles]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), OUTSIDE, ids=[f"{r}|{role}" for r, role in OUTSIDE])
def test_objects_outside_the_scope_are_404(world, route, role):
    entry = MATRIX[route]
    client = _client(world, role)
    body = entry.body(world) if entry.body else None
    call = getattr(client, entry.method.lower())
    fmt = "json" if entry.api else "multipart"
    response = call(entry.outside(world), body, format=fmt) if entry.method != "GET" else call(entry.outside(world))
    if os.environ.get("MATRIX_PROBE"):
        with open(os.environ["MATRIX_PROBE"] + ".out", "a") as fh:
            fh.write(f"{route}\t{role}\t{response.status_code}\n")
        return
    assert response.status_code == 404, (route, role, response.content[:300])


def test_roles_cover_the_domain():
    assert set(ROLES) >= {"officer", "township_staff", "unit_handler", "city_office", "leader", "admin"}
