from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers (no models): environment, access scopes, Khmer text, template tags, middleware."""

    name = "openpes.lib"
    label = "lib"
