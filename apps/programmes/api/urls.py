"""Routes of the programmes API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.programmes.api import views

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("programme-activities", views.ActivityViewSet, basename="programme-activity")
router.register("programme-progress", views.ProgressReportViewSet, basename="programme-progress")
router.register("programme-indicators", views.ProgrammeIndicatorViewSet, basename="programme-indicator")

urlpatterns = router.urls
