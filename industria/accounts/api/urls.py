"""API routes of the accounts app: /api/accounts/…"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import DistrictViewSet, me

router = DefaultRouter()
router.register("districts", DistrictViewSet, basename="district")
urlpatterns = [path("me/", me, name="me"), *router.urls]
