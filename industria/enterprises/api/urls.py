"""API routes of the registry: /api/enterprises/…"""

from rest_framework.routers import DefaultRouter

from .views import EnterpriseViewSet

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
urlpatterns = router.urls
