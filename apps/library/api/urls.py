"""Routes of the library API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.library.api.views import DocumentViewSet

router = SimpleRouter()
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = router.urls
