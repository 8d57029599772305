from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from apps.core.views import public_view
from apps.home.views import HomeView, healthz

admin.site.site_header = "Admin Posyandu 6 SPM"
admin.site.site_title = "Admin Posyandu 6 SPM"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("masuk/", public_view(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("keluar/", public_view(auth_views.LogoutView.as_view()), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("wilayah/", include("apps.home.region_urls")),
    path("posyandu/", include("apps.posyandu.urls")),
    path("posyandu/", include("apps.serviceday.register_urls")),
    path("organisasi/", include("apps.organisations.urls")),
    path("orang/", include("apps.people.urls")),
    path("hari-buka/", include("apps.serviceday.urls")),
    path("laporan/", include("apps.reports.urls")),
    path("tindak-lanjut/", include("apps.followups.urls")),
    path("bidang/", include("apps.fieldregisters.urls")),
    path("program/", include("apps.programmes.urls")),
    path("pustaka/", include("apps.library.urls")),
    path("rakor/", include("apps.meetings.urls")),
    path("kompetensi/", include("apps.competency.urls")),
    path("impor/", include("apps.imports.urls")),
    path("offline/", include("apps.offline.urls")),
    path("api/", include("config.api_urls")),
    path("api/schema/", public_view(SpectacularAPIView.as_view()), name="api-schema"),
    path("admin/", admin.site.urls),
]
