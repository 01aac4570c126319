"""Key industrial projects: pipeline, node templates, backward scheduling, warnings and dispatch."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "industria.projects"
    label = "projects"
    verbose_name = _("Key industrial projects")
