from django.urls import path

from apps.serviceday import person_views, views

app_name = "serviceday"
urlpatterns = [
    path("posyandu/<int:posyandu_pk>/", views.SessionListView.as_view(), name="sessions"),
    path("<int:pk>/", views.SessionView.as_view(), name="session"),
    path("<int:pk>/daftar/", views.RegisterVisitView.as_view(), name="register"),
    path("kunjungan/<int:pk>/", views.VisitView.as_view(), name="visit"),
    path("orang/<int:pk>/grafik.svg", person_views.PersonChartView.as_view(), name="person_chart"),
    path("posyandu/<int:posyandu_pk>/impor/", views.ImportView.as_view(), name="import"),
    path("rujukan/", views.ReferralListView.as_view(), name="referrals"),
    path("rujukan/<int:pk>/putuskan/", views.ReferralDecideView.as_view(), name="referral_decide"),
    path("rujukan/<int:pk>/balasan/", views.ReferralFeedbackView.as_view(), name="referral_feedback"),
]
