from django.urls import path

from apps.offline import views

app_name = "offline"
urlpatterns = [
    path("", views.OfflineIndexView.as_view(), name="index"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("aturan.json", views.RulesView.as_view(), name="rules"),
    path("posyandu/<int:posyandu_pk>/", views.OfflineAppView.as_view(), name="app"),
    path("posyandu/<int:posyandu_pk>/data.json", views.DayDataView.as_view(), name="data"),
    path("posyandu/<int:posyandu_pk>/sinkron/", views.SyncView.as_view(), name="sync"),
]
