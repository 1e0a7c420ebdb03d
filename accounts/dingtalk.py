"""DingTalk's server APIs that Minqing calls: the app's access token, in-app sign-in codes, work notices.

Base URLs come from settings.DINGTALK so tests and ``manage.py fake_dingtalk`` stand in for DingTalk.
Errors never carry the access token or the app secret (both travel in the URL or body only).
"""

import requests
from django.conf import settings
from django.core.cache import cache

TIMEOUT_SECONDS = 5
TOKEN_CACHE_KEY = "dingtalk:app-token"
# DingTalk answers errcode 0 for success; these say the token went stale, so a new one is fetched next time.
STALE_TOKEN = {40014, 42001, 40001}


class DingTalkError(Exception):
    """DingTalk refused or could not be reached. ``errcode`` is DingTalk's code, or None for transport errors."""

    def __init__(self, message: str, errcode: int | None = None):
        super().__init__(message)
        self.errcode = errcode


def configured() -> bool:
    conf = settings.DINGTALK
    return bool(conf["client_id"] and conf["client_secret"])


def _oapi(path: str) -> str:
    return settings.DINGTALK["oapi_url"].rstrip("/") + path


def _json(response: requests.Response, what: str) -> dict:
    if response.status_code >= 400:
        raise DingTalkError(f"{what}: HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError:
        raise DingTalkError(f"{what}: not JSON") from None
    if not isinstance(data, dict):
        raise DingTalkError(f"{what}: unexpected answer")
    errcode = data.get("errcode", 0)
    if errcode:
        if errcode in STALE_TOKEN:
            cache.delete(TOKEN_CACHE_KEY)
        raise DingTalkError(f"{what}: errcode {errcode}", errcode=errcode)
    return data


def access_token() -> str:
    """The app's access token, cached until five minutes before DingTalk says it expires."""
    token = cache.get(TOKEN_CACHE_KEY)
    if token:
        return token
    conf = settings.DINGTALK
    try:
        response = requests.get(
            _oapi("/gettoken"),
            params={"appkey": conf["client_id"], "appsecret": conf["client_secret"]},
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise DingTalkError(f"gettoken unreachable: {type(exc).__name__}") from None
    data = _json(response, "gettoken")
    token = data.get("access_token")
    if not token:
        raise DingTalkError("gettoken: no token")
    cache.set(TOKEN_CACHE_KEY, token, timeout=max(60, int(data.get("expires_in", 7200)) - 300))
    return token


def call(path: str, body: dict, what: str) -> dict:
    """POST ``body`` as JSON to an oapi ``path`` with the app's token."""
    try:
        response = requests.post(
            _oapi(path), params={"access_token": access_token()}, json=body, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as exc:
        raise DingTalkError(f"{what} unreachable: {type(exc).__name__}") from None
    return _json(response, what)


def user_by_code(code: str) -> tuple[str, str]:
    """(unionId, userid) of the person whose DingTalk client gave the in-app sign-in ``code``."""
    result = call("/topapi/v2/user/getuserinfo", {"code": code}, "getuserinfo").get("result") or {}
    unionid, userid = result.get("unionid"), result.get("userid")
    if not unionid or not isinstance(unionid, str):
        raise DingTalkError("getuserinfo: no unionid")
    return unionid, str(userid or "")


def userid_by_unionid(unionid: str) -> str:
    result = call("/topapi/user/getbyunionid", {"unionid": unionid}, "getbyunionid").get("result") or {}
    if not result.get("userid"):
        raise DingTalkError("getbyunionid: no userid")
    return str(result["userid"])


def send_work_notice(userid: str, title: str, text: str) -> None:
    body = {
        "agent_id": settings.DINGTALK["agent_id"],
        "userid_list": userid,
        "msg": {"msgtype": "markdown", "markdown": {"title": title, "text": text}},
    }
    call("/topapi/message/corpconversation/asyncsend_v2", body, "asyncsend_v2")
