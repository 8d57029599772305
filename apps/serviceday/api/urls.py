"""Routes of the service-day API. A SimpleRouter (no root view of its own): config/api_urls.py
adds these routes to the project router, so they appear in its API root and in the schema."""
from rest_framework.routers import SimpleRouter

from apps.serviceday.api import views

router = SimpleRouter()
router.register("households", views.HouseholdViewSet, basename="household")
router.register("persons", views.PersonViewSet, basename="person")
router.register("pregnancies", views.PregnancyViewSet, basename="pregnancy")
router.register("sessions", views.ServiceSessionViewSet, basename="session")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("immunisations", views.ImmunisationViewSet, basename="immunisation")
router.register("referrals", views.ReferralViewSet, basename="referral")

urlpatterns = router.urls
