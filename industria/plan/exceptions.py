"""Domain errors of the plan app, each with a stable code (shown as form errors and as problem+json)."""

from django.utils.translation import gettext_lazy as _

from industria.core.exceptions import DomainError


class NotAllowedToUpdate(DomainError):
    code = "plan_not_allowed_to_update"
    default_message = _("Only the owner or an administrator may record updates for this item.")
    http_status = 403


class BreakdownNotAllowed(DomainError):
    code = "plan_breakdown_not_allowed"
    default_message = _("This indicator is not broken down that way.")


class UncertainFigureConfirmed(DomainError):
    code = "plan_uncertain_figure_confirmed"
    default_message = _("An uncertain figure cannot be published or preliminary: record it as estimated.")


class SourceRequired(DomainError):
    code = "plan_source_required"
    default_message = _("A real figure needs its source.")


class KnownBeforePeriodEnd(DomainError):
    code = "plan_known_before_period_end"
    default_message = _("A figure cannot be known before the end of its period.")


class KnownInFuture(DomainError):
    code = "plan_known_in_future"
    default_message = _("The date the figure became known cannot lie in the future.")


class PeriodNotAnEnd(DomainError):
    code = "plan_period_not_an_end"
    default_message = _("The period must be given by its last day (%(expected)s).")


class ComputedIndicatorBreakdown(DomainError):
    code = "plan_computed_breakdown"
    default_message = _("Breakdowns of a computed indicator come from the registry and cannot be recorded by hand.")
