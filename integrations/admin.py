"""Platforms, their category mappings, the mapping queue and the dead-letter list."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrations import pushes, services
from integrations.models import AwaitingOrder, CategoryMapping, DeadPush, InboundOrder, Push, Source


class SourceForm(forms.ModelForm):
    # Write-only: never shown again; left empty on a change, the stored secret stays.
    secret = forms.CharField(
        label=_("secret"), required=False, strip=True, widget=forms.PasswordInput(render_value=False),
        help_text=_("Shared with the platform; it signs requests both ways. Leave empty to keep the current one."),
    )  # fmt: skip

    push_url = Source._meta.get_field("push_url").formfield(assume_scheme="https")

    class Meta:
        model = Source
        fields = ["code", "name", "secret", "push_url", "city", "case_source", "default_level", "is_active"]

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"]
        if not secret:
            if self.instance.pk is None:
                raise forms.ValidationError(_("Give the new platform a secret."))
            return self.instance.secret
        if len(secret) < 16:
            raise forms.ValidationError(_("Use at least 16 characters."))
        return secret


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["code", "name", "city", "case_source", "default_level", "push_url", "is_active"]
    list_filter = ["is_active"]
    autocomplete_fields = ["city"]


@admin.register(CategoryMapping)
class CategoryMappingAdmin(admin.ModelAdmin):
    list_display = ["source", "external_code", "category"]
    list_filter = ["source"]
    search_fields = ["external_code", "category__name"]
    autocomplete_fields = ["category"]


@admin.register(InboundOrder)
class InboundOrderAdmin(admin.ModelAdmin):
    list_display = ["external_id", "source", "status", "case", "received_at"]
    list_filter = ["source", "status"]
    search_fields = ["external_id"]
    readonly_fields = ["source", "external_id", "payload", "status", "case", "received_at"]
    exclude = ["reporter_phone"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AwaitingOrder)
class AwaitingOrderAdmin(InboundOrderAdmin):
    actions = ["create_case"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=InboundOrder.Status.AWAITING_MAPPING)

    @admin.action(description=_("Create the case now (the category is mapped)"))
    def create_case(self, request, queryset) -> None:
        made, waiting = 0, 0
        for order in queryset:
            try:
                services.order_create_case(order)
                made += 1
            except ValueError:
                waiting += 1
            except ValidationError as exc:  # a case the services refuse (an inactive category …): say why
                self.message_user(request, f"{order}: {'; '.join(exc.messages)}", messages.ERROR)
        if made:
            self.message_user(request, ngettext("%d case created.", "%d cases created.", made) % made)
        if waiting:
            message = ngettext(
                "%d order still has no category mapping.", "%d orders still have no category mapping.", waiting
            )
            self.message_user(request, message % waiting, messages.WARNING)


@admin.register(Push)
class PushAdmin(admin.ModelAdmin):
    list_display = ["order", "sequence", "event", "status", "attempts", "next_attempt_at", "last_error", "sent_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Push._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeadPush)
class DeadPushAdmin(PushAdmin):
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Push.Status.DEAD)

    @admin.action(description=_("Retry"))
    def retry(self, request, queryset) -> None:
        count = pushes.retry(queryset)
        self.message_user(request, ngettext("%d push queued again.", "%d pushes queued again.", count) % count)
