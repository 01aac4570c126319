"""URLs of the registry UI."""

from django.urls import include, path

from .views import registry

app_name = "enterprises"
urlpatterns = [
    path("", registry.EnterpriseListView.as_view(), name="enterprise_list"),
    path("add/", registry.EnterpriseEditView.as_view(), name="enterprise_add"),
    path("<int:pk>/", registry.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", registry.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("<int:pk>/delete/", registry.EnterpriseDeleteView.as_view(), name="enterprise_delete"),
    path("<int:pk>/groups/tag/", registry.EnterpriseTagView.as_view(), name="enterprise_tag"),
    path("<int:pk>/groups/<int:group_pk>/untag/", registry.EnterpriseUntagView.as_view(), name="enterprise_untag"),
    path("tiers/", registry.TierListView.as_view(), name="tier_list"),
    path("tiers/add/", registry.TierEditView.as_view(), name="tier_add"),
    path("tiers/<int:pk>/", registry.TierDetailView.as_view(), name="tier_detail"),
    path("tiers/<int:pk>/edit/", registry.TierEditView.as_view(), name="tier_edit"),
    path("tiers/<int:pk>/delete/", registry.TierDeleteView.as_view(), name="tier_delete"),
    path("groups/", registry.IndustryGroupListView.as_view(), name="industrygroup_list"),
    path("groups/<int:pk>/", registry.IndustryGroupDetailView.as_view(), name="industrygroup_detail"),
    path("codes/", registry.IndustryCategoryListView.as_view(), name="industrycategory_list"),
    path("mapping/", registry.IndustryMappingListView.as_view(), name="industrymapping_list"),
    path("mapping/add/", registry.IndustryMappingEditView.as_view(), name="industrymapping_add"),
    path("mapping/<int:pk>/edit/", registry.IndustryMappingEditView.as_view(), name="industrymapping_edit"),
    path("mapping/<int:pk>/delete/", registry.IndustryMappingDeleteView.as_view(), name="industrymapping_delete"),
    path("import/", include("industria.enterprises.imports.urls")),
]
