"""The forms of the residents' public pages: raise a request, find it, rate it."""

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import Satisfaction
from diaries.forms import MultipleFileInput
from diaries.photos import ACCEPT
from residents.intake import MAX_CONTENT, MAX_PHOTOS, plain_categories


class PhotoUploads(forms.FileField):
    """Up to three photos as uploaded; residents.intake checks them (and says which is not a photo)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


class RaiseForm(forms.Form):
    content = forms.CharField(
        label=_("What is the problem?"), max_length=MAX_CONTENT, strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_CONTENT}),
        error_messages={"required": _("Say what the problem is.")},
    )  # fmt: skip
    category = forms.ChoiceField(label=_("What kind of problem (optional)"), required=False)
    photos = PhotoUploads(
        label=_("Photos (up to %(n)d, optional)") % {"n": MAX_PHOTOS}, required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )  # fmt: skip
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your mobile number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter your mobile number: 11 digits starting with 1.")},
    )  # fmt: skip
    confidential = forms.BooleanField(
        label=_("Keep my name and phone from the unit that handles it (保密)"), required=False
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice above and agree"),
        error_messages={"required": _("Please agree to the privacy notice, so that we may use your words and phone number.")},
    )  # fmt: skip
    # The honeypot: hidden from people (and from screen readers); robots fill it.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, captcha: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Not sure"))] + [(c.code, c.name) for c in plain_categories()]
        if captcha:
            self.fields["captcha"] = CaptchaField(label=_("Type the letters in the picture"))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=60)
    phone_tail = forms.CharField(
        label=_("Last four digits of your phone"), max_length=4, min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip


class RateForm(TrackForm):
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"), choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )  # fmt: skip
    satisfaction = forms.ChoiceField(label=_("How satisfied are you?"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)  # fmt: skip
    comment = forms.CharField(label=_("Anything to add (optional)"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
