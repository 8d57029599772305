"""Routes of the reports API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

from apps.reports.api.views import CompletenessViewSet, ReportValuesViewSet

router = SimpleRouter()
router.register("report-values", ReportValuesViewSet, basename="report-values")
router.register("report-completeness", CompletenessViewSet, basename="report-completeness")
