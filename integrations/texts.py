"""What the city office reads about orders from other platforms. Fields: platform, external_id, code (their category)."""

from django.utils.translation import gettext_lazy as _

from notifications.texts import keyed

AWAITING_MAPPING = keyed(
    "integrations.awaiting_mapping",
    _("An order from {platform} waits for a category mapping"),
    _(
        "Order {external_id} has category {code}, which is not mapped to ours. Map it in the admin, then create the case."
    ),
)
