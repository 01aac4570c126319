"""API routes of the land app: /api/land/…"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("parks", views.ParkViewSet, basename="park")
router.register("strategic-areas", views.StrategicAreaViewSet, basename="strategicarea")
router.register("parcels", views.ParcelViewSet, basename="parcel")
router.register("land-uses", views.LandUseViewSet, basename="landuse")
router.register("actions", views.RevitalisationActionViewSet, basename="revitalisationaction")
router.register("targets", views.RevitalisationTargetViewSet, basename="revitalisationtarget")
router.register("saved-searches", views.SavedSiteSearchViewSet, basename="savedsitesearch")
urlpatterns = [
    path("site-search/", views.SiteSearchView.as_view(), name="sitesearch"),
    path("inefficient/", views.InefficientLandView.as_view(), name="inefficient"),
    path("density/", views.DensityView.as_view(), name="density"),
    *router.urls,
]
