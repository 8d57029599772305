"""Routes of the meetings API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.meetings.api import views

router = SimpleRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("meeting-participants", views.ParticipantViewSet, basename="meeting-participant")
router.register("meeting-agenda-items", views.AgendaItemViewSet, basename="meeting-agenda-item")
router.register("meeting-decisions", views.DecisionViewSet, basename="meeting-decision")

urlpatterns = router.urls
