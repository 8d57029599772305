from django.urls import path

from apps.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("<int:pk>/", views.ImportRunView.as_view(), name="run"),
    path("<int:pk>/kesalahan.xlsx", views.ErrorFileView.as_view(), name="error_file"),
]
