"""The audit trail in words (中文 / English), and the codes a typed word stands for.

Rows keep stable codes (``export``, ``case_dispatch``, ``cases.case``); people read
and search them in their language. Case actions are named by their definitions
(cases.actions), objects by their models' verbose names: nothing is said twice.
"""

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.forms import OUTCOMES

WORDS = {
    "login": gettext_lazy("Signed in"),
    "login_failed": gettext_lazy("Sign-in failed"),
    "logout": gettext_lazy("Signed out"),
    "account_locked": gettext_lazy("Account locked"),
    "token_issued": gettext_lazy("API token issued"),
    "password_changed": gettext_lazy("Password changed"),
    "force_password_change": gettext_lazy("Password change required"),
    "import_org": gettext_lazy("Organisation imported"),
    "officer_handover": gettext_lazy("Officer handed over and deactivated"),
    "station_handover": gettext_lazy("Station handed over to the next officer"),
    "user_deactivate": gettext_lazy("User deactivated"),
    "household_import": gettext_lazy("Village register imported"),
    "admin_change": gettext_lazy("Change in the administration"),
    "export": gettext_lazy("Export"),
    "view_personal_data": gettext_lazy("Personal data viewed"),
    "diary_create": gettext_lazy("Diary entry written"),
    "diary_review": gettext_lazy("Diary entry reviewed"),
    "order_issue": gettext_lazy("Supervision order issued"),
    "order_sign": gettext_lazy("Supervision order signed for"),
    "order_reply": gettext_lazy("Supervision order answered"),
    "boundaries_upload": gettext_lazy("Township boundaries uploaded"),
    "project_create": gettext_lazy("Project created"),
    "project_update": gettext_lazy("Project set up"),
    "project_milestone_add": gettext_lazy("Project milestone added"),
    "project_milestone_done": gettext_lazy("Project milestone done"),
    "project_progress": gettext_lazy("Project progress reported"),
    "household_create": gettext_lazy("Household record created"),
    "household_update": gettext_lazy("Household record changed"),
    "handover_note_write": gettext_lazy("Handover note written"),
    "station_code_rotate": gettext_lazy("民情码 changed"),
}
CASE_PREFIX = "case_"


def _case_actions() -> dict[str, str]:
    from cases.actions import ACTIONS

    return {f"{CASE_PREFIX}{name.replace('-', '_')}": action.label for name, action in ACTIONS.items()}


def action_words(code: str) -> str:
    """The action in the reader's language; an unknown code as it is."""
    if code in WORDS:
        return str(WORDS[code])
    if code.startswith(CASE_PREFIX):
        label = _case_actions().get(code)
        if label is not None:
            return _("Case: %(action)s") % {"action": label}
    return code


def outcome_words(code: str) -> str:
    return str(dict(OUTCOMES).get(code, code))


def object_words(object_type: str, object_id: str) -> str:
    """ "事项 #342" for ``cases.case`` 342: the model's own name."""
    if not object_type:
        return ""
    try:
        name = apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        name = object_type
    return f"{name} #{object_id}" if object_id else str(name)


def _matches(text: str, code: str, words: str) -> bool:
    text = text.casefold()
    return text in code.casefold() or text in words.casefold()


def actions_matching(text: str) -> list[str]:
    """Every action code whose code or words (in the current language) contain ``text``."""
    codes = [*WORDS, *_case_actions()]
    return [code for code in codes if _matches(text, code, action_words(code))]


def object_types_matching(text: str) -> list[str]:
    return [
        model._meta.label_lower
        for model in apps.get_models()
        if _matches(text, model._meta.label_lower, str(model._meta.verbose_name))
    ]
