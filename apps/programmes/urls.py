from django.urls import path

from apps.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="list"),
    path("sinkronisasi/", views.SyncView.as_view(), name="sync"),
    path("tambah/", views.ProgrammeCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.ProgrammeUpdateView.as_view(), name="update"),
    path("<int:pk>/hapus/", views.ProgrammeDeleteView.as_view(), name="delete"),
    path("<int:programme_pk>/kegiatan/tambah/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:programme_pk>/kegiatan/<int:pk>/ubah/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("<int:programme_pk>/kegiatan/<int:pk>/hapus/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:programme_pk>/kemajuan/tambah/", views.ProgressCreateView.as_view(), name="progress_create"),
    path("<int:programme_pk>/kemajuan/<int:pk>/ubah/", views.ProgressUpdateView.as_view(), name="progress_update"),
    path("<int:programme_pk>/indikator/tambah/", views.IndicatorLinkCreateView.as_view(), name="indicator_create"),
    path("<int:programme_pk>/indikator/<int:pk>/hapus/", views.IndicatorLinkDeleteView.as_view(),
         name="indicator_delete"),
]
