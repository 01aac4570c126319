"""Roles are Django groups; what each role may do is declared here, in code, versioned with the models.

Patterns are ``<app_label>.<action>_<model>`` permission names with ``*`` wildcards; a leading ``!`` excludes.
The first matching exclusion wins over any inclusion.  Row scope (city / district / enterprise) is separate:
see ``core.permissions``.  Administrators may also grant extra permissions to a group in the admin site.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MUNICIPAL_ADMIN = "municipal_admin", _("Municipal administrator")
    MUNICIPAL_ANALYST = "municipal_analyst", _("Municipal analyst")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    AUDITOR = "auditor", _("Auditor")


ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.MUNICIPAL_ADMIN: ("*",),
    Role.MUNICIPAL_ANALYST: (
        "!core.view_objectchange",
        "!accounts.*_user",
        "*.view_*",
        "core.add_job",
        "land.*_savedsitesearch",
    ),
    Role.DISTRICT_OFFICER: (
        "enterprises.*",
        "plan.view_*",
        "plan.add_indicatoractual",
        "plan.change_indicatoractual",
        "plan.delete_indicatoractual",
        "evaluations.view_*",
        "projects.*",
        "!projects.reopen_keyproject",
        "!projects.add_nodetemplate*",
        "!projects.change_nodetemplate*",
        "!projects.delete_nodetemplate*",
        "!projects.*_projectruleset",
        "!enterprises.*_industrygroup",
        "!enterprises.*_industrymapping",
        "land.*",
        "!land.add_strategicarea",
        "!land.change_strategicarea",
        "!land.delete_strategicarea",
        "!land.add_revitalisationtarget",
        "!land.change_revitalisationtarget",
        "!land.delete_revitalisationtarget",
        "core.add_job",
        "core.view_job",
        "accounts.view_district",
        "accounts.view_department",
    ),
    Role.PROGRAMME_MANAGER: (
        "!core.view_objectchange",
        "!accounts.*_user",
        "*.view_*",
        "core.add_job",
        "enterprises.add_tier",
        "enterprises.change_tier",
        "evaluations.*",
        "land.*_savedsitesearch",
    ),
    Role.ENTERPRISE_USER: (
        "enterprises.view_enterprise",
        "enterprises.change_enterprise",
        "enterprises.view_*fact*",
        "enterprises.view_tier",
        "core.view_job",
        "evaluations.view_assessment",
        "evaluations.view_objection",
        "evaluations.add_objection",
        "projects.view_keyproject",
        "land.view_landuse",
    ),
    Role.AUDITOR: ("*.view_*",),
}

ROLE_HOME_HINT = {
    Role.MUNICIPAL_ADMIN: _("Administer users, reference data and every capability."),
    Role.MUNICIPAL_ANALYST: _("Watch the plan's targets city-wide and drill down to districts and enterprises."),
    Role.DISTRICT_OFFICER: _("Keep your district's enterprises and projects up to date."),
    Role.PROGRAMME_MANAGER: _("Run evaluation programmes: rounds, objections, publication."),
    Role.ENTERPRISE_USER: _("See and correct your enterprise's record and results."),
    Role.AUDITOR: _("Read everything, including the audit trail; change nothing."),
}
