from __future__ import annotations

from django.urls import path

from apps.competency import views

app_name = "competency"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("keterampilan/", views.SkillCatalogueView.as_view(), name="skills"),
    path("posyandu/<int:pk>/", views.PosyanduCompetencyView.as_view(), name="posyandu"),
    path("kader/", views.KaderListView.as_view(), name="kader_list"),
    path("kader/<int:pk>/", views.KaderCompetencyView.as_view(), name="kader_detail"),
    path("kader/<int:kader_pk>/sertifikasi/tambah/", views.CertificationCreateView.as_view(), name="certification_create"),
    path("sertifikasi/<int:pk>/cabut/", views.CertificationRevokeView.as_view(), name="certification_revoke"),
    path("pelatihan/", views.TrainingListView.as_view(), name="training_list"),
    path("pelatihan/tambah/", views.TrainingCreateView.as_view(), name="training_create"),
    path("pelatihan/<int:pk>/", views.TrainingDetailView.as_view(), name="training_detail"),
    path("pelatihan/<int:pk>/ubah/", views.TrainingUpdateView.as_view(), name="training_update"),
    path("pelatihan/<int:training_pk>/peserta/tambah/", views.ParticipantAddView.as_view(), name="participant_add"),
    path("peserta/<int:pk>/hasil/", views.ParticipantResultView.as_view(), name="participant_result"),
]
