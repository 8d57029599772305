from django.urls import path

from apps.library import views

app_name = "library"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("tambah/", views.DocumentCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.DocumentUpdateView.as_view(), name="update"),
    path("<int:pk>/unduh/", views.DocumentDownloadView.as_view(), name="download"),
]
