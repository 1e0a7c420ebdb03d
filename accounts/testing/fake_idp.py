"""A local stand-in for an OIDC provider and for DingTalk, served from a thread on 127.0.0.1.

OIDC: discovery, a JWKS with a key generated at start, an authorize endpoint that sends the browser
straight back with a code (or, ``interactive``, asks which subject to be first), and a token endpoint
that checks the code, the client secret and PKCE and answers with an RS256-signed ID token.
DingTalk: the OAuth2 login (``/oauth2/auth``, ``/v1.0/oauth2/userAccessToken``, ``/v1.0/contact/users/me``)
and the oapi (``/gettoken``, ``/topapi/v2/user/getuserinfo``, ``/topapi/user/getbyunionid``,
``/topapi/message/corpconversation/asyncsend_v2``, which records each message in ``messages``).
Used by the tests and by ``manage.py fake_dingtalk``; never in production.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "minqing-test", "fake-secret-0123456789"


class FakeIdP:
    def __init__(self, port: int = 0, host: str = "127.0.0.1"):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "fake-1"})
        self.signing_key = self.key  # a test swaps it to sign ID tokens the JWKS does not vouch for
        self.subject = "oidc-user-1"  # whom the OIDC authorize step signs in
        self.union_id, self.userid = "union-1", "ding-user-1"  # whom DingTalk signs in
        self.interactive = False
        self.codes: dict[str, dict] = {}
        self.user_tokens: dict[str, str] = {}  # DingTalk user access token → unionId
        self.messages: list[dict] = []  # work notices taken
        self.token_fetches = 0
        self.send_errcodes: list[int] = []  # errcodes asyncsend_v2 answers next, one per call
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "FakeIdP":
        self.thread.start()
        return self

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        """Settings pointing Minqing at this fake (both providers on, DingTalk in-app too)."""
        return {
            "SSO_OIDC": {"issuer": self.url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "name": "Fake OIDC"},
            "DINGTALK": {
                "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "corp_id": "ding-corp", "agent_id": "1001",
                "login_url": self.url, "api_url": self.url, "oapi_url": self.url,
            },
        }  # fmt: skip

    # --- what the endpoints answer -------------------------------------------------------------

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def issue_code(self, query: dict, subject: str) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "subject": subject}
        return code

    def id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "sub": grant["subject"], "aud": grant.get("client_id", CLIENT_ID),
                  "iat": now, "exp": now + 300, "nonce": grant.get("nonce", "")}  # fmt: skip
        return jwt.encode({"alg": "RS256", "kid": "fake-1"}, claims, self.signing_key)

    def token(self, form: dict) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)
        secret_ok = form.get("client_secret") == CLIENT_SECRET or form.get("_basic") == CLIENT_SECRET
        if grant is None or not secret_ok:
            return 400, {"error": "invalid_grant"}
        if challenge := grant.get("code_challenge"):
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                     "id_token": self.id_token(grant)}  # fmt: skip

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 — http.server's name
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self.json(200, fake.discovery())
                if url.path == "/jwks":
                    return self.json(200, {"keys": [fake.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    return self.authorize(query, "code", fake.subject)
                if url.path == "/oauth2/auth":
                    return self.authorize(query, "authCode", fake.union_id)
                if url.path == "/v1.0/contact/users/me":
                    union_id = fake.user_tokens.get(self.headers.get("x-acs-dingtalk-access-token", ""))
                    if union_id is None:
                        return self.json(401, {"code": "InvalidAuthentication"})
                    return self.json(200, {"nick": "测试", "unionId": union_id, "openId": "open-1"})
                if url.path == "/gettoken":
                    if (query.get("appkey"), query.get("appsecret")) != (CLIENT_ID, CLIENT_SECRET):
                        return self.json(200, {"errcode": 40089, "errmsg": "invalid appkey"})
                    fake.token_fetches += 1
                    return self.json(200, {"errcode": 0, "access_token": "app-token", "expires_in": 7200})
                return self.json(404, {"error": "not found"})

            def do_POST(self):  # noqa: N802
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if url.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                    if auth := self.headers.get("Authorization", ""):
                        form["_basic"] = base64.b64decode(auth.split()[-1]).decode().partition(":")[2]
                    return self.json(*fake.token(form))
                body = json.loads(raw or "{}")
                if url.path == "/v1.0/oauth2/userAccessToken":
                    grant = fake.codes.pop(body.get("code", ""), None)
                    if grant is None or body.get("clientSecret") != CLIENT_SECRET:
                        return self.json(400, {"code": "invalidAuthCode"})
                    user_token = "user-" + secrets.token_urlsafe(8)
                    fake.user_tokens[user_token] = grant["subject"]
                    return self.json(200, {"accessToken": user_token, "expireIn": 7200})
                if query.get("access_token") != "app-token":
                    return self.json(200, {"errcode": 40014, "errmsg": "invalid access_token"})
                if url.path == "/topapi/v2/user/getuserinfo":
                    grant = fake.codes.pop(body.get("code", ""), None)
                    if grant is None:
                        return self.json(200, {"errcode": 40078, "errmsg": "bad code"})
                    return self.json(
                        200, {"errcode": 0, "result": {"unionid": grant["subject"], "userid": fake.userid}}
                    )
                if url.path == "/topapi/user/getbyunionid":
                    return self.json(200, {"errcode": 0, "result": {"userid": fake.userid}})
                if url.path == "/topapi/message/corpconversation/asyncsend_v2":
                    if fake.send_errcodes:
                        return self.json(200, {"errcode": fake.send_errcodes.pop(0), "errmsg": "refused"})
                    fake.messages.append(body)
                    return self.json(200, {"errcode": 0, "task_id": len(fake.messages)})
                return self.json(404, {"error": "not found"})

            def authorize(self, query: dict, code_name: str, subject: str):
                if fake.interactive and "as" not in query:
                    return self.page(query, subject)
                code = fake.issue_code(query, query.get("as") or subject)
                back = {code_name: code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode(back)}")
                self.end_headers()

            def page(self, query: dict, subject: str):
                hidden = "".join(
                    f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items()
                )
                body = (f'<!doctype html><meta charset="utf-8"><title>Fake sign-in</title><form>{hidden}'
                        f'<label>Subject <input name="as" value="{html.escape(subject)}"></label>'
                        "<button>Sign in</button></form>").encode()  # fmt: skip
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def json(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
