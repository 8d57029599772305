from django.urls import path

from apps.reports import dashboard_views as dv
from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("posyandu/<int:posyandu_pk>/", views.ReportView.as_view(), name="report"),
    # Dashboards: the user's own area, a region by Kemendagri code, one Posyandu.
    path("dasbor/", dv.DashboardView.as_view(), name="dashboard"),
    path("dasbor/wilayah/<str:code>/", dv.DashboardView.as_view(), name="dashboard_area"),
    path("dasbor/posyandu/<int:posyandu_pk>/", dv.DashboardView.as_view(), name="dashboard_posyandu"),
    path("kelengkapan/", dv.CompletenessView.as_view(), name="completeness"),
    path("kelengkapan/wilayah/<str:code>/", dv.CompletenessView.as_view(), name="completeness_area"),
    # Exports of the month's report (?bulan=YYYY-MM): SIP Excel/PDF, CSV tables, DHIS2 dataValueSets.
    path("ekspor/wilayah/<str:code>/laporan.xlsx", dv.ExportView.as_view(fmt="xlsx"), name="export_area_xlsx"),
    path("ekspor/wilayah/<str:code>/laporan.pdf", dv.ExportView.as_view(fmt="pdf"), name="export_area_pdf"),
    path("ekspor/wilayah/<str:code>/tabel.csv", dv.ExportView.as_view(fmt="csv"), name="export_area_csv"),
    path("ekspor/wilayah/<str:code>/dhis2.json", dv.ExportView.as_view(fmt="dhis2"), name="export_area_dhis2"),
    path("ekspor/posyandu/<int:posyandu_pk>/laporan.xlsx", dv.ExportView.as_view(fmt="xlsx"),
         name="export_posyandu_xlsx"),
    path("ekspor/posyandu/<int:posyandu_pk>/laporan.pdf", dv.ExportView.as_view(fmt="pdf"),
         name="export_posyandu_pdf"),
    path("ekspor/posyandu/<int:posyandu_pk>/tabel.csv", dv.ExportView.as_view(fmt="csv"),
         name="export_posyandu_csv"),
    path("ekspor/posyandu/<int:posyandu_pk>/dhis2.json", dv.ExportView.as_view(fmt="dhis2"),
         name="export_posyandu_dhis2"),
]
