"""API routes of the registry: /api/enterprises/…"""

from rest_framework.routers import DefaultRouter

from . import views
from .imports import urlpatterns as import_urlpatterns

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("year-facts", views.EnterpriseYearFactViewSet, basename="enterpriseyearfact")
router.register("month-facts", views.EnterpriseMonthFactViewSet, basename="enterprisemonthfact")
router.register("tiers", views.TierViewSet, basename="tier")
router.register("industry-codes", views.IndustryCategoryViewSet, basename="industrycategory")
router.register("industry-groups", views.IndustryGroupViewSet, basename="industrygroup")
router.register("industry-mappings", views.IndustryMappingViewSet, basename="industrymapping")
router.register("memberships", views.EnterpriseGroupViewSet, basename="enterprisegroup")
router.register("size-rules", views.SizeRuleViewSet, basename="sizerule")
urlpatterns = router.urls
urlpatterns += import_urlpatterns
