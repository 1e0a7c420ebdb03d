"""Every API token of a user ends when their password changes, whichever door changed it.

The change page, the forced change, the admin's set-password form, ``manage.py changepassword`` and
the importer all end in ``set_password()`` + ``save()``; Django marks that pair (``_password``, which
``AbstractBaseUser.save`` hands to the validators' ``password_changed`` and then clears), so listening
to the save misses none. A hasher upgrade at sign-in clears the mark before saving: it ends no token.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import User
from accounts.services import user_api_tokens_revoke


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_password_change")
def _password_saved(sender, instance: User, created: bool, update_fields=None, **kwargs):
    if created or getattr(instance, "_password", None) is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    user_api_tokens_revoke(user=instance, reason="password_changed")
