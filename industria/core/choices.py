"""Choices of the framework layer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    BULK = "bulk", _("Bulk operation")


class ChangeSource(models.TextChoices):
    UI = "ui", _("Web UI")
    API = "api", _("API")
    TASK = "task", _("Background task")
    CLI = "cli", _("Command line")
    SYSTEM = "system", _("System")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ScopeKind(models.TextChoices):
    CITY = "city", _("Whole city")
    DISTRICT = "district", _("One district")
    ENTERPRISE = "enterprise", _("One enterprise")
