from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("posyandu/<int:posyandu_pk>/", views.ReportView.as_view(), name="report"),
]
