from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken as KnoxAuthToken

from accounts import services
from accounts.admin_forms import (
    AssignmentAdminForm,
    AssignmentInlineFormSet,
    HandoverForm,
    ImportForm,
    OrgUnitAdminForm,
    UserAdminChangeForm,
)
from accounts.handover import officer_handover
from accounts.importer import ImportFailed, import_workbook
from accounts.models import (
    ApiToken,
    CitySettings,
    CoBuildingLink,
    ExternalIdentity,
    OrgKind,
    OrgUnit,
    StationAssignment,
    User,
    UserRole,
)
from accounts.selectors import assignments_not_ended


# Stacked, not tabular: a tabular inline's fields sit under column headings with no label of their own,
# which screen readers announce as unnamed (tests/test_accessibility.py).
class CoBuildingInline(admin.StackedInline):
    model = CoBuildingLink
    fk_name = "village"
    autocomplete_fields = ["partner"]
    extra = 0


class CitySettingsInline(admin.StackedInline):
    model = CitySettings
    fk_name = "city"
    can_delete = False
    max_num = 1


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    form = OrgUnitAdminForm
    list_display = ["label", "code", "kind", "parent", "township", "city", "is_active"]
    list_filter = [
        "kind",
        "is_active",
        ("city", admin.RelatedOnlyFieldListFilter),
        ("township", admin.RelatedOnlyFieldListFilter),
    ]
    # ``label`` lets 「甘霖镇 · 综合治理办公室」 be found by its township as well.
    search_fields = ["name", "label", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent", "township", "city"]
    inlines = [CoBuildingInline]
    change_list_template = "admin/accounts/orgunit/change_list.html"

    def get_inlines(self, request, obj):
        # A county's own settings are edited on its city unit.
        if obj is not None and obj.kind == OrgKind.CITY:
            return [*self.inlines, CitySettingsInline]
        return self.inlines

    def save_model(self, request, obj, form, change):
        services.org_unit_save(obj)

    def get_urls(self):
        extra = [path("import/", self.admin_site.admin_view(self.import_view), name="accounts_import")]
        return extra + super().get_urls()

    def import_view(self, request):
        """Upload an .xlsx of org units, users and assignments; all rows or none."""
        if not request.user.has_perm("accounts.add_orgunit"):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                summary = import_workbook(form.cleaned_data["file"], by=request.user, request=request)
            except ImportFailed as failed:
                errors = failed.errors
            else:
                messages.success(request, summary.describe())
                return redirect("admin:accounts_orgunit_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": _("Import organisation"),
        }
        return render(request, "admin/accounts/import.html", context)


class UserRoleInline(admin.StackedInline):
    model = UserRole
    extra = 1


class AssignmentInline(admin.StackedInline):
    model = StationAssignment
    fk_name = "officer"
    form = AssignmentAdminForm
    formset = AssignmentInlineFormSet
    autocomplete_fields = ["station", "dispatching_unit"]
    readonly_fields = ["kind"]
    extra = 0


class ExternalIdentityInline(admin.StackedInline):
    """Links a single sign-on account (the subject the refusal page showed) to this user; deleting unlinks.

    Stacked like the other inlines: a tabular one points its inputs' aria-describedby at help texts it
    does not draw (the accessibility walk finds the dangling references)."""

    model = ExternalIdentity
    fields = ["provider", "subject", "platform_user_id", "created_at", "last_login_at"]
    readonly_fields = ["created_at", "last_login_at"]
    extra = 0


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return UserRole._meta.get_field("role").choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(roles__role=self.value())
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "org_unit", "role_list", "is_active", "last_login"]
    list_filter = [RoleFilter, "is_active", ("org_unit__township", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "name", "phone", "org_unit__name"]
    autocomplete_fields = ["org_unit"]
    list_select_related = ["org_unit"]
    inlines = [UserRoleInline, AssignmentInline, ExternalIdentityInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "phone", "org_unit", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "must_change_password")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Kept by Django, not typed in (and their split date/time inputs have no label of their own).
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "phone", "org_unit", "password1", "password2")}),
    )

    form = UserAdminChangeForm
    actions = ["force_password_change", "hand_over_and_deactivate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    def get_urls(self):
        handover = self.admin_site.admin_view(self.handover_view)
        return [path("<int:pk>/handover/", handover, name="accounts_user_handover"), *super().get_urls()]

    @admin.action(description=_("Hand over and deactivate the selected officer"))
    def hand_over_and_deactivate(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, _("Choose exactly one officer to hand over."))
            return None
        return redirect("admin:accounts_user_handover", queryset.get().pk)

    def handover_view(self, request, pk: int):
        """Pick the successor, see what will move, and hand over and deactivate in one step."""
        from cases.selectors import officer_open_cases

        officer = self.get_object(request, str(pk))
        if officer is None:
            raise Http404
        if not self.has_change_permission(request, officer):
            raise PermissionDenied
        form = HandoverForm(request.POST or None, officer=officer)
        if request.method == "POST" and form.is_valid():
            successor = form.cleaned_data["successor"]
            try:
                done = officer_handover(officer=officer, successor=successor, by=request.user, request=request)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(officer)s is deactivated; %(successor)s took over %(cases)d open case(s) and "
                      "%(stations)d station(s).")
                    % {"officer": officer, "successor": successor, "cases": len(done.cases),
                       "stations": len(done.started)},
                )  # fmt: skip
                return redirect("admin:accounts_user_change", officer.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hand over and deactivate"),
            "officer": officer,
            "form": form,
            "cases": officer_open_cases(officer).select_related("township", "station").order_by("created_at"),
            "assignments": assignments_not_ended(officer).select_related("station", "dispatching_unit"),
            "opts": self.model._meta,
        }
        return render(request, "admin/accounts/user/handover.html", context)

    @admin.action(description=_("Make the selected users choose a new password"))
    def force_password_change(self, request, queryset):
        count = services.users_force_password_change(users=queryset, by=request.user, request=request)
        messages.success(request, _("%(count)d user(s) must choose a new password.") % {"count": count})

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return "、".join(r.get_role_display() for r in obj.roles.all())

    def save_formset(self, request, form, formset, change):
        if formset.model is StationAssignment:
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            for obj in instances:
                services.assignment_save(obj, by=request.user)
            return
        super().save_formset(request, form, formset, change)


class ActiveFilter(admin.SimpleListFilter):
    title = _("active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active today")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        active = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))
        if self.value() == "yes":
            return queryset.filter(active)
        if self.value() == "no":
            return queryset.exclude(active)
        return queryset


@admin.register(StationAssignment)
class StationAssignmentAdmin(admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = ["officer", "station", "kind", "dispatching_unit", "start", "end"]
    list_filter = [ActiveFilter, "kind", ("station__township", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["officer__name", "officer__username", "station__name", "dispatching_unit__name"]
    autocomplete_fields = ["officer", "station", "dispatching_unit"]
    list_select_related = ["officer", "station", "dispatching_unit"]
    readonly_fields = ["kind"]
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        services.assignment_save(obj, by=request.user)


@admin.register(CoBuildingLink)
class CoBuildingLinkAdmin(admin.ModelAdmin):
    list_display = ["village", "partner", "note"]
    search_fields = ["village__name", "partner__name"]
    autocomplete_fields = ["village", "partner"]
    list_select_related = ["village", "partner"]


# Knox registers its own model, which shows each token's digest; ours (ApiToken) replaces it.
if admin.site.is_registered(KnoxAuthToken):
    admin.site.unregister(KnoxAuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see who holds which token and revoke it; the key is never stored and the digest never shown."""

    list_display = ["prefix", "user", "device", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__name", "device"]
    fields = ["prefix", "user", "device", "created", "expiry"]
    readonly_fields = fields
    date_hierarchy = "created"

    @admin.display(description=_("key begins"))
    def prefix(self, obj: ApiToken) -> str:
        return f"{obj.token_key[:8]}…"

    def has_add_permission(self, request):
        return False  # tokens are issued to a device at /api/v1/auth/token/, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.api_token_revoke(token=obj, by=request.user, request=request)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            services.api_token_revoke(token=token, by=request.user, request=request)
