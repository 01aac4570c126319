"""Template context shared by every page: the navigation for the capabilities that exist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import perm_name

# (url name, label, model the user must be able to view, or None for any signed-in user)
NAVIGATION: list[tuple[str, Any, str | None]] = [
    ("home", _("Home"), None),
    ("plan:overview", _("Plan"), "plan.view_planindicator"),
    ("plan:my_updates", _("My updates"), None),
    ("plan:overdue", _("Overdue updates"), "plan.change_planindicator"),
    ("projects:keyproject_board", _("Key projects"), "projects.view_keyproject"),
    ("projects:keyproject_mine", _("My projects"), "projects.change_keyproject"),
    ("projects:dispatch_report", _("Dispatch report"), "projects.view_keyproject"),
    ("enterprises:enterprise_list", _("Enterprises"), "enterprises.view_enterprise"),
    ("maps:map", _("Map"), None),
    ("enterprises:tier_list", _("Tiers"), "enterprises.view_tier"),
    ("enterprises:industrygroup_list", _("Industrial system"), None),
    ("land:park_list", _("Parks and land"), "land.view_parcel"),
    ("evaluations:round_list", _("Evaluations"), "evaluations.view_evaluationround"),
    ("evaluations:my_evaluations", _("My evaluations"), "evaluations.add_objection"),
    ("accounts:district_list", _("Districts"), None),
    ("core:job_list", _("Jobs"), "core.view_job"),
    ("core:objectchange_list", _("Audit trail"), "core.view_objectchange"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the current user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.path
    items = [
        {"url": reverse(url_name), "label": label, "active": False}
        for url_name, label, perm in NAVIGATION
        if not perm or user.has_perm(perm)
    ]
    # the entry whose URL is the longest prefix of the path is the active one (/enterprises/tiers/ → Tiers)
    matches = [i for i in items if current == i["url"] or (i["url"] != "/" and current.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}


__all__ = ["navigation", "perm_name"]
