"""URLs of the accounts app."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("districts/", views.DistrictListView.as_view(), name="district_list"),
    path("districts/<int:pk>/", views.DistrictDetailView.as_view(), name="district_detail"),
]
