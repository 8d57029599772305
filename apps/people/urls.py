from django.urls import path

from apps.people import views

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("tambah/", views.PersonCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.PersonUpdateView.as_view(), name="update"),
    path("<int:person_pk>/kehamilan/tambah/", views.PregnancyCreateView.as_view(), name="pregnancy_create"),
    path("<int:person_pk>/kehamilan/<int:pk>/ubah/", views.PregnancyUpdateView.as_view(), name="pregnancy_update"),
    path("keluarga/", views.HouseholdListView.as_view(), name="households"),
    path("keluarga/tambah/", views.HouseholdCreateView.as_view(), name="household_create"),
    path("keluarga/<int:pk>/", views.HouseholdDetailView.as_view(), name="household"),
    path("keluarga/<int:pk>/ubah/", views.HouseholdUpdateView.as_view(), name="household_update"),
]
