"""The case actions: each declared once (definitions), taken through ``perform`` by the API and the pages."""

from cases.actions.base import ActionForbidden, CaseAction, Event, TransitionNotAllowed
from cases.actions.definitions import ACTIONS, ALLOWED_FROM, EVENTS, event_says
from cases.actions.taking import available_actions, perform

__all__ = [
    "ACTIONS",
    "ALLOWED_FROM",
    "EVENTS",
    "ActionForbidden",
    "CaseAction",
    "Event",
    "TransitionNotAllowed",
    "available_actions",
    "event_says",
    "perform",
]
