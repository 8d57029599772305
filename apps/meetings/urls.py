from __future__ import annotations

from django.urls import path

from apps.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("beranda/", views.HomeView.as_view(), name="home"),
    path("tambah/", views.MeetingCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.MeetingUpdateView.as_view(), name="update"),
    path("<int:pk>/notulen/", views.MinutesView.as_view(), name="minutes"),
    path("<int:pk>/cetak/", views.MinutesPrintView.as_view(), name="print"),
    path("<int:pk>/notulen.pdf", views.MinutesPrintView.as_view(as_pdf=True), name="pdf"),
    path("<int:pk>/kehadiran/", views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/agenda/usulan/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("<int:meeting_pk>/agenda/tambah/", views.AgendaItemCreateView.as_view(), name="agenda_create"),
    path("<int:meeting_pk>/agenda/<int:pk>/ubah/", views.AgendaItemUpdateView.as_view(), name="agenda_update"),
    path("<int:meeting_pk>/agenda/<int:pk>/hapus/", views.AgendaItemDeleteView.as_view(), name="agenda_delete"),
    path("<int:meeting_pk>/peserta/tambah/", views.ParticipantCreateView.as_view(), name="participant_create"),
    path("<int:meeting_pk>/peserta/<int:pk>/ubah/", views.ParticipantUpdateView.as_view(),
         name="participant_update"),
    path("<int:meeting_pk>/keputusan/tambah/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("<int:meeting_pk>/keputusan/<int:pk>/hapus/", views.DecisionDeleteView.as_view(), name="decision_delete"),
]
