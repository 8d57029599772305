from django.urls import path

from apps.fieldregisters import views
from apps.fieldregisters.registers import REGISTERS

app_name = "fieldregisters"
urlpatterns = [
    path("", views.FieldIndexView.as_view(), name="index"),
    path("posyandu/<int:posyandu_pk>/", views.PosyanduRegistersView.as_view(), name="posyandu"),
    path("kegiatan/", views.ActivityListView.as_view(), name="activity_list"),
    path("posyandu/<int:posyandu_pk>/kegiatan/tambah/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("kegiatan/<int:pk>/ubah/", views.ActivityUpdateView.as_view(), name="activity_update"),
]
for register in REGISTERS:
    code, classes = register.field_code, views.register_views(register)
    urlpatterns += [
        path(f"{code}/", classes["list"].as_view(), name=f"{code}_list"),
        path(f"posyandu/<int:posyandu_pk>/{code}/tambah/", classes["create"].as_view(), name=f"{code}_create"),
        path(f"{code}/<int:pk>/", classes["detail"].as_view(), name=f"{code}_detail"),
        path(f"{code}/<int:pk>/ubah/", classes["update"].as_view(), name=f"{code}_update"),
        path(f"{code}/<int:pk>/teruskan/", classes["forward"].as_view(), name=f"{code}_forward"),
    ]
