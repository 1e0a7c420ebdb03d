"""Delivery channels behind one interface.

A channel says, in SQL, whom it can reach (``recipients_sql``: a condition
over the recipient ``u`` of the notice ``n``), so the outbox rows are
written set-based together with the notices; and it sends one notice
(``send``), raising ``DeliveryError`` for a failure worth retrying and
``PermanentDeliveryError`` for one that is not.

settings.NOTIFY_CHANNELS lists the channels in use, by short name or by
dotted path. An SMS gateway is one more class here: ``name = "sms"``,
``recipients_sql = "u.phone <> ''"``, and a ``send`` that posts to the
gateway (never logging the number).
"""

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from notifications.texts import Text


class DeliveryError(Exception):
    """Sending failed; a later attempt may succeed. The message is safe to log and store."""


class PermanentDeliveryError(DeliveryError):
    """Sending can never succeed (no address any more, robot switched off)."""


class Channel:
    name: str = ""
    recipients_sql: str = "FALSE"

    def send(self, notification) -> None:
        raise NotImplementedError


BUILT_IN = {
    "email": "notifications.channels.email.EmailChannel",
    "webhook": "notifications.channels.webhook.WebhookChannel",
    "dingtalk": "notifications.channels.dingtalk.DingTalkChannel",
}


@cache
def _load(path: str) -> Channel:
    return import_string(BUILT_IN.get(path, path))()


def enabled() -> list[Channel]:
    return [_load(name) for name in settings.NOTIFY_CHANNELS]


def get(name: str) -> Channel | None:
    return next((channel for channel in enabled() if channel.name == name), None)


def language_of(user) -> str:
    """The language a notice is sent to ``user`` in.

    Accounts keep no language of their own (the site's switcher sets the
    browser's), so mail and chats are written in the site's language; a
    per-person choice would be read here.
    """
    return settings.LANGUAGE_CODE


def wording(notification) -> "Text":
    """The notice's title and body in its recipient's language, whatever language the sender runs in."""
    with translation.override(language_of(notification.recipient)):
        return notification.wording()


def absolute(url: str) -> str:
    """Links in e-mails and chats need the site's address; the inbox uses them as they are."""
    if url.startswith("/") and settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + url
    return url
