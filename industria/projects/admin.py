"""Admin site: reference data of the projects app (rule sets, node templates) for administrators."""

from __future__ import annotations

from django.contrib import admin

from .models import NodeTemplate, NodeTemplateItem, ProjectRuleSet


@admin.register(ProjectRuleSet)
class ProjectRuleSetAdmin(admin.ModelAdmin):
    """A new version of the monitoring rules is added here (an active version is left unchanged)."""

    list_display = ("code", "version", "effective_from", "status")
    list_filter = ("status",)
    save_as = True  # "save as new": copy a version, change its values and version, activate it

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        if obj is not None and obj.status == "active":
            return ("code", "version", "effective_from", "source", "parameters")
        return ()


class NodeTemplateItemInline(admin.TabularInline):
    model = NodeTemplateItem
    extra = 0
    fields = ("seq", "code", "name_zh", "name_en", "duration_days", "predecessors", "phase")
    readonly_fields = ("code", "predecessors")


@admin.register(NodeTemplate)
class NodeTemplateAdmin(admin.ModelAdmin):
    """Templates are loaded from the reference file; durations change through the projects UI (a new version
    and the re-scheduling job), so the nodes are read-only here except their names."""

    list_display = ("code", "project_type", "fast_track", "version", "confidence", "is_active")
    list_filter = ("project_type", "fast_track", "is_active")
    inlines = [NodeTemplateItemInline]
    readonly_fields = ("version",)
