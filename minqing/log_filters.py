"""Defence in depth for the logs: whatever a message carries, phone- and ID-shaped digits leave masked.

The code never logs residents' phone or ID numbers on purpose (brief: "never
log passwords, tokens or full phone numbers"); this filter catches the ones a
library or a careless message would let through, e.g. a URL with ?q=138… in
django.request's "Not Found" line.
"""

import logging
import re

# A mainland mobile (11 digits from 1[3-9]), an 18-character resident ID
# (17 digits and a digit or X), or any other run of 11+ digits; not inside a longer number.
SECRET_DIGITS = re.compile(r"(?<![0-9])(?:\d{17}[\dXx]|1[3-9]\d{9}|\d{11,})(?![0-9])")


def _mask(match: re.Match) -> str:
    text = match.group(0)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


def mask_digits(text: str) -> str:
    """Keep the first three and last four digits of each phone- or ID-shaped number: 138****5678."""
    return SECRET_DIGITS.sub(_mask, text)


class MaskPersonalNumbers(logging.Filter):
    """Rewrites each record's message with mask_digits before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let logging report it as usual
            return True
        masked = mask_digits(message)
        if masked != message:
            record.msg, record.args = masked, None
        # A traceback is formatted after the filters ran, and some exceptions quote what they were
        # handed (a template's failed lookup prints the whole context, request and all): mask it here.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_digits(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_digits(record.stack_info)
        return True
