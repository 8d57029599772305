"""Included at `posyandu/` (config/urls.py): `posyandu/<pk>/register/...`. The year is `?tahun=`.

`posyandu_pk` sits in these patterns rather than in the include's prefix because the URL walker
(apps/core/tests/test_url_walk.py) fills only the parameters of a leaf pattern.
"""
from django.urls import path

from apps.serviceday import register_views as views
from apps.serviceday.registers import REGISTERS

app_name = "registers"
urlpatterns = [path("<int:posyandu_pk>/register/", views.RegisterIndexView.as_view(), name="index")]
for key, kind in REGISTERS.items():
    base = f"<int:posyandu_pk>/register/{kind.slug}/"
    urlpatterns += [
        path(base, views.RegisterPageView.as_view(kind=key), name=key),
        path(f"{base}excel/", views.RegisterExcelView.as_view(kind=key), name=f"{key}_xlsx"),
        path(f"{base}pdf/", views.RegisterPdfView.as_view(kind=key), name=f"{key}_pdf"),
    ]
