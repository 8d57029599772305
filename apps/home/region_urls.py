from django.urls import path

from apps.home import regions as views

app_name = "regions"
urlpatterns = [
    path("", views.RegionBrowseView.as_view(), name="browse"),
    path("cari/", views.RegionSearchView.as_view(), name="search"),
    path("<str:code>/", views.RegionDetailView.as_view(), name="detail"),
]
