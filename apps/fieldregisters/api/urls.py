"""Routes of the fieldregisters API; config/api_urls.py adds them to the project router."""
from rest_framework.routers import SimpleRouter

router = SimpleRouter()
