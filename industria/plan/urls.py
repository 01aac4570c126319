"""URLs of the plan UI (mounted at /plan/)."""

from django.urls import path

from .views import dashboard, freshness, registry

app_name = "plan"
urlpatterns = [
    path("", dashboard.OverviewView.as_view(), name="overview"),
    path("public/", dashboard.PublicOverviewView.as_view(), name="public_overview"),
    path("public/indicators/<slug:code>/", dashboard.PublicIndicatorView.as_view(), name="public_indicator"),
    path("map/", dashboard.DistrictMapView.as_view(), name="district_map"),
    path("my-updates/", freshness.MyUpdatesView.as_view(), name="my_updates"),
    path("overdue/", freshness.OverdueView.as_view(), name="overdue"),
    path("plans/<int:pk>/", registry.DevelopmentPlanDetailView.as_view(), name="developmentplan_detail"),
    # indicators
    path("indicators/", dashboard.IndicatorListView.as_view(), name="planindicator_list"),
    path("indicators/add/", registry.PlanIndicatorEditView.as_view(), name="planindicator_add"),
    path("indicators/<int:pk>/", dashboard.IndicatorDetailView.as_view(), name="planindicator_detail"),
    path("indicators/<int:pk>/edit/", registry.PlanIndicatorEditView.as_view(), name="planindicator_edit"),
    path("indicators/<int:pk>/delete/", registry.PlanIndicatorDeleteView.as_view(), name="planindicator_delete"),
    path("indicators/<int:pk>/record/", freshness.ActualRecordView.as_view(), name="actual_record"),
    # targets
    path("targets/add/", registry.IndicatorTargetEditView.as_view(), name="indicatortarget_add"),
    path("targets/<int:pk>/", registry.IndicatorTargetDetailView.as_view(), name="indicatortarget_detail"),
    path("targets/<int:pk>/edit/", registry.IndicatorTargetEditView.as_view(), name="indicatortarget_edit"),
    path("targets/<int:pk>/delete/", registry.IndicatorTargetDeleteView.as_view(), name="indicatortarget_delete"),
    # figures (actuals)
    path("figures/", registry.IndicatorActualListView.as_view(), name="indicatoractual_list"),
    path("figures/add/", registry.IndicatorActualEditView.as_view(), name="indicatoractual_add"),
    path("figures/<int:pk>/", registry.IndicatorActualDetailView.as_view(), name="indicatoractual_detail"),
    path("figures/<int:pk>/edit/", registry.IndicatorActualEditView.as_view(), name="indicatoractual_edit"),
    path("figures/<int:pk>/delete/", registry.IndicatorActualDeleteView.as_view(), name="indicatoractual_delete"),
    # tasks
    path("tasks/", registry.PlanTaskListView.as_view(), name="plantask_list"),
    path("tasks/add/", registry.PlanTaskEditView.as_view(), name="plantask_add"),
    path("tasks/<int:pk>/", registry.PlanTaskDetailView.as_view(), name="plantask_detail"),
    path("tasks/<int:pk>/edit/", registry.PlanTaskEditView.as_view(), name="plantask_edit"),
    path("tasks/<int:pk>/delete/", registry.PlanTaskDeleteView.as_view(), name="plantask_delete"),
    path("tasks/<int:pk>/report/", freshness.TaskStatusRecordView.as_view(), name="taskstatus_record"),
    # sources
    path("sources/", registry.DataSourceListView.as_view(), name="datasource_list"),
    path("sources/add/", registry.DataSourceEditView.as_view(), name="datasource_add"),
    path("sources/<int:pk>/", registry.DataSourceDetailView.as_view(), name="datasource_detail"),
    path("sources/<int:pk>/edit/", registry.DataSourceEditView.as_view(), name="datasource_edit"),
]
