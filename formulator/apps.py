from django.apps import AppConfig


class FormulatorConfig(AppConfig):
    name = "formulator"
    verbose_name = "Products and stacks"
