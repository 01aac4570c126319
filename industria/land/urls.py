"""URLs of the land pages (mounted at /land/)."""

from django.urls import path

from .views import analysis, registry, sitesearch

app_name = "land"
urlpatterns = [
    path("parks/", registry.ParkListView.as_view(), name="park_list"),
    path("parks/add/", registry.ParkEditView.as_view(), name="park_add"),
    path("parks/<int:pk>/", registry.ParkDetailView.as_view(), name="park_detail"),
    path("parks/<int:pk>/edit/", registry.ParkEditView.as_view(), name="park_edit"),
    path("parks/<int:pk>/delete/", registry.ParkDeleteView.as_view(), name="park_delete"),
    path("areas/", registry.StrategicAreaListView.as_view(), name="strategicarea_list"),
    path("areas/add/", registry.StrategicAreaEditView.as_view(), name="strategicarea_add"),
    path("areas/<int:pk>/", registry.StrategicAreaDetailView.as_view(), name="strategicarea_detail"),
    path("areas/<int:pk>/edit/", registry.StrategicAreaEditView.as_view(), name="strategicarea_edit"),
    path("areas/<int:pk>/delete/", registry.StrategicAreaDeleteView.as_view(), name="strategicarea_delete"),
    path("parcels/", registry.ParcelListView.as_view(), name="parcel_list"),
    path("parcels/add/", registry.ParcelEditView.as_view(), name="parcel_add"),
    path("parcels/<int:pk>/", registry.ParcelDetailView.as_view(), name="parcel_detail"),
    path("parcels/<int:pk>/edit/", registry.ParcelEditView.as_view(), name="parcel_edit"),
    path("parcels/<int:pk>/delete/", registry.ParcelDeleteView.as_view(), name="parcel_delete"),
    path("parcels/<int:pk>/actions/add/", analysis.ActionOpenView.as_view(), name="action_add"),
    path("density/", analysis.DensityView.as_view(), name="density"),
    path("inefficient/", analysis.InefficientListView.as_view(), name="inefficient_list"),
    path("targets/", analysis.TargetProgressView.as_view(), name="target_progress"),
    path("actions/", analysis.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", analysis.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/advance/", analysis.ActionTransitionView.as_view(step="advance"), name="action_advance"),
    path("actions/<int:pk>/complete/", analysis.ActionTransitionView.as_view(step="complete"), name="action_complete"),
    path("actions/<int:pk>/cancel/", analysis.ActionTransitionView.as_view(step="cancel"), name="action_cancel"),
    path("site-search/", sitesearch.SiteSearchView.as_view(), name="sitesearch"),
    path("site-search/saved/", sitesearch.SavedSearchListView.as_view(), name="sitesearch_saved_list"),
    path("site-search/saved/<int:pk>/", sitesearch.SavedSearchView.as_view(), name="sitesearch_saved"),
    path(
        "site-search/saved/<int:pk>/delete/", sitesearch.SavedSearchDeleteView.as_view(), name="sitesearch_saved_delete"
    ),
]
