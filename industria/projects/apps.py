"""Key industrial projects: pipeline, node templates, backward scheduling, warnings and dispatch."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "industria.projects"
    label = "projects"
    verbose_name = _("Key industrial projects")

    def ready(self) -> None:
        """Feed the plan's forecast with the pipeline (plan sits below projects: it exposes a hook)."""
        from industria.plan.pipeline import register_pipeline_provider
        from industria.projects.selectors.forecast import plan_pipeline_provider

        register_pipeline_provider("projects", plan_pipeline_provider)
