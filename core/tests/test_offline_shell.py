"""The offline shell's two routes (issue 15, finding 6): the worker from the root, under our CSP, and the
manifest that installs the site as 民情日记. The journey itself is a browser test
(diaries/tests/test_browser.py)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_worker_is_served_from_the_root_as_javascript_the_same_for_everyone(client, cast):
    anonymous = client.get("/sw.js")
    client.force_login(cast.officer)
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert 'FORM = "/diaries/new/"' in body and 'STATIC = "/static/"' in body
    # No user's id or name in the worker: whose copy it reads is the cache's name, set by the page.
    assert body == anonymous.content.decode()


def test_the_manifest_names_the_app_and_starts_at_home(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "民情日记" and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_every_page_links_the_manifest_and_the_worker_script(client, cast):
    client.force_login(cast.officer)
    html = client.get("/diaries/new/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert f'data-user="{cast.officer.pk}" data-worker="/sw.js"' in html
    assert "data-offline-shell" in html
