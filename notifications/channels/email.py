"""E-mail through Django's configured backend, to the address on the user's account."""

import smtplib

from django.core.mail import send_mail

from notifications.channels import Channel, DeliveryError, PermanentDeliveryError, absolute, wording


class EmailChannel(Channel):
    name = "email"
    recipients_sql = "u.email <> ''"

    def send(self, notification) -> None:
        address = notification.recipient.email
        if not address:
            raise PermanentDeliveryError("the recipient has no e-mail address")
        said = wording(notification)
        body = said.body
        if notification.url:
            body = f"{body}\n\n{absolute(notification.url)}".strip()
        try:
            send_mail(said.title, body, None, [address], fail_silently=False)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            # The class name only: SMTP messages may quote the address.
            raise DeliveryError(f"e-mail failed: {type(exc).__name__}") from exc
