"""Root URLs: UI apps, the API under /api/, OpenAPI schema and docs, health check, language switch."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from industria.accounts import views as account_views
from industria.core.views import pages

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("industria.accounts.urls")),
    path("core/", include("industria.core.urls")),
    path("enterprises/", include("industria.enterprises.urls")),
    path("plan/", include("industria.plan.urls")),
    path("evaluations/", include("industria.evaluations.urls")),
    path("land/", include("industria.land.urls")),
    path("projects/", include("industria.projects.urls")),
    path("map/", include("industria.maps.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/accounts/", include(("industria.accounts.api.urls", "accounts-api"))),
    path("api/enterprises/", include(("industria.enterprises.api.urls", "enterprises-api"))),
    path("api/plan/", include(("industria.plan.api.urls", "plan-api"))),
    path("api/evaluations/", include(("industria.evaluations.api.urls", "evaluations-api"))),
    path("api/land/", include(("industria.land.api.urls", "land-api"))),
    path("api/projects/", include(("industria.projects.api.urls", "projects-api"))),
    path("api/maps/", include(("industria.maps.api.urls", "maps-api"))),
]

handler400 = "industria.core.views.errors.bad_request"
handler403 = "industria.core.views.errors.permission_denied"
handler404 = "industria.core.views.errors.page_not_found"
handler500 = "industria.core.views.errors.server_error"
