"""URLs of the evaluations UI (mounted at /evaluations/)."""

from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("", views.RoundListView.as_view(), name="round_list"),
    path("rounds/add/", views.RoundCreateView.as_view(), name="round_add"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/<slug:action>/", views.RoundActionView.as_view(), name="round_action"),
    path("rulesets/", views.RuleSetListView.as_view(), name="ruleset_list"),
    path("rulesets/add/", views.RuleSetEditView.as_view(), name="ruleset_add"),
    path("rulesets/<int:pk>/", views.RuleSetDetailView.as_view(), name="ruleset_detail"),
    path("rulesets/<int:pk>/edit/", views.RuleSetEditView.as_view(), name="ruleset_edit"),
    path("rulesets/<int:pk>/activate/", views.RuleSetActivateView.as_view(), name="ruleset_activate"),
    path("rulesets/<int:pk>/template.csv", views.RuleSetTemplateView.as_view(), name="ruleset_template"),
    path("rulesets/<int:pk>/compare/", views.RuleSetCompareView.as_view(), name="ruleset_compare"),
    path("results/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("mine/", views.MyEvaluationsView.as_view(), name="my_evaluations"),
    path("objections/", views.ObjectionListView.as_view(), name="objection_list"),
    path("objections/<int:pk>/", views.ObjectionDetailView.as_view(), name="objection_detail"),
    path("benefit/", views.BenefitView.as_view(), name="benefit"),
]
