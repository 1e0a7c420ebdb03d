"""Every write to a case. One module per stage of the lifecycle; import from here."""

from cases.services.closing import case_callback, case_feedback, case_redo, case_review
from cases.services.core import ActionForbidden
from cases.services.dispatching import case_dispatch, case_escalate
from cases.services.extensions import case_extension_decide, case_extension_request
from cases.services.handling import case_reply, case_return, case_sign
from cases.services.handover import cases_hand_over
from cases.services.holds import case_hold_decide, case_hold_request, case_release
from cases.services.instructions import case_instruction, case_instruction_report, project_instruction
from cases.services.invalid import case_mark_invalid
from cases.services.raising import case_raise, cases_raise, cases_raise_in_transaction
from cases.services.supervision import case_supervise
from cases.services.unreasonable import case_unreasonable_decide, case_unreasonable_request

__all__ = [
    "ActionForbidden",
    "case_callback",
    "case_dispatch",
    "case_escalate",
    "case_extension_decide",
    "case_extension_request",
    "case_feedback",
    "case_instruction",
    "case_mark_invalid",
    "case_instruction_report",
    "case_hold_decide",
    "case_hold_request",
    "case_release",
    "case_raise",
    "cases_raise",
    "cases_raise_in_transaction",
    "case_redo",
    "case_reply",
    "case_return",
    "case_review",
    "case_sign",
    "case_supervise",
    "case_unreasonable_decide",
    "case_unreasonable_request",
    "cases_hand_over",
    "project_instruction",
]
