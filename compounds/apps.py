from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CompoundsConfig(AppConfig):
    name = "compounds"
    verbose_name = "Compound library"

    def ready(self) -> None:
        from compounds.revision import revision_install

        # After migrate and after flush (tests): either may have rebuilt or emptied the tables.
        post_migrate.connect(revision_install, sender=self, dispatch_uid="compounds.revision_install")
