"""Routes of the fieldregisters API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.fieldregisters.api import views

router = SimpleRouter()
router.register("fieldregisters/education", views.EducationCaseViewSet, basename="fr-education")
router.register("fieldregisters/social", views.SocialCaseViewSet, basename="fr-social")
router.register("fieldregisters/housing", views.HousingCaseViewSet, basename="fr-housing")
router.register("fieldregisters/water-sanitation", views.WaterSanitationViewSet, basename="fr-water")
router.register("fieldregisters/incidents", views.IncidentReportViewSet, basename="fr-incident")
router.register("fieldregisters/activities", views.FieldActivityViewSet, basename="fr-activity")
