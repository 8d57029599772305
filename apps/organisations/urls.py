from django.urls import path

from apps.organisations import views

app_name = "organisations"
urlpatterns = [
    path("opd/", views.OpdListView.as_view(), name="opd_list"),
    path("opd/tambah/", views.OpdCreateView.as_view(), name="opd_create"),
    path("opd/<int:pk>/", views.OpdDetailView.as_view(), name="opd_detail"),
    path("opd/<int:pk>/ubah/", views.OpdUpdateView.as_view(), name="opd_update"),
    path("tp-posyandu/", views.TimPembinaListView.as_view(), name="team_list"),
    path("tp-posyandu/tambah/", views.TimPembinaCreateView.as_view(), name="team_create"),
    path("tp-posyandu/<int:pk>/", views.TimPembinaDetailView.as_view(), name="team_detail"),
    path("tp-posyandu/<int:pk>/ubah/", views.TimPembinaUpdateView.as_view(), name="team_update"),
    path("tp-posyandu/<int:team_pk>/anggota/tambah/", views.MemberCreateView.as_view(), name="member_create"),
    path("tp-posyandu/<int:team_pk>/anggota/<int:pk>/ubah/", views.MemberUpdateView.as_view(), name="member_update"),
]
