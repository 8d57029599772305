from rest_framework.routers import DefaultRouter

from apps.posyandu.api.views import PosyanduViewSet
from apps.regions.api.views import RegionViewSet
from apps.serviceday.api.urls import router as serviceday_router

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("posyandu", PosyanduViewSet, basename="posyandu")

# The service-day endpoints live with their app; one router keeps one API root.
router.registry.extend(serviceday_router.registry)

urlpatterns = router.urls
