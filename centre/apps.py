from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentreConfig(AppConfig):
    name = "centre"
    verbose_name = _("The house")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks
