"""Sign-in, sign-out, the home page per role, districts."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from industria.core.permissions import perm_name
from industria.core.services import job_live_progress
from industria.core.views.generic import Column, ObjectDetailView, ObjectListView

from .forms import LoginForm
from .models import District
from .roles import ROLE_HOME_HINT, Role


class LoginView(auth_views.LoginView):
    """Session sign-in; repeated failures lock the username from that address for a while (django-axes)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown instead of the login form after too many failed attempts (UI and API alike)."""
    from django.conf import settings

    minutes = int(float(settings.AXES_COOLOFF_TIME) * 60)
    message = _("Too many failed sign-in attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {
                "type": "urn:industria:error:locked_out",
                "title": message,
                "status": 429,
                "code": "locked_out",
                "detail": message,
            },
            status=429,
            content_type="application/problem+json",
        )
    return render(request, "accounts/login.html", {"form": LoginForm(request), "lockout_message": message}, status=429)


# (app label, model, label, list url) for the counters on the home page; only models the user may view appear.
HOME_CARDS: list[tuple[str, str, Any, str]] = [
    ("enterprises", "enterprise", gettext_lazy("Enterprises"), "enterprises:enterprise_list"),
    ("core", "job", gettext_lazy("Jobs"), "core:job_list"),
    ("core", "objectchange", gettext_lazy("Change log entries"), "core:objectchange_list"),
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the user's role: what the role is for, counters of what they can see, recent jobs."""
    from industria.core.models import Job

    user = request.user
    role = user.primary_role
    cards = []
    for app_label, model_name, label, url_name in HOME_CARDS:
        model = apps.get_model(app_label, model_name)
        if user.has_perm(perm_name(model, "view")):
            cards.append({"label": label, "count": model.objects.for_user(user, "view").count(), "url_name": url_name})
    recent_jobs = [job_live_progress(j) for j in Job.objects.for_user(user, "view")[:5]]
    recent_changes = []
    if user.has_perm("core.view_objectchange"):
        from industria.core.models import ObjectChange

        recent_changes = list(ObjectChange.objects.select_related("content_type")[:8])
    context = {
        "role": role,
        "role_label": Role(role).label if role else _("No role assigned"),
        "role_hint": ROLE_HOME_HINT.get(role, _("Ask an administrator to assign you a role.")),
        "cards": cards,
        "recent_jobs": recent_jobs,
        "recent_changes": recent_changes,
        "shortcuts": _shortcuts(user, role),
    }
    return render(request, "accounts/home.html", context)


# What each role opens first; entries of capabilities the user may not use (or not installed) are left out.
ROLE_SHORTCUTS: dict[str, list[tuple[str, Any, str | None]]] = {
    Role.MUNICIPAL_ADMIN: [
        ("plan:overview", gettext_lazy("Plan overview"), "plan.view_planindicator"),
        ("plan:overdue", gettext_lazy("Overdue updates"), "plan.change_planindicator"),
        ("enterprises:import_upload", gettext_lazy("Import from a spreadsheet"), "enterprises.add_enterprise"),
        ("enterprises:industrymapping_list", gettext_lazy("Industry mapping rules"), None),
        ("admin:index", gettext_lazy("Users and reference data"), None),
    ],
    Role.MUNICIPAL_ANALYST: [
        ("plan:overview", gettext_lazy("Plan overview"), "plan.view_planindicator"),
        ("plan:district_map", gettext_lazy("District map"), "plan.view_planindicator"),
        ("enterprises:industrygroup_list", gettext_lazy("Industrial system"), None),
        ("enterprises:enterprise_list", gettext_lazy("Enterprises"), "enterprises.view_enterprise"),
    ],
    Role.DISTRICT_OFFICER: [
        ("plan:my_updates", gettext_lazy("My updates"), None),
        ("enterprises:enterprise_list", gettext_lazy("Enterprises"), "enterprises.view_enterprise"),
        ("enterprises:import_upload", gettext_lazy("Import from a spreadsheet"), "enterprises.add_enterprise"),
        ("enterprises:tier_list", gettext_lazy("Tiers"), "enterprises.view_tier"),
    ],
    Role.PROGRAMME_MANAGER: [
        ("evaluations:round_list", gettext_lazy("Evaluation rounds"), None),
        ("enterprises:tier_list", gettext_lazy("Tiers"), "enterprises.view_tier"),
        ("plan:overview", gettext_lazy("Plan overview"), "plan.view_planindicator"),
    ],
    Role.ENTERPRISE_USER: [
        ("enterprises:tier_list", gettext_lazy("Tiers"), "enterprises.view_tier"),
    ],
    Role.AUDITOR: [
        ("core:objectchange_list", gettext_lazy("Audit trail"), "core.view_objectchange"),
        ("plan:overview", gettext_lazy("Plan overview"), "plan.view_planindicator"),
    ],
}


def _shortcuts(user: Any, role: str | None) -> list[dict[str, Any]]:
    from django.urls import NoReverseMatch, reverse

    links = []
    if user.scope == "enterprise" and user.enterprise_id:
        links.append({"url": user.enterprise.get_absolute_url(), "label": _("My enterprise")})
    for url_name, label, perm in ROLE_SHORTCUTS.get(role or "", []):
        if perm and not user.has_perm(perm):
            continue
        try:
            links.append({"url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return links


class DistrictListView(ObjectListView):
    model = District
    title = gettext_lazy("Districts")
    export_stem = "districts"
    columns = [
        Column("code", gettext_lazy("Code"), link=True),
        Column("name_zh", gettext_lazy("Name (Chinese)")),
        Column("name_en", gettext_lazy("Name (English)")),
        Column("area_km2", gettext_lazy("Area (km²)"), numeric=True),
    ]


class DistrictDetailView(ObjectDetailView):
    model = District
    template_name = "accounts/district_detail.html"
