from importlib import import_module

from rest_framework.routers import DefaultRouter

from apps.posyandu.api.views import PosyanduViewSet
from apps.regions.api.views import RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("posyandu", PosyanduViewSet, basename="posyandu")

# Each app keeps its endpoints in its own SimpleRouter; one project router keeps one API root
# and one schema.
APP_ROUTERS = ["serviceday", "followups", "fieldregisters", "programmes", "library", "meetings", "competency",
               "reports"]
for app in APP_ROUTERS:
    try:
        module = import_module(f"apps.{app}.api.urls")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"apps.{app}.api", f"apps.{app}.api.urls"):
            raise
        continue
    router.registry.extend(module.router.registry)

urlpatterns = router.urls
