"""Domain errors of the projects app, each with a stable code (form errors in the UI, problem+json in the API)."""

from django.utils.translation import gettext_lazy as _

from industria.core.exceptions import ConflictError, DomainError


class StageNotForward(DomainError):
    code = "projects_stage_not_forward"
    default_message = _("A project moves forward only: %(current)s cannot go to %(target)s.")


class ProjectClosed(DomainError):
    code = "projects_closed"
    default_message = _("The project is %(stage)s; an administrator must reopen it first.")


class ProjectStalled(DomainError):
    code = "projects_stalled"
    default_message = _("The project is stalled; resume it before moving it on.")


class EvidenceMissing(DomainError):
    code = "projects_evidence_missing"
    default_message = _("The evidence is incomplete: %(fields)s.")


class EvidenceDateInvalid(DomainError):
    code = "projects_evidence_date_invalid"
    default_message = _("%(field)s must lie between %(earliest)s and %(latest)s.")


class LandMissing(DomainError):
    code = "projects_land_missing"
    default_message = _("The project has no land yet: record the land contract first (or mark it as on existing land).")


class MainPermitMissing(DomainError):
    code = "projects_main_permit_missing"
    default_message = _(
        "Works cannot start before the construction permit, unless the project follows pile foundation first "
        "and a pile-foundation permit is given."
    )


class StageRequires(DomainError):
    code = "projects_stage_requires"
    default_message = _("%(target)s requires %(required)s first.")


class PhasesNotAccepted(DomainError):
    code = "projects_phases_not_accepted"
    default_message = _("Completion needs every phase accepted; still open: %(phases)s.")


class ReopenNotAllowed(DomainError):
    code = "projects_reopen_not_allowed"
    default_message = _("Only an administrator may reopen a project's stage.")
    http_status = 403


class ReasonRequired(DomainError):
    code = "projects_reason_required"
    default_message = _("Give a reason.")


class ScheduleMissing(DomainError):
    code = "projects_schedule_missing"
    default_message = _("The project has no schedule yet: choose a template and a target date first.")


class BaselineExists(ConflictError):
    code = "projects_baseline_exists"
    default_message = _("The schedule is approved already; a change is a re-plan with a reason.")


class DateInFuture(DomainError):
    code = "projects_date_in_future"
    default_message = _("%(field)s cannot lie in the future.")


class NotStarted(DomainError):
    code = "projects_not_started"
    default_message = _("Investment is reported from the month works started.")


class NotResponsibleUnit(DomainError):
    code = "projects_not_responsible_unit"
    default_message = _("Only the responsible unit may reply to this supervision order.")
    http_status = 403


class OrderNotOpen(ConflictError):
    code = "projects_order_not_open"
    default_message = _("This supervision order is %(status)s.")


class BlockerNotOpen(ConflictError):
    code = "projects_blocker_not_open"
    default_message = _("This blocker is resolved already.")


class TemplateInvalid(DomainError):
    code = "projects_template_invalid"
    default_message = _("The template is not valid: %(problem)s")


class UnknownNode(DomainError):
    code = "projects_unknown_node"
    default_message = _("The template has no node %(node)s.")
