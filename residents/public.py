"""The residents' public pages: /r/<token>/ (raise), /r/track/ (follow and rate). No sign-in, no JavaScript.

A signed-in member of staff sees them as a resident would: the pages use their own base template.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import client_ip
from cases.choices import Satisfaction
from residents import limits, tracking
from residents.intake import clean_phone, request_raise, station_for_token
from residents.public_forms import RaiseForm, RateForm, TrackForm
from residents.rating import RatingRefused, request_rate


def _captcha_needed(request: HttpRequest) -> bool:
    try:
        phone = clean_phone(request.POST.get("phone", "")) if request.method == "POST" else ""
    except ValidationError:
        phone = ""
    address = limits.address_hash(client_ip(request))
    return limits.captcha_needed(phone=phone, address=address, now=timezone.now())


@require_http_methods(["GET", "POST"])
def raise_page(request: HttpRequest, token: str) -> HttpResponse:
    station = station_for_token(token)  # 404 for an unknown or rotated code
    context = {"station": station.code.station, "officer": station.officer}
    if request.method != "POST":
        form = RaiseForm(captcha=_captcha_needed(request))
        return render(request, "residents/public/raise.html", {**context, "form": form})
    form = RaiseForm(request.POST, request.FILES, captcha=_captcha_needed(request))
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            form.add_error(None, _("The request could not be taken."))
        else:
            try:
                made = request_raise(
                    token=token, content=data["content"], category=data["category"] or None, name=data["name"],
                    phone=data["phone"], confidential=data["confidential"], consent=data["consent"],
                    photos=data["photos"], ip=client_ip(request),
                )  # fmt: skip
            except ValidationError as exc:
                _add_errors(form, exc)
            except limits.LimitReached as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                return render(request, "residents/public/received.html", {**context, "code": made.tracking_code})
    return render(request, "residents/public/raise.html", {**context, "form": form}, status=status)


def _add_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


@require_http_methods(["GET", "POST"])
def track_page(request: HttpRequest) -> HttpResponse:
    """GET: the look-up form. POST: the request's story (and, once answered, the rating form);
    with ``solved`` in the post, the rating first."""
    if request.method != "POST":
        return render(request, "residents/public/track.html", {"form": TrackForm()})
    rating = "solved" in request.POST
    form = (RateForm if rating else TrackForm)(request.POST)
    if not form.is_valid() and not rating:
        return render(request, "residents/public/track.html", {"form": form}, status=400)
    now = timezone.now()
    address = limits.address_hash(client_ip(request))
    if limits.tracking_blocked(address=address, now=now):
        return render(request, "residents/public/track.html",
                      {"form": TrackForm(request.POST), "wait": limits.tracking_wait_message()}, status=429)  # fmt: skip
    found = tracking.find(request.POST.get("code", ""), request.POST.get("phone_tail", ""))
    if found is None:
        limits.tracking_missed(address=address, now=now)
        return render(request, "residents/public/track.html",
                      {"form": TrackForm(request.POST), "missing": True}, status=404)  # fmt: skip
    code = request.POST["code"]
    rate_form, error, status = None, "", 200
    if rating:
        rate_form = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                request_rate(request=found, solved=data["solved"], satisfaction=data["satisfaction"],
                             comment=data["comment"], now=now)  # fmt: skip
                found.case.refresh_from_db()
                rate_form = None
            except RatingRefused as exc:
                error, status = exc.message, 409
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
        else:
            status = 400
    story = tracking.story(found, code)
    if story.may_rate and rate_form is None:
        rate_form = RateForm(initial={"code": code, "phone_tail": found.phone_tail})
    context = {"story": story, "rate_form": rate_form if story.may_rate else None, "error": error,
               "rating_label": Satisfaction(story.rating.satisfaction).label if story.rating else ""}  # fmt: skip
    return render(request, "residents/public/story.html", context, status=status)
