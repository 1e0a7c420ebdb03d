"""DingTalk work notices: each notice as a work notification to the recipient's DingTalk account.

The recipient is addressed by their DingTalk userid (ExternalIdentity "dingtalk", ``platform_user_id``;
looked up from the unionId once and kept when missing). The text is the notice's, in the recipient's
language, with a link; never a phone number. Token handling is accounts.dingtalk's.
"""

from accounts import dingtalk
from accounts.models import ExternalIdentity
from notifications.channels import Channel, DeliveryError, PermanentDeliveryError, absolute, wording

# DingTalk's codes for a userid it does not know (or no longer): retrying cannot help.
UNKNOWN_USER = {33012, 60121, 60011}


class DingTalkChannel(Channel):
    name = "dingtalk"
    recipients_sql = (
        "EXISTS (SELECT 1 FROM accounts_externalidentity x WHERE x.user_id = u.id AND x.provider = 'dingtalk')"
    )

    def send(self, notification) -> None:
        identity = ExternalIdentity.objects.filter(user_id=notification.recipient_id, provider="dingtalk").first()
        if identity is None:
            raise PermanentDeliveryError("no DingTalk account linked")
        said = wording(notification)
        text = f"#### {said.title}\n\n{said.body}"
        if notification.url:
            text += f"\n\n[{said.title}]({absolute(notification.url)})"
        try:
            userid = identity.platform_user_id or self._userid(identity)
            dingtalk.send_work_notice(userid, said.title, text)
        except dingtalk.DingTalkError as exc:
            if exc.errcode in UNKNOWN_USER:
                raise PermanentDeliveryError(f"DingTalk does not know identity {identity.pk}: {exc}") from None
            raise DeliveryError(str(exc)) from None

    @staticmethod
    def _userid(identity) -> str:
        userid = dingtalk.userid_by_unionid(identity.subject)
        ExternalIdentity.objects.filter(pk=identity.pk).update(platform_user_id=userid)
        return userid
