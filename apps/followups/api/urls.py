"""Routes of the followups API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.followups.api.views import FollowUpViewSet

router = SimpleRouter()
router.register("followups", FollowUpViewSet, basename="followup")
