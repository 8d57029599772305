from rest_framework.routers import DefaultRouter

from apps.posyandu.api.views import PosyanduViewSet
from apps.regions.api.views import RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("posyandu", PosyanduViewSet, basename="posyandu")

urlpatterns = router.urls
