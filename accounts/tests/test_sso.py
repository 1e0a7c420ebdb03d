"""Single sign-on against accounts.testing.fake_idp on a local port: the whole redirect round trip."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from accounts import dingtalk, sso
from accounts.models import ExternalIdentity, User
from accounts.testing.fake_idp import FakeIdP
from audit.models import AuditEvent
from core.testing.factories import ExternalIdentityFactory
from core.testing.twofactor import totp_device

pytestmark = pytest.mark.django_db
# The pages are told apart by their message's id: the wording is the translators'.
NOT_LINKED, FAILED = 'id="sso-not-linked"', 'id="sso-failed"'


@pytest.fixture
def fake(settings):
    idp = FakeIdP().start()
    for name, value in idp.settings().items():
        setattr(settings, name, value)
    sso._client.cache_clear()
    yield idp
    idp.close()
    sso._client.cache_clear()


def to_provider_and_back(client, provider: str, start_query: str = ""):
    """The sign-in button, the provider's redirect back, and Minqing's answer to it."""
    start = client.get(f"/accounts/sso/{provider}/{start_query}")
    assert start.status_code == 302
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}")


def test_an_oidc_round_trip_signs_the_linked_user_in(client, cast, fake):
    identity = ExternalIdentityFactory(user=cast.officer, provider="oidc", subject="oidc-user-1")
    start = client.get("/accounts/sso/oidc/")
    query = parse_qs(urlparse(start["Location"]).query)
    # state, nonce and PKCE go with the redirect
    assert {"state", "nonce", "code_challenge"} <= set(query) and query["code_challenge_method"] == ["S256"]
    client.get("/accounts/login/")  # a fresh start
    answer = to_provider_and_back(client, "oidc", "?next=/cases/")
    assert answer.status_code == 302 and answer["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    identity.refresh_from_db()
    assert identity.last_login_at is not None
    rows = list(AuditEvent.objects.filter(user=cast.officer).values_list("action", "detail"))
    assert ("sso_login", {"provider": "oidc"}) in rows and ("login", {}) in rows


def test_a_dingtalk_round_trip_signs_the_linked_user_in(client, cast, fake):
    ExternalIdentityFactory(user=cast.township_staff, provider="dingtalk", subject=fake.union_id)
    answer = to_provider_and_back(client, "dingtalk")
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert client.get("/cases/").wsgi_request.user == cast.township_staff


def test_an_unknown_subject_gets_a_clear_page_and_no_user_is_made(client, cast, fake):
    fake.subject = '<script>alert("sub")</script>'
    users = User.objects.count()
    answer = to_provider_and_back(client, "oidc")
    page = answer.content.decode()
    assert answer.status_code == 200 and NOT_LINKED in page
    assert "&lt;script&gt;alert(&quot;sub&quot;)&lt;/script&gt;" in page and "<script>alert" not in page
    assert User.objects.count() == users and not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso_refused", outcome="failed").exists()


def test_an_inactive_user_is_refused_the_same_way(client, cast, fake):
    ExternalIdentityFactory(user=cast.officer, provider="oidc", subject="oidc-user-1")
    User.objects.filter(pk=cast.officer.pk).update(is_active=False)
    answer = to_provider_and_back(client, "oidc")
    assert answer.status_code == 200 and NOT_LINKED in answer.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_bad_state_gets_a_clear_page(client, cast, fake, caplog):
    ExternalIdentityFactory(user=cast.officer, provider="oidc", subject="oidc-user-1")
    client.get("/accounts/sso/oidc/")
    for provider in ("oidc", "dingtalk"):
        answer = client.get(f"/accounts/sso/{provider}/callback/?code=stolen-code&state=forged")
        assert answer.status_code == 200 and FAILED in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert "stolen-code" not in caplog.text


def test_a_denied_consent_and_a_failed_token_get_a_clear_page(client, cast, fake):
    assert FAILED in client.get("/accounts/sso/oidc/callback/?error=access_denied&state=x").content.decode()
    start = client.get("/accounts/sso/dingtalk/")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    answer = client.get(f"/accounts/sso/dingtalk/callback/?authCode=never-issued&state={state}")
    assert answer.status_code == 200 and FAILED in answer.content.decode()


def test_an_id_token_signed_with_another_key_is_refused(client, cast, fake, caplog):
    from joserfc.jwk import RSAKey

    ExternalIdentityFactory(user=cast.officer, provider="oidc", subject="oidc-user-1")
    fake.signing_key = RSAKey.generate_key(2048, parameters={"kid": "fake-1"})
    answer = to_provider_and_back(client, "oidc")
    assert answer.status_code == 200 and FAILED in answer.content.decode()
    assert "_auth_user_id" not in client.session and "token rejected" in caplog.text


def test_an_admin_links_an_account_on_the_user_page(client, cast):
    client.force_login(cast.admin)
    page = client.get(f"/admin/accounts/user/{cast.officer.pk}/change/").content.decode()
    assert 'name="external_identities-TOTAL_FORMS"' in page


def test_a_user_with_a_second_factor_is_sent_to_it(client, cast, fake):
    ExternalIdentityFactory(user=cast.officer, provider="oidc", subject="oidc-user-1")
    totp_device(cast.officer)
    answer = to_provider_and_back(client, "oidc", "?next=/cases/")
    assert answer["Location"] == "/accounts/2fa/?next=%2Fcases%2F"
    assert client.get("/cases/")["Location"].startswith("/accounts/2fa/")


def test_dingtalk_in_app_code_signs_in_and_keeps_the_userid(client, cast, fake):
    identity = ExternalIdentityFactory(
        user=cast.officer, provider="dingtalk", subject=fake.union_id, platform_user_id=""
    )
    code = fake.issue_code({}, fake.union_id)
    answer = client.post("/accounts/sso/dingtalk/in-app/", {"code": code, "next": "/cases/"})
    assert answer.status_code == 302 and answer["Location"] == "/cases/"
    identity.refresh_from_db()
    assert identity.platform_user_id == fake.userid
    refused = client.post("/accounts/sso/dingtalk/in-app/", {"code": "used-twice"})
    assert refused.status_code == 200 and FAILED in refused.content.decode()


def test_the_sign_in_page_shows_a_button_per_provider_and_the_in_app_script(client, fake):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/sso/oidc/"' in page and 'href="/accounts/sso/dingtalk/"' in page
    assert "dingtalk-login.js" in page and 'data-corp-id="ding-corp"' in page


def test_nothing_configured_means_no_buttons_and_404(client, settings):
    settings.SSO_OIDC = {**settings.SSO_OIDC, "issuer": "", "client_id": ""}
    settings.DINGTALK = {**settings.DINGTALK, "client_id": "", "client_secret": ""}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/sso/" not in page and "dingtalk-login.js" not in page
    assert client.get("/accounts/sso/oidc/").status_code == 404
    assert client.get("/accounts/sso/dingtalk/callback/").status_code == 404
    assert client.post("/accounts/sso/dingtalk/in-app/", {"code": "x"}).status_code == 404
    assert client.get("/accounts/sso/nonsense/").status_code == 404


def test_an_unreachable_provider_is_a_clear_page(client, settings):
    settings.SSO_OIDC = {"issuer": "http://127.0.0.1:9", "client_id": "x", "client_secret": "y", "name": "Down"}
    sso._client.cache_clear()
    answer = client.get("/accounts/sso/oidc/")
    assert answer.status_code == 200 and FAILED in answer.content.decode()
    sso._client.cache_clear()


def test_the_app_token_is_cached(fake):
    from django.core.cache import cache

    cache.delete(dingtalk.TOKEN_CACHE_KEY)
    assert dingtalk.access_token() == dingtalk.access_token() == "app-token"
    assert fake.token_fetches == 1


def test_the_not_linked_page_shows_every_corpus_subject_as_text(client, fake, monkeypatch):
    from django.utils.html import escape

    from tests.xss_corpus import PAYLOADS, html_problems

    for payload in PAYLOADS:
        monkeypatch.setattr(sso, "subject_from_callback", lambda request, code, payload=payload: payload)
        page = client.get("/accounts/sso/oidc/callback/").content.decode()
        assert NOT_LINKED in page and escape(payload) in page  # shown, as text
        assert html_problems(page) == [], payload
