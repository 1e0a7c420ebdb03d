"""Every write to a case. One module per stage of the lifecycle; import from here."""

from cases.services.core import ActionForbidden
from cases.services.raising import case_raise

__all__ = ["ActionForbidden", "case_raise"]
