"""URLs of the projects UI (mounted at /projects/)."""

from django.urls import path

from .views import pages, registry, supervision, workflows

app_name = "projects"
urlpatterns = [
    path("", registry.KeyProjectListView.as_view(), name="keyproject_list"),
    path("add/", registry.KeyProjectEditView.as_view(), name="keyproject_add"),
    path("board/", pages.BoardView.as_view(), name="keyproject_board"),
    path("mine/", pages.MyProjectsView.as_view(), name="keyproject_mine"),
    path("<int:pk>/", registry.KeyProjectDetailView.as_view(), name="keyproject_detail"),
    path("<int:pk>/edit/", registry.KeyProjectEditView.as_view(), name="keyproject_edit"),
    path("<int:pk>/delete/", registry.KeyProjectDeleteView.as_view(), name="keyproject_delete"),
    path("<int:pk>/gantt/", pages.GanttPanelView.as_view(), name="keyproject_gantt"),
    path("<int:pk>/transition/", workflows.TransitionView.as_view(), name="keyproject_transition"),
    path("<int:pk>/stall/", workflows.StallView.as_view(), name="keyproject_stall"),
    path("<int:pk>/resume/", workflows.ResumeView.as_view(), name="keyproject_resume"),
    path("<int:pk>/cancel/", workflows.CancelView.as_view(), name="keyproject_cancel"),
    path("<int:pk>/reopen/", workflows.ReopenView.as_view(), name="keyproject_reopen"),
    path("<int:pk>/schedule/", workflows.ScheduleView.as_view(), name="keyproject_schedule"),
    path("<int:pk>/baseline/", workflows.BaselineApproveView.as_view(), name="keyproject_baseline"),
    path("<int:pk>/replan/", workflows.ReplanView.as_view(), name="keyproject_replan"),
    path("<int:pk>/investment/", workflows.InvestmentReportView.as_view(), name="investmentreport_add"),
    path("<int:pk>/year-plan/", workflows.YearPlanView.as_view(), name="projectyearplan_add"),
    path("<int:pk>/supervision/", workflows.SupervisionRaiseView.as_view(), name="supervisionorder_add"),
    path("<int:pk>/blockers/", workflows.BlockerRaiseView.as_view(), name="blocker_add"),
    path("nodes/<int:pk>/complete/", workflows.NodeCompleteView.as_view(), name="projectnode_complete"),
    path("supervision/", pages.SupervisionOrderListView.as_view(), name="supervisionorder_list"),
    path("supervision/<int:pk>/", pages.SupervisionOrderDetailView.as_view(), name="supervisionorder_detail"),
    path("supervision/<int:pk>/reply/", supervision.SupervisionReplyView.as_view(), name="supervisionorder_reply"),
    path("supervision/<int:pk>/close/", supervision.SupervisionCloseView.as_view(), name="supervisionorder_close"),
    path("blockers/", pages.BlockerListView.as_view(), name="blocker_list"),
    path("blockers/<int:pk>/", pages.BlockerDetailView.as_view(), name="blocker_detail"),
    path("blockers/<int:pk>/resolve/", supervision.BlockerResolveView.as_view(), name="blocker_resolve"),
    path("dispatch/", pages.DispatchReportView.as_view(), name="dispatch_report"),
    path("forecast/", pages.PipelineForecastView.as_view(), name="pipeline_forecast"),
    path("templates/", registry.NodeTemplateListView.as_view(), name="nodetemplate_list"),
    path("templates/<int:pk>/", registry.NodeTemplateDetailView.as_view(), name="nodetemplate_detail"),
    path("templates/<int:pk>/edit/", registry.NodeTemplateEditView.as_view(), name="nodetemplate_edit"),
    path("rules/", registry.RulesView.as_view(), name="rules"),
]
