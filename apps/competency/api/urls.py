"""Routes of the competency API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.competency.api import views

router = SimpleRouter()
router.register("competency/skills", views.SkillViewSet, basename="competency-skill")
router.register("competency/trainings", views.TrainingViewSet, basename="competency-training")
router.register("competency/participants", views.ParticipantViewSet, basename="competency-participant")
router.register("competency/certifications", views.CertificationViewSet, basename="competency-certification")
router.register("competency/kader-levels", views.KaderLevelViewSet, basename="competency-kader-level")

urlpatterns = router.urls
