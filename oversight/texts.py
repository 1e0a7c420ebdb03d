"""What the people concerned with a 督办单 read. Fields: number, code, title, date (the reply-by date), unit."""

from django.utils.translation import gettext_lazy as _

from notifications.texts import keyed

ISSUED = keyed(
    "order.issued",
    _("Supervision order {number} on case {code}"),
    _("{title}\nSign for the order and answer it in writing by {date}."),
)
REPLIED = keyed(
    "order.replied",
    _("{unit} answered supervision order {number}"),
    _("Case {code}: {title}"),
)
OVERDUE = keyed(
    "order.overdue",
    _("Supervision order {number} was not answered in time"),
    _("{unit} was to answer by {date}. Case {code}: {title}"),
)
# The content of the order the sweep issues on its own (in the site's language when written).
AUTOMATIC_CONTENT = _(
    "Five working days past the handling deadline. Report in writing what has been done and when it will be finished."
)
APPEAL_FILED = keyed(
    "appeal.filed",
    _("{unit} appeals case {code} in the score of {month}"),
    _("{title}\nReason: {reason}"),
)
APPEAL_DECIDED = keyed(
    "appeal.decided",
    _("Your appeal on case {code} ({month}) was {decision}"),
    _("{title}\n{note}"),
)
