"""Training URLs: learning (tier 1 courses, tests, certificates) and events (ToT, sessions, webinars, reports)."""

from openpes.training.urls_events import urlpatterns as event_patterns
from openpes.training.urls_learning import urlpatterns as learning_patterns

app_name = "training"
urlpatterns = learning_patterns + event_patterns
