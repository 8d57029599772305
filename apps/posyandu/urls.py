from django.urls import path

from apps.posyandu import views

app_name = "posyandu"
urlpatterns = [
    path("", views.PosyanduListView.as_view(), name="list"),
    path("tambah/", views.PosyanduCreateView.as_view(), name="create"),
    path("<int:pk>/", views.PosyanduDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", views.PosyanduUpdateView.as_view(), name="update"),
    path("<int:posyandu_pk>/pos/tambah/", views.PosCreateView.as_view(), name="pos_create"),
    path("<int:posyandu_pk>/pos/<int:pk>/ubah/", views.PosUpdateView.as_view(), name="pos_update"),
    path("<int:posyandu_pk>/kader/tambah/", views.KaderCreateView.as_view(), name="kader_create"),
    path("<int:posyandu_pk>/kader/<int:pk>/ubah/", views.KaderUpdateView.as_view(), name="kader_update"),
    path("<int:posyandu_pk>/pengurus/tambah/", views.PengurusCreateView.as_view(), name="pengurus_create"),
    path("<int:posyandu_pk>/pengurus/<int:pk>/ubah/", views.PengurusUpdateView.as_view(), name="pengurus_update"),
]
