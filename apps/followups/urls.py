from django.urls import path

from apps.followups import views

app_name = "followups"
urlpatterns = [
    path("", views.FollowUpListView.as_view(), name="list"),
    path("saya/", views.MyFollowUpListView.as_view(), name="mine"),
    path("tambah/", views.FollowUpCreateView.as_view(), name="create"),
    path("<int:pk>/", views.FollowUpDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.FollowUpUpdateView.as_view(), name="update"),
    path("bukti/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence"),
]
