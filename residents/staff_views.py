"""Staff pages of a station's 民情码: the code, its URL, rotating it, and the printable card and poster."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from diaries.models import PHOTO_EXTENSIONS
from diaries.photos import photo_response
from residents.codes import (
    code_for,
    code_rotate,
    may_rotate,
    officers_of,
    qr_svg,
    resident_url,
    stations_visible_to,
)
from residents.selectors import resident_photos_visible_to

log = logging.getLogger(__name__)


def _station(request: HttpRequest, station_id: int):
    # Outside the caller's stations: 404, as for every other object.
    return get_object_or_404(stations_visible_to(request.user).select_related("township"), pk=station_id)


def station_card_context(request: HttpRequest, station) -> dict:
    """What ``residents/_station_card.html`` shows (the station page built elsewhere includes it)."""
    code = code_for(station)
    url = resident_url(code, request)
    return {
        "station": station,
        "code": code,
        "resident_url": url,
        "qr": qr_svg(url),
        "may_rotate": may_rotate(request.user, station),
    }


@login_required
def station_code(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _station(request, station_id)
    return render(request, "residents/station_code.html", station_card_context(request, station))


@login_required
@require_POST
def station_code_rotate(request: HttpRequest, station_id: int) -> HttpResponse:
    station = _station(request, station_id)
    if not may_rotate(request.user, station):
        raise PermissionDenied(_("Only an administrator or the township's staff may change the code."))
    code_rotate(request.user, station, request=request)
    messages.success(request, _("The code was changed. Print the card and poster again: the old code no longer works."))
    return redirect("residents:station", station_id=station.pk)


def _no_fetch(url: str, *args, **kwargs):
    # The documents embed everything they show; never let the renderer reach out.
    raise ValueError(f"external resource refused: {url}")


def _pdf(request: HttpRequest, station_id: int, template: str, filename: str, scale: int) -> HttpResponse:
    station = _station(request, station_id)
    code = code_for(station)
    url = resident_url(code, request)
    context = {
        "station": station,
        "resident_url": url,
        "qr": qr_svg(url, scale=scale),
        "officers": officers_of(station),
    }
    html = render_to_string(template, context, request=request)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # the Pango libraries are missing on this machine
        log.exception("WeasyPrint is not usable")
        return HttpResponse(_("PDF output is not available on this server; print the page instead."), status=503,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    response = HttpResponse(HTML(string=html, url_fetcher=_no_fetch).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{station.pk}.pdf"'
    return response


@login_required
def station_card_pdf(request: HttpRequest, station_id: int) -> HttpResponse:
    """联系卡: one card per officer of the station now (name, work phone, station, the code)."""
    return _pdf(request, station_id, "residents/cards/card.html", "contact-card", scale=3)


@login_required
def station_poster_pdf(request: HttpRequest, station_id: int) -> HttpResponse:
    """The notice-board poster: A4, a big code, the station's name, short instructions in large type."""
    return _pdf(request, station_id, "residents/cards/poster.html", "poster", scale=12)


@login_required
def photo_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident's photo, for whoever may see its case (404 otherwise), sent as a diary photo is."""
    photo = get_object_or_404(resident_photos_visible_to(request.user), pk=pk)
    try:
        return photo_response(photo.file, filename=f"resident-photo-{photo.pk}{PHOTO_EXTENSIONS.get(photo.content_type, '')}",
                              content_type=photo.content_type)  # fmt: skip
    except FileNotFoundError as exc:
        raise Http404 from exc
