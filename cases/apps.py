from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "People, contacts and cases"

    def ready(self) -> None:
        from cases import permissions  # noqa: F401  (registers the record policies)
