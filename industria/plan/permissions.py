"""Who may do what in the plan app, beyond the generic ``for_user`` path.

``PLAN_ROLE_GRANTS`` are the permission patterns the plan app needs in ``accounts.roles.ROLE_PERMISSIONS``
(merged there by the lead; the plan tests apply them): district officers read the plan (their own district's
breakdowns of non-public indicators, see ``IndicatorActual.scope_view_q``) and keep their district's breakdown
figures and task reports. Owners of an indicator or a task record its updates through the services whatever
their role (``services.may_record_actual`` / ``may_report_task``).
"""

from __future__ import annotations

from typing import Any

PLAN_ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "district_officer": (
        "plan.view_*",
        "plan.add_indicatoractual",
        "plan.change_indicatoractual",
        "plan.delete_indicatoractual",
    ),
}


def may_administer(user: Any) -> bool:
    """Administrators of the plan: may change indicators (and see the overdue list)."""
    return bool(user is not None and user.is_authenticated and user.has_perm("plan.change_planindicator"))
