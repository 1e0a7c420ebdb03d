"""Large text (适老化): a cookie the reader sets with one button, read on every page.

A cookie rather than a profile field: it belongs to the device (an older resident's
phone, the office's shared tablet) and works before signing in."""

from django.http import HttpRequest

COOKIE = "text_size"
LARGE = "large"
ONE_YEAR = 365 * 24 * 3600


def is_large(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == LARGE


def large_text(request: HttpRequest) -> dict:
    """``large_text``: base.html puts the class on <html> that scales the whole page."""
    return {"large_text": is_large(request)}
